"""How far a rubric answer can trust the recognised words it rests on.

A pass rests on its evidence: doubtful when the matched words include words the recogniser was unsure of.
A fail (or a clean prohibited-language check) rests on absence: doubtful when the turns searched hold such
words, because the missing phrase may be hiding in them.
Typed text has no unclear words and is never doubtful.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scoring.conversation import Turn, UnclearWord
from scoring.rubric.text import normalize

__all__ = ["SpeechDoubt", "evidence_doubt", "merge_doubts", "window_doubt"]


@dataclass(frozen=True, slots=True)
class SpeechDoubt:
    """The unclear words an answer rests on; probability is the lowest of theirs (the weakest link)."""

    words: tuple[UnclearWord, ...]

    @property
    def probability(self) -> float:
        return min(w.probability for w in self.words)

    def note(self) -> str:
        shown = ", ".join(f"'{w.text}' ({w.probability:.0%})" for w in self.words[:5])
        more = f" and {len(self.words) - 5} more" if len(self.words) > 5 else ""
        return f"rests on unclear speech: {shown}{more}"


def _make(words: Iterable[UnclearWord]) -> SpeechDoubt | None:
    unique = tuple(dict.fromkeys(words))
    return SpeechDoubt(unique) if unique else None


def evidence_doubt(turn: Turn, matched: str) -> SpeechDoubt | None:
    """Unclear words of `turn` that occur in the matched text (compared as normalised whole words)."""
    if not turn.unclear_words:
        return None
    tokens = set(normalize(matched).split())
    return _make(w for w in turn.unclear_words if tokens.intersection(normalize(w.text).split()))


def window_doubt(turns: Iterable[Turn]) -> SpeechDoubt | None:
    """Every unclear word in the turns a detector searched without finding what it looked for."""
    return _make(w for t in turns for w in t.unclear_words)


def merge_doubts(doubts: Iterable[SpeechDoubt | None]) -> SpeechDoubt | None:
    """One doubt holding the words of all of them (None when none is doubtful)."""
    return _make(w for d in doubts if d is not None for w in d.words)
