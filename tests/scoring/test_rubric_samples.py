"""The shipped rubrics agree with the hand labels of the sample interactions (scripts for calls)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "samples" / "labels.json"


@pytest.mark.skipif(not LABELS.exists(), reason="samples not present")
def test_agreement_with_sample_labels() -> None:
    spec = importlib.util.spec_from_file_location(
        "rubric_agreement", ROOT / "benchmarks" / "rubric_agreement.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    labels = json.loads(LABELS.read_text())
    report = module.agreement(module.load_samples(), labels)
    assert not report.missing
    ok, n = report.total
    assert ok / n >= 0.95, "\n".join(report.disagreements)
    for cid, (agree, count) in report.per_criterion.items():
        assert agree / count >= 0.85, f"{cid}: {agree}/{count}\n" + "\n".join(report.disagreements)
