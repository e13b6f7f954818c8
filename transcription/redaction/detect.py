"""Detection: rules over the tokens of a conversation, one detector per entity type."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from transcription.redaction import patterns
from transcription.redaction.tokens import FILLERS, Token, token_digits, tokenize, word_set
from transcription.redaction.types import Entity, EntityType, RedactionOptions, Turn

CARD_WORDS = word_set("card visa mastercard amex discover credit debit")
EXPIRY_WORDS = word_set("expiry expiration expires expire exp valid thru through")
CVV_WORDS = word_set("security cvv cvc csc cid code")
SSN_WORDS = word_set("social ssn")
PHONE_WORDS = word_set("phone number call callback reach cell mobile contact text telephone")
CALL_WORDS = PHONE_WORDS - {"number"}
# A number after these words is the city's own reference, not personal data.
REFERENCE_WORDS = word_set(
    "case request ticket citation reference confirmation account order permit invoice claim tracking receipt "
    "sr zip route"
)
BIRTH_WORDS = word_set("birth birthdate birthday born dob")
DOB_PHRASES = re.compile(r"\b(birth|birthdate|birthday|born|dob|d o b)\b")
# A turn between two parts of a number that asks for something else ends the number.
TOPIC_WORDS = (
    EXPIRY_WORDS | CVV_WORDS | SSN_WORDS | word_set("phone address email e-mail plate license birth name zip")
)
CARD_FIRST_DIGITS = "23456"  # Mastercard 2/5, Amex and Diners 3, Visa 4, Discover 6
NAME_QUESTION = re.compile(
    r"\b(your name|your full name|your last name|speaking with|who am i|name please|spell)\b"
)
NAME_TRIGGERS = (
    ("my", "name", "is"),
    ("name", "is"),
    ("name's",),
    ("this", "is"),
    ("i'm",),
    ("i", "am"),
    ("call", "me"),
)
TITLES = word_set("mr mrs ms miss mister missus dr")
# "play"/"played": how tiny.en often hears "plate"; a plate still needs its characters to follow.
PLATE_WORDS = word_set("plate plates license licence tag tags registration play played")
CONTEXT_TOKENS = 12  # words before a number that tell what it is
LOOKAHEAD_TURNS = 2  # an answer may come in the next turns after the question

Piece = tuple[int, int, int]  # turn, first token, last token (inclusive)


@dataclass(slots=True)
class _Found:
    type: EntityType
    pieces: list[Piece]
    confidence: float
    rule: str


@dataclass(slots=True)
class _Conversation:
    turns: Sequence[Turn]
    tokens: list[list[Token]]
    digits: list[list[str | None]]
    card_turns: list[int] = field(default_factory=list)

    def norms(self, turn: int, lo: int = 0, hi: int | None = None) -> list[str]:
        return [t.norm for t in self.tokens[turn][lo:hi]]

    def context(self, turn: int, first_token: int) -> set[str]:
        """Words just before a token, plus the previous turn of another speaker (the question)."""
        words = set(self.norms(turn, max(0, first_token - CONTEXT_TOKENS), first_token))
        if turn > 0 and self.turns[turn - 1].speaker != self.turns[turn].speaker:
            words.update(self.norms(turn - 1))
        return words

    def phrase_context(self, turn: int, first_token: int) -> str:
        own = " ".join(self.norms(turn, max(0, first_token - CONTEXT_TOKENS), first_token))
        prev = " ".join(self.norms(turn - 1)) if turn > 0 else ""
        return prev + " | " + own


def detect(turns: Sequence[Turn], options: RedactionOptions | None = None) -> list[Entity]:
    """Every personal or payment entity in the conversation, in order of turn and position."""
    options = options or RedactionOptions()
    tokens = [tokenize(t) for t in turns]
    conv = _Conversation(turns, tokens, [token_digits(ts) for ts in tokens])
    found: list[_Found] = []
    found += _numbers(conv, options)
    found += _emails(conv)
    found += _addresses(conv, options)
    found += _plates(conv)
    found += _dates(conv)
    found += _names(conv, options)
    found = [f for f in found if options.enabled(f.type)]
    return _to_entities(conv, _resolve(found))


# ----- digit runs: cards, expiry, security codes, SSNs, phone numbers ---------------------------------


@dataclass(slots=True)
class _Run:
    items: list[tuple[int, int, str]]  # (turn, token, digits); "" for a filler inside the number

    @property
    def value(self) -> str:
        return "".join(d for _, _, d in self.items)


def _segments(conv: _Conversation, turn: int) -> list[_Run]:
    segments: list[_Run] = []
    current: list[tuple[int, int, str]] = []
    for k, d in enumerate(conv.digits[turn]):
        if d is None:
            if current:
                segments.append(_Run(current))
            current = []
        else:
            current.append((turn, k, d))
    if current:
        segments.append(_Run(current))
    for seg in segments:
        while seg.items and seg.items[-1][2] == "":
            seg.items.pop()
    return [s for s in segments if s.items]


def _numbers(conv: _Conversation, options: RedactionOptions) -> list[_Found]:
    found: list[_Found] = []
    open_run: dict[str | None, tuple[_Run, int]] = {}  # speaker -> run that reached the end of its turn
    for turn, t in enumerate(conv.turns):
        segments = _segments(conv, turn)
        pending = open_run.pop(t.speaker, None)
        if not segments:
            if pending is not None:  # the speaker went on without digits: the number has ended
                found += _classify(conv, pending[0], options, strict=False)
            continue
        first = segments[0]
        if pending is not None and _continues(conv, pending[1], turn, first.items[0][1], options):
            joined = _Run(pending[0].items + first.items)
            result = _classify(conv, joined, options, strict=True)
            if result:
                found += result
                segments = segments[1:]
            else:
                found += _classify(conv, pending[0], options, strict=False)
        elif pending is not None:
            found += _classify(conv, pending[0], options, strict=False)
        for index, seg in enumerate(segments):
            last_token = seg.items[-1][1]
            tail = conv.norms(turn, last_token + 1)
            if index == len(segments) - 1 and len(tail) <= 2 and len(seg.value) < 19:
                open_run[t.speaker] = (seg, turn)  # may go on in this speaker's next turn
            else:
                found += _classify(conv, seg, options, strict=False)
    for run, _ in open_run.values():
        found += _classify(conv, run, options, strict=False)
    return found


def _continues(
    conv: _Conversation, last_turn: int, turn: int, first_token: int, options: RedactionOptions
) -> bool:
    """Whether digits at the start of `turn` go on with the number that ended `last_turn`: only fillers
    before them, and the turns between are short, hold no number and ask for nothing else."""
    between = range(last_turn + 1, turn)
    if len(between) > 3 or not all(norm in FILLERS for norm in conv.norms(turn, 0, first_token)):
        return False
    return all(
        len(conv.tokens[k]) <= options.max_interruption_words
        and not set(conv.norms(k)) & TOPIC_WORDS
        and not any(conv.digits[k])
        for k in between
    )


def _luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _pieces(items: list[tuple[int, int, str]]) -> list[Piece]:
    pieces: list[Piece] = []
    for turn, token, _ in items:
        if pieces and pieces[-1][0] == turn:
            pieces[-1] = (turn, pieces[-1][1], token)
        else:
            pieces.append((turn, token, token))
    return pieces


def _card_window(run: _Run) -> tuple[int, int] | None:
    """Item range [i, j) whose digits form a Luhn-valid card number; 16 digits preferred."""
    best: tuple[int, int, int] | None = None
    items = run.items
    for i in range(len(items)):
        if not items[i][2] or items[i][2][0] not in CARD_FIRST_DIGITS:
            continue
        value = ""
        for j in range(i, len(items)):
            value += items[j][2]
            if len(value) > 19:
                break
            whole = i == 0 and j == len(items) - 1
            if (whole or len(value) in (15, 16)) and len(value) >= 13 and items[j][2] and _luhn(value):
                rank = (len(value) == 16) * 100 + (len(value) == 15) * 50 + len(value)
                if best is None or rank > best[2]:
                    best = (i, j + 1, rank)
    return (best[0], best[1]) if best else None


def _classify(
    conv: _Conversation, run: _Run, options: RedactionOptions, *, strict: bool, glued: bool = False
) -> list[_Found]:
    """What a digit run is. `strict`: only accept a complete card, SSN or phone (for joined runs);
    `glued`: digits said right after a card, which need their own question to be something else."""
    turn, first_token = run.items[0][0], run.items[0][1]
    value = run.value
    ctx = conv.context(turn, first_token)
    window = _card_window(run) if len(value) >= 13 else None
    if window is not None:
        i, j = window
        conv.card_turns.append(turn)
        before, after = run.items[:i], run.items[j:]
        rest: list[_Found] = []
        conv.card_turns.extend(turn for turn, _, _ in run.items[i:j])
        if after:
            rest = _classify(conv, _Run(after), options, strict=False, glued=True)
            if not rest:  # digits said with the card and nothing else: part of the card
                j, after = len(run.items), []
        if before:
            i = 0  # digits just before a card number are its misheard start
        return [_Found("CARD", _pieces(run.items[i:j]), 0.98, "luhn"), *rest]
    if options.card_without_luhn and len(value) >= 12 and ctx & CARD_WORDS:  # repeats, extra digits
        conv.card_turns.append(turn)
        return [_Found("CARD", _pieces(run.items), 0.6, "card-context")]
    typed = [conv.tokens[t][k].norm for t, k, _ in run.items]
    if len(value) == 9 and (ctx & SSN_WORDS or any(re.fullmatch(r"\d{3}-\d{2}-\d{4}", x) for x in typed)):
        return [_Found("SSN", _pieces(run.items), 0.95, "ssn")]
    if 8 <= len(value) <= 10 and ctx & SSN_WORDS:
        return [_Found("SSN", _pieces(run.items), 0.7, "ssn-misheard")]  # a digit lost or added
    is_reference = _nearest(conv, turn, first_token, {"REF": REFERENCE_WORDS, "PHONE": CALL_WORDS}) == "REF"
    if not is_reference and (len(value) == 10 or (len(value) == 11 and value[0] == "1")):
        return [_Found("PHONE", _pieces(run.items), 0.9 if ctx & PHONE_WORDS else 0.75, "phone-10")]
    if strict:
        return []
    recent_card = any(0 <= turn - c <= 6 for c in conv.card_turns)
    asked = _nearest(conv, turn, first_token, {"EXPIRY": EXPIRY_WORDS, "CVV": CVV_WORDS})
    slashed = len(typed) == 1 and "/" in typed[0]
    if recent_card and (asked == "EXPIRY" or slashed) and len(value) in (3, 4, 6) and _month_first(value):
        return [_Found("EXPIRY", _pieces(run.items), 0.85, "expiry")]
    if recent_card and asked == "EXPIRY" and len(value) > 6:
        tail = _expiry_tail(run.items)
        if tail:
            return [
                *_classify(conv, _Run(run.items[:tail]), options, strict=False),
                _Found("EXPIRY", _pieces(run.items[tail:]), 0.7, "expiry-tail"),
            ]
    if recent_card and asked == "CVV" and len(value) in (3, 4):
        return [_Found("CVV", _pieces(run.items), 0.85, "cvv")]
    if len(value) == 4 and ctx & SSN_WORDS:
        return [_Found("SSN", _pieces(run.items), 0.8, "ssn-last-four")]
    birth = _nearest(conv, turn, first_token, {"REF": REFERENCE_WORDS, "DOB": BIRTH_WORDS}) == "DOB"
    if birth and 6 <= len(value) <= 8:
        return [_Found("DOB", _pieces(run.items), 0.8, "dob-digits")]
    if not is_reference and ctx & CALL_WORDS and 7 <= len(value) <= 12:
        return [_Found("PHONE", _pieces(run.items), 0.75, "phone-context")]  # incl. digits lost or added
    near_card = not glued and any(0 <= turn - c <= 4 for c in conv.card_turns)
    if near_card and len(value) == 4 and 2024 <= int(value) <= 2039:
        return [_Found("EXPIRY", _pieces(run.items), 0.6, "expiry-year")]  # "expiration" misheard
    if near_card and len(value) == 3:
        return [_Found("CVV", _pieces(run.items), 0.6, "cvv-after-card")]  # "security code" misheard
    fillers = [k for k, (_, _, d) in enumerate(run.items) if d == ""]
    if fillers:  # "12/27 and 419": two numbers, not one
        out: list[_Found] = []
        cut = 0
        for k in [*fillers, len(run.items)]:
            if run.items[cut:k]:
                out += _classify(conv, _Run(run.items[cut:k]), options, strict=False)
            cut = k + 1
        return out
    return []


def _nearest(
    conv: _Conversation, turn: int, first_token: int, groups: dict[str, frozenset[str]]
) -> str | None:
    """Which group's word comes closest before the token (this turn first, then the previous turn)."""
    before = conv.norms(turn, max(0, first_token - CONTEXT_TOKENS), first_token)
    previous = (
        conv.norms(turn - 1) if turn > 0 and conv.turns[turn - 1].speaker != conv.turns[turn].speaker else []
    )
    for words in (before, previous):
        for word in reversed(words):
            for name, vocabulary in groups.items():
                if word in vocabulary:
                    return name
    return None


