"""Run the test cases a rubric file carries and tabulate expected vs actual results."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.conversation import Conversation, Turn
from scoring.rubric.embeddings import Encoder
from scoring.rubric.evaluator import evaluate
from scoring.rubric.loader import Rubric
from scoring.rubric.schema import RubricTestCase
from scoring.rubric.text import normalize


@dataclass(frozen=True, slots=True)
class CaseCheck:
    """One row of the table: a test case's expectation for a criterion (or `auto_fail`)."""

    case: str
    criterion: str
    expected: str
    actual: str
    confidence: float | None
    evidence: str

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


@dataclass(frozen=True, slots=True)
class RubricTestReport:
    rubric: str
    version: str
    source: str
    checks: list[CaseCheck]

    @property
    def failures(self) -> list[CaseCheck]:
        return [c for c in self.checks if not c.ok]

    @property
    def ok(self) -> bool:
        return not self.failures


def case_conversation(rubric: Rubric, case: RubricTestCase) -> Conversation:
    """The Conversation a test case describes; channel defaults to the rubric's first channel."""
    turns = [Turn(t.speaker, t.text, t.start, t.end, t.sentiment) for t in case.turns]
    channel = case.channel or rubric.spec.channels[0]
    return Conversation(
        channel=channel, turns=turns, metrics=dict(case.metrics), topic=case.topic, queue=case.queue
    )


def run_rubric_tests(rubric: Rubric, *, encoder: Encoder | None = None) -> RubricTestReport:
    """Evaluate every test case in the rubric and compare with its expectations."""
    checks: list[CaseCheck] = []
    for case in rubric.spec.tests:
        result = evaluate(case_conversation(rubric, case), rubric, encoder=encoder)
        for cid, expected in case.expect.items():
            got = result.criterion(cid)
            first = got.evidence[0].text if got.evidence else got.note
            checks.append(
                CaseCheck(case.name, cid, expected, got.result, got.confidence, " ".join(first.split())[:80])
            )
        if case.auto_fail is not None:
            checks.append(
                CaseCheck(
                    case.name,
                    "auto_fail",
                    str(case.auto_fail).lower(),
                    str(result.auto_fail).lower(),
                    None,
                    "",
                )
            )
    return RubricTestReport(rubric.id, rubric.version, rubric.source, checks)


class WordHashEncoder:
    """A tiny deterministic stand-in for MiniLM: hashed bag of normalized words, L2-normalized.

    Cosine similarity is word overlap, which is enough to test semantic plumbing without the model.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls: list[int] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in normalize(text).split():
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)
