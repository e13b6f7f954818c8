"""Contact drivers: the program an interaction is about, from the customer's turns (embeddings + keywords)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from scoring.embedding import TextEncoder, get_encoder
from scoring.shipped import SHIPPED_TOPICS_FILE

__all__ = [
    "OTHER_TOPIC",
    "Topic",
    "TopicCatalog",
    "TopicClassifier",
    "TopicInvalid",
    "TopicResult",
    "default_topics_path",
    "get_topic_classifier",
    "load_topics",
    "recognised_examples_path",
]

OTHER_TOPIC = "other"


class TopicInvalid(ValueError):
    """The topics file is malformed."""


@dataclass(frozen=True, slots=True)
class Topic:
    """One program: examples are customer utterances; keywords match as whole words, ignoring case.

    recognised: the examples as the speech recogniser heard them when spoken (see recognised_examples_path),
    used as extra prototypes so misheard calls meet examples that went through the same noise.
    """

    id: str
    name: str
    description: str
    examples: tuple[str, ...]
    keywords: tuple[str, ...]
    recognised: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicCatalog:
    topics: tuple[Topic, ...]

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.topics]


@dataclass(frozen=True, slots=True)
class TopicResult:
    """Primary topic, its confidence in [0, 1], and every topic's raw score (similarity + keyword bonus)."""

    topic: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"topic": self.topic, "confidence": round(self.confidence, 4)}


def default_topics_path() -> Path:
    """The topics file shipped with Callcoach (rubrics/topics.yaml)."""
    return SHIPPED_TOPICS_FILE


def recognised_examples_path(topics_path: Path) -> Path:
    """The optional sidecar of a topics file holding its recognised examples: topics.yaml ->
    topics.recognised.json ({"examples": {example: [what the recogniser heard, ...]}})."""
    return topics_path.with_name(f"{topics_path.stem}.recognised.json")


def _recognised(path: Path) -> dict[str, list[str]]:
    sidecar = recognised_examples_path(path)
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TopicInvalid(f"{sidecar}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    examples = data.get("examples") if isinstance(data, dict) else None
    if not isinstance(examples, dict) or not all(isinstance(v, list) for v in examples.values()):
        raise TopicInvalid(f"{sidecar}: expected {{'examples': {{example: [recognised text, ...]}}}}")
    return {str(k): [str(t) for t in v] for k, v in examples.items()}


def load_topics(path: Path | None = None) -> TopicCatalog:
    """Read and check the topics file (and its recognised-examples sidecar, when there is one)."""
    path = path or default_topics_path()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TopicInvalid(f"{path}: expected a mapping with a 'topics' list")
    recognised = _recognised(path)
    topics: list[Topic] = []
    for i, item in enumerate(data["topics"]):
        if not isinstance(item, dict) or not item.get("id"):
            raise TopicInvalid(f"{path}: topics[{i}] needs an id")
        examples = tuple(str(e) for e in item.get("examples") or [])
        if not examples:
            raise TopicInvalid(f"{path}: topic {item['id']!r} needs at least one example")
        topics.append(
            Topic(
                id=str(item["id"]),
                name=str(item.get("name", item["id"])),
                description=str(item.get("description", "")),
                examples=examples,
                keywords=tuple(str(k).lower() for k in item.get("keywords") or []),
                # Renderings of examples since edited or removed are not looked up, so they drop out.
                recognised=tuple(
                    dict.fromkeys(h for e in examples for h in recognised.get(e, []) if h.strip())
                ),
            )
        )
    ids = [t.id for t in topics]
    if len(set(ids)) != len(ids):
        raise TopicInvalid(f"{path}: duplicate topic ids")
    return TopicCatalog(tuple(topics))


class TopicClassifier:
    """Score = best cosine between any customer turn and the topic's examples or description, plus a small
    bonus per distinct keyword found; "other" wins when no program reaches min_score or none beats the
    "other" examples by other_margin."""

    def __init__(
        self,
        catalog: TopicCatalog,
        encoder: TextEncoder,
        *,
        keyword_bonus: float = 0.05,
        max_keyword_bonus: float = 0.15,
        min_score: float = 0.38,
        other_margin: float = 0.05,
        temperature: float = 0.05,
    ) -> None:
        self.catalog = catalog
        self.keyword_bonus = keyword_bonus
        self.max_keyword_bonus = max_keyword_bonus
        self.min_score = min_score
        self.other_margin = other_margin
        self.temperature = temperature
        texts: list[str] = []
        owner: list[int] = []
        for k, topic in enumerate(catalog.topics):
            for text in (*topic.examples, topic.description, *topic.recognised):
                if text:
                    texts.append(text)
                    owner.append(k)
        self._proto = encoder.encode(texts)
        self._owner = np.array(owner)
        self._patterns = [
            re.compile(r"\b(?:" + "|".join(re.escape(k) for k in t.keywords) + r")\b", re.IGNORECASE)
            if t.keywords
            else None
            for t in catalog.topics
        ]

    def classify(self, texts: Sequence[str], embeddings: np.ndarray) -> TopicResult:
        """texts: the customer's turns; embeddings: their (n, d) unit vectors from the shared encoder."""
        ids = self.catalog.ids
        n_topics = len(ids)
        scores = np.zeros(n_topics, dtype=np.float64)
        if len(texts) and len(embeddings):
            sims = embeddings @ self._proto.T  # (turns, prototypes)
            best_per_proto = sims.max(axis=0)
            for k in range(n_topics):
                scores[k] = best_per_proto[self._owner == k].max()
        joined = "\n".join(texts)
        for k, pattern in enumerate(self._patterns):
            if pattern is not None:
                found = {m.group(0).lower() for m in pattern.finditer(joined)}
                scores[k] += min(self.max_keyword_bonus, self.keyword_bonus * len(found))
        programs = [k for k, topic_id in enumerate(ids) if topic_id != OTHER_TOPIC]
        best = max(programs, key=lambda k: scores[k]) if programs else int(scores.argmax())
        if OTHER_TOPIC in ids:
            other = scores[ids.index(OTHER_TOPIC)]
            # Generic requests ("how do I get a ...") sit near every program: a program must beat "other".
            if scores[best] < self.min_score or scores[best] < other + self.other_margin:
                best = ids.index(OTHER_TOPIC)
        z = (scores - scores.max()) / self.temperature
        probs = np.exp(z) / np.exp(z).sum()
        return TopicResult(
            ids[best], float(probs[best]), {t: round(float(s), 4) for t, s in zip(ids, scores, strict=True)}
        )

    def classify_texts(self, texts: Sequence[str], encoder: TextEncoder | None = None) -> TopicResult:
        """Convenience when no embeddings are at hand: encodes the texts first."""
        return self.classify(texts, (encoder or get_encoder()).encode(texts))


_cache: dict[tuple[str, int], tuple[TextEncoder, TopicClassifier]] = {}  # the encoder kept: ids stay unique
_lock = threading.Lock()


def get_topic_classifier(path: Path | None = None, encoder: TextEncoder | None = None) -> TopicClassifier:
    """Process-wide classifier for the topics file (prototype embeddings computed once)."""
    encoder = encoder or get_encoder()
    # Keyed by encoder too: prototypes must come from the encoder that encodes the turns (fp32 vs int8).
    key = (str(path or default_topics_path()), id(encoder))
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = (encoder, TopicClassifier(load_topics(path), encoder))
            _cache[key] = found
        return found[1]
