"""Detectors: each turns (conversation, detector spec) into an Outcome with evidence."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from scoring.conversation import Conversation
from scoring.rubric import patterns
from scoring.rubric.embeddings import ExampleIndex
from scoring.rubric.schema import (
    AllOfDetector,
    AnyOfDetector,
    Detector,
    ManualDetector,
    MetricCheck,
    MetricDetector,
    PhrasesDetector,
    ProhibitedDetector,
    RegexDetector,
    Result,
    SemanticDetector,
    SentimentDetector,
    SequenceDetector,
    TurnAnyOf,
    TurnDetector,
    TurnMatcher,
)
from scoring.rubric.speech import SpeechDoubt, evidence_doubt, merge_doubts, window_doubt
from scoring.rubric.text import normalize, select_turns

OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
# Phrases this short are matched as whole words: fuzzy partial matching of "hi" finds it everywhere.
_EXACT_MAX_LEN = 5


@dataclass(frozen=True, slots=True)
class Hit:
    """A turn (or None for conversation-level facts such as metrics) and what matched in it."""

    turn: int | None
    score: float
    text: str


@dataclass(slots=True)
class Outcome:
    """A detector's answer; doubt: the unclear recognised words it rests on (then it needs a reviewer)."""

    result: Result
    confidence: float
    hits: list[Hit] = field(default_factory=list)
    note: str = ""
    doubt: SpeechDoubt | None = None

    @property
    def needs_review(self) -> bool:
        return self.doubt is not None


@dataclass(slots=True)
class Context:
    """One conversation prepared for detection; embeddings are the per-turn unit vectors or None."""

    conversation: Conversation
    normalized: list[str]
    embeddings: np.ndarray | None
    examples: ExampleIndex | None
    regex_timeout: float = patterns.DEFAULT_TIMEOUT  # seconds per pattern search of one turn

    @classmethod
    def build(
        cls,
        conversation: Conversation,
        embeddings: np.ndarray | None,
        examples: ExampleIndex | None,
        regex_timeout: float = patterns.DEFAULT_TIMEOUT,
    ) -> Context:
        normalized = [normalize(t.text) for t in conversation.turns]
        return cls(conversation, normalized, embeddings, examples, regex_timeout)

    def search(self, pattern: str, index: int, *, ignore_case: bool) -> str | None:
        """The first match of `pattern` in turn `index` as written, else in its normalized text."""
        for text in (self.conversation.turns[index].text, self.normalized[index]):
            found = patterns.search(pattern, text, ignore_case=ignore_case, timeout=self.regex_timeout)
            if found is not None:
                return found
        return None


def _threshold_confidence(score: float, threshold: float, passed: bool) -> float:
    """0.5 at the threshold, 1.0 at a perfect score (pass) or at zero similarity (fail)."""
    if passed:
        span = 1.0 - threshold
        value = 1.0 if span <= 0 else 0.5 + 0.5 * (score - threshold) / span
    else:
        value = 0.5 + 0.5 * (threshold - score) / threshold if threshold > 0 else 0.5
    return round(min(1.0, max(0.0, value)), 3)


def _hit_doubt(ctx: Context, hit: Hit) -> SpeechDoubt | None:
    return None if hit.turn is None else evidence_doubt(ctx.conversation.turns[hit.turn], hit.text)


def _found(ctx: Context, scored: Sequence[tuple[Hit, float]]) -> tuple[float, SpeechDoubt | None]:
    """Confidence of a pass (or of an offending find) and its doubt: a hit on unclear words counts for at
    most their probability, and only when no hit stands on clear words."""
    certain = [c for h, c in scored if _hit_doubt(ctx, h) is None]
    if certain:
        return max(certain), None
    doubts = [_hit_doubt(ctx, h) for h, _ in scored]
    conf = max(min(c, d.probability) for (_, c), d in zip(scored, doubts, strict=True) if d is not None)
    return conf, merge_doubts(doubts)


def _absent(ctx: Context, indices: Sequence[int], confidence: float) -> tuple[float, SpeechDoubt | None]:
    """Confidence that nothing is there; unclear words in the searched turns cap it at their probability."""
    doubt = window_doubt(ctx.conversation.turns[i] for i in indices)
    return (confidence, None) if doubt is None else (min(confidence, doubt.probability), doubt)


def _searched(ctx: Context, det: TurnMatcher) -> list[int]:
    """The turns a turn detector (or any of a TurnAnyOf's parts) looks at."""
    parts = det.detectors if isinstance(det, TurnAnyOf) else [det]
    turns = ctx.conversation.turns
    return sorted({i for part in parts for i in select_turns(turns, part.speaker, part.window)})


