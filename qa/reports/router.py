"""Report routes: an agent's weekly trend, pass rates, performance review, dashboard, period report."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Response

from qa.agents import service as agent_service
from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.reports import service
from qa.reports.schemas import (
    AgentRead,
    CoachingEffect,
    CoachingTopic,
    ContactFigures,
    CriterionRate,
    PerformanceReview,
    PeriodReport,
    RepeatContact,
    TeamDashboard,
    WeekPoint,
)

router = APIRouter(tags=["reports"])


@router.get("/api/agents", response_model=list[AgentRead])
def list_agents(session: SessionDep, principal: CurrentPrincipal) -> list[AgentRead]:
    """Agents whose work the caller may see: all, their team's, or only themselves."""
    agents = agent_service.list_visible_agents(session=session, principal=principal)
    return [AgentRead.model_validate(agent) for agent in agents]


@router.get("/api/agents/{name}/trend", response_model=list[WeekPoint])
def agent_trend(
    name: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    start: date | None = None,
    end: date | None = None,
) -> list[WeekPoint]:
    """The agent's average score per week."""
    return service.agent_trend(session=session, principal=principal, agent=name, start=start, end=end)


@router.get("/api/agents/{name}/review", response_model=PerformanceReview)
def performance_review(
    name: str, start: date, end: date, session: SessionDep, principal: CurrentPrincipal
) -> PerformanceReview:
    """One agent's quality over a period."""
    return service.performance_review(session=session, principal=principal, agent=name, start=start, end=end)


@router.get("/api/reports/criteria", response_model=list[CriterionRate])
def criterion_pass_rates(
    session: SessionDep,
    principal: CurrentPrincipal,
    agent: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[CriterionRate]:
    """Per criterion, the agent's pass rate against their team's."""
    return service.criterion_pass_rates(
        session=session, principal=principal, agent=agent, start=start, end=end
    )


@router.get("/api/reports/dashboard", response_model=TeamDashboard)
def team_dashboard(
    session: SessionDep, principal: CurrentPrincipal, start: date | None = None, end: date | None = None
) -> TeamDashboard:
    """Per-agent figures and contact drivers within the caller's scope."""
    return service.team_dashboard(session=session, principal=principal, start=start, end=end)


@router.get("/api/reports/contacts", response_model=ContactFigures)
def contact_figures(
    session: SessionDep,
    principal: CurrentPrincipal,
    start: date | None = None,
    end: date | None = None,
    agent: str | None = None,
) -> ContactFigures:
    """Score bands, channel mix, contact drivers, volume by hour, weekly figures and repeat contacts."""
    return service.contact_figures(session=session, principal=principal, start=start, end=end, agent=agent)


@router.get("/api/reports/repeat-contacts", response_model=list[RepeatContact])
def repeat_contacts(
    session: SessionDep,
    principal: CurrentPrincipal,
    start: date | None = None,
    end: date | None = None,
    agent: str | None = None,
) -> list[RepeatContact]:
    """The contacts whose customer came back within the repeat window, with the contact that followed."""
    return service.repeat_contacts(session=session, principal=principal, start=start, end=end, agent=agent)


@router.get("/api/agents/{name}/coaching-history", response_model=list[CoachingEffect])
def coaching_history(
    name: str,
    session: SessionDep,
    principal: CurrentPrincipal,
    start: date | None = None,
    end: date | None = None,
) -> list[CoachingEffect]:
    """Each coaching note to the agent in the period, with their results in the interactions around it."""
    return service.coaching_history(session=session, principal=principal, agent=name, start=start, end=end)


@router.get("/api/reports/coaching-topics", response_model=list[CoachingTopic])
def coaching_topics(
    session: SessionDep, principal: CurrentPrincipal, start: date | None = None, end: date | None = None
) -> list[CoachingTopic]:
    """Per coached criterion: pass rates before and after the period's notes, within the caller's scope."""
    return service.coaching_topics(session=session, principal=principal, start=start, end=end)


@router.get(
    "/api/reports/period", response_model=PeriodReport, responses={200: {"content": {"text/csv": {}}}}
)
def period_report(
    start: date,
    end: date,
    session: SessionDep,
    principal: CurrentPrincipal,
    format: Literal["json", "csv"] = "json",
) -> PeriodReport | Response:
    """Per-agent figures between two days (inclusive), as JSON or CSV."""
    report = service.period_report(session=session, principal=principal, start=start, end=end)
    if format == "csv":
        filename = f"callcoach-{start}-{end}.csv"
        return Response(
            content=service.period_report_csv(report),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return report