def _expiry_tail(items: list[tuple[int, int, str]]) -> int | None:
    """Index where the run's last digits read as MM YYYY or MM YY ("oh four twenty twenty seven")."""
    for size in (6, 4):
        value = ""
        for k in range(len(items) - 1, -1, -1):
            value = items[k][2] + value
            if len(value) == size and re.fullmatch(r"(0[1-9]|1[0-2])(20)?\d\d", value) and items[k][2]:
                return k
            if len(value) >= size:
                break
    return None


def _month_first(value: str) -> bool:
    month = int(value[:2]) if len(value) in (4, 6) else int(value[:1])
    return 1 <= month <= 12


# ----- other patterns ------------------------------------------------------------------------------


def _emails(conv: _Conversation) -> list[_Found]:
    found = [
        _Found("EMAIL", [(turn, a, b)], conf, "email")
        for turn, tokens in enumerate(conv.tokens)
        for (a, b), conf in patterns.emails(tokens)
    ]
    for turn, tokens in enumerate(conv.tokens):
        for a, b in patterns.dotted_emails(tokens):
            if {"email", "e-mail", "mail", "address"} & conv.context(turn, a):
                found.append(_Found("EMAIL", [(turn, a, b)], 0.7, "email-dotted"))
    return found


def _addresses(conv: _Conversation, options: RedactionOptions) -> list[_Found]:
    public = patterns.public_address_keys(options.public_addresses)
    return [
        _Found("ADDRESS", [(turn, a, b)], 0.9, "street")
        for turn, tokens in enumerate(conv.tokens)
        for a, b in patterns.addresses(tokens, conv.digits[turn], public)
    ]


