"""Ingestion: files in, interactions with turns (chats) or media (calls) and queued jobs out."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from qa.agents import service as agent_service
from qa.config import Settings
from qa.errors import InputError
from qa.ingestion.audio import AUDIO_SUFFIXES, file_sha256, probe_audio, store_media
from qa.ingestion.metadata import InteractionMetadata, validate_metadata
from qa.ingestion.transcripts import (
    TRANSCRIPT_SUFFIXES,
    ParsedConversation,
    SpeakerLabels,
    read_transcript_file,
)
from qa.interactions import repository as interaction_repository
from qa.jobs import service as job_service
from qa.models import Interaction, JobKind, Media, Turn

SUPPORTED_SUFFIXES = AUDIO_SUFFIXES | TRANSCRIPT_SUFFIXES
# Files that travel with samples but are not conversations.
IGNORED_NAME_ENDINGS = (".script.json",)


@dataclass(slots=True)
class IngestOptions:
    """How a batch is read: manifest rows, whether unknown agents are refused, speaker labels."""

    manifest: dict[Path, InteractionMetadata] = field(default_factory=dict)
    strict_agents: bool = False
    labels: SpeakerLabels = field(default_factory=SpeakerLabels)


@dataclass(slots=True)
class FileOutcome:
    """What one file produced: new interactions and duplicates already stored."""

    path: Path
    ingested: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)


def options_from_settings(settings: Settings, **overrides: object) -> IngestOptions:
    labels = SpeakerLabels(agent=tuple(settings.agent_labels), customer=tuple(settings.customer_labels))
    return IngestOptions(labels=labels, **overrides)  # type: ignore[arg-type]


def discover_files(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> Iterator[Path]:
    """Files to ingest under `paths` (folders recursively), skipping sidecars and manifests."""
    skip = {p.resolve() for p in exclude}
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and _is_conversation_file(child) and child.resolve() not in skip:
                    yield child
        else:
            yield path


def _is_conversation_file(path: Path) -> bool:
    name = path.name.lower()
    if (
        name.startswith(".")
        or name.endswith(IGNORED_NAME_ENDINGS)
        or path.suffix.lower() not in SUPPORTED_SUFFIXES
    ):
        return False
    if path.suffix.lower() == ".json":
        # A sidecar: metadata for a recording or a plain-text transcript of the same name.
        siblings = (path.with_suffix(s) for s in (*AUDIO_SUFFIXES, ".txt"))
        return not any(s.exists() for s in siblings)
    return True


def ingest_file(*, session: Session, path: Path, settings: Settings, options: IngestOptions) -> FileOutcome:
    """Store one file's interactions; raises InputError (nothing stored) when the file is bad."""
    if not path.exists():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix in AUDIO_SUFFIXES:
        outcome = _ingest_recording(session, path, settings, options)
    elif suffix in TRANSCRIPT_SUFFIXES:
        outcome = _ingest_transcript(session, path, settings, options)
    else:
        raise InputError(path, f"unsupported file type '{suffix or path.name}'")
    job_service.resolve_failed_ingests(
        session=session,
        source_path=str(path.resolve()),
        interaction_id=(outcome.ingested or outcome.duplicates or [None])[0],
    )
    return outcome


def _ingest_recording(
    session: Session, path: Path, settings: Settings, options: IngestOptions
) -> FileOutcome:
    outcome = FileOutcome(path=path)
    metadata = _recording_metadata(path, options)
    sha256 = file_sha256(path)
    existing = interaction_repository.find_media_by_sha256(session, sha256)
    if existing is not None:
        outcome.duplicates.append(existing.interaction_id)
        return outcome
    info = probe_audio(path)
    external_id = metadata.external_id or path.stem
    source = metadata.source or "phone"
    duplicate = interaction_repository.find_by_external_id(session, source, external_id)
    if duplicate is not None:
        outcome.duplicates.append(duplicate.id)
        return outcome
    interaction = _new_interaction(session, path, metadata, settings, options, channel="call")
    interaction.duration_seconds = info.duration_seconds
    stored = store_media(path, sha256, settings.media_dir)
    session.add(
        Media(
            interaction_id=interaction.id,
            path=str(stored),
            original_name=path.name,
            sha256=sha256,
            format=info.format,
            channels=info.channels,
            sample_rate=info.sample_rate,
            duration_seconds=info.duration_seconds,
            size_bytes=info.size_bytes,
        )
    )
    job_service.enqueue(session=session, kind=JobKind.TRANSCRIBE, interaction_id=interaction.id)
    outcome.ingested.append(interaction.id)
    return outcome