def _span(phrase: str, text: str) -> str:
    """The part of a normalized turn that matched a phrase."""
    if len(phrase) <= _EXACT_MAX_LEN:
        found = re.search(rf"\b{re.escape(phrase)}\b", text)
        return found.group(0) if found else ""
    if len(text) < len(phrase):
        return text
    align = fuzz.partial_ratio_alignment(phrase, text)
    return text[align.dest_start : align.dest_end] if align is not None else ""


def phrase_scores(phrases: Sequence[str], texts: Sequence[str]) -> np.ndarray:
    """Similarity 0..1 of each normalized phrase (rows) within each normalized text (columns)."""
    scores = np.zeros((len(phrases), len(texts)), dtype=np.float32)
    if not phrases or not texts:
        return scores
    fuzzy = [k for k, p in enumerate(phrases) if len(p) > _EXACT_MAX_LEN]
    if fuzzy:
        block = process.cdist([phrases[k] for k in fuzzy], texts, scorer=fuzz.partial_ratio, workers=1)
        scores[fuzzy] = block / 100.0
        for col, text in enumerate(texts):
            for row, k in enumerate(fuzzy):
                if len(text) < len(phrases[k]):
                    # partial_ratio would look for the short turn inside the phrase; compare whole strings.
                    scores[k, col] = fuzz.ratio(phrases[k], text) / 100.0 if block[row, col] else 0.0
    for k, phrase in enumerate(phrases):
        if len(phrase) <= _EXACT_MAX_LEN:
            rx = re.compile(rf"\b{re.escape(phrase)}\b")
            scores[k] = [1.0 if rx.search(t) else 0.0 for t in texts]
    return scores


def phrase_hits(
    ctx: Context, phrases: Sequence[str], indices: Sequence[int], threshold: float
) -> tuple[list[list[Hit]], list[float]]:
    """Per phrase: its hits at or above threshold (turn order) and its best score over the turns."""
    norm = [normalize(p) for p in phrases]
    texts = [ctx.normalized[i] for i in indices]
    scores = phrase_scores(norm, texts)
    best = [float(row.max()) if len(row) else 0.0 for row in scores]
    hits: list[list[Hit]] = []
    for k, phrase in enumerate(norm):
        cols = [int(c) for c in np.nonzero(scores[k] >= threshold)[0]]
        hits.append([Hit(indices[c], float(scores[k, c]), _span(phrase, texts[c])) for c in cols])
    return hits, best


def semantic_scores(ctx: Context, examples: Sequence[str], indices: Sequence[int]) -> np.ndarray:
    """Best cosine similarity of each selected turn to any example; shape (len(indices),)."""
    if ctx.embeddings is None or ctx.examples is None or not indices or not examples:
        return np.zeros(len(indices), dtype=np.float32)
    turns = ctx.embeddings[list(indices)]
    sims = turns @ ctx.examples.matrix(examples).T
    return sims.max(axis=1)


def _turn_hits(ctx: Context, det: TurnDetector) -> tuple[list[Hit], float, float]:
    """Hits of a turn-level detector (in turn order), the best score seen, and the threshold."""
    turns = ctx.conversation.turns
    indices = select_turns(turns, det.speaker, det.window)
    if isinstance(det, PhrasesDetector):
        t = det.threshold / 100.0
        per_phrase, bests = phrase_hits(ctx, det.phrases, indices, t)
        if det.match == "all":
            if any(not hs for hs in per_phrase):
                return [], min(bests), t
            return sorted((hs[0] for hs in per_phrase), key=lambda h: h.turn or 0), max(bests), t
        by_turn: dict[int, Hit] = {}
        for hs in per_phrase:
            for h in hs:
                if h.turn is not None and (h.turn not in by_turn or h.score > by_turn[h.turn].score):
                    by_turn[h.turn] = h
        return [by_turn[i] for i in sorted(by_turn)], max(bests, default=0.0), t
    if isinstance(det, RegexDetector):
        hits = []
        for i in indices:
            found = ctx.search(det.pattern, i, ignore_case=det.ignore_case)
            if found is not None:
                hits.append(Hit(i, 1.0, found))
        return hits, 1.0 if hits else 0.0, 1.0
    scores = semantic_scores(ctx, det.examples, indices)
    hits = [
        Hit(i, float(s), turns[i].text) for i, s in zip(indices, scores, strict=True) if s >= det.threshold
    ]
    return hits, float(scores.max()) if len(scores) else 0.0, det.threshold


def _needs_embeddings_missing(ctx: Context) -> bool:
    return ctx.embeddings is None or ctx.examples is None


