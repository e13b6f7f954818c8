"""Topic (contact driver) classification on clear customer utterances."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.embedding import TextEncoder, get_encoder
from scoring.topics import TopicClassifier, TopicInvalid, get_topic_classifier, load_topics


@pytest.fixture(scope="session")
def encoder() -> TextEncoder:
    return get_encoder()


@pytest.fixture(scope="session")
def classifier(encoder: TextEncoder) -> TopicClassifier:
    return get_topic_classifier(encoder=encoder)


def test_catalog_lists_the_programs() -> None:
    ids = load_topics().ids
    assert ids == [
        "solid_waste",
        "street_sweeping",
        "parking_enforcement",
        "micro_mobility",
        "traffic_safety",
        "infrastructure",
        "other",
    ]


@pytest.mark.parametrize(
    ("utterances", "expected"),
    [
        (["Hi.", "Nobody emptied our recycling container on Tuesday."], "solid_waste"),
        (["When does the street cleaner come through Oak Lane?"], "street_sweeping"),
        (["I'd like to dispute a citation, my meter still had time on it."], "parking_enforcement"),
        (["A bunch of rental e-scooters are blocking the sidewalk by the library."], "micro_mobility"),
        (["The signal at 3rd and Main is flashing red in every direction."], "traffic_safety"),
        (["There's a deep hole in the road on Birch Street that wrecked my rim."], "infrastructure"),
        (["I want to ask about getting a marriage license."], "other"),
    ],
)
def test_clear_utterances(
    classifier: TopicClassifier, encoder: TextEncoder, utterances: list[str], expected: str
) -> None:
    result = classifier.classify(utterances, encoder.encode(utterances))
    assert result.topic == expected
    assert 0.0 <= result.confidence <= 1.0
    assert set(result.scores) == set(load_topics().ids)


def test_no_customer_turns_is_other(classifier: TopicClassifier, encoder: TextEncoder) -> None:
    result = classifier.classify([], encoder.encode([]))
    assert result.topic == "other"


def test_invalid_file(tmp_path: Path) -> None:
    bad = tmp_path / "topics.yaml"
    bad.write_text("topics:\n  - id: x\n")
    with pytest.raises(TopicInvalid):
        load_topics(bad)
