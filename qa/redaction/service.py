"""Redaction in the product: turns, metadata, messages and recordings lose personal data before storage.

The rules live in the library (`transcription.redaction`); this module decides what it is applied to: stored
turn texts (placeholders such as `[CARD]`, their positions kept in `RedactedEntity` rows), raw metadata,
error messages, and the stored recording (replaced by a redacted FLAC; the original deleted after commit
unless `keep_unredacted_audio`). `redact_stored` applies it to an interaction stored before it was on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import event
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import service as audit_service
from qa.config import Settings
from qa.errors import CallcoachError, NotFound
from qa.interactions import repository as interaction_repository
from qa.interactions import service as interaction_service
from qa.interactions import turns as turn_forms
from qa.jobs import service as job_service
from qa.jobs.ml_models import engine_options
from qa.models import Interaction, JobKind, Media, RedactedEntity, Turn
from qa.models.base import utcnow
from qa.redaction import repository
from transcription import AudioError, Transcript, transcribe_file
from transcription.audio import SAMPLE_RATE
from transcription.redaction import (
    ENTITY_TYPES,
    AudioSpan,
    Entity,
    EntityType,
    RedactedTurns,
    RedactionOptions,
    answer_spans,
    audio_spans,
    detect,
    placeholder,
    redact_audio_file,
    redact_turns,
    turns_from_transcript,
)
from transcription.redaction import Turn as TextTurn

REDACTED_SUFFIX = ".redacted.flac"


class RedactionSettingsInvalid(CallcoachError):
    """CALLCOACH_REDACT_TYPES names a type the library does not know."""


def options(settings: Settings) -> RedactionOptions | None:
    """The library options from settings; None when redaction is switched off."""
    if not settings.redact:
        return None
    wanted = [t.strip().upper() for t in settings.redact_types if t.strip()] or list(ENTITY_TYPES)
    unknown = sorted(set(wanted) - set(ENTITY_TYPES))
    if unknown:
        raise RedactionSettingsInvalid(
            f"CALLCOACH_REDACT_TYPES: unknown type(s) {', '.join(unknown)}; use {', '.join(ENTITY_TYPES)}"
        )
    return RedactionOptions(
        types=frozenset(cast(list[EntityType], wanted)),
        public_addresses=tuple(settings.redact_public_addresses),
    )


@dataclass(slots=True)
class TextRedaction:
    """Redacted turn texts, their placeholder rows, the audio spans, and (in memory only) the values found,
    so that copies of them elsewhere (evidence, notes, errors) can be scrubbed too."""

    texts: list[str]
    entities: list[RedactedEntity]
    spans: list[AudioSpan]
    values: list[tuple[str, EntityType]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entities:
            out[e.type] = out.get(e.type, 0) + 1
        return dict(sorted(out.items()))


def redact_conversation(opts: RedactionOptions, turns: Sequence[TextTurn]) -> TextRedaction:
    """Detect and redact one conversation's turns (timed words give audio spans)."""
    found = detect(turns, opts)
    redacted = redact_turns(turns, found)
    values = [(turns[e.turn].text[e.start : e.end], e.type) for e in found]
    return TextRedaction(
        texts=[t.text for t in redacted.turns],
        entities=_placeholder_rows(redacted),
        # The answer to "your card number?" is blanked whole: the recogniser may not have written the value.
        spans=audio_spans(turns, found) + answer_spans(turns, opts),
        values=[(v, t) for v, t in values if v.strip()],
    )


def _placeholder_rows(redacted: RedactedTurns) -> list[RedactedEntity]:
    """One row per placeholder; overlapping entities share one, as `redact_turns` merges them."""
    rows: list[RedactedEntity] = []
    by_turn: dict[int, list[Entity]] = {}
    for e in redacted.entities:
        by_turn.setdefault(e.turn, []).append(e)
    for index, entities in sorted(by_turn.items()):
        groups: list[list[Entity]] = []
        end = -1
        for e in sorted(entities, key=lambda x: (x.start, -x.end)):
            if groups and e.start < end:
                groups[-1].append(e)
                end = max(end, e.end)
            else:
                groups.append([e])
                end = e.end
        places = redacted.turns[index].placeholders
        for group, place in zip(groups, places, strict=True):
            times = [t for e in group for t in (e.start_time, e.end_time) if t is not None]
            rows.append(
                RedactedEntity(
                    turn_index=index,
                    type=place.type,
                    start=place.start,
                    end=place.end,
                    start_seconds=min(times) if times else None,
                    end_seconds=max(times) if times else None,
                    confidence=min(e.confidence for e in group),
                    rule=",".join(sorted({e.rule for e in group if e.rule}))[:64],
                )
            )
    return rows


