"""Tokens with character spans and word indices, and robust reading of spoken digits and numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from transcription.redaction.types import Turn


def word_set(text: str) -> frozenset[str]:
    """The space-separated words of `text` (vocabulary lists stay readable)."""
    return frozenset(text.split())


_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = "\"'“”‘’.,;:!?()[]{}<>…"

UNITS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "niner": "9", "nought": "0",
}  # fmt: skip
# Recognition errors on the telephone: read as digits only next to another digit.
AMBIGUOUS_UNITS = {
    "oh": "0", "o": "0", "for": "4", "fore": "4", "to": "2", "too": "2",
    "won": "1", "ate": "8", "tree": "3", "free": "3", "sex": "6", "fine": "5", "nein": "9",
}  # fmt: skip
TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
    "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fourty": "4", "fifty": "5",
    "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9",
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30,
}  # fmt: skip
REPEATERS = {"double": 2, "triple": 3}
FILLERS = word_set(
    "um uh er erm ah eh hm hmm mm mhm uh-huh and dash hyphen space sorry okay ok then like yeah"
)
_DIGITS_TYPED = re.compile(r"^[+(]?\d[\d\-()./]*$")
_ORDINAL_TYPED = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")


@dataclass(frozen=True, slots=True)
class Token:
    """A whitespace-separated piece of a turn: `norm` is lower-case without edge punctuation."""

    text: str
    norm: str
    start: int
    end: int
    word: int | None
    lead: str = ""  # punctuation stripped from the front (".com" read as a domain piece)


def tokenize(turn: Turn) -> list[Token]:
    """Tokens of the turn's text, each with its char span (edge punctuation excluded) and timed word."""
    word_spans = _word_spans(turn)
    tokens: list[Token] = []
    for m in _TOKEN.finditer(turn.text):
        raw = m.group()
        left = len(raw) - len(raw.lstrip(_EDGE_PUNCT))
        core = raw.strip(_EDGE_PUNCT)
        if re.match(r"^\(\d+\)", raw):  # keep "(555) 123-4567" whole
            left, core = 0, raw.rstrip(_EDGE_PUNCT.replace(")", ""))
        if not core:
            continue
        start = m.start() + left
        end = start + len(core)
        word = None
        for index, (ws, we) in enumerate(word_spans):
            if ws < end and start < we:
                word = index
                break
        tokens.append(Token(core, core.lower(), start, end, word, raw[:left]))
    return tokens


def _word_spans(turn: Turn) -> list[tuple[int, int]]:
    """Char span of each timed word in the text (found in order); (-1, -1) for a word not found."""
    if not turn.words:
        return []
    spans: list[tuple[int, int]] = []
    lowered = turn.text.lower()
    cursor = 0
    for word in turn.words:
        needle = word.text.strip().lower()
        at = lowered.find(needle, cursor) if needle else -1
        if at < 0:
            spans.append((-1, -1))
            continue
        spans.append((at, at + len(needle)))
        cursor = at + len(needle)
    return spans


def _unit(norm: str) -> str | None:
    return UNITS.get(norm)


def token_digits(tokens: list[Token]) -> list[str | None]:
    """The digits each token says ("" for a filler inside a number, None for any other word).

    Handles typed digits ("4111-1111"), digit words, teens and tens ("twenty twenty-six" -> 2026,
    "fourteen twenty" -> 1420), "double five", "hundred"/"thousand", and recognition errors ("for",
    "to", "oh") when they stand next to another digit.
    """
    parts = [_split_hyphen(t.norm) for t in tokens]
    out: list[str | None] = [None] * len(tokens)
    for i, words in enumerate(parts):
        out[i] = _read_number_words(words, parts, i)
    # Ambiguous words count only next to a real digit (skipping fillers and other ambiguous words).
    for i, t in enumerate(tokens):
        if (
            t.norm in AMBIGUOUS_UNITS
            and out[i] is None
            and (_has_digit_neighbour(out, tokens, i) or _in_ambiguous_chain(tokens, i))
        ):
            out[i] = AMBIGUOUS_UNITS[t.norm]
    for i, t in enumerate(tokens):
        if t.norm in REPEATERS and i + 1 < len(tokens) and out[i + 1] and len(out[i + 1] or "") == 1:
            out[i] = (out[i + 1] or "") * (REPEATERS[t.norm] - 1)
    # Fillers between digits stay inside the number.
    for i, t in enumerate(tokens):
        if out[i] is None and t.norm in FILLERS and _digit_before(out, i) and _digit_after(out, i):
            out[i] = ""
    return out


