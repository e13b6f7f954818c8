"""Topic examples as the recogniser heard them (the topics file's .recognised.json sidecar)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from scoring.embedding import TextEncoder, get_encoder
from scoring.topics import (
    TopicClassifier,
    TopicInvalid,
    load_topics,
    recognised_examples_path,
)

TOPICS = textwrap.dedent(
    """\
    topics:
      - id: street_sweeping
        examples: [The street sweeper never came down my block this month.]
      - id: parking_enforcement
        examples: [I want to contest a parking ticket.]
    """
)


def write(tmp_path: Path, recognised: object) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(TOPICS, encoding="utf-8")
    recognised_examples_path(path).write_text(json.dumps(recognised), encoding="utf-8")
    return path


def test_sidecar_sits_next_to_the_topics_file() -> None:
    assert recognised_examples_path(Path("/x/topics.yaml")) == Path("/x/topics.recognised.json")


def test_recognised_examples_join_their_topic(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "examples": {
                "The street sweeper never came down my block this month.": ["a ticket for 3 B&C", ""],
                "An example since removed from the file.": ["stale"],
            }
        },
    )
    catalog = load_topics(path)
    assert catalog.topics[0].recognised == ("a ticket for 3 B&C",)
    assert catalog.topics[1].recognised == ()


@pytest.mark.parametrize("content", ["{not json", json.dumps({"examples": ["a", "b"]})])
def test_a_malformed_sidecar_is_named(tmp_path: Path, content: str) -> None:
    path = tmp_path / "topics.yaml"
    path.write_text(TOPICS, encoding="utf-8")
    recognised_examples_path(path).write_text(content, encoding="utf-8")
    with pytest.raises(TopicInvalid, match=r"topics\.recognised\.json"):
        load_topics(path)


def test_cached_renderings_cover_every_example() -> None:
    """Regenerate benchmarks/data/topics.recognised.json with scripts/recognise_topic_examples.py."""
    cached = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "topics.recognised.json"
    sidecar = json.loads(cached.read_text(encoding="utf-8"))
    voices = len(sidecar["voices"])
    for topic in load_topics().topics:
        for example in topic.examples:
            assert len(sidecar["examples"].get(example, [])) == voices, example


@pytest.fixture(scope="module")
def encoder() -> TextEncoder:
    return get_encoder()


def test_misheard_call_meets_its_misheard_example(tmp_path: Path, encoder: TextEncoder) -> None:
    # "street sweeping" is what the recogniser loses: the rest of the call reads like a parking ticket.
    heard = ["I got a 65 dollar ticket for 3 3 B&C in the 3 B&C on my street."]
    typed = load_topics(write(tmp_path, {"examples": {}}))
    path = write(
        tmp_path,
        {
            "examples": {
                "The street sweeper never came down my block this month.": [
                    "The 3 B&C never came down my block, I got a ticket."
                ]
            }
        },
    )
    with_heard = load_topics(path)
    assert TopicClassifier(typed, encoder).classify_texts(heard, encoder).topic == "parking_enforcement"
    assert TopicClassifier(with_heard, encoder).classify_texts(heard, encoder).topic == "street_sweeping"
