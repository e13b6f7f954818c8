"""Sentiment and topic for many interactions at once: every turn encoded once, in length-sorted batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.conversation import Turn
from scoring.embedding import TextEncoder, get_encoder
from scoring.sentiment.base import SentimentBackend, SentimentResult
from scoring.sentiment.embedded import EmbeddedSentiment
from scoring.sentiment.trajectory import ConversationSentiment, summarize_sentiment
from scoring.topics import TopicClassifier, TopicResult, get_topic_classifier

__all__ = ["InteractionSignals", "analyze_interactions"]


@dataclass(frozen=True, slots=True)
class InteractionSignals:
    """Per-turn sentiment, its summary, the topic, and the turn embeddings (reusable by rubric criteria)."""

    turn_sentiment: list[SentimentResult]
    sentiment: ConversationSentiment
    topic: TopicResult
    embeddings: np.ndarray


def analyze_interactions(
    interactions: Sequence[Sequence[Turn]],
    *,
    backend: SentimentBackend | None = None,
    topics: TopicClassifier | None = None,
    encoder: TextEncoder | None = None,
) -> list[InteractionSignals]:
    """One result per interaction; all their turns go through the encoder in a single batched call."""
    encoder = encoder or get_encoder()
    backend = backend or EmbeddedSentiment(encoder)
    topics = topics or get_topic_classifier(encoder=encoder)
    texts = [t.text for turns in interactions for t in turns]
    emb = encoder.encode(texts)
    if isinstance(backend, EmbeddedSentiment):
        results = backend.score_embeddings(emb, texts)
    else:
        results = backend.score(texts)
    out: list[InteractionSignals] = []
    lo = 0
    for turns in interactions:
        hi = lo + len(turns)
        own = results[lo:hi]
        cust = [lo + i for i, t in enumerate(turns) if t.speaker == "customer"]
        topic = topics.classify([texts[i] for i in cust], emb[cust])
        summary = summarize_sentiment(turns, [r.score for r in own])
        out.append(InteractionSignals(own, summary, topic, emb[lo:hi]))
        lo = hi
    return out
