"""Text normalization and turn selection (speaker and window) shared by the detectors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from scoring.conversation import Turn
from scoring.rubric.schema import SpeakerScope, Window

_APOSTROPHES = re.compile(r"['’`]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Lowercase, drop apostrophes (i'm -> im), other punctuation to spaces, collapse spaces.

    Makes written chat text and whisper transcripts (no punctuation, odd casing) comparable.
    """
    lowered = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", lowered).strip()


def select_turns(turns: Sequence[Turn], speaker: SpeakerScope, window: Window | None) -> list[int]:
    """Indices of the turns a detector looks at; windows count only the selected speaker's turns."""
    if speaker == "any":
        chosen = [i for i, t in enumerate(turns) if t.speaker != "system"]
    else:
        chosen = [i for i, t in enumerate(turns) if t.speaker == speaker]
    if window is None or not chosen:
        return chosen
    if window.first_turns is not None:
        chosen = chosen[: window.first_turns]
    if window.last_turns is not None:
        chosen = chosen[-window.last_turns :]
    if window.first_seconds is not None:
        limit = window.first_seconds
        starts = [t.start for t in turns]
        chosen = [i for i in chosen if _within(starts[i], limit, below=True)]
    if window.last_seconds is not None:
        ends = [t.end if t.end is not None else t.start for t in turns]
        known = [e for e in ends if e is not None]
        if known:
            cutoff = max(known) - window.last_seconds
            chosen = [i for i in chosen if _within(ends[i], cutoff, below=False)]
    return chosen


def _within(value: float | None, limit: float, *, below: bool) -> bool:
    # Turns without times (chats) stay in: a seconds window cannot exclude them.
    if value is None:
        return True
    return value <= limit if below else value >= limit
