"""Every shipped rubric's own test cases pass with the real MiniLM encoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.rubric import load_rubric, run_rubric_tests, shipped_rubric_paths


@pytest.mark.parametrize("path", shipped_rubric_paths(), ids=lambda p: p.name)
def test_shipped_rubric_cases(path: Path) -> None:
    report = run_rubric_tests(load_rubric(path))
    assert report.checks
    failures = [f"{c.case} / {c.criterion}: expected {c.expected}, got {c.actual}" for c in report.failures]
    assert not failures, "\n".join(failures)