def redact_text(
    opts: RedactionOptions | None, text: str, values: Sequence[tuple[str, EntityType]] = ()
) -> str:
    """Free text (a message, a metadata value, a quote) with known `values` and anything detected replaced."""
    if opts is None or not text:
        return text
    for value, kind in sorted(values, key=lambda v: -len(v[0])):
        text = text.replace(value, placeholder(kind))
    found = detect([TextTurn(text)], opts)
    return redact_turns([TextTurn(text)], found).turns[0].text if found else text


def redact_json(
    opts: RedactionOptions | None, value: Any, values: Sequence[tuple[str, EntityType]] = ()
) -> Any:
    """Every string inside a JSON value, redacted."""
    if isinstance(value, str):
        return redact_text(opts, value, values)
    if isinstance(value, list):
        return [redact_json(opts, v, values) for v in value]
    if isinstance(value, dict):
        return {k: redact_json(opts, v, values) for k, v in value.items()}
    return value


def redact_message(settings: Settings, message: str) -> str:
    """An error message as it may be stored and shown (it can quote the input)."""
    try:
        return redact_text(options(settings), message)
    except RedactionSettingsInvalid:
        return message


# --- at ingestion and after transcription ----------------------------------------------------------------


def redact_new_conversation(
    *, session: Session, settings: Settings, interaction: Interaction, rows: Sequence[Turn]
) -> None:
    """Before a chat, e-mail or form is stored: its turn rows and metadata lose personal data."""
    opts = options(settings)
    if opts is None:
        return
    result = redact_conversation(opts, [TextTurn(r.text, r.speaker) for r in rows])
    for row, text in zip(rows, result.texts, strict=True):
        row.text = text
    _finish(session, opts, interaction, result)


def redact_metadata(*, settings: Settings, interaction: Interaction) -> None:
    """A new interaction's raw metadata (free text such as notes may hold personal data)."""
    opts = options(settings)
    if opts is not None:
        interaction.raw_metadata = redact_json(opts, interaction.raw_metadata)


def redact_transcribed_call(
    *,
    session: Session,
    settings: Settings,
    interaction: Interaction,
    transcript: Transcript,
    rows: Sequence[Turn],
) -> None:
    """After a call is transcribed and before its turns are stored: text, and the recording itself."""
    opts = options(settings)
    if opts is None:
        return
    result = redact_conversation(opts, turns_from_transcript(transcript))
    for row, text in zip(rows, result.texts, strict=True):
        row.text = text
    if interaction.media is not None and not interaction.media.redacted:
        redact_recording(session=session, settings=settings, media=interaction.media, spans=result.spans)
    _finish(session, opts, interaction, result)


def _finish(
    session: Session, opts: RedactionOptions, interaction: Interaction, result: TextRedaction
) -> None:
    session.flush()  # the interaction has its id
    repository.replace_entities(session, interaction.id, result.entities)
    interaction.raw_metadata = redact_json(opts, interaction.raw_metadata, result.values)
    interaction.redacted_at = utcnow()


def redact_recording(
    *, session: Session, settings: Settings, media: Media, spans: Sequence[AudioSpan]
) -> None:
    """Replace the stored recording by a copy with the spans blanked on the speaker's channel.

    The original file is deleted once the transaction commits (never before: a rollback keeps a row that
    points at it), or kept for admins with `keep_unredacted_audio`. `sha256` stays the original's, so the
    same file ingested again is still a duplicate.
    """
    source = Path(media.path)
    target = source.with_name(f"{media.sha256}{REDACTED_SUFFIX}")
    partial = target.with_name(f"{media.sha256}.partial.flac")
    left = {"agent": 0, "customer": 1}
    speakers = left if settings.agent_channel == "left" else {"agent": 1, "customer": 0}
    try:
        redact_audio_file(source, partial, spans, speaker_channels=speakers, fill=settings.redact_audio_fill)
    except AudioError as exc:
        raise CallcoachError(f"{media.original_name}: cannot redact the recording: {exc}") from None
    partial.replace(target)
    media.path = str(target)
    media.format = "flac"
    media.sample_rate = SAMPLE_RATE
    media.size_bytes = target.stat().st_size
    media.redacted = True
    if settings.keep_unredacted_audio:
        media.unredacted_path = str(source)
    else:
        _delete_after_commit(session, source)


def _delete_after_commit(session: Session, path: Path) -> None:
    def delete(_session: Session) -> None:
        path.unlink(missing_ok=True)

    event.listen(session, "after_commit", delete, once=True)


# --- interactions stored before redaction was on ------------------------------------------------------


def pending_ids(*, session: Session) -> list[int]:
    """Interactions `redact --all` still has to do (the marker is `Interaction.redacted_at`)."""
    return repository.unredacted_ids(session)


Transcribe = Callable[[Path], Transcript]


