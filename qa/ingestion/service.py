"""Ingestion: files in, interactions with turns (chats) or media (calls) and queued jobs out."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.agents import service as agent_service
from qa.audit import service as audit_service
from qa.config import Settings
from qa.db import session_scope
from qa.errors import InputError, PermissionDenied, StoredMeanwhile, describe_failure
from qa.ingestion.audio import AUDIO_SUFFIXES, file_sha256, probe_audio, store_media
from qa.ingestion.identity import Identity, find_duplicate, identify
from qa.ingestion.jsontext import load_json
from qa.ingestion.metadata import InteractionMetadata, validate_metadata
from qa.ingestion.transcripts import (
    TRANSCRIPT_SUFFIXES,
    ContentLimits,
    SpeakerLabels,
    content_limits,
    read_transcript_file,
    speaker_labels,
)
from qa.interactions import repository as interaction_repository
from qa.interactions import turns
from qa.jobs import service as job_service
from qa.models import Channel, Interaction, JobKind, Media
from qa.redaction import service as redaction_service

SUPPORTED_SUFFIXES = AUDIO_SUFFIXES | TRANSCRIPT_SUFFIXES
# Files that travel with samples but are not conversations.
IGNORED_NAME_ENDINGS = (".script.json",)


@dataclass(slots=True)
class IngestOptions:
    """How a batch is read: manifest rows, whether unknown agents are refused, speaker labels, and who
    uploaded it (API uploads: each interaction must land in their scope and is audited; None: the CLI)."""

    manifest: dict[Path, InteractionMetadata] = field(default_factory=dict)
    strict_agents: bool = False
    labels: SpeakerLabels = field(default_factory=SpeakerLabels)
    limits: ContentLimits | None = None
    uploaded_by: Principal | None = None


@dataclass(slots=True)
class FileOutcome:
    """What one file produced: new interactions, duplicates already stored, or why it failed."""

    path: Path
    ingested: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    failure: Exception | None = None
    # The failure line as stored and shown: redacted, as it may quote the file.
    message: str = ""

    @property
    def error(self) -> str:
        """The failure as one line naming the file ("" when the file went in)."""
        if self.message:
            return self.message
        return describe_failure(self.path, self.failure) if self.failure is not None else ""


def options_from_settings(settings: Settings, **overrides: object) -> IngestOptions:
    limits = content_limits(settings)
    return IngestOptions(labels=speaker_labels(settings), limits=limits, **overrides)  # type: ignore[arg-type]


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


def ingest_one(*, settings: Settings, path: Path, options: IngestOptions) -> FileOutcome:
    """Ingest one file in its own transaction: the entry point of the CLI, the demo, job retries and uploads.

    Never raises for a bad file: the outcome carries the failure, which is also recorded as a failed ingest
    job (retryable with `callcoach jobs retry`); a file that goes in resolves its earlier failed jobs.
    """
    for attempt in (1, 2):
        try:
            with session_scope(settings.database_url) as session:
                return ingest_file(session=session, path=path, settings=settings, options=options)
        except StoredMeanwhile as exc:
            if attempt == 1:
                continue  # the other process's row is committed now: looking again finds the duplicate
            failure: Exception = exc
        except Exception as exc:  # noqa: BLE001 - one bad file never stops a batch; recorded below
            failure = exc
        break
    outcome = FileOutcome(path=path, failure=failure)
    outcome.message = redaction_service.redact_message(settings, outcome.error)
    with session_scope(settings.database_url) as session:
        source = str(path.resolve())
        job_service.record_failed_ingest(session=session, source_path=source, error=outcome.error)
    return outcome


def ingest_file(*, session: Session, path: Path, settings: Settings, options: IngestOptions) -> FileOutcome:
    """Store one file's interactions in `session`; raises InputError (nothing stored) when the file is bad."""
    if not path.exists():
        raise InputError(path, "no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in AUDIO_SUFFIXES:
            outcome = _ingest_recording(session, path, settings, options)
        elif suffix in TRANSCRIPT_SUFFIXES:
            outcome = _ingest_transcript(session, path, settings, options)
        else:
            raise InputError(path, f"unsupported file type '{suffix or path.name}'")
    except IntegrityError:
        # Only a concurrent insert of the same interaction gets past the duplicate check.
        raise StoredMeanwhile(path) from None
    job_service.resolve_failed_ingests(
        session=session,
        source_path=str(path.resolve()),
        interaction_id=next(iter(outcome.ingested + outcome.duplicates), None),
    )
    return outcome


def _ingest_recording(
    session: Session, path: Path, settings: Settings, options: IngestOptions
) -> FileOutcome:
    outcome = FileOutcome(path=path)
    metadata = _recording_metadata(path, options)
    sha256 = file_sha256(path)
    identity = identify(metadata, channel=Channel.CALL, fallback_id=path.stem, sha256=sha256)
    duplicate = find_duplicate(session, identity)
    if duplicate is not None:
        outcome.duplicates.append(duplicate)
        return outcome
    info = probe_audio(path)
    interaction = _new_interaction(session, path, metadata, settings, options, Channel.CALL, identity)
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
    session.flush()
    job_service.enqueue(session=session, kind=JobKind.TRANSCRIBE, interaction_id=interaction.id)
    outcome.ingested.append(interaction.id)
    return outcome


def _recording_metadata(path: Path, options: IngestOptions) -> InteractionMetadata:
    metadata = options.manifest.get(path.resolve(), InteractionMetadata())
    sidecar = path.with_suffix(".json")
    if sidecar.exists():
        try:
            data = load_json(sidecar, sidecar.read_text(encoding="utf-8"), "JSON sidecar")
        except UnicodeDecodeError:
            raise InputError(sidecar, "sidecar is not UTF-8 text") from None
        metadata = metadata.merged(validate_metadata(sidecar, data))
    return metadata


def _ingest_transcript(
    session: Session, path: Path, settings: Settings, options: IngestOptions
) -> FileOutcome:
    outcome = FileOutcome(path=path)
    conversations = read_transcript_file(path, options.labels, options.limits)
    for number, conversation in enumerate(conversations, start=1):
        metadata = conversation.metadata
        channel = metadata.channel or Channel.CHAT
        fallback_id = path.stem if len(conversations) == 1 else f"{path.stem}-{number}"
        identity = identify(metadata, channel=channel, fallback_id=fallback_id)
        metadata.external_id = identity.external_id  # kept in raw_metadata, as it always was
        duplicate = find_duplicate(session, identity)
        if duplicate is not None:
            outcome.duplicates.append(duplicate)
            continue
        interaction = _new_interaction(session, path, metadata, settings, options, channel, identity)
        interaction.duration_seconds = turns.duration_of(conversation.turns)
        rows = turns.to_rows(conversation.turns)
        redaction_service.redact_new_conversation(
            session=session, settings=settings, interaction=interaction, rows=rows
        )
        interaction_repository.add_turns(session, interaction.id, rows)
        job_service.enqueue(session=session, kind=JobKind.ANALYZE, interaction_id=interaction.id)
        outcome.ingested.append(interaction.id)
    return outcome


def _new_interaction(
    session: Session,
    path: Path,
    metadata: InteractionMetadata,
    settings: Settings,
    options: IngestOptions,
    channel: Channel,
    identity: Identity,
) -> Interaction:
    uploader = options.uploaded_by
    agent_id = agent_team_id = None
    if metadata.agent:
        try:
            agent = agent_service.resolve_agent(
                session=session,
                name=metadata.agent,
                team=metadata.team,
                create=not options.strict_agents,
                # A supervisor's new agent joins their team unless the metadata names one.
                new_team_id=uploader.team_id if uploader is not None else None,
            )
        except agent_service.UnknownAgent as exc:
            raise InputError(path, str(exc)) from None
        agent_id, agent_team_id = agent.id, agent.team_id
    if uploader is not None and not access.can_see_agent(
        uploader, agent_id=agent_id, agent_team_id=agent_team_id
    ):
        # Raised before anything commits: a new agent or team made above is rolled back with it.
        whose = f"agent '{metadata.agent}'" if metadata.agent else "an interaction without an agent"
        raise PermissionDenied(f"{path.name}: you may not upload for {whose} (outside your team)")
    if uploader is None:
        return _add_interaction(session, path, metadata, settings, channel, identity, agent_id)
    created: list[Interaction] = []
    with audit_service.audited(
        session=session,
        principal=uploader,
        action="upload",
        entity="interaction",
        snapshot=lambda: _upload_snapshot(path, created[0]) if created else None,
    ) as change:
        created.append(_add_interaction(session, path, metadata, settings, channel, identity, agent_id))
        change.entity_id = created[0].id
    return created[0]


def _upload_snapshot(path: Path, interaction: Interaction) -> dict[str, object]:
    return {
        "file": path.name,
        "channel": interaction.channel,
        "agent_id": interaction.agent_id,
        "external_id": interaction.external_id,
    }


def _add_interaction(
    session: Session,
    path: Path,
    metadata: InteractionMetadata,
    settings: Settings,
    channel: Channel,
    identity: Identity,
    agent_id: int | None,
) -> Interaction:
    interaction = Interaction(
        channel=channel,
        source=identity.source,
        external_id=identity.external_id,
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
    redaction_service.redact_metadata(settings=settings, interaction=interaction)
    return interaction_repository.add(session, interaction)


def hash_customer_ref(reference: str | None, secret: str) -> str | None:
    """A keyed hash of the customer reference: repeat contacts match, the number is not stored."""
    if not reference:
        return None
    normalized = "".join(ch for ch in reference.lower() if ch.isalnum())
    return hashlib.sha256(f"{secret}:{normalized}".encode()).hexdigest()
