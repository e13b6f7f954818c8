"""Text redaction: entities become `[TYPE]` placeholders; their types and places are kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from transcription.redaction.types import (
    Entity,
    EntityType,
    Placeholder,
    RedactedTurn,
    RedactedTurns,
    Turn,
    Word,
)


def placeholder(entity_type: EntityType) -> str:
    return f"[{entity_type}]"


def redact_turns(turns: Sequence[Turn], entities: Sequence[Entity]) -> RedactedTurns:
    """The turns with every entity's text replaced by its placeholder (timed words likewise)."""
    by_turn: dict[int, list[Entity]] = {}
    for e in entities:
        if not 0 <= e.turn < len(turns):
            raise ValueError(f"entity refers to turn {e.turn}, the conversation has {len(turns)} turns")
        by_turn.setdefault(e.turn, []).append(e)
    out = [_redact_turn(turn, by_turn.get(i, [])) for i, turn in enumerate(turns)]
    return RedactedTurns(turns=tuple(out), entities=tuple(entities))


def _merged(entities: list[Entity]) -> list[Entity]:
    """Overlapping spans become one (the first one's type wins)."""
    merged: list[Entity] = []
    for e in sorted(entities, key=lambda x: (x.start, -x.end)):
        if merged and e.start < merged[-1].end:
            last = merged[-1]
            if e.end > last.end:
                merged[-1] = _widen(last, e)
            continue
        merged.append(e)
    return merged


def _widen(a: Entity, b: Entity) -> Entity:
    words = tuple(sorted(set(a.words) | set(b.words)))
    return replace(a, end=b.end, words=words)


def _redact_turn(turn: Turn, entities: list[Entity]) -> RedactedTurn:
    if not entities:
        return RedactedTurn(text=turn.text, speaker=turn.speaker, words=turn.words)
    spans = _merged(entities)
    pieces: list[str] = []
    places: list[Placeholder] = []
    cursor = 0
    length = 0
    for e in spans:
        before = turn.text[cursor : e.start]
        pieces.append(before)
        length += len(before)
        mark = placeholder(e.type)
        places.append(Placeholder(e.type, length, length + len(mark)))
        pieces.append(mark)
        length += len(mark)
        cursor = e.end
    pieces.append(turn.text[cursor:])
    return RedactedTurn(
        text="".join(pieces),
        speaker=turn.speaker,
        placeholders=tuple(places),
        words=_redact_words(turn.words, spans) if turn.words is not None else None,
    )


def _redact_words(words: tuple[Word, ...], spans: list[Entity]) -> tuple[Word, ...]:
    """One placeholder word per entity, spanning the times of the words it replaces."""
    first_of: dict[int, Entity] = {}
    covered: set[int] = set()
    for e in spans:
        if e.words:
            first_of[e.words[0]] = e
            covered.update(e.words)
    out: list[Word] = []
    for i, w in enumerate(words):
        if i in first_of:
            e = first_of[i]
            last = words[e.words[-1]]
            out.append(Word(placeholder(e.type), w.start, last.end))
        elif i not in covered:
            out.append(w)
    return tuple(out)