def matcher_hits(ctx: Context, det: TurnMatcher) -> tuple[list[tuple[Hit, float]], float]:
    """(hit, confidence) of a turn matcher, best per turn in turn order, and its fail confidence."""
    parts = det.detectors if isinstance(det, TurnAnyOf) else [det]
    by_turn: dict[int, tuple[Hit, float]] = {}
    fail_conf = 1.0
    for part in parts:
        if isinstance(part, SemanticDetector) and _needs_embeddings_missing(ctx):
            continue
        hits, best, t = _turn_hits(ctx, part)
        fail_conf = min(fail_conf, _threshold_confidence(best, t, False))
        for h in hits:
            conf = _threshold_confidence(h.score, t, True)
            if h.turn is not None and (h.turn not in by_turn or conf > by_turn[h.turn][1]):
                by_turn[h.turn] = (h, conf)
    return [by_turn[i] for i in sorted(by_turn)], fail_conf


def detect(ctx: Context, det: Detector) -> Outcome:
    """Run one detector (recursively for any_of / all_of / sequence)."""
    if isinstance(det, (PhrasesDetector, RegexDetector, SemanticDetector)):
        if isinstance(det, SemanticDetector) and _needs_embeddings_missing(ctx):
            return Outcome("pending", 0.0, note="semantic detector needs embeddings")
        hits, best, t = _turn_hits(ctx, det)
        if hits:
            conf, doubt = _found(ctx, [(h, _threshold_confidence(h.score, t, True)) for h in hits])
            return Outcome("pass", conf, hits, doubt=doubt)
        conf, doubt = _absent(ctx, _searched(ctx, det), _threshold_confidence(best, t, False))
        return Outcome("fail", conf, doubt=doubt)
    if isinstance(det, SequenceDetector):
        return _sequence(ctx, det)
    if isinstance(det, ProhibitedDetector):
        return _prohibited(ctx, det)
    if isinstance(det, SentimentDetector):
        return _sentiment(ctx, det)
    if isinstance(det, MetricDetector):
        return _metric(ctx, det)
    if isinstance(det, ManualDetector):
        return Outcome("pending", 0.0, note="answered by a reviewer")
    if isinstance(det, AnyOfDetector):
        return _any_of([detect(ctx, d) for d in det.detectors])
    if isinstance(det, AllOfDetector):
        return _all_of([detect(ctx, d) for d in det.detectors])
    raise TypeError(f"unknown detector {type(det).__name__}")


def _any_of(outs: list[Outcome]) -> Outcome:
    passed = [o for o in outs if o.result == "pass"]
    if passed:
        hits = sorted({h for o in passed for h in o.hits}, key=lambda h: (h.turn or 0, -h.score))
        # One alternative passing on clear words is enough; otherwise every pass is in doubt.
        certain = [o for o in passed if not o.needs_review] or passed
        doubt = None if certain is not passed else merge_doubts(o.doubt for o in passed)
        return Outcome("pass", max(o.confidence for o in certain), hits, doubt=doubt)
    failed = [o for o in outs if o.result == "fail"]
    if failed:
        # Any alternative might have passed on clearer speech.
        return Outcome(
            "fail",
            min(o.confidence for o in failed),
            [h for o in failed for h in o.hits],
            doubt=merge_doubts(o.doubt for o in failed),
        )
    if any(o.result == "pending" for o in outs):
        return Outcome("pending", 0.0, note="; ".join(o.note for o in outs if o.note))
    return Outcome("na", 1.0, note="; ".join(o.note for o in outs if o.note))


def _all_of(outs: list[Outcome]) -> Outcome:
    failed = [o for o in outs if o.result == "fail"]
    if failed:
        # One part failing on clear words settles it; otherwise every fail is in doubt.
        certain = [o for o in failed if not o.needs_review] or failed
        doubt = None if certain is not failed else merge_doubts(o.doubt for o in failed)
        return Outcome(
            "fail", max(o.confidence for o in certain), [h for o in failed for h in o.hits], doubt=doubt
        )
    if any(o.result == "pending" for o in outs):
        return Outcome("pending", 0.0, note="; ".join(o.note for o in outs if o.note))
    passed = [o for o in outs if o.result == "pass"]
    if not passed:
        return Outcome("na", 1.0, note="; ".join(o.note for o in outs if o.note))
    hits = sorted({h for o in passed for h in o.hits}, key=lambda h: (h.turn or 0, -h.score))
    doubt = merge_doubts(o.doubt for o in passed)
    return Outcome("pass", min(o.confidence for o in passed), hits, doubt=doubt)


def _sequence(ctx: Context, det: SequenceDetector) -> Outcome:
    chain: list[Hit] = []
    confidences: list[float] = []
    doubts: list[SpeechDoubt | None] = []
    after = -1
    for n, step in enumerate(det.steps, start=1):
        hits, fail_conf = matcher_hits(ctx, step)
        nxt = next(((h, c) for h, c in hits if h.turn is not None and h.turn > after), None)
        if nxt is None:
            where = "after the previous step" if hits else "at all"
            later = [i for i in _searched(ctx, step) if i > after]
            conf, doubt = _absent(ctx, later, 0.7 if hits else fail_conf)
            return Outcome("fail", conf, chain, note=f"step {n} not found {where}", doubt=doubt)
        conf, doubt = _found(ctx, [nxt])
        chain.append(nxt[0])
        confidences.append(conf)
        doubts.append(doubt)
        after = nxt[0].turn if nxt[0].turn is not None else after
    return Outcome("pass", min(confidences), chain, doubt=merge_doubts(doubts))


