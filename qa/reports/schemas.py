"""What the reports return: weekly trends, criterion pass rates, per-agent rows and period reports."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class AgentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    display_name: str | None
    team_id: int | None


class WeekPoint(BaseModel):
    week: date  # the Monday
    score: float | None
    count: int


class CriterionRate(BaseModel):
    criterion_id: str
    question: str
    agent_pass_rate: float | None
    agent_scored: int
    team_pass_rate: float | None
    team_scored: int


class AgentRow(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    agent: str
    team: str | None
    interactions: int
    scored: int
    average_score: float | None
    auto_fails: int
    reviewed: int
    average_csat: float | None
    average_handle_seconds: float | None
    average_wait_seconds: float | None = None
    average_customer_sentiment_end: float | None = None


class TopicCount(BaseModel):
    topic: str
    interactions: int
    average_score: float | None


class ScoreBand(BaseModel):
    band: str  # "0-10" ... "90-100"
    count: int


class ChannelCount(BaseModel):
    """A channel's contacts with its own averages (never mixed with another channel's)."""

    channel: str
    count: int
    scored: int = 0
    average_score: float | None = None
    average_csat: float | None = None
    average_handle_seconds: float | None = None


class DriverCount(BaseModel):
    week: date  # the Monday
    program: str | None  # the queue
    topic: str | None
    count: int


class HourCount(BaseModel):
    weekday: int  # 0 = Monday
    hour: int  # UTC
    count: int


class WeekFigures(BaseModel):
    week: date  # the Monday
    interactions: int
    scored: int
    average_score: float | None
    average_customer_sentiment_end: float | None
    average_handle_seconds: float | None
    average_wait_seconds: float | None
    average_csat: float | None
    customers: int  # contacts with a known customer
    repeat_contacts: int  # of those, followed by another contact of the same customer within 7 days


class ContactTotals(BaseModel):
    interactions: int
    scored: int
    average_score: float | None
    auto_fails: int
    reviewed: int
    average_csat: float | None
    average_handle_seconds: float | None  # handle time, else the interaction's length
    average_wait_seconds: float | None
    average_customer_sentiment_end: float | None
    customers: int
    repeat_contacts: int
    first_contact_resolution: float | None  # share of `customers` without a repeat, 0-1
    repeat_rule: str  # what counts as a repeat contact, in words
    speed_of_answer_seconds: float | None  # answered calls only (average_wait_seconds mixes every channel)


class ServiceLevel(BaseModel):
    """One channel's service measure over a period against the team's target (docs/metrics.md)."""

    channel: str
    measure: str  # "speed of answer", "abandoned", "first response", "first reply", "resolution"
    contacts: int  # contacts measured: with the time known; for "abandoned" every call offered
    average_seconds: float | None  # None for "abandoned"
    within_target: int  # contacts in time; for "abandoned" the calls abandoned
    share: float | None  # within_target / contacts, 0-1
    target: str  # how the time target reads: "60 s", "1 business day"
    target_share: float  # the share aimed for: at least, or at most for "abandoned"
    met: bool | None  # None without contacts


class VolumeCount(BaseModel):
    month: date  # the first day
    program: str | None  # the queue
    channel: str
    topic: str | None  # the inquiry type
    count: int


class RepeatContact(BaseModel):
    """A contact whose customer came back within the repeat window, and the contact that followed."""

    interaction_id: int
    agent: str | None
    channel: str
    program: str | None
    started_at: datetime
    next_interaction_id: int | None  # None when the next contact lies outside the caller's scope
    next_agent: str | None
    next_channel: str
    next_started_at: datetime
    days_between: float


class ContactFigures(BaseModel):
    """Everything the dashboards chart about the contacts of a period, computed in the database."""

    start: date | None
    end: date | None
    agent: str | None
    totals: ContactTotals
    service_levels: list[ServiceLevel]
    targets_team: str | None  # whose targets the service levels are held against (None: the general ones)
    volume: list[VolumeCount]
    score_bands: list[ScoreBand]
    channels: list[ChannelCount]
    drivers: list[DriverCount]
    volume_by_hour: list[HourCount]
    weeks: list[WeekFigures]


class CoachingEffect(BaseModel):
    """A coaching note with the agent's results in the `window` interactions before it and after it.

    With a criterion: passes of it among the interactions scored on it; without: the mean total score.
    """

    note_id: int
    interaction_id: int
    created_at: datetime
    agent: str
    criterion_id: str | None
    author: str | None
    text: str
    acknowledged: bool
    window: int
    before_count: int
    before_passed: int | None
    before_pass_rate: float | None
    before_score: float | None
    after_count: int
    after_passed: int | None
    after_pass_rate: float | None
    after_score: float | None


class CoachingTopic(BaseModel):
    """Across the notes on one criterion in a period: pass rates before and after them, added up."""

    criterion_id: str
    notes: int
    agents: int
    window: int  # interactions counted on either side of each note
    before_count: int
    before_passed: int
    before_pass_rate: float | None
    after_count: int
    after_passed: int
    after_pass_rate: float | None
    change: float | None  # after minus before, in percentage points


class PerformanceReview(BaseModel):
    agent: str
    team: str | None
    start: date
    end: date
    summary: AgentRow | None
    trend: list[WeekPoint]
    criteria: list[CriterionRate]
    coaching_notes: int  # len(coaching): the notes written in the period
    coaching_acknowledged: int
    coaching: list[CoachingEffect]


class TeamDashboard(BaseModel):
    start: date | None
    end: date | None
    agents: list[AgentRow]
    topics: list[TopicCount]
    interactions: int
    average_score: float | None
    auto_fails: int


class PeriodReport(BaseModel):
    start: date
    end: date
    agents: list[AgentRow]
    topics: list[TopicCount]

    def csv_rows(self) -> list[list[str]]:
        """Header plus one row per agent, for CSV export; text cells cannot run as spreadsheet formulas."""
        header = list(AgentRow.model_fields)
        rows = [header]
        for row in self.agents:
            values = row.model_dump()
            rows.append([csv_cell(values[k]) for k in header])
        return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell: empty for None, numbers as they are, text starting like a formula prefixed with '."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
