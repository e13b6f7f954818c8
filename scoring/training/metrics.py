"""Classification metrics (no scikit-learn): accuracy and macro-F1 over the corpus' classes."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

__all__ = ["accuracy", "macro_f1"]


def accuracy(gold: np.ndarray, pred: np.ndarray) -> float:
    """Share of exact matches."""
    return float(np.mean(gold == pred)) if len(gold) else 0.0


def macro_f1(gold: np.ndarray, pred: np.ndarray, classes: Iterable[int] = (0, 1, 2)) -> float:
    """Mean F1 over `classes`; on a binary corpus a neutral prediction counts as a miss."""
    scores = []
    for c in classes:
        tp = float(np.sum((pred == c) & (gold == c)))
        fp = float(np.sum((pred == c) & (gold != c)))
        fn = float(np.sum((pred != c) & (gold == c)))
        denom = 2 * tp + fp + fn
        scores.append(2 * tp / denom if denom else 0.0)
    return float(np.mean(scores))
