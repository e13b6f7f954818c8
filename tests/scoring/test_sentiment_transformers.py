"""The transformers backend loads any sequence-classification model from a folder (tiny random model here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.sentiment import TransformersSentiment, UnknownSentimentBackend, resolve_label_mapping
from tests.factories import tiny_sentiment_model as _tiny_model


@pytest.fixture(scope="module")
def three_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tiny_model(tmp_path_factory.mktemp("tiny3"), {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})


def test_loads_from_folder_and_scores_in_range(three_class: Path) -> None:
    backend = TransformersSentiment(three_class, labels="negative,neutral,positive")
    texts = ["the bin was great", "bad", "", "thanks thanks thanks the bin"]
    results = backend.score(texts)
    assert len(results) == len(texts)
    assert all(-1.0 <= r.score <= 1.0 for r in results)
    assert {r.label for r in results} <= {"negative", "neutral", "positive"}
    probs = backend.probabilities(texts)
    assert probs.shape == (4, 3)
    assert abs(float(probs.sum(axis=1).min()) - 1.0) < 1e-5


def test_label_mapping_reorders_classes(three_class: Path) -> None:
    plain = TransformersSentiment(three_class, labels=["negative", "neutral", "positive"])
    flipped = TransformersSentiment(
        three_class, labels={"LABEL_0": "positive", "LABEL_1": "neutral", "2": "negative"}
    )
    text = ["the bin was great"]
    assert abs(plain.score(text)[0].score + flipped.score(text)[0].score) < 1e-5


def test_binary_model_gets_neutral_band(tmp_path: Path) -> None:
    folder = _tiny_model(tmp_path, {0: "NEGATIVE", 1: "POSITIVE"})
    backend = TransformersSentiment(folder, neutral_band=2.0)  # every |score| < 2: all neutral
    assert backend.class_labels == ["negative", "positive"]
    assert [r.label for r in backend.score(["the bin", "bad"])] == ["neutral", "neutral"]


def test_label_mapping_inference_and_errors() -> None:
    assert resolve_label_mapping({0: "Negative", 1: "Neutral", 2: "Positive"}, None) == [
        "negative",
        "neutral",
        "positive",
    ]
    assert resolve_label_mapping({0: "pos", 1: "neg"}, None) == ["positive", "negative"]
    with pytest.raises(UnknownSentimentBackend):
        resolve_label_mapping({0: "a", 1: "b", 2: "c"}, ["negative", "positive"])
    with pytest.raises(UnknownSentimentBackend):
        resolve_label_mapping({0: "a", 1: "b"}, {"a": "negative", "b": "happy"})
