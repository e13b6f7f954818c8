"""Readers for chat and email transcripts: JSON (object, list, JSON Lines), CSV and plain text."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.config import Settings
from qa.errors import InputError
from qa.ingestion.jsontext import load_json
from qa.ingestion.metadata import InteractionMetadata, validate_metadata
from qa.models.enums import Channel, Speaker

TRANSCRIPT_SUFFIXES = {".json", ".jsonl", ".csv", ".txt"}
# Turn times beyond this (a month after the start) are refused as nonsense, not stored.
MAX_TURN_SECONDS = 31 * 24 * 3600.0
LABELLED_LINE = re.compile(r"^\s*([A-Za-z][\w .'-]{0,40}?)\s*:\s?(.*)$")


@dataclass(slots=True)
class ParsedTurn:
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(slots=True)
class ParsedConversation:
    metadata: InteractionMetadata
    turns: list[ParsedTurn] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SpeakerLabels:
    """Which labels in a transcript mean the agent and which the customer (case-insensitive)."""

    agent: tuple[str, ...] = ("Agent",)
    customer: tuple[str, ...] = ("Customer",)

    def resolve(self, path: Path, label: str, where: str) -> str:
        key = label.strip().lower()
        if key in tuple(Speaker):
            return Speaker(key)
        if key in {a.lower() for a in self.agent}:
            return Speaker.AGENT
        if key in {c.lower() for c in self.customer}:
            return Speaker.CUSTOMER
        raise InputError(path, f"{where}: unknown speaker label '{label}'")


class ContentTooLarge(InputError):
    """A conversation beyond the content limits (too many turns, too long a turn or too much text)."""


@dataclass(frozen=True, slots=True)
class ContentLimits:
    """The most one conversation may hold; built from qa.config.Settings (max_turns, max_turn_chars,
    max_interaction_chars) by qa.ingestion.service.content_limits."""

    max_turns: int
    max_turn_chars: int
    max_interaction_chars: int

    def check_turn_count(self, path: Path, where: str, count: int) -> None:
        if count > self.max_turns:
            raise ContentTooLarge(
                path, f"{where}: {count} turns, more than the limit of {self.max_turns} (CALLCOACH_MAX_TURNS)"
            )

    def check(self, path: Path, where: str, turns: list[ParsedTurn]) -> None:
        """Raise ContentTooLarge naming the first limit these turns pass."""
        self.check_turn_count(path, where, len(turns))
        total = 0
        for index, turn in enumerate(turns):
            if len(turn.text) > self.max_turn_chars:
                raise ContentTooLarge(
                    path,
                    f"{where}, turn {index + 1}: {len(turn.text)} characters, more than the limit of "
                    f"{self.max_turn_chars} (CALLCOACH_MAX_TURN_CHARS)",
                )
            total += len(turn.text)
        if total > self.max_interaction_chars:
            raise ContentTooLarge(
                path,
                f"{where}: {total} characters of text, more than the limit of {self.max_interaction_chars} "
                "(CALLCOACH_MAX_INTERACTION_CHARS)",
            )


def speaker_labels(settings: Settings) -> SpeakerLabels:
    """The configured agent and customer labels."""
    return SpeakerLabels(agent=tuple(settings.agent_labels), customer=tuple(settings.customer_labels))


def content_limits(settings: Settings) -> ContentLimits:
    """The configured content limits (docs/security.md, "Limits")."""
    return ContentLimits(
        max_turns=settings.max_turns,
        max_turn_chars=settings.max_turn_chars,
        max_interaction_chars=settings.max_interaction_chars,
    )


def read_transcript_file(
    path: Path, labels: SpeakerLabels, limits: ContentLimits | None = None
) -> list[ParsedConversation]:
    """Every conversation in `path`, or an InputError naming the file and the problem (ContentTooLarge
    beyond `limits`; None reads trusted files whole, as benchmarks do)."""
    conversations = _read_conversations(path, labels, limits)
    if limits is not None:
        for number, conversation in enumerate(conversations, start=1):
            where = f"conversation {number}" if len(conversations) > 1 else "the conversation"
            limits.check(path, where, conversation.turns)
    return conversations


def _read_conversations(
    path: Path, labels: SpeakerLabels, limits: ContentLimits | None
) -> list[ParsedConversation]:
    text = _read_text(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        data = load_json(path, text)
        objects = data if isinstance(data, list) else [data]
        if not objects:
            raise InputError(path, "the JSON list holds no conversation")
        return [
            _from_json(path, obj, labels, f"conversation {i + 1}", limits) for i, obj in enumerate(objects)
        ]
    if suffix == ".jsonl":
        conversations = []
        for line_no, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            obj = load_json(path, line, f"JSON on line {line_no}")
            conversations.append(_from_json(path, obj, labels, f"line {line_no}", limits))
        if not conversations:
            raise InputError(path, "no conversation in JSON Lines file")
        return conversations
    if suffix == ".csv":
        return _from_csv(path, text, labels)
    if suffix == ".txt":
        return [_from_plain_text(path, text, labels)]
    raise InputError(path, f"unsupported transcript format '{suffix}' (use .json, .jsonl, .csv or .txt)")


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror}") from None
    if not raw.strip():
        raise InputError(path, "file is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None


def _parse_time(path: Path, value: Any, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InputError(path, f"{where}: bad timestamp '{value}'") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _seconds(path: Path, value: Any, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InputError(path, f"{where}: '{name}' must be a number of seconds")
    try:
        seconds = float(value)
    except ValueError:
        raise InputError(path, f"{where}: '{name}' must be a number of seconds") from None
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_TURN_SECONDS:
        raise InputError(path, f"{where}: '{name}' must be between 0 and {MAX_TURN_SECONDS:.0f} seconds")
    return seconds


def _from_json(
    path: Path, obj: Any, labels: SpeakerLabels, where: str, limits: ContentLimits | None
) -> ParsedConversation:
    if not isinstance(obj, dict):
        raise InputError(path, f"{where}: expected a JSON object with 'turns'")
    header = {k: v for k, v in obj.items() if k not in ("turns", "metadata")}
    nested = obj.get("metadata") or {}
    if not isinstance(nested, dict):
        raise InputError(path, f"{where}: 'metadata' must be an object")
    metadata = validate_metadata(path, {**nested, **header})
    raw_turns = obj.get("turns")
    if not isinstance(raw_turns, list) or not raw_turns:
        raise InputError(path, f"{where}: 'turns' must be a non-empty list")
    if limits is not None:
        limits.check_turn_count(path, where, len(raw_turns))  # before a million turns are parsed
    turns: list[ParsedTurn] = []
    moments: list[datetime | None] = []
    for index, raw in enumerate(raw_turns):
        turn_where = f"{where}, turn {index + 1}"
        if not isinstance(raw, dict):
            raise InputError(path, f"{turn_where}: expected an object with speaker and text")
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(path, f"{turn_where}: missing text")
        speaker = labels.resolve(path, str(raw.get("speaker", "")), turn_where)
        turn = ParsedTurn(speaker=speaker, text=text.strip())
        moment = _parse_time(path, raw["at"], turn_where) if raw.get("at") is not None else None
        if raw.get("offset") is not None:
            turn.start = _seconds(path, raw["offset"], turn_where, "offset")
        if raw.get("start") is not None:
            turn.start = _seconds(path, raw["start"], turn_where, "start")
        if raw.get("end") is not None:
            turn.end = _seconds(path, raw["end"], turn_where, "end")
        turns.append(turn)
        moments.append(moment)
    _place_timestamps(metadata, turns, moments)
    return ParsedConversation(metadata=metadata, turns=turns)


def _place_timestamps(
    metadata: InteractionMetadata, turns: list[ParsedTurn], moments: list[datetime | None]
) -> None:
    """Turn absolute timestamps into seconds from the start of the conversation."""
    known = [m for m in moments if m is not None]
    if not known:
        return
    if metadata.started_at is None:
        metadata.started_at = min(known)
    for turn, moment in zip(turns, moments, strict=True):
        if moment is not None:
            turn.start = max(0.0, (moment - metadata.started_at).total_seconds())


def _from_csv(path: Path, text: str, labels: SpeakerLabels) -> list[ParsedConversation]:
    try:
        return _conversations_from_csv(path, text, labels)
    except csv.Error as exc:
        # e.g. a field over csv.field_size_limit() (131,072 characters) or a NUL byte
        raise InputError(path, f"malformed CSV: {exc}") from None


def _conversations_from_csv(path: Path, text: str, labels: SpeakerLabels) -> list[ParsedConversation]:
    reader = csv.DictReader(text.splitlines())
    columns = set(reader.fieldnames or [])
    missing = [c for c in ("conversation_id", "speaker", "text") if c not in columns]
    if missing:
        raise InputError(path, f"CSV lacks column(s) {', '.join(missing)}")
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line_no, row in enumerate(reader, start=2):
        conversation_id = (row.get("conversation_id") or "").strip()
        if not conversation_id:
            raise InputError(path, f"line {line_no}: empty conversation_id")
        grouped.setdefault(conversation_id, []).append((line_no, row))
    if not grouped:
        raise InputError(path, "CSV has no rows")
    conversations = []
    for conversation_id, rows in grouped.items():
        first = rows[0][1]
        header = {
            "external_id": conversation_id,
            "agent": first.get("agent"),
            "channel": first.get("channel") or Channel.CHAT,
        }
        metadata = validate_metadata(path, header)
        turns, moments = [], []
        for line_no, row in rows:
            where = f"line {line_no}"
            body = (row.get("text") or "").strip()
            if not body:
                raise InputError(path, f"{where}: missing text")
            turns.append(ParsedTurn(speaker=labels.resolve(path, row.get("speaker") or "", where), text=body))
            stamp = (row.get("timestamp") or "").strip()
            moments.append(_parse_time(path, stamp, where) if stamp else None)
        _place_timestamps(metadata, turns, moments)
        conversations.append(ParsedConversation(metadata=metadata, turns=turns))
    return conversations


def _from_plain_text(path: Path, text: str, labels: SpeakerLabels) -> ParsedConversation:
    turns: list[ParsedTurn] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LABELLED_LINE.match(line)
        if match:
            speaker = labels.resolve(path, match.group(1), f"line {line_no}")
            turns.append(ParsedTurn(speaker=speaker, text=match.group(2).strip()))
        elif turns:
            turns[-1].text = f"{turns[-1].text} {line.strip()}".strip()
        else:
            raise InputError(path, f"line {line_no}: expected 'Agent:' or 'Customer:' at the start")
    if not turns:
        raise InputError(path, "no 'Agent:' or 'Customer:' lines found")
    for index, turn in enumerate(turns):
        if not turn.text:
            raise InputError(path, f"turn {index + 1}: missing text")
    sidecar = path.with_suffix(".json")
    header: dict[str, Any] = {"external_id": path.stem, "channel": Channel.CHAT}
    if sidecar.exists():
        try:
            loaded = load_json(sidecar, sidecar.read_text(encoding="utf-8"), "JSON sidecar")
        except UnicodeDecodeError:
            raise InputError(sidecar, "sidecar is not UTF-8 text") from None
        if not isinstance(loaded, dict):
            raise InputError(sidecar, "sidecar must be a JSON object")
        header.update(loaded)
    source = sidecar if sidecar.exists() else path
    return ParsedConversation(metadata=validate_metadata(source, header), turns=turns)
