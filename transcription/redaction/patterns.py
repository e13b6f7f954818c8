"""Word-level patterns for entities that are not plain digit runs: e-mail, address, plate, name, dates."""

from __future__ import annotations

import re

from transcription.redaction.tokens import FILLERS, TENS, UNITS, Token, ordinal_value, word_set

Span = tuple[int, int]  # first and last token index, inclusive

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
STREET_SUFFIXES = word_set(
    "street st avenue ave road rd drive dr lane ln way court ct boulevard blvd place pl terrace ter "
    "circle cir parkway pkwy highway hwy alley loop trail square sq crescent"
)
UNIT_WORDS = word_set("unit apt apartment suite ste #")
STOP = word_set(
    "a an the and or of on in at to for from with by is was are be been my your our his her their "
    "its it it's this that these those there here i i'm we you me us him them not no yes yeah sure okay ok "
    "hi hello hey "
    "um uh so well just please thanks thank sorry good morning afternoon evening calling speaking about "
    "near corner between block side front back across outside inside behind by way also still really very "
    "going trying looking having glad happy public works city department office call number name"
)
TLDS = word_set("com org net gov edu us io co info biz me uk ca")
CONNECTORS = {"dot": ".", "period": ".", "point": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
NATO = {
    "alpha": "a", "alfa": "a", "bravo": "b", "charlie": "c", "delta": "d", "echo": "e", "foxtrot": "f",
    "golf": "g", "hotel": "h", "india": "i", "juliet": "j", "juliett": "j", "kilo": "k", "lima": "l",
    "mike": "m", "november": "n", "oscar": "o", "papa": "p", "quebec": "q", "romeo": "r", "sierra": "s",
    "tango": "t", "uniform": "u", "victor": "v", "whiskey": "w", "xray": "x", "x-ray": "x", "yankee": "y",
    "zulu": "z",
}  # fmt: skip
# How a recogniser writes a spoken letter; used only next to other plate characters.
LETTER_WORDS = {
    "are": "r", "you": "u", "why": "y", "see": "c", "sea": "c", "bee": "b", "be": "b", "tea": "t",
    "tee": "t", "eye": "i", "jay": "j", "kay": "k", "el": "l", "elle": "l", "em": "m", "en": "n",
    "pee": "p", "pea": "p", "queue": "q", "cue": "q", "es": "s", "ess": "s", "vee": "v", "ex": "x",
    "zee": "z", "zed": "z", "dee": "d", "gee": "g", "aitch": "h", "ay": "a", "eh": "a", "oh": "o",
}  # fmt: skip
_EMAIL_TYPED = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
_DOMAIN_TYPED = re.compile(r"^[\w-]+(\.[\w-]+)*\.([a-z]{2,4})$")
_DATE_TYPED = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-](\d{2}|\d{4})$")
_MONTH_YEAR_TYPED = re.compile(r"^(0?[1-9]|1[0-2])[/-](\d{2}|\d{4})$")
_PLATE_TYPED = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]{2,4}-?[a-z0-9]{2,4}$")
_PLATE_PIECE = re.compile(r"^(\d[A-Z]{1,3}|[A-Z]{1,3}\d|[A-Z]{2,3})$")  # "7K", "KLM" as recognised


def emails(tokens: list[Token]) -> list[tuple[Span, float]]:
    """Typed addresses and spoken ones ("john dot smith at gmail dot com")."""
    found: list[tuple[Span, float]] = []
    for i, t in enumerate(tokens):
        if _EMAIL_TYPED.match(t.norm):
            found.append(((i, i), 0.99))
    for i, t in enumerate(tokens):
        if t.norm not in ("at", "@") or i == 0:
            continue
        last = _domain_end(tokens, i + 1)
        if last is None:
            continue
        first = _local_start(tokens, i - 1)
        if first is not None:
            found.append(((first, last), 0.9))
    return found


