"""Vocabulary shared by libraries that must not import each other."""

from __future__ import annotations


def test_rubric_metric_names_are_the_transcription_metric_keys() -> None:
    """The two libraries do not import each other; this keeps their shared vocabulary in step."""
    from scoring.rubric import KNOWN_METRICS
    from transcription import METRIC_KEYS

    assert set(METRIC_KEYS) == set(KNOWN_METRICS)


def test_the_regex_time_limit_has_one_default() -> None:
    """scoring has a default of its own (it never imports qa); the product setting must not drift from it."""
    from qa.config import Settings
    from scoring.rubric.patterns import DEFAULT_TIMEOUT

    assert Settings.model_fields["regex_timeout"].default == DEFAULT_TIMEOUT
