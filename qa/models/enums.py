"""The closed vocabularies stored as plain strings: defined once, compared and validated everywhere else.

StrEnum members equal their value, so stored rows keep the same strings and no migration is needed.
"""

from __future__ import annotations

import enum


class Channel(enum.StrEnum):
    CALL = "call"
    CHAT = "chat"
    EMAIL = "email"
    FORM = "form"


class Speaker(enum.StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"
    SYSTEM = "system"


class ReviewStatus(enum.StrEnum):
    PENDING = "pending"
    REVIEWED = "reviewed"
    FINAL = "final"


class Answer(enum.StrEnum):
    """A rubric question's result, by the machine or a reviewer."""

    PASS = "pass"
    FAIL = "fail"
    NA = "na"


# The evaluator's answer to a criterion only a person can answer (not an Answer: nobody chose it yet).
PENDING_ANSWER = "pending"
# Answers that count towards a score ("na" does not).
SCORED_ANSWERS = (Answer.PASS, Answer.FAIL)
# Review states a person has looked at.
REVIEWED_STATUSES = (ReviewStatus.REVIEWED, ReviewStatus.FINAL)


def sql_in_list(values: type[enum.StrEnum]) -> str:
    """`'a', 'b'` for a CHECK constraint over every value of the enum."""
    return ", ".join(f"'{member.value}'" for member in values)