def _plates(conv: _Conversation) -> list[_Found]:
    found: list[_Found] = []
    values: set[str] = set()
    for turn, tokens in enumerate(conv.tokens):
        for k, t in enumerate(tokens):
            if t.norm not in PLATE_WORDS:
                continue
            for later in range(turn, min(len(conv.tokens), turn + LOOKAHEAD_TURNS + 1)):
                lo = k + 1 if later == turn else 0
                runs = patterns.plate_chars(
                    conv.tokens[later], conv.digits[later], lo, len(conv.tokens[later])
                )
                plate = next(((span, v) for span, v in runs if patterns.is_plate_value(v)), None)
                if plate is not None:
                    (a, b), value = plate
                    found.append(_Found("PLATE", [(later, a, b)], 0.85, "plate"))
                    values.add(value)
                    break
    # The same plate read back elsewhere, without the word "plate".
    for turn, tokens in enumerate(conv.tokens):
        for (a, b), value in patterns.plate_chars(tokens, conv.digits[turn], 0, len(tokens)):
            if value in values:
                found.append(_Found("PLATE", [(turn, a, b)], 0.85, "plate-repeat"))
    return found


def _dates(conv: _Conversation) -> list[_Found]:
    """Dates of birth after a birth-date question; expiry dates after a card number."""
    found: list[_Found] = []
    for turn, tokens in enumerate(conv.tokens):
        for (a, b), has_day in patterns.dates(tokens, conv.digits[turn], 0, len(tokens)):
            phrase = conv.phrase_context(turn, a)
            ctx = conv.context(turn, a)
            if has_day and DOB_PHRASES.search(phrase):
                found.append(_Found("DOB", [(turn, a, b)], 0.9, "dob"))
            elif not has_day and any(0 <= turn - c <= 6 for c in conv.card_turns):
                sure = bool(ctx & EXPIRY_WORDS)
                found.append(_Found("EXPIRY", [(turn, a, b)], 0.85 if sure else 0.6, "expiry-date"))
    return found


