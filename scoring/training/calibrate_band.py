"""Calibrate the sentiment neutral band (|score| below it reads as neutral) on human-labelled data.

    python -m scoring.training.calibrate_band [--data DIR]

The band is chosen on one half of the TweetEval sentiment split the head never trained on (the 20 % held-out
part of scoring.training.train_sentiment_head, halved stratified with the training seed), by macro-F1 of the
banded label against the human labels. It is reported on the other half, on SST-2 dev (binary: a neutral
answer is a miss) and on the committed customer-service set, next to the shipped band
(scoring.sentiment.base.NEUTRAL_BAND). Prints the figures; whether to adopt the band is a decision, see
docs/sentiment.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from scoring.sentiment.base import NEUTRAL_BAND, mood_labels
from scoring.sentiment.embedded import EmbeddedSentiment
from scoring.training import data as corpora
from scoring.training.metrics import accuracy, macro_f1
from scoring.training.train_sentiment_head import _FRACTIONS, SEED

__all__ = ["best_band", "calibration_sets", "main"]

GRID = np.round(np.arange(0.0, 0.801, 0.01), 2)


def calibration_sets(root: Path | None = None) -> dict[str, corpora.Corpus]:
    """ "calibrate" and "report" halves of TweetEval's held-out split, plus SST-2 dev and the hand set."""
    tweets = corpora.load_tweeteval_sentiment(root)
    _, _, held_out = corpora.split_indices(tweets.labels, _FRACTIONS["tweeteval"], SEED)
    cal, rep = corpora.split_indices(tweets.labels[held_out], (0.5, 0.5), SEED)
    return {
        "calibrate": tweets.subset(held_out[cal], "tweeteval held-out, calibration half"),
        "report": tweets.subset(held_out[rep], "tweeteval held-out, report half"),
        "sst2": corpora.load_sst2(root),
        "hand": corpora.load_customer_service(),
    }


def best_band(scores: np.ndarray, gold: np.ndarray) -> float:
    """The band with the best 3-class macro-F1 (ties: the narrowest)."""
    f1 = [macro_f1(gold, mood_labels(scores, float(b))) for b in GRID]
    return float(GRID[int(np.argmax(f1))])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="shared data folder (default ../shared/data)")
    args = parser.parse_args(argv)
    from scoring.embedding import get_encoder
    from scoring.training.cache import embed_corpus

    enc = get_encoder(quantize=False)
    backend = EmbeddedSentiment(enc)
    sets = calibration_sets(args.data)
    scores = {
        key: np.array([r.score for r in backend.score_embeddings(embed_corpus(c, enc), c.texts)])
        for key, c in sets.items()
    }
    band = best_band(scores["calibrate"], sets["calibrate"].labels)
    print(f"calibrated on {sets['calibrate'].name} (n={len(sets['calibrate'].texts)}): band {band:.2f}")
    heads = [f"band {b:.2f}" for b in (NEUTRAL_BAND, band)]
    print(f"{'corpus':<44}{'n':>6}" + "".join(f"{h:>22}" for h in heads))
    for key, corpus in sets.items():
        cells = []
        for b in (NEUTRAL_BAND, band):
            pred = mood_labels(scores[key], b)
            cells.append(
                f"{macro_f1(corpus.labels, pred, corpus.classes):.3f} / {accuracy(corpus.labels, pred):.3f}"
            )
        print(f"{corpus.name:<44}{len(corpus.texts):>6}" + "".join(f"{c:>22}" for c in cells))
    print("(macro-F1 / accuracy of the banded label; binary corpora count a neutral answer as a miss)")


if __name__ == "__main__":
    main()
