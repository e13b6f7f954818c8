"""Audio spans of answers to a request for protected data, whatever the recogniser made of the answer.

Text redaction sees only what the recogniser wrote; a phone number heard as "time time time to 1 to" is not
found, but it is still in the recording. So the whole turn that answers "the phone number?", "the card
number?" and the like is blanked in the audio (the text keeps what was recognised).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from transcription.redaction.audio import AudioSpan
from transcription.redaction.types import EntityType, RedactionOptions, Turn

REQUESTS: dict[EntityType, re.Pattern[str]] = {
    "CARD": re.compile(r"\bcard\b"),
    "EXPIRY": re.compile(r"\bexpir\w*"),
    "CVV": re.compile(r"\b(security code|cvv|cvc|three[- ]digit|3[- ]digit)\b"),
    "SSN": re.compile(r"\b(social|ssn)\b"),
    "PHONE": re.compile(r"\b(phone|callback|call back|reach you|cell|mobile)\b"),
    "EMAIL": re.compile(r"\b(e-?mail)\b"),
    "DOB": re.compile(r"\b(birth|birthday|born|dob)\b"),
}


def answer_spans(
    turns: Sequence[Turn], options: RedactionOptions | None = None, *, padding: float = 0.5
) -> list[AudioSpan]:
    """For each turn asking about an enabled type, the next turn of another speaker (word-timed), padded."""
    options = options or RedactionOptions()
    spans: list[AudioSpan] = []
    for i, turn in enumerate(turns[:-1]):
        text = turn.text.lower()
        asked = tuple(t for t, pattern in REQUESTS.items() if options.enabled(t) and pattern.search(text))
        if not asked:
            continue
        answer = next((t for t in turns[i + 1 :] if t.speaker != turn.speaker), None)
        if answer is None or not answer.words:
            continue
        start, end = answer.words[0].start, answer.words[-1].end
        spans.append(AudioSpan(max(0.0, start - padding), end + padding, answer.speaker, asked))
    return spans