def _prohibited(ctx: Context, det: ProhibitedDetector) -> Outcome:
    turns = ctx.conversation.turns
    indices = select_turns(turns, det.speaker, det.window)
    t = det.threshold / 100.0
    offending: dict[int, tuple[Hit, float]] = {}
    best = 0.0
    per_phrase, bests = phrase_hits(ctx, det.phrases, indices, t)
    best = max(bests, default=0.0)
    for hs in per_phrase:
        for h in hs:
            if h.turn is not None and h.turn not in offending:
                offending[h.turn] = (h, _threshold_confidence(h.score, t, True))
    clean_confidence = _threshold_confidence(best, t, False) if det.phrases else 1.0
    for pattern in det.patterns:
        for i in indices:
            match = ctx.search(pattern, i, ignore_case=True)
            if match is not None and i not in offending:
                offending[i] = (Hit(i, 1.0, match or turns[i].text), 1.0)
    if det.examples:
        if _needs_embeddings_missing(ctx):
            if not offending:
                return Outcome("pending", 0.0, note="semantic examples need embeddings")
        else:
            st = det.semantic_threshold
            scores = semantic_scores(ctx, det.examples, indices)
            for i, s in zip(indices, scores, strict=True):
                if s >= st and i not in offending:
                    offending[i] = (
                        Hit(i, float(s), turns[i].text),
                        _threshold_confidence(float(s), st, True),
                    )
            top = float(scores.max()) if len(scores) else 0.0
            clean_confidence = min(clean_confidence, _threshold_confidence(top, st, False))
    if offending:
        ordered = [offending[i] for i in sorted(offending)]
        conf, doubt = _found(ctx, ordered)
        return Outcome("fail", conf, [h for h, _ in ordered], doubt=doubt)
    conf, doubt = _absent(ctx, indices, clean_confidence)
    return Outcome("pass", conf, doubt=doubt)


def _sentiment(ctx: Context, det: SentimentDetector) -> Outcome:
    turns = ctx.conversation.turns
    scored = [
        (i, t.sentiment) for i, t in enumerate(turns) if t.speaker == det.speaker and t.sentiment is not None
    ]
    if not scored:
        return Outcome("na", 1.0, note=f"no {det.speaker} sentiment")
    values = [float(v) for _, v in scored if v is not None]

    def hit(k: int) -> Hit:
        i, v = scored[k]
        return Hit(i, float(v or 0.0), turns[i].text)

    if det.check == "never_below":
        low = min(range(len(values)), key=values.__getitem__)
        ok = values[low] >= det.threshold
        return Outcome("pass" if ok else "fail", min(1.0, 0.5 + abs(values[low] - det.threshold)), [hit(low)])
    if det.check == "mean_at_least":
        mean = sum(values) / len(values)
        ok = mean >= det.threshold
        return Outcome(
            "pass" if ok else "fail",
            min(1.0, 0.5 + abs(mean - det.threshold)),
            [hit(k) for k in range(len(values))],
        )
    if len(values) < 2:
        return Outcome("na", 1.0, note=f"one {det.speaker} turn with sentiment")
    k = min(det.turns, len(values) // 2)
    start = sum(values[:k]) / k
    end = sum(values[-k:]) / k
    ok = end >= start - det.tolerance
    margin = abs(end - (start - det.tolerance))
    evidence = [hit(j) for j in range(k)] + [hit(len(values) - k + j) for j in range(k)]
    return Outcome(
        "pass" if ok else "fail", min(1.0, 0.5 + margin), evidence, note=f"start {start:+.2f}, end {end:+.2f}"
    )


def check_metric(metrics: dict[str, float], check: MetricCheck) -> bool | None:
    """True/False for a present metric, None when it is missing."""
    value = metrics.get(check.metric)
    if value is None:
        return None
    return OPS[check.op](float(value), check.value)


def _metric(ctx: Context, det: MetricDetector) -> Outcome:
    metrics = ctx.conversation.metrics
    hits: list[Hit] = []
    ok = True
    for check in det.checks:
        verdict = check_metric(metrics, check)
        if verdict is None:
            return Outcome("na", 1.0, note=f"metric {check.metric} not available")
        hits.append(Hit(None, 1.0, f"{check.metric}={metrics[check.metric]:g} ({check.op} {check.value:g})"))
        ok = ok and verdict
    return Outcome("pass" if ok else "fail", 1.0, hits)
