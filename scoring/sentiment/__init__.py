"""Sentiment backends (embedded MiniLM head, transformers classifiers, VADER) and interaction summaries."""

from scoring.sentiment.base import (
    NEUTRAL_BAND,
    SENTIMENT_LABELS,
    SentimentBackend,
    SentimentLabel,
    SentimentResult,
    UnknownSentimentBackend,
    mood,
    mood_labels,
)
from scoring.sentiment.batch import InteractionSignals, analyze_interactions
from scoring.sentiment.embedded import EmbeddedSentiment
from scoring.sentiment.factory import BACKEND_NAMES, get_sentiment_backend
from scoring.sentiment.hf import TransformersSentiment, resolve_label_mapping
from scoring.sentiment.trajectory import (
    ConversationSentiment,
    MostNegativeMoment,
    SpeakerSentiment,
    Trajectory,
    summarize_sentiment,
)
from scoring.sentiment.vader import VaderSentiment

__all__ = [
    "BACKEND_NAMES",
    "NEUTRAL_BAND",
    "SENTIMENT_LABELS",
    "ConversationSentiment",
    "EmbeddedSentiment",
    "InteractionSignals",
    "MostNegativeMoment",
    "SentimentBackend",
    "SentimentLabel",
    "SentimentResult",
    "SpeakerSentiment",
    "Trajectory",
    "TransformersSentiment",
    "UnknownSentimentBackend",
    "VaderSentiment",
    "analyze_interactions",
    "get_sentiment_backend",
    "mood",
    "mood_labels",
    "resolve_label_mapping",
    "summarize_sentiment",
]