def _names(conv: _Conversation, options: RedactionOptions) -> list[_Found]:
    found: list[_Found] = []
    for turn, t in enumerate(conv.turns):
        if options.customer_names_only and t.speaker not in (None, "customer"):
            continue
        tokens = conv.tokens[turn]
        norms = [x.norm for x in tokens]
        starts: list[tuple[int, bool]] = []  # (first token after the trigger, strong trigger)
        for k in range(len(tokens)):
            for trigger in NAME_TRIGGERS:
                n = len(trigger)
                if tuple(norms[k : k + n]) == trigger:
                    starts.append((k + n, "name" in " ".join(trigger)))
        asked = (
            turn > 0
            and conv.turns[turn - 1].speaker != t.speaker
            and NAME_QUESTION.search(" ".join(conv.norms(turn - 1)))
        )
        if asked:
            k = 0
            while k < min(len(tokens), 6) and (norms[k] in patterns.STOP or norms[k] in FILLERS):
                k += 1
            starts.append((k, False))
        for start, strong in starts:
            span = _name_words(tokens, start, strong)
            if span is not None:
                found.append(_Found("NAME", [(turn, span[0], span[1])], 0.8 if strong else 0.65, "name"))
        if asked or any(strong for _, strong in starts):
            letters = [k for k, x in enumerate(tokens) if len(x.norm) == 1 and x.norm.isalpha()]
            if len(letters) >= 3 and letters[-1] - letters[0] == len(letters) - 1:
                found.append(_Found("NAME", [(turn, letters[0], letters[-1])], 0.7, "name-spelled"))
    for turn, tokens in enumerate(conv.tokens):
        for k, x in enumerate(tokens[:-1]):
            if x.norm.rstrip(".") in TITLES:
                span = _name_words(tokens, k + 1, False)
                if span is not None:
                    found.append(_Found("NAME", [(turn, span[0], span[1])], 0.8, "title"))
    # Later mentions of a customer's name ("thank you, Rosa").
    names = {
        conv.tokens[turn][k].norm
        for f in found
        for turn, a, b in f.pieces
        for k in range(a, b + 1)
        if len(conv.tokens[turn][k].norm) >= 3
    }
    for turn, tokens in enumerate(conv.tokens):
        for k, x in enumerate(tokens):
            if x.norm in names and x.text[:1].isupper():
                found.append(_Found("NAME", [(turn, k, k)], 0.6, "name-repeat"))
    return found


