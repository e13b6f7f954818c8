"""Score a conversation against a rubric: applicability, detectors, section scores, total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from scoring.conversation import Conversation
from scoring.rubric import patterns
from scoring.rubric.detectors import Context, Hit, Outcome, check_metric, detect, matcher_hits
from scoring.rubric.embeddings import (
    Encoder,
    ExampleIndex,
    default_encoder,
    example_index,
    semantic_examples,
    semantic_speakers,
)
from scoring.rubric.loader import Rubric
from scoring.rubric.results import CriterionResult, Evaluation, Evidence
from scoring.rubric.schema import Condition, CriterionSpec, Result
from scoring.rubric.totals import SectionWeight, compute_totals


def needs_embeddings(rubric: Rubric) -> bool:
    """True when the rubric has semantic detectors or examples."""
    return bool(semantic_examples(rubric))


def applies(ctx: Context, condition: Condition | None) -> bool:
    """Whether a criterion's applicability condition holds (no condition: always)."""
    if condition is None:
        return True
    conv = ctx.conversation
    if condition.channels is not None and conv.channel not in condition.channels:
        return False
    if condition.topics is not None and conv.topic not in condition.topics:
        return False
    if condition.queues is not None and conv.queue not in condition.queues:
        return False
    if condition.metric is not None:
        verdict = check_metric(conv.metrics, condition.metric)
        if not (condition.metric.if_missing if verdict is None else verdict):
            return False
    if condition.detected is not None:
        hits, _ = matcher_hits(ctx, condition.detected)
        if not hits:
            return False
    return condition.any_of is None or any(applies(ctx, c) for c in condition.any_of)


def _evidence(ctx: Context, hits: Sequence[Hit]) -> list[Evidence]:
    turns = ctx.conversation.turns
    out = []
    for h in hits:
        if h.turn is None:
            out.append(Evidence(None, None, None, h.text))
        else:
            t = turns[h.turn]
            out.append(Evidence(h.turn, t.speaker, t.start, h.text))
    return out


def _criterion(ctx: Context, section: str, spec: CriterionSpec, answer: Result | None) -> CriterionResult:
    if answer is not None:
        outcome = Outcome(answer, 1.0, note="reviewer answer")
    elif not applies(ctx, spec.applies_if):
        outcome = Outcome("na", 1.0, note="not applicable")
    else:
        outcome = detect(ctx, spec.detector)
    earned = spec.points if outcome.result == "pass" else 0.0
    notes = [outcome.note, outcome.doubt.note() if outcome.doubt else ""]
    return CriterionResult(
        id=spec.id,
        section=section,
        result=outcome.result,
        points=earned,
        max_points=spec.points,
        confidence=round(outcome.confidence, 3),
        critical=spec.critical,
        evidence=_evidence(ctx, outcome.hits),
        note="; ".join(n for n in notes if n),
        needs_review=outcome.needs_review,
    )


def _score(rubric: Rubric, ctx: Context, answers: Mapping[str, Result]) -> Evaluation:
    criteria = [
        _criterion(ctx, section.id, criterion, answers.get(criterion.id))
        for section in rubric.spec.sections
        for criterion in section.criteria
    ]
    weights = [SectionWeight(s.id, s.name, s.weight) for s in rubric.spec.sections]
    totals = compute_totals(criteria, weights)
    return Evaluation(rubric.id, rubric.version, totals.total, totals.auto_fail, criteria, totals.sections)


def encode_turns(conversations: Sequence[Conversation], rubric: Rubric, encoder: Encoder) -> np.ndarray:
    """Unit vectors for every turn of every conversation, stacked in order.

    Only the turns of speakers that the rubric's semantic detectors read are encoded (the other rows stay
    zero and are never looked at), and each distinct text once: short replies repeat across a batch.
    """
    speakers = semantic_speakers(rubric)
    turns = [t for c in conversations for t in c.turns]
    wanted = [i for i, t in enumerate(turns) if t.speaker in speakers]
    unique: dict[str, int] = {}
    rows = [unique.setdefault(turns[i].text, len(unique)) for i in wanted]
    vectors = encoder.encode(list(unique))
    out = np.zeros((len(turns), vectors.shape[1] if vectors.ndim == 2 else 1), dtype=np.float32)
    if wanted:
        out[wanted] = vectors[rows]
    return out


def evaluate(
    conversation: Conversation,
    rubric: Rubric,
    *,
    encoder: Encoder | None = None,
    turn_embeddings: np.ndarray | None = None,
    answers: Mapping[str, Result] | None = None,
    regex_timeout: float = patterns.DEFAULT_TIMEOUT,
) -> Evaluation:
    """Score one conversation.

    turn_embeddings: precomputed (n_turns, d) unit vectors in turn order (the pipeline encodes each
    turn once for sentiment, topic and rubric); without them, turns are encoded with `encoder`.
    encoder: defaults to scoring.embedding.get_encoder(), used only when the rubric has semantic
    detectors. answers: reviewer results by criterion id (manual criteria, overrides). regex_timeout:
    seconds one pattern may search one turn (patterns.PatternTimeout beyond).
    """
    examples: ExampleIndex | None = None
    if needs_embeddings(rubric):
        enc = encoder if encoder is not None else default_encoder()
        examples = example_index(rubric, enc)
        if turn_embeddings is None:
            turn_embeddings = encode_turns([conversation], rubric, enc)
    if turn_embeddings is not None and len(turn_embeddings) != len(conversation.turns):
        raise ValueError(f"{len(turn_embeddings)} turn embeddings for {len(conversation.turns)} turns")
    ctx = Context.build(conversation, turn_embeddings, examples, regex_timeout)
    return _score(rubric, ctx, answers or {})


def evaluate_many(
    conversations: Sequence[Conversation], rubric: Rubric, *, encoder: Encoder | None = None
) -> list[Evaluation]:
    """Score a batch, encoding every turn of every conversation in one call."""
    if not needs_embeddings(rubric):
        return [evaluate(c, rubric) for c in conversations]
    enc = encoder if encoder is not None else default_encoder()
    matrix = encode_turns(conversations, rubric, enc)
    out = []
    offset = 0
    for conv in conversations:
        n = len(conv.turns)
        out.append(evaluate(conv, rubric, encoder=enc, turn_embeddings=matrix[offset : offset + n]))
        offset += n
    return out
