"""Embeddings for semantic detectors: an encoder protocol and a per-rubric-version example cache."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import numpy as np

from scoring.rubric.loader import Rubric
from scoring.rubric.schema import Condition

# Derived facts about a rubric, keyed by its content version.
_by_version: dict[tuple[str, str], Any] = {}


class Encoder(Protocol):
    """Anything with `encode(texts) -> float32 (n, d)` L2-normalized rows (scoring.embedding.TextEncoder)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def default_encoder() -> Encoder:
    """The process-wide MiniLM encoder (loaded on first use)."""
    from scoring.embedding import get_encoder

    return get_encoder()


def semantic_examples(rubric: Rubric) -> list[str]:
    """Every semantic example in the rubric (detectors and applicability conditions), first-seen order."""
    key = ("examples", rubric.version)
    if key not in _by_version:
        _by_version[key] = _semantic_examples(rubric)
    return list(_by_version[key])


def _semantic_examples(rubric: Rubric) -> list[str]:
    found: dict[str, None] = {}
    for criterion in rubric.spec.criteria():
        for text in _detector_examples(criterion.detector.model_dump()):
            found.setdefault(text, None)
        if criterion.applies_if is not None:
            for text in _condition_examples(criterion.applies_if):
                found.setdefault(text, None)
    return list(found)


def semantic_speakers(rubric: Rubric) -> frozenset[str]:
    """Speakers whose turns some semantic detector reads; only those turns need encoding."""
    key = ("speakers", rubric.version)
    if key not in _by_version:
        _by_version[key] = _semantic_speakers(rubric)
    return frozenset(_by_version[key])


def _semantic_speakers(rubric: Rubric) -> frozenset[str]:
    found: set[str] = set()
    dumps = [c.detector.model_dump() for c in rubric.spec.criteria()]
    for criterion in rubric.spec.criteria():
        cond = criterion.applies_if
        stack = [cond] if cond is not None else []
        while stack:
            c = stack.pop()
            if c.detected is not None:
                dumps.append(c.detected.model_dump())
            stack.extend(c.any_of or [])
    while dumps:
        d = dumps.pop()
        if d["type"] in ("semantic", "prohibited") and d.get("examples"):
            speaker = d.get("speaker", "agent")
            found.update(("agent", "customer") if speaker == "any" else (speaker,))
        for key in ("detectors", "steps"):
            dumps.extend(d.get(key) or [])
    return frozenset(found)


def _detector_examples(d: dict[str, Any]) -> Iterator[str]:
    if d["type"] in ("semantic", "prohibited"):
        yield from d.get("examples") or []
    for key in ("detectors", "steps"):
        for sub in d.get(key) or []:
            yield from _detector_examples(sub)


def _condition_examples(c: Condition) -> Iterator[str]:
    if c.detected is not None:
        yield from _detector_examples(c.detected.model_dump())
    for sub in c.any_of or []:
        yield from _condition_examples(sub)


class ExampleIndex:
    """Example text -> unit vector, for one rubric version and one encoder."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        self._row = {t: i for i, t in enumerate(texts)}
        self.vectors = vectors

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors[[self._row[t] for t in texts]]


_cache: dict[tuple[str, int], tuple[Encoder, ExampleIndex]] = {}
_lock = threading.Lock()


def example_index(rubric: Rubric, encoder: Encoder) -> ExampleIndex:
    """Encode the rubric's examples once per (rubric version, encoder)."""
    key = (rubric.version, id(encoder))
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is encoder:
            return hit[1]
    texts = semantic_examples(rubric)
    vectors = encoder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    index = ExampleIndex(texts, np.asarray(vectors, dtype=np.float32))
    with _lock:
        _cache[key] = (encoder, index)
    return index
