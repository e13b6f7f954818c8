"""Pydantic schema of a rubric file; the loader turns validation errors into `RubricInvalid`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scoring.rubric.patterns import check_pattern

Channel = Literal["call", "chat", "email", "form"]
SpeakerScope = Literal["agent", "customer", "any"]
Result = Literal["pass", "fail", "na", "pending"]
Op = Literal["<", "<=", ">", ">=", "==", "!="]

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


def _check_regex(pattern: str) -> None:
    check_pattern(pattern)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(StrictModel):
    """Which of the selected speaker's turns count: first/last N turns or seconds (counted per speaker)."""

    first_turns: int | None = Field(None, ge=1)
    last_turns: int | None = Field(None, ge=1)
    first_seconds: float | None = Field(None, gt=0)
    last_seconds: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one_side(self) -> Window:
        first = self.first_turns is not None or self.first_seconds is not None
        last = self.last_turns is not None or self.last_seconds is not None
        if first and last:
            raise ValueError("use either first_* or last_* limits, not both")
        if not first and not last:
            raise ValueError("give first_turns, first_seconds, last_turns or last_seconds")
        return self


class _TurnScoped(StrictModel):
    speaker: SpeakerScope = "agent"
    window: Window | None = None


class PhrasesDetector(_TurnScoped):
    """Fuzzy phrase match (rapidfuzz partial ratio on normalized text)."""

    type: Literal["phrases"]
    phrases: list[str] = Field(min_length=1)
    match: Literal["any", "all"] = "any"
    threshold: int = Field(86, ge=50, le=100)

    @field_validator("phrases")
    @classmethod
    def _non_blank(cls, v: list[str]) -> list[str]:
        if any(not p.strip() for p in v):
            raise ValueError("phrases must not be blank")
        return v


class RegexDetector(_TurnScoped):
    type: Literal["regex"]
    pattern: str
    ignore_case: bool = True

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        _check_regex(v)
        return v


class SemanticDetector(_TurnScoped):
    """A turn matches when its embedding's cosine similarity to an example reaches threshold."""

    type: Literal["semantic"]
    examples: list[str] = Field(min_length=1)
    threshold: float = Field(0.6, gt=0, le=1)


TurnDetector = Annotated[PhrasesDetector | RegexDetector | SemanticDetector, Field(discriminator="type")]


class TurnAnyOf(StrictModel):
    """A turn matches when any of the turn-level detectors matches it (phrases OR semantic)."""

    type: Literal["any_of"]
    detectors: list[TurnDetector] = Field(min_length=1)


TurnMatcher = Annotated[
    PhrasesDetector | RegexDetector | SemanticDetector | TurnAnyOf, Field(discriminator="type")
]


class SequenceDetector(StrictModel):
    """Each step must match in a later turn than the previous step (A before B)."""

    type: Literal["sequence"]
    steps: list[TurnMatcher] = Field(min_length=2)


class SentimentDetector(StrictModel):
    """end_not_worse: last turns' mean >= first turns' mean - tolerance; never_below: every
    turn >= threshold; mean_at_least: mean >= threshold."""

    type: Literal["sentiment"]
    speaker: Literal["agent", "customer"] = "customer"
    check: Literal["end_not_worse", "never_below", "mean_at_least"]
    threshold: float = Field(-0.5, ge=-1, le=1)
    tolerance: float = Field(0.1, ge=0, le=2)
    turns: int = Field(2, ge=1)


class MetricCheck(StrictModel):
    metric: str
    op: Op
    value: float


class MetricDetector(StrictModel):
    """Every check must hold; na when a metric is missing (e.g. chats)."""

    type: Literal["metric"]
    checks: list[MetricCheck] = Field(min_length=1)


class ProhibitedDetector(_TurnScoped):
    """Passes when none of the phrases or examples occur; evidence lists the offending turns."""

    type: Literal["prohibited"]
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    threshold: int = Field(92, ge=50, le=100)
    semantic_threshold: float = Field(0.75, gt=0, le=1)

    @field_validator("patterns")
    @classmethod
    def _compile(cls, v: list[str]) -> list[str]:
        for pattern in v:
            _check_regex(pattern)
        return v

    @model_validator(mode="after")
    def _something(self) -> ProhibitedDetector:
        if not self.phrases and not self.examples and not self.patterns:
            raise ValueError("give phrases, patterns or examples")
        return self


class ManualDetector(StrictModel):
    """Answered by a human reviewer; pending until then."""

    type: Literal["manual"]
    guidance: str = ""


class AnyOfDetector(StrictModel):
    type: Literal["any_of"]
    detectors: list[Detector] = Field(min_length=1)


class AllOfDetector(StrictModel):
    type: Literal["all_of"]
    detectors: list[Detector] = Field(min_length=1)


Detector = Annotated[
    PhrasesDetector
    | RegexDetector
    | SemanticDetector
    | SequenceDetector
    | SentimentDetector
    | MetricDetector
    | ProhibitedDetector
    | ManualDetector
    | AnyOfDetector
    | AllOfDetector,
    Field(discriminator="type"),
]


class MetricCondition(MetricCheck):
    if_missing: bool = False


class Condition(StrictModel):
    """Applicability: every given field must hold; `any_of` holds when one sub-condition does."""

    channels: list[Channel] | None = None
    topics: list[str] | None = None
    queues: list[str] | None = None
    metric: MetricCondition | None = None
    detected: TurnMatcher | None = None
    any_of: list[Condition] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not any(getattr(self, f) is not None for f in type(self).model_fields):
            raise ValueError("an empty condition; give channels, topics, queues, metric, detected or any_of")
        return self


class CriterionSpec(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    question: str = Field(min_length=1)
    points: float = Field(gt=0)
    critical: bool = False
    applies_if: Condition | None = None
    detector: Detector


class SectionSpec(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    weight: float = Field(gt=0)
    criteria: list[CriterionSpec] = Field(min_length=1)


class CaseTurn(StrictModel):
    speaker: Literal["agent", "customer", "system"]
    text: str
    start: float | None = None
    end: float | None = None
    sentiment: float | None = Field(None, ge=-1, le=1)


def _turn_shorthand(value: Any) -> Any:
    # `- agent: "hello"` is shorthand for {speaker: agent, text: "hello"}.
    if isinstance(value, dict) and len(value) == 1:
        ((key, text),) = value.items()
        if key in ("agent", "customer", "system"):
            return {"speaker": key, "text": text}
    return value


class RubricTestCase(StrictModel):
    """A short transcript with the expected result per criterion."""

    name: str
    channel: Channel | None = None
    topic: str | None = None
    queue: str | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    turns: list[CaseTurn] = Field(min_length=1)
    expect: dict[str, Result] = Field(default_factory=dict)
    auto_fail: bool | None = None

    @field_validator("turns", mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        return [_turn_shorthand(t) for t in v] if isinstance(v, list) else v


class RubricSpec(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    description: str = ""
    channels: list[Channel] = Field(min_length=1)
    # Agents may score their own interactions under this rubric before a reviewer does.
    self_evaluation: bool = True
    sections: list[SectionSpec] = Field(min_length=1)
    tests: list[RubricTestCase] = Field(default_factory=list)

    def criteria(self) -> list[CriterionSpec]:
        return [c for s in self.sections for c in s.criteria]


AnyOfDetector.model_rebuild()
AllOfDetector.model_rebuild()
Condition.model_rebuild()