def dotted_emails(tokens: list[Token]) -> list[Span]:
    """How a recogniser writes a spoken address without "at": "rosa .delgado .gmail .com"."""
    found: list[Span] = []
    for i, t in enumerate(tokens):
        if t.lead.startswith(".") and t.norm in TLDS and i >= 2 and tokens[i - 1].lead.startswith("."):
            first = i - 1
            while first > 0 and tokens[first].lead.startswith(".") and tokens[first - 1].norm not in STOP:
                first -= 1
            found.append((first, i))
    return found


def _domain_end(tokens: list[Token], j: int) -> int | None:
    if j >= len(tokens):
        return None
    m = _DOMAIN_TYPED.match(tokens[j].norm)
    if m and "." in tokens[j].norm:
        return j if m.group(2) in TLDS else None
    last = None
    k = j
    if tokens[j].norm in STOP:
        return None
    while k + 2 < len(tokens) and tokens[k + 1].norm in ("dot", "period", "point"):
        k += 2
        if tokens[k].norm in TLDS:
            last = k
    return last


def _local_start(tokens: list[Token], j: int) -> int | None:
    if j < 0 or tokens[j].norm in STOP or tokens[j].norm in CONNECTORS:
        return None
    first = j
    while first >= 2 and tokens[first - 1].norm in CONNECTORS and tokens[first - 2].norm not in STOP:
        first -= 2
    while first >= 1 and len(tokens[first - 1].norm) == 1 and tokens[first - 1].norm.isalnum():
        first -= 1  # spelled letters
    return first


def addresses(tokens: list[Token], digits: list[str | None], public: set[tuple[str, str]]) -> list[Span]:
    """House number, one to three street words and a suffix ("1420 Maple Avenue", "twenty two oh seven
    Harbor View Drive"), with an optional unit; intersections without a number are not addresses."""
    found: list[Span] = []
    for i, t in enumerate(tokens):
        if t.norm not in STREET_SUFFIXES or i < 2:
            continue
        j = i - 1
        names = 0
        while j >= 0 and names < 3 and _street_word(tokens[j], digits[j]):
            j -= 1
            names += 1
        if names == 0 or j < 0 or not digits[j]:
            continue
        number_end = j
        while (
            j - 1 >= 0
            and digits[j - 1] is not None
            and len("".join(d or "" for d in digits[j - 1 : number_end + 1])) <= 6
        ):
            j -= 1
        number = "".join(d or "" for d in digits[j : number_end + 1])
        if not 1 <= len(number) <= 6:
            continue
        if (number, tokens[number_end + 1].norm) in public:
            continue
        last = i
        if i + 2 < len(tokens) and tokens[i + 1].norm in UNIT_WORDS:
            last = i + 2
        found.append((j, last))
    return found


def _street_word(t: Token, digit: str | None) -> bool:
    if ordinal_value(t.norm) is not None:
        return True
    return (
        digit is None
        and t.norm not in STOP
        and t.norm not in STREET_SUFFIXES  # "2650 Franklin Avenue, westbound lane" ends at Avenue
        and t.norm.replace("'", "").isalpha()
    )


def public_address_keys(addresses_text: tuple[str, ...]) -> set[tuple[str, str]]:
    """(house number, first street word) of each configured public address."""
    keys = set()
    for text in addresses_text:
        parts = text.lower().replace(",", " ").split()
        if len(parts) >= 2 and parts[0].isdigit():
            keys.add((parts[0], parts[1]))
    return keys


