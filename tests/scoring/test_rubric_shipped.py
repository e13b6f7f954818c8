"""Every shipped rubric's own test cases pass with the real MiniLM encoder, fp32 and int8 (the default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.embedding import get_encoder
from scoring.rubric import load_rubric, run_rubric_tests, shipped_rubric_paths


@pytest.mark.parametrize("quantize", [False, True], ids=["fp32", "int8"])
@pytest.mark.parametrize("path", shipped_rubric_paths(), ids=lambda p: p.name)
def test_shipped_rubric_cases(path: Path, quantize: bool) -> None:
    report = run_rubric_tests(load_rubric(path), encoder=get_encoder(quantize=quantize))
    assert report.checks
    failures = [f"{c.case} / {c.criterion}: expected {c.expected}, got {c.actual}" for c in report.failures]
    assert not failures, "\n".join(failures)
