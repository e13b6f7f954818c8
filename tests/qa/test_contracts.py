"""Vocabulary shared by libraries that must not import each other."""

from __future__ import annotations


def test_rubric_metric_names_are_the_transcription_metric_keys() -> None:
    """The two libraries do not import each other; this keeps their shared vocabulary in step."""
    from scoring.rubric import KNOWN_METRICS
    from transcription import METRIC_KEYS

    assert set(METRIC_KEYS) == set(KNOWN_METRICS)
