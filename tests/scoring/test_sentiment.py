"""Sentiment backends: the head labels clear cases, scores stay in range, the factory picks by name."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.embedding import TextEncoder, get_encoder
from scoring.sentiment import (
    EmbeddedSentiment,
    SentimentResult,
    UnknownSentimentBackend,
    VaderSentiment,
    get_sentiment_backend,
)

POSITIVE = [
    "Thank you so much, you've been incredibly helpful!",
    "Great, that's exactly what I needed, I really appreciate it.",
    "The crew did a wonderful job, the street looks fantastic.",
]
NEGATIVE = [
    "This is the third time I'm calling and nobody has fixed it, this is ridiculous.",
    "I'm furious, your truck smashed my bin and just drove off.",
    "Terrible service, I've been waiting on hold for an hour.",
]
NEUTRAL = [
    "My address is 1420 Maple Avenue.",
    "What day is recycling collected on my street?",
]


@pytest.fixture(scope="session")
def encoder() -> TextEncoder:
    return get_encoder()


@pytest.fixture(scope="session")
def embedded(encoder: TextEncoder) -> EmbeddedSentiment:
    return EmbeddedSentiment(encoder)


def test_embedded_labels_clear_examples(embedded: EmbeddedSentiment) -> None:
    results = embedded.score(POSITIVE + NEGATIVE + NEUTRAL)
    labels = [r.label for r in results]
    assert labels[:3] == ["positive"] * 3
    assert labels[3:6] == ["negative"] * 3
    assert labels[6:] == ["neutral"] * 2
    assert all(r.score > 0.3 for r in results[:3])
    assert all(r.score < -0.3 for r in results[3:6])


def test_scores_in_range_and_one_per_text(embedded: EmbeddedSentiment) -> None:
    texts = [*POSITIVE, "", "ok", "x" * 3000]
    for backend in (embedded, VaderSentiment()):
        results = backend.score(texts)
        assert len(results) == len(texts)
        assert all(isinstance(r, SentimentResult) and -1.0 <= r.score <= 1.0 for r in results)
    assert embedded.score([]) == []


def test_score_embeddings_matches_score(embedded: EmbeddedSentiment, encoder: TextEncoder) -> None:
    texts = POSITIVE + NEGATIVE
    direct = embedded.score(texts)
    reused = embedded.score_embeddings(encoder.encode(texts), texts)
    assert [r.label for r in direct] == [r.label for r in reused]
    assert np.allclose([r.score for r in direct], [r.score for r in reused], atol=1e-5)


def test_score_embeddings_rejects_mismatched_lengths(
    embedded: EmbeddedSentiment, encoder: TextEncoder
) -> None:
    with pytest.raises(ValueError):
        embedded.score_embeddings(encoder.encode(["a", "b"]), ["a"])


def test_vader_labels() -> None:
    good, bad, flat = VaderSentiment().score(["I love this, thanks!", "This is awful.", "The bin is blue."])
    assert (good.label, bad.label, flat.label) == ("positive", "negative", "neutral")


def test_factory_by_name_and_caching() -> None:
    assert get_sentiment_backend("vader").name == "vader"
    assert get_sentiment_backend("embedded") is get_sentiment_backend("embedded")
    with pytest.raises(UnknownSentimentBackend):
        get_sentiment_backend("nope")
    with pytest.raises(UnknownSentimentBackend):
        get_sentiment_backend("transformers")  # needs a model


def test_head_metadata_records_training() -> None:
    head = EmbeddedSentiment(encoder=None).head
    assert head.meta["config"]["seed"] == 20261126
    assert "tweeteval" in head.meta["config"]["train_on"]


def test_analyze_interactions_batches_and_matches_single(encoder: TextEncoder) -> None:
    from scoring.conversation import Turn
    from scoring.sentiment import analyze_interactions

    chat_a = [
        Turn("agent", "Public Works, how can I help?"),
        Turn("customer", "My garbage was not picked up again, this is ridiculous."),
        Turn("agent", "I'm sorry, I've scheduled a return trip for tomorrow."),
        Turn("customer", "Great, thank you so much!"),
    ]
    chat_b = [
        Turn("customer", "A rental scooter is blocking the sidewalk."),
        Turn("agent", "We'll remove it."),
    ]
    both = analyze_interactions([chat_a, chat_b], encoder=encoder)
    assert [s.topic.topic for s in both] == ["solid_waste", "micro_mobility"]
    assert both[0].sentiment.trajectory == "improved"
    assert both[0].embeddings.shape == (4, 384)
    alone = analyze_interactions([chat_b], encoder=encoder)[0]
    assert np.allclose(
        [r.score for r in alone.turn_sentiment], [r.score for r in both[1].turn_sentiment], atol=1e-4
    )
