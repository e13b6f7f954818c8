"""Sampling plans: which interactions people review each week, picked stratified and spread evenly.

A plan is a YAML file per team (a `sampling/` folder next to `rubrics/`):

    team: north
    per_agent_per_week: 4          # random interactions per agent and ISO week
    stratify_by: [channel, topic]  # the random picks follow each agent's mix of these
    due_days: 7                    # due this many days after the week ends
    reviewers: []                  # empty: the team's supervisors
    always_review:                 # reviewed on top of the random picks
      auto_fail: true
      customer_sentiment_below: -0.6
      recognition_confidence_below: 0.6
      silence_longer_than_seconds: 30
      open_dispute: true
      needs_human: true

Selection is deterministic for a seed (team and week), so running the same week again picks the same.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

Stratum = Literal["channel", "topic"]
SAMPLE = "sample"


class PlanInvalid(ValueError):
    """A sampling plan that cannot be used; str() is one line: `file: field: problem`."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source, self.field, self.problem = source, field, " ".join(problem.split())
        super().__init__(f"{source}: {field}: {self.problem}" if field else f"{source}: {self.problem}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AlwaysReview(_Strict):
    """Rules that send an interaction to a person whatever the random sample; None or false turns one off."""

    auto_fail: bool = True
    customer_sentiment_below: float | None = Field(default=-0.6, ge=-1, le=1)
    recognition_confidence_below: float | None = Field(default=0.6, ge=0, le=1)
    silence_longer_than_seconds: float | None = Field(default=30.0, gt=0)
    open_dispute: bool = True
    needs_human: bool = True


class PlanSpec(_Strict):
    team: str = Field(min_length=1, max_length=120)
    per_agent_per_week: int = Field(ge=0, le=500)
    stratify_by: list[Stratum] = Field(default=["channel", "topic"])
    due_days: int = Field(default=7, ge=0, le=90)
    reviewers: list[str] = Field(default_factory=list)
    always_review: AlwaysReview = AlwaysReview()


@dataclass(frozen=True, slots=True)
class SamplingPlan:
    spec: PlanSpec
    source: str


def parse_plan(text: str, source: str = "<string>") -> SamplingPlan:
    """Validate plan YAML; raises PlanInvalid naming the file, the field and the problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise PlanInvalid(
            source, where, f"YAML syntax error: {getattr(exc, 'problem', None) or exc}"
        ) from None
    if not isinstance(data, dict):
        raise PlanInvalid(source, "", "a sampling plan must be a mapping with team and per_agent_per_week")
    try:
        spec = PlanSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise PlanInvalid(source, field, first["msg"].removeprefix("Value error, ")) from None
    return SamplingPlan(spec=spec, source=source)


def load_plan(path: str | Path) -> SamplingPlan:
    """Load and validate one plan file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PlanInvalid(str(p), "", f"cannot read file: {exc.strerror or exc}") from None
    return parse_plan(text, source=str(p))


def load_plans(folder: str | Path) -> list[SamplingPlan]:
    """Every `*.yaml` plan in `folder` (none when it does not exist); one plan per team."""
    plans: list[SamplingPlan] = []
    seen: dict[str, str] = {}
    base = Path(folder)
    for path in sorted(base.glob("*.yaml")) + sorted(base.glob("*.yml")):
        plan = load_plan(path)
        if plan.spec.team in seen:
            raise PlanInvalid(
                str(path), "team", f"team '{plan.spec.team}' already has a plan in {seen[plan.spec.team]}"
            )
        seen[plan.spec.team] = str(path)
        plans.append(plan)
    return plans


@dataclass(frozen=True, slots=True)
class Candidate:
    """An interaction that may be picked, with what the always-review rules look at."""

    interaction_id: int
    agent: str
    channel: str
    topic: str | None = None
    auto_fail: bool = False
    customer_sentiment_end: float | None = None
    recognition_confidence: float | None = None
    longest_silence_seconds: float | None = None
    open_dispute: bool = False
    needs_human: bool = False


@dataclass(frozen=True, slots=True)
class Pick:
    """A picked interaction: `reason` is "sample" or the always-review rule; `stratum` for samples."""

    interaction_id: int
    agent: str
    reason: str
    stratum: str | None = None


def always_review_reason(candidate: Candidate, rules: AlwaysReview) -> str | None:
    """The first always-review rule the candidate meets, or None."""
    c = candidate
    checks = (
        ("open_dispute", rules.open_dispute and c.open_dispute),
        ("auto_fail", rules.auto_fail and c.auto_fail),
        ("needs_human", rules.needs_human and c.needs_human),
        ("negative_sentiment", _below(c.customer_sentiment_end, rules.customer_sentiment_below)),
        ("low_recognition_confidence", _below(c.recognition_confidence, rules.recognition_confidence_below)),
        ("long_silence", _above(c.longest_silence_seconds, rules.silence_longer_than_seconds)),
    )
    return next((reason for reason, hit in checks if hit), None)


def _below(value: float | None, limit: float | None) -> bool:
    return value is not None and limit is not None and value < limit


def _above(value: float | None, limit: float | None) -> bool:
    return value is not None and limit is not None and value > limit


def stratum_of(candidate: Candidate, fields: Sequence[str]) -> str:
    """The stratum label, e.g. "chat/pothole" (a missing topic is "none")."""
    return "/".join(str(getattr(candidate, f) or "none") for f in fields) or "all"


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """Split `n` picks over strata in proportion to their sizes (largest remainder, ties by name)."""
    total = sum(sizes.values())
    if total == 0 or n <= 0:
        return {key: 0 for key in sizes}
    n = min(n, total)
    exact = {key: n * size / total for key, size in sizes.items()}
    counts = {key: math.floor(value) for key, value in exact.items()}
    leftover = n - sum(counts.values())
    for key in sorted(sizes, key=lambda k: (-(exact[k] - counts[k]), k))[:leftover]:
        counts[key] += 1
    return counts


def select_sample(
    candidates: Iterable[Candidate],
    spec: PlanSpec,
    *,
    seed: str,
    already_sampled: Mapping[str, int] | None = None,
) -> list[Pick]:
    """Every candidate an always-review rule catches, plus up to N random others per agent, stratified.

    `already_sampled[agent]` random picks made earlier for this week count toward N, so a second run
    adds only what is missing.
    """
    done = already_sampled or {}
    picks: list[Pick] = []
    pools: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in sorted(candidates, key=lambda c: c.interaction_id):
        reason = always_review_reason(candidate, spec.always_review)
        if reason is not None:
            picks.append(Pick(candidate.interaction_id, candidate.agent, reason))
        else:
            pools[candidate.agent].append(candidate)
    for agent in sorted(pools):
        rng = random.Random(f"{seed}:{agent}")
        strata: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in pools[agent]:
            strata[stratum_of(candidate, spec.stratify_by)].append(candidate)
        wanted = max(0, spec.per_agent_per_week - done.get(agent, 0))
        quotas = allocate({key: len(members) for key, members in strata.items()}, wanted)
        for key in sorted(strata):
            for candidate in rng.sample(strata[key], quotas[key]):
                picks.append(Pick(candidate.interaction_id, agent, SAMPLE, key))
    return picks


def assign_evenly(
    picks: Sequence[Pick], reviewers: Sequence[str], load: Mapping[str, int] | None = None
) -> list[tuple[Pick, str]]:
    """Give each pick to the reviewer with the fewest so far (`load`: earlier this week), ties in order."""
    if not reviewers:
        raise ValueError("no reviewers to assign to")
    counts = {r: (load or {}).get(r, 0) for r in reviewers}
    order = {r: i for i, r in enumerate(reviewers)}
    assigned = []
    for pick in picks:
        reviewer = min(reviewers, key=lambda r: (counts[r], order[r]))
        counts[reviewer] += 1
        assigned.append((pick, reviewer))
    return assigned


def parse_week(label: str) -> date:
    """The Monday of an ISO week written YYYY-Www (e.g. 2026-W10); ValueError otherwise."""
    try:
        year, week = label.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise ValueError(f"week '{label}' is not an ISO week like 2026-W10") from None


def week_label(day: date) -> str:
    """The ISO week (YYYY-Www) a day falls in."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def due_date(monday: date, due_days: int) -> date:
    """The day assignments of the week starting `monday` are due: `due_days` after the week's Sunday."""
    return monday + timedelta(days=6 + due_days)


__all__: list[str] = [
    "AlwaysReview",
    "Candidate",
    "Pick",
    "PlanInvalid",
    "PlanSpec",
    "SamplingPlan",
    "allocate",
    "always_review_reason",
    "assign_evenly",
    "due_date",
    "load_plan",
    "load_plans",
    "parse_plan",
    "parse_week",
    "select_sample",
    "stratum_of",
    "week_label",
]
