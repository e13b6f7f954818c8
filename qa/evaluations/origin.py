"""Where an answer came from: the machine, the machine unsure, or a person (who, when)."""

from __future__ import annotations

import enum

from qa.models.enums import PENDING_ANSWER

# A machine answer below this confidence is shown as unsure and is worth a person's look.
LOW_CONFIDENCE_BELOW = 0.6


class AnswerOrigin(enum.StrEnum):
    MACHINE = "machine"
    MACHINE_LOW_CONFIDENCE = "machine_low_confidence"
    PERSON = "person"
    PENDING = "pending"


ORIGIN_LABELS = {
    AnswerOrigin.MACHINE: "machine",
    AnswerOrigin.MACHINE_LOW_CONFIDENCE: "machine (low confidence)",
    AnswerOrigin.PERSON: "reviewed by a person",
    AnswerOrigin.PENDING: "waiting for a reviewer",
}


def answer_origin(
    *, result: str, confidence: float | None, reviewed_by: str | None, needs_review: bool = False
) -> AnswerOrigin:
    """The origin of one criterion's answer; one resting on unclear speech (needs_review) is unsure."""
    if reviewed_by is not None:
        return AnswerOrigin.PERSON
    if result == PENDING_ANSWER:
        return AnswerOrigin.PENDING
    if needs_review or confidence is None or confidence < LOW_CONFIDENCE_BELOW:
        return AnswerOrigin.MACHINE_LOW_CONFIDENCE
    return AnswerOrigin.MACHINE
