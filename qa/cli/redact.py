"""`callcoach redact FILE`: what redaction would replace in a transcript or a recording (nothing stored);
`callcoach redact --all --as ADMIN`: redact the interactions stored before redaction was on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from qa.access import Principal
from qa.auth import service as auth_service
from qa.cli.common import domain_errors, fail, open_database, progress_bar, say
from qa.config import Settings, get_settings
from qa.db import session_scope
from qa.errors import InputError, PermissionDenied
from qa.redaction import service as redaction_service
from transcription.audio import SUPPORTED_EXTENSIONS
from transcription.redaction import Entity, RedactedTurns, Turn, detect, redact_turns, turns_from_dict

app = typer.Typer(
    name="redact",
    help="Personal and payment data in transcripts and recordings.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, soft_wrap=True)


def register(parent: typer.Typer) -> None:
    parent.command("redact")(redact)


@app.command("redact")
def redact(
    file: Annotated[
        Path | None,
        typer.Argument(help="A chat/e-mail transcript, a recognised-call JSON or a recording."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    all_stored: Annotated[
        bool,
        typer.Option("--all", help="Redact every stored interaction not redacted yet (resumable, audited)."),
    ] = False,
    user: Annotated[
        str | None, typer.Option("--as", help="The admin account the audit log records (with --all).")
    ] = None,
) -> None:
    """Show the redacted turns and the entities found (types and places, never the values); with --all,
    redact the stored interactions in place."""
    if all_stored:
        _redact_all(user, as_json)
        return
    if file is None:
        raise fail("name a FILE to look at, or --all to redact the stored interactions")
    try:
        conversations = _read(file)
    except InputError as exc:
        fail(str(exc))
    results = []
    for name, turns in conversations:
        redacted = redact_turns(turns, detect(turns))
        results.append((name, redacted))
    if as_json:
        typer.echo(
            json.dumps({"file": str(file), "conversations": [_as_dict(n, r) for n, r in results]}, indent=2)
        )
        return
    for name, redacted in results:
        counts = ", ".join(f"{kind} {n}" for kind, n in redacted.counts().items()) or "nothing to redact"
        say(console, counts, label=f"{name}:", style="bold")
        for index, turn in enumerate(redacted.turns):
            if turn.placeholders:
                say(console, f"  {index:>3} {turn.speaker or '?'}: {turn.text}")


def _read(path: Path) -> list[tuple[str, list[Turn]]]:
    if not path.exists():
        raise InputError(path, "no such file")
    if path.suffix.lower() in SUPPORTED_EXTENSIONS:
        return [(path.name, _recording_turns(path))]
    if path.suffix.lower() == ".json":
        timed = _timed_transcript(path)
        if timed is not None:
            return [(path.name, timed)]
    from qa.ingestion.transcripts import content_limits, read_transcript_file, speaker_labels

    try:
        settings = get_settings()
    except ValueError as exc:
        fail(f"configuration: {exc}")
    labels, limits = speaker_labels(settings), content_limits(settings)
    return [
        (c.metadata.external_id or path.name, [Turn(t.text, t.speaker) for t in c.turns])
        for c in read_transcript_file(path, labels, limits)
    ]


def _timed_transcript(path: Path) -> list[Turn] | None:
    """Turns of a recognised call ({"turns": [{"speaker", "text", "words": [...]}]}), else None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # the transcript reader gives the precise error
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list) or not data["turns"]:
        return None
    if not all(isinstance(t, dict) and isinstance(t.get("words"), list) for t in data["turns"]):
        return None
    try:
        return turns_from_dict(data)
    except ValueError as exc:
        raise InputError(path, f"malformed recognised transcript: {exc}") from None


def _recording_turns(path: Path) -> list[Turn]:
    from qa.jobs.ml_models import engine_options
    from transcription import TranscriptionError, transcribe_file
    from transcription.redaction import turns_from_transcript

    try:
        settings = get_settings()
    except ValueError as exc:
        fail(f"configuration: {exc}")
    try:
        return turns_from_transcript(transcribe_file(path, engine_options(settings)))
    except TranscriptionError as exc:
        raise InputError(path, str(exc).split(": ", 1)[-1]) from None


def _entity_dict(entity: Entity) -> dict[str, Any]:
    return {
        "type": entity.type,
        "turn": entity.turn,
        "start": entity.start,
        "end": entity.end,
        "words": list(entity.words),
        "start_time": entity.start_time,
        "end_time": entity.end_time,
        "group": entity.group,
        "confidence": round(entity.confidence, 2),
        "rule": entity.rule,
    }


def _as_dict(name: str, redacted: RedactedTurns) -> dict[str, Any]:
    return {
        "conversation": name,
        "counts": redacted.counts(),
        "entities": [_entity_dict(e) for e in redacted.entities],
        "turns": [{"speaker": t.speaker, "text": t.text} for t in redacted.turns],
    }


def _redact_all(user: str | None, as_json: bool) -> None:
    settings = open_database()
    if not user:
        raise fail("--all needs --as ADMIN: the admin account the audit log records")
    with session_scope(settings.database_url) as session:
        principal = auth_service.principal_for(session=session, username=user)
        ids = redaction_service.pending_ids(session=session)
    if principal is None:
        raise fail(f"--as: no active user '{user}'")
    totals: dict[str, int] = {}
    done = waiting = 0
    transcribe = redaction_service.transcriber(settings)
    with domain_errors(), progress_bar("redacting", enabled=not as_json) as bar:
        bar.set_total(len(ids))
        for interaction_id in ids:
            counts = _redact_one(settings, principal, interaction_id, transcribe)
            if counts is None:
                waiting += 1
            else:
                done += 1
                for kind, n in counts.items():
                    totals[kind] = totals.get(kind, 0) + n
            bar.advance()
    placeholders = dict(sorted(totals.items()))
    if as_json:
        summary = {"redacted": done, "awaiting_transcription": waiting, "placeholders": placeholders}
        typer.echo(json.dumps(summary))
        return
    found = ", ".join(f"{kind} {n}" for kind, n in placeholders.items()) or "nothing found"
    say(console, f"redacted {done} interaction(s): {found}")
    if waiting:
        console.print(f"{waiting} call(s) not transcribed yet: their transcription redacts them")


def _redact_one(
    settings: Settings,
    principal: Principal,
    interaction_id: int,
    transcribe: redaction_service.Transcribe,
) -> dict[str, int] | None:
    """One interaction in its own transaction: an interrupted run keeps what it finished."""
    try:
        with session_scope(settings.database_url) as session:
            return redaction_service.redact_stored(
                session=session,
                settings=settings,
                principal=principal,
                interaction_id=interaction_id,
                transcribe=transcribe,
            )
    except PermissionDenied as exc:
        raise fail(str(exc)) from None