def plate_chars(tokens: list[Token], digits: list[str | None], lo: int, hi: int) -> list[tuple[Span, str]]:
    """Runs of spoken or typed plate characters in tokens[lo:hi], with the characters read."""
    chars: list[str | None] = []
    sure: list[bool] = []
    for k in range(lo, hi):
        t = tokens[k]
        if _PLATE_TYPED.match(t.norm) or _PLATE_PIECE.match(t.text):
            chars.append(t.norm.replace("-", ""))
            sure.append(True)
        elif len(t.norm) == 1 and t.norm.isalpha():
            chars.append(t.norm)
            sure.append(t.norm not in ("a", "i") or (t.text.isupper() and t.text != "I"))
        elif digits[k] and len(digits[k] or "") <= 3:
            chars.append(digits[k])
            sure.append(True)
        elif t.norm in NATO:
            chars.append(NATO[t.norm])
            sure.append(True)
        elif t.norm in LETTER_WORDS:
            chars.append(LETTER_WORDS[t.norm])
            sure.append(False)
        elif digits[k] == "" or t.norm in FILLERS:
            chars.append("")
            sure.append(False)
        else:
            chars.append(None)
            sure.append(False)
    # "R as in Robert" (or misheard "R in Robert"): the explanation belongs to the plate.
    for k in range(len(chars) - 2):
        if not chars[k]:
            continue
        if tokens[lo + k + 1].norm == "as" and tokens[lo + k + 2].norm == "in" and k + 3 < len(chars):
            chars[k + 1] = chars[k + 2] = chars[k + 3] = ""
        elif tokens[lo + k + 1].norm == "in" and chars[k + 2] is None:
            chars[k + 1] = chars[k + 2] = ""
    runs: list[tuple[Span, str]] = []
    k = 0
    while k < len(chars):
        if chars[k] is None or not sure[k]:
            k += 1
            continue
        start = k
        while start > 0 and chars[start - 1] is not None and chars[start - 1] != "":
            start -= 1
        end = k
        while end + 1 < len(chars) and chars[end + 1] is not None:
            end += 1
        while end > start and chars[end] == "":
            end -= 1
        value = "".join(c or "" for c in chars[start : end + 1])
        runs.append(((lo + start, lo + end), value))
        k = end + 1
    return runs


def is_plate_value(value: str) -> bool:
    return 4 <= len(value) <= 8 and any(c.isalpha() for c in value)


def dates(tokens: list[Token], digits: list[str | None], lo: int, hi: int) -> list[tuple[Span, bool]]:
    """Dates in tokens[lo:hi]: (span, has_day). Month-name dates with a year, "the 4th of March 1985",
    typed 03/14/1985 or 04/27."""
    found: list[tuple[Span, bool]] = []
    k = lo
    while k < hi:
        t = tokens[k]
        if _DATE_TYPED.match(t.norm):
            found.append(((k, k), True))
        elif _MONTH_YEAR_TYPED.match(t.norm):
            found.append(((k, k), False))
        elif t.norm in MONTHS:
            end, has_day = _after_month(tokens, digits, k + 1, hi)
            if end is not None:
                found.append(((k, end), has_day))
                k = end
        else:
            day_end = _day(tokens, digits, k, hi)
            if day_end is not None and day_end + 2 < hi:
                m = day_end + 1 + (tokens[day_end + 1].norm == "of")
                if m < hi and tokens[m].norm in MONTHS:
                    year_end = _year(digits, m + 1, hi)
                    if year_end is not None:
                        start = k - 1 if k > lo and tokens[k - 1].norm == "the" else k
                        found.append(((start, year_end), True))
                        k = year_end
        k += 1
    return found


def _after_month(tokens: list[Token], digits: list[str | None], j: int, hi: int) -> tuple[int | None, bool]:
    day_end = _day(tokens, digits, j, hi)
    if day_end is not None:
        year_end = _year(digits, day_end + 1, hi)
        return (year_end if year_end is not None else day_end), True
    year_end = _year(digits, j, hi)
    return year_end, False


def _day(tokens: list[Token], digits: list[str | None], j: int, hi: int) -> int | None:
    if j >= hi:
        return None
    if j + 1 < hi and tokens[j].norm in TENS and ordinal_value(tokens[j + 1].norm) is not None:
        return j + 1  # "twenty first"
    value = ordinal_value(tokens[j].norm)
    spoken_or_typed = tokens[j].norm in UNITS or tokens[j].norm.isdigit() or "-" in tokens[j].norm
    if value is None and digits[j] and len(digits[j] or "") <= 2 and spoken_or_typed:
        value = int(digits[j] or "0")
    return j if value is not None and 1 <= value <= 31 else None


def _year(digits: list[str | None], j: int, hi: int) -> int | None:
    value = ""
    end = None
    k = j
    while k < hi and digits[k] is not None and len(value) < 4:
        value += digits[k] or ""
        if len(value) in (2, 4):
            end = k
        k += 1
    return end if value and len(value) in (2, 4) and end is not None else None
