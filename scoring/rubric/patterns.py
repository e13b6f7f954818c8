"""Rubric regular expressions: checked for runaway shapes when a rubric is loaded, run with a time limit.

A pattern that repeats something itself repeated (`(a+)+`, `(\\w+\\s?)*`) can backtrack exponentially on a
turn that almost matches, so `rubric validate` refuses it. Every search also runs through the `regex`
package with a timeout, so a runaway shape the check does not know fails the job instead of hanging it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import regex

# Seconds one search of one turn may take (qa.config.Settings.regex_timeout passes its own).
DEFAULT_TIMEOUT = 1.0

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class PatternTimeout(Exception):
    """A rubric pattern took longer than its time limit on one text."""


def check_pattern(pattern: str) -> None:
    """Raise ValueError for a pattern that does not compile or nests one unbounded repeat in another."""
    try:
        regex.compile(pattern)
        parsed = re._parser.parse(pattern)  # type: ignore[attr-defined]
    except (regex.error, re.error) as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    if _nested_repeat(list(parsed), inside_repeat=False):
        raise ValueError(
            f"regular expression '{pattern}' repeats a group that itself repeats (like (a+)+): it can take "
            "exponential time on text that almost matches; write it without the nested repeat"
        )


def _nested_repeat(items: list[tuple[Any, Any]], *, inside_repeat: bool) -> bool:
    """Whether a repeat of variable count sits inside a repeat that may run more than once."""
    for op, arg in items:
        name = str(op)
        if name in _REPEATS:
            low, high, body = arg
            if inside_repeat and low != high:
                return True
            inner = [list(body)]
            inside = inside_repeat or high > 1
        else:
            inside = inside_repeat
            if name == "SUBPATTERN":
                inner = [list(arg[-1])]
            elif name == "BRANCH":
                inner = [list(branch) for branch in arg[1]]
            elif name in {"ASSERT", "ASSERT_NOT"}:
                inner = [list(arg[1])]
            else:
                continue
        if any(_nested_repeat(part, inside_repeat=inside) for part in inner):
            return True
    return False


@lru_cache(maxsize=512)
def compiled(pattern: str, ignore_case: bool) -> Any:
    """The pattern compiled once per process."""
    return regex.compile(pattern, regex.IGNORECASE if ignore_case else 0)


def search(pattern: str, text: str, *, ignore_case: bool, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """The first match of `pattern` in `text` (its text), or None; PatternTimeout past `timeout` seconds."""
    try:
        found = compiled(pattern, ignore_case).search(text, timeout=timeout)
    except TimeoutError:
        raise PatternTimeout(
            f"rubric pattern '{pattern}' took longer than {timeout:g} s on a turn of {len(text)} characters"
        ) from None
    return None if found is None else str(found.group(0))
