"""What the reports return: weekly trends, criterion pass rates, per-agent rows and period reports."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict


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


class TopicCount(BaseModel):
    topic: str
    interactions: int
    average_score: float | None


class PerformanceReview(BaseModel):
    agent: str
    team: str | None
    start: date
    end: date
    summary: AgentRow | None
    trend: list[WeekPoint]
    criteria: list[CriterionRate]
    coaching_notes: int
    coaching_acknowledged: int


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
        """Header plus one row per agent, for CSV export."""
        header = list(AgentRow.model_fields)
        rows = [header]
        for row in self.agents:
            values = row.model_dump()
            rows.append(["" if values[k] is None else str(values[k]) for k in header])
        return rows
