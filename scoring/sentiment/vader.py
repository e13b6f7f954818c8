"""VADER: the fast lexicon baseline (no model, no batching needed)."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.sentiment.base import SentimentLabel, SentimentResult

__all__ = ["VaderSentiment"]


class VaderSentiment:
    """vaderSentiment's compound score with its authors' +-0.05 neutral band."""

    name = "vader"

    def __init__(self, neutral_band: float = 0.05) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()
        self.neutral_band = neutral_band

    def score(self, texts: Sequence[str]) -> list[SentimentResult]:
        out: list[SentimentResult] = []
        for text in texts:
            compound = float(self._analyzer.polarity_scores(text)["compound"])
            label: SentimentLabel
            if compound >= self.neutral_band:
                label = "positive"
            elif compound <= -self.neutral_band:
                label = "negative"
            else:
                label = "neutral"
            out.append(SentimentResult(compound, label))
        return out