def _recording_metadata(path: Path, options: IngestOptions) -> InteractionMetadata:
    metadata = options.manifest.get(path.resolve(), InteractionMetadata())
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(sidecar, f"malformed JSON sidecar: {exc}") from None
        metadata = metadata.merged(validate_metadata(sidecar, data))
    return metadata


def _ingest_transcript(
    session: Session, path: Path, settings: Settings, options: IngestOptions
) -> FileOutcome:
    outcome = FileOutcome(path=path)
    conversations = read_transcript_file(path, options.labels)
    for number, conversation in enumerate(conversations, start=1):
        metadata = conversation.metadata
        external_id = metadata.external_id or (
            path.stem if len(conversations) == 1 else f"{path.stem}-{number}"
        )
        metadata.external_id = external_id
        channel = metadata.channel or "chat"
        source = metadata.source or channel
        existing = interaction_repository.find_by_external_id(session, source, external_id)
        if existing is not None:
            outcome.duplicates.append(existing.id)
            continue
        interaction = _new_interaction(session, path, metadata, settings, options, channel=channel)
        _add_turns(session, interaction, conversation)
        job_service.enqueue(session=session, kind=JobKind.ANALYZE, interaction_id=interaction.id)
        outcome.ingested.append(interaction.id)
    return outcome


def _add_turns(session: Session, interaction: Interaction, conversation: ParsedConversation) -> None:
    ends = [t.end if t.end is not None else t.start for t in conversation.turns]
    known_ends = [e for e in ends if e is not None]
    if known_ends:
        interaction.duration_seconds = max(known_ends)
    for index, parsed in enumerate(conversation.turns):
        session.add(
            Turn(
                interaction_id=interaction.id,
                index=index,
                speaker=parsed.speaker,
                start_seconds=parsed.start,
                end_seconds=parsed.end,
                text=parsed.text,
            )
        )
    session.flush()


def _new_interaction(
    session: Session,
    path: Path,
    metadata: InteractionMetadata,
    settings: Settings,
    options: IngestOptions,
    *,
    channel: str,
) -> Interaction:
    agent_id = None
    if metadata.agent:
        try:
            agent = agent_service.resolve_agent(
                session=session, name=metadata.agent, team=metadata.team, create=not options.strict_agents
            )
        except agent_service.UnknownAgent as exc:
            raise InputError(path, str(exc)) from None
        agent_id = agent.id
    interaction = Interaction(
        channel=channel,
        source=metadata.source or ("phone" if channel == "call" else channel),
        external_id=metadata.external_id or path.stem,
        agent_id=agent_id,
        started_at=metadata.started_at,
        queue=metadata.queue,
        wait_seconds=metadata.wait_seconds,
        handle_seconds=metadata.handle_seconds,
        disposition=metadata.disposition,
        csat=metadata.csat,
        customer_hash=hash_customer_ref(metadata.customer_ref, settings.secret_key),
        raw_metadata=metadata.model_dump(mode="json", exclude_none=True, exclude={"customer_ref"}),
        source_file=str(path.resolve()),
    )
    return interaction_repository.add(session, interaction)


def hash_customer_ref(reference: str | None, secret: str) -> str | None:
    """A keyed hash of the customer reference: repeat contacts match, the number is not stored."""
    if not reference:
        return None
    normalized = "".join(ch for ch in reference.lower() if ch.isalnum())
    return hashlib.sha256(f"{secret}:{normalized}".encode()).hexdigest()