def redact_stored(
    *,
    session: Session,
    settings: Settings,
    principal: Principal,
    interaction_id: int,
    transcribe: Transcribe,
) -> dict[str, int] | None:
    """Redact one stored interaction in place and audit it; the counts per type, or None for a call not
    transcribed yet (its transcription redacts it). `transcribe` gives a call's word times again."""
    access.require_role(principal, access.ADMINS, "redacting stored interactions")
    opts = options(settings)
    if opts is None:
        raise RedactionSettingsInvalid("redaction is switched off (CALLCOACH_REDACT=false)")
    interaction = interaction_repository.get(session, interaction_id, with_turns=True)
    if interaction is None:
        raise NotFound(f"interaction {interaction_id} not found")
    rows = interaction_repository.list_turns(session, interaction.id)
    media = interaction.media
    if media is not None and not rows:
        return None
    snapshot = lambda: {  # noqa: E731
        "redacted_at": interaction.redacted_at.isoformat() if interaction.redacted_at else None,
        "placeholders": sum(1 for _ in repository.list_entities(session, interaction.id)),
    }
    with audit_service.audited(
        session=session,
        principal=principal,
        action="redact",
        entity="interaction",
        entity_id=interaction.id,
        interaction_id=interaction.id,
        snapshot=snapshot,
    ):
        untimed = redact_conversation(opts, [TextTurn(r.text, r.speaker) for r in rows])
        result = untimed
        if media is not None and not media.redacted and Path(media.path).is_file():
            transcript = transcribe(Path(media.path))
            timed = redact_conversation(opts, turns_from_transcript(transcript))
            redact_recording(session=session, settings=settings, media=media, spans=timed.spans)
            if [t.text for t in transcript.turns] == [r.text for r in rows]:
                result = timed  # the stored turns are this transcript: keep their times and scores
            else:
                timed.values += untimed.values
                _replace_call_turns(session, interaction, transcript, timed)
                rows = []
            result.values = timed.values + untimed.values
        for row, text in zip(rows, result.texts, strict=True):
            row.text = text
        _scrub_copies(session, opts, interaction.id, result.values)
        _finish(session, opts, interaction, result)
    return result.counts()


def _replace_call_turns(
    session: Session, interaction: Interaction, transcript: Transcript, timed: TextRedaction
) -> None:
    """The stored turns differ from what the engine hears now: store the redacted new ones and score again."""
    new_rows = turn_forms.transcript_rows(transcript.turns)
    for row, text in zip(new_rows, timed.texts, strict=True):
        row.text = text
    interaction_repository.replace_turns(session, interaction.id, new_rows)
    job_service.enqueue(session=session, kind=JobKind.ANALYZE, interaction_id=interaction.id)


def _scrub_copies(
    session: Session, opts: RedactionOptions, interaction_id: int, values: Sequence[tuple[str, EntityType]]
) -> None:
    """Evidence, reviewers' comments, coaching notes and their replies, disputes, notifications, job errors
    and audit snapshots that copied a value."""
    for result in repository.criterion_results(session, interaction_id):
        result.evidence = redact_json(opts, result.evidence, values)
        if result.override_comment:
            result.override_comment = redact_text(opts, result.override_comment, values)
    for note in repository.coaching_notes(session, interaction_id):
        note.text = redact_text(opts, note.text, values)
    for reply in repository.note_replies(session, interaction_id):
        reply.text = redact_text(opts, reply.text, values)
    for dispute in repository.disputes(session, interaction_id):
        dispute.reason = redact_text(opts, dispute.reason, values)
        if dispute.decision_comment:
            dispute.decision_comment = redact_text(opts, dispute.decision_comment, values)
    for notification in repository.notifications(session, interaction_id):
        notification.text = redact_text(opts, notification.text, values)
    for job in repository.jobs(session, interaction_id):
        if job.error:
            job.error = redact_text(opts, job.error, values)
    for entry in repository.audit_entries(session, interaction_id):
        entry.before = redact_json(opts, entry.before, values)
        entry.after = redact_json(opts, entry.after, values)


def transcriber(settings: Settings) -> Transcribe:
    """The configured engine, as `redact_stored` needs it."""
    engine = engine_options(settings)
    return lambda path: transcribe_file(path, engine)


# --- the kept original ----------------------------------------------------------------------------------


def original_audio_file(*, session: Session, principal: Principal, interaction_id: int) -> Path:
    """The unredacted recording kept by `keep_unredacted_audio`: admins only, and every read is audited."""
    access.require_role(principal, access.ADMINS, "reading unredacted audio")
    interaction = interaction_service.get_visible(
        session=session, principal=principal, interaction_id=interaction_id
    )
    media = interaction.media
    if media is None or not media.unredacted_path or not Path(media.unredacted_path).is_file():
        raise NotFound(f"interaction {interaction_id} has no unredacted audio")
    with audit_service.audited(
        session=session,
        principal=principal,
        action="read_unredacted_audio",
        entity="media",
        entity_id=media.id,
        interaction_id=interaction.id,
        snapshot=lambda: {"file": media.original_name},
    ):
        pass
    return Path(media.unredacted_path)
