"""The duplicate rule: when two inputs are the same interaction. Every kind of input asks here.

Two inputs are one interaction when they carry the same recording bytes (sha256 of the file), or the same
(source, external id). The source defaults from the channel, the external id from the file name, and the
lookup and the stored row take both from `identify`, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from qa.ingestion.metadata import InteractionMetadata
from qa.interactions import repository as interaction_repository
from qa.models import Channel

# Calls come from the phone system unless their metadata names another source.
CALL_SOURCE = "phone"


@dataclass(frozen=True, slots=True)
class Identity:
    """What makes an interaction the same one when it arrives again."""

    source: str
    external_id: str
    sha256: str | None = None  # recordings only


def default_source(channel: Channel) -> str:
    return CALL_SOURCE if channel == Channel.CALL else channel.value


def identify(
    metadata: InteractionMetadata, *, channel: Channel, fallback_id: str, sha256: str | None = None
) -> Identity:
    """The identity of an input: its metadata's source and external id, or the defaults."""
    return Identity(
        source=metadata.source or default_source(channel),
        external_id=metadata.external_id or fallback_id,
        sha256=sha256,
    )


def find_duplicate(session: Session, identity: Identity) -> int | None:
    """The stored interaction this input repeats, if any."""
    if identity.sha256 is not None:
        media = interaction_repository.find_media_by_sha256(session, identity.sha256)
        if media is not None:
            return media.interaction_id
    existing = interaction_repository.find_by_external_id(session, identity.source, identity.external_id)
    return existing.id if existing is not None else None