def _name_words(tokens: list[Token], start: int, strong: bool) -> tuple[int, int] | None:
    end = start
    while end < len(tokens) and end - start < 3:
        x = tokens[end]
        word = x.text.replace("'", "").replace("-", "")
        if not word.isalpha() or x.norm in patterns.STOP or x.norm in FILLERS:
            break
        if not (x.text[:1].isupper() or strong):
            break
        end += 1
        if x.text != x.text.rstrip(",.;!?"):
            break
    return (start, end - 1) if end > start else None


# ----- overlaps and results ------------------------------------------------------------------------


def _resolve(found: list[_Found]) -> list[_Found]:
    """Keep the surest, longest finding where two overlap."""
    taken: dict[int, list[tuple[int, int]]] = {}
    kept: list[_Found] = []
    order = sorted(found, key=lambda f: (-f.confidence, -sum(b - a + 1 for _, a, b in f.pieces)))
    for f in order:
        if any(a <= y and x <= b for turn, a, b in f.pieces for x, y in taken.get(turn, [])):
            continue
        kept.append(f)
        for turn, a, b in f.pieces:
            taken.setdefault(turn, []).append((a, b))
    return kept


def _to_entities(conv: _Conversation, found: list[_Found]) -> list[Entity]:
    entities: list[Entity] = []
    ordered = sorted(found, key=lambda f: (f.pieces[0][0], f.pieces[0][1]))
    for group, f in enumerate(ordered, start=1):
        for turn, a, b in f.pieces:
            tokens = conv.tokens[turn]
            indices = {tokens[k].word for k in range(a, b + 1)}
            words = tuple(sorted(w for w in indices if w is not None))
            timed = conv.turns[turn].words
            start_time = end_time = None
            if timed and words:
                start_time, end_time = timed[words[0]].start, timed[words[-1]].end
                words = tuple(range(words[0], words[-1] + 1))
            entities.append(
                Entity(
                    type=f.type,
                    turn=turn,
                    start=tokens[a].start,
                    end=tokens[b].end,
                    words=words,
                    start_time=start_time,
                    end_time=end_time,
                    group=group,
                    confidence=f.confidence,
                    rule=f.rule,
                )
            )
    entities.sort(key=lambda e: (e.turn, e.start))
    return entities