def _split_hyphen(norm: str) -> list[str]:
    if _DIGITS_TYPED.match(norm):
        return [norm]
    return [p for p in norm.split("-") if p]


def _read_number_words(words: list[str], parts: list[list[str]], i: int) -> str | None:
    if len(words) == 1 and _DIGITS_TYPED.match(words[0]):
        digits = re.sub(r"\D", "", words[0])
        return digits or None
    next_first = parts[i + 1][0] if i + 1 < len(parts) and parts[i + 1] else ""
    result = ""
    for k, w in enumerate(words):
        following = words[k + 1] if k + 1 < len(words) else next_first
        if w in UNITS:
            result += UNITS[w]
        elif w in TEENS:
            result += TEENS[w]
        elif w in TENS:
            result += TENS[w] if following in UNITS and following not in ("zero", "nought") else TENS[w] + "0"
        elif w in ("hundred", "thousand") and (k > 0 or (i > 0 and _is_number_word(parts[i - 1][-1:]))):
            zeros = 2 if w == "hundred" else 3
            if following in TENS or following in TEENS:
                zeros -= 2
            elif following in UNITS:
                zeros -= 1
            result += "0" * max(zeros, 0)
        else:
            return None
    return result or None


def _is_number_word(words: list[str]) -> bool:
    return bool(words) and (words[0] in UNITS or words[0] in TEENS or words[0] in TENS)


def _has_digit_neighbour(out: list[str | None], tokens: list[Token], i: int) -> bool:
    """A spoken digit on either side, or typed digits on both ("5 to 1"); "for 415 Oak Road" is no number."""
    sides: list[str] = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(tokens):
            if out[j]:
                sides.append("typed" if any(c.isdigit() for c in tokens[j].norm) else "spoken")
                break
            if tokens[j].norm in FILLERS or tokens[j].norm in AMBIGUOUS_UNITS or tokens[j].norm in REPEATERS:
                j += step
                continue
            break
    return "spoken" in sides or len(sides) == 2


def _in_ambiguous_chain(tokens: list[Token], i: int, length: int = 3) -> bool:
    """Three or more digit-like words in a row ("fine, fine, fine") are a number read aloud."""
    lo = i
    while lo > 0 and tokens[lo - 1].norm in AMBIGUOUS_UNITS:
        lo -= 1
    hi = i
    while hi + 1 < len(tokens) and tokens[hi + 1].norm in AMBIGUOUS_UNITS:
        hi += 1
    return hi - lo + 1 >= length


def _digit_before(out: list[str | None], i: int) -> bool:
    return i > 0 and bool(out[i - 1])


def _digit_after(out: list[str | None], i: int) -> bool:
    j = i + 1
    while j < len(out) and out[j] == "":
        j += 1
    return j < len(out) and bool(out[j])


def ordinal_value(norm: str) -> int | None:
    """1..31 for "fourth", "4th", "twenty-first"; None otherwise."""
    m = _ORDINAL_TYPED.match(norm)
    if m:
        return int(m.group(1))
    if norm in ORDINALS:
        return ORDINALS[norm]
    parts = norm.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ORDINALS and ORDINALS[parts[1]] < 10:
        return int(TENS[parts[0]]) * 10 + ORDINALS[parts[1]]
    return None
