"""The calibrated neutral band: polite closers read neutral, clear feelings do not."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.sentiment import NEUTRAL_BAND, EmbeddedSentiment, mood, mood_labels
from scoring.training.calibrate_band import best_band


def test_mood_and_mood_labels_follow_one_rule() -> None:
    scores = np.array([-0.9, -NEUTRAL_BAND, -0.1, 0.0, NEUTRAL_BAND - 0.01, NEUTRAL_BAND, 0.8])
    expected = [mood(float(s)) for s in scores]
    assert expected == ["negative", "negative", "neutral", "neutral", "neutral", "positive", "positive"]
    assert [("negative", "neutral", "positive")[k] for k in mood_labels(scores)] == expected


def test_best_band_recovers_the_separating_band() -> None:
    # Neutral items score within +-0.3, polar ones beyond +-0.5: any band in between is perfect, the grid's
    # narrowest such band wins.
    scores = np.array([-0.8, -0.6, -0.2, 0.0, 0.29, 0.55, 0.9])
    gold = np.array([0, 0, 1, 1, 1, 2, 2])
    assert best_band(scores, gold) == pytest.approx(0.3)


@pytest.fixture(scope="module")
def backend() -> EmbeddedSentiment:
    return EmbeddedSentiment()


@pytest.mark.parametrize(
    "text", ["No, that's it.", "no, that's it.", "No, that's everything.", "Nope, that's all."]
)
def test_polite_closer_is_neutral(backend: EmbeddedSentiment, text: str) -> None:
    """The issue's case: "No, that's it." ending a CSAT-5 chat read as negative."""
    (result,) = backend.score([text])
    assert mood(result.score) == "neutral"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is the third time nobody picked up my trash, I'm furious.", "negative"),
        ("Thank you so much, that was really helpful!", "positive"),
    ],
)
def test_clear_feelings_stay_outside_the_band(backend: EmbeddedSentiment, text: str, expected: str) -> None:
    (result,) = backend.score([text])
    assert mood(result.score) == expected
