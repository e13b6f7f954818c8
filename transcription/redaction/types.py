"""Input and result dataclasses of the redaction library: turns, words, options, entities."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityType = Literal["CARD", "EXPIRY", "CVV", "SSN", "PHONE", "EMAIL", "DOB", "ADDRESS", "PLATE", "NAME"]
ENTITY_TYPES: tuple[EntityType, ...] = (
    "CARD",
    "EXPIRY",
    "CVV",
    "SSN",
    "PHONE",
    "EMAIL",
    "DOB",
    "ADDRESS",
    "PLATE",
    "NAME",
)


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word of a call; times in seconds from the start of the recording."""

    text: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn: its text, the speaker ("agent", "customer" or None) and, for calls, timed words.

    When `words` is given, every word is expected to appear in `text` in order (as in a recognised turn).
    """

    text: str
    speaker: str | None = None
    words: tuple[Word, ...] | None = None


@dataclass(frozen=True, slots=True)
class RedactionOptions:
    """What to detect. Every entity type is on by default.

    `public_addresses`: street addresses that are never redacted (the city's own offices), written as
    they would be typed ("100 Main Street"); they match on house number and first street word.
    `card_without_luhn`: also redact 13-19 spoken digits that fail the Luhn check when the conversation
    is about a card (recognition drops or swaps digits; a misheard card number is still a card number).
    `max_interruption_words`: a number read over several turns stays one number when the turns between
    hold at most this many words ("mhm", "okay, go on").
    """

    types: frozenset[EntityType] = frozenset(ENTITY_TYPES)
    public_addresses: tuple[str, ...] = ()
    card_without_luhn: bool = True
    max_interruption_words: int = 12
    customer_names_only: bool = True

    def enabled(self, entity_type: EntityType) -> bool:
        return entity_type in self.types


@dataclass(frozen=True, slots=True)
class Entity:
    """One detected entity in one turn (an entity split over turns gives one Entity per turn, same `group`).

    `start`/`end` are character offsets in the turn's text, `words` the indices of the turn's timed words
    it covers, `start_time`/`end_time` seconds (None without word timings). The value itself is not kept.
    `confidence` is the rule's own estimate: near 1 for checked patterns (Luhn, typed e-mail), lower for
    context-only guesses, which a person should review.
    """

    type: EntityType
    turn: int
    start: int
    end: int
    words: tuple[int, ...] = ()
    start_time: float | None = None
    end_time: float | None = None
    group: int = 0
    confidence: float = 1.0
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Placeholder:
    """Where a placeholder such as `[CARD]` sits in a redacted turn's text."""

    type: EntityType
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RedactedTurn:
    """A turn with entities replaced by placeholders; `words` keep times, one placeholder word per entity."""

    text: str
    speaker: str | None
    placeholders: tuple[Placeholder, ...] = ()
    words: tuple[Word, ...] | None = None


@dataclass(frozen=True, slots=True)
class RedactedTurns:
    """The redacted conversation plus the entity positions (types and places, never the values)."""

    turns: tuple[RedactedTurn, ...]
    entities: tuple[Entity, ...] = field(default_factory=tuple)

    def counts(self) -> dict[str, int]:
        """Number of entities (groups) per type."""
        seen: dict[str, set[int]] = {}
        for e in self.entities:
            seen.setdefault(e.type, set()).add(e.group)
        return {t: len(g) for t, g in sorted(seen.items())}
