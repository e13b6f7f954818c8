"""Agent trends, criterion pass rates, performance reviews, team dashboards and period reports, scoped."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal, Scope
from qa.agents import repository as agent_repository
from qa.coaching import service as coaching_service
from qa.coaching.schemas import CoachingNoteRead
from qa.config import ServiceTargets, get_settings
from qa.errors import Conflict, NotFound
from qa.interactions.service import day_range
from qa.models import Agent, Role, Team
from qa.models.enums import Channel
from qa.reports import coaching_repository, contacts_repository, levels_repository, repository
from qa.reports.contacts_repository import RepeatRule
from qa.reports.schemas import (
    AgentRow,
    ChannelCount,
    CoachingEffect,
    CoachingTopic,
    ContactFigures,
    ContactTotals,
    CriterionRate,
    DriverCount,
    HourCount,
    PerformanceReview,
    PeriodReport,
    RepeatContact,
    ScoreBand,
    ServiceLevel,
    TeamDashboard,
    TopicCount,
    VolumeCount,
    WeekFigures,
    WeekPoint,
)


def _visible_agent(session: Session, principal: Principal, name: str) -> Agent:
    agent = agent_repository.get_agent_by_name(session, name)
    if agent is None or not access.can_see_agent(principal, agent_id=agent.id, agent_team_id=agent.team_id):
        raise NotFound(f"agent '{name}' not found")
    return agent


def _number(value: Any, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _week(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def agent_trend(
    *, session: Session, principal: Principal, agent: str, start: date | None = None, end: date | None = None
) -> list[WeekPoint]:
    """The agent's average score per week (Monday), oldest first; weeks without scores are left out."""
    row = _visible_agent(session, principal, agent)
    lower, upper = day_range(start, end)
    weeks: dict[date, list[float]] = defaultdict(list)
    for point in repository.scores_of_agent(session, row.id, lower, upper):
        weeks[_week(point.started_at)].append(point.total)
    return [
        WeekPoint(week=week, score=_number(sum(scores) / len(scores)), count=len(scores))
        for week, scores in sorted(weeks.items())
    ]


def _rates(rows: list[Row[Any]]) -> dict[str, tuple[str, float | None, int]]:
    return {
        r.criterion_id: (r.question, _number(r.passed / r.scored, 4) if r.scored else None, int(r.scored))
        for r in rows
    }


def criterion_pass_rates(
    *,
    session: Session,
    principal: Principal,
    agent: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[CriterionRate]:
    """Per criterion, the agent's pass rate and their team's (pass / (pass + fail)).

    Without `agent` an agent user gets their own; for others the "team" figures cover their whole scope.
    """
    lower, upper = day_range(start, end)
    agent_row: Agent | None = None
    if agent is not None:
        agent_row = _visible_agent(session, principal, agent)
    elif principal.role == Role.AGENT and principal.agent_id is not None:
        agent_row = repository.get_agent(session, principal.agent_id)
    mine: dict[str, tuple[str, float | None, int]] = {}
    if agent_row is not None:
        mine = _rates(repository.pass_rates(session, Scope(agent_id=agent_row.id), lower, upper))
    if agent_row is None:
        team_scope = access.scope_of(principal)
    elif agent_row.team_id is not None:
        # Aggregates of the agent's team: a benchmark for the agent, no colleague's results.
        team_scope = Scope(team_id=agent_row.team_id)
    else:
        team_scope = Scope(agent_id=agent_row.id)
    team = _rates(repository.pass_rates(session, team_scope, lower, upper))
    rates = []
    for criterion_id in sorted(set(mine) | set(team)):
        question, agent_rate, agent_scored = mine.get(criterion_id, ("", None, 0))
        team_question, team_rate, team_scored = team.get(criterion_id, ("", None, 0))
        rates.append(
            CriterionRate(
                criterion_id=criterion_id,
                question=question or team_question,
                agent_pass_rate=agent_rate,
                agent_scored=agent_scored,
                team_pass_rate=team_rate,
                team_scored=team_scored,
            )
        )
    return rates


def _agent_rows(rows: list[Row[Any]]) -> list[AgentRow]:
    return [
        AgentRow(
            agent=r.agent,
            team=r.team,
            interactions=int(r.interactions),
            scored=int(r.scored),
            average_score=_number(r.average_score),
            auto_fails=int(r.auto_fails or 0),
            reviewed=int(r.reviewed or 0),
            average_csat=_number(r.average_csat),
            average_handle_seconds=_number(r.average_handle_seconds, 1),
            average_wait_seconds=_number(r.average_wait_seconds, 1),
            average_customer_sentiment_end=_number(r.average_customer_sentiment_end, 3),
        )
        for r in rows
    ]


def _topics(rows: list[Row[Any]]) -> list[TopicCount]:
    return [
        TopicCount(topic=r.topic, interactions=int(r.interactions), average_score=_number(r.average_score))
        for r in rows
    ]


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise Conflict(f"the period ends ({end}) before it starts ({start})")


def performance_review(
    *, session: Session, principal: Principal, agent: str, start: date, end: date
) -> PerformanceReview:
    """One agent's quality over a period: summary, weekly trend, criterion pass rates, coaching."""
    _check_period(start, end)
    row = _visible_agent(session, principal, agent)
    lower, upper = day_range(start, end)
    summary = _agent_rows(repository.agent_rows(session, Scope(agent_id=row.id), lower, upper))
    # The counts come from the same list the table shows, so the summary line cannot contradict it.
    coaching = coaching_history(session=session, principal=principal, agent=agent, start=start, end=end)
    return PerformanceReview(
        agent=row.name,
        team=summary[0].team if summary else None,
        start=start,
        end=end,
        summary=summary[0] if summary else None,
        trend=agent_trend(session=session, principal=principal, agent=agent, start=start, end=end),
        criteria=criterion_pass_rates(
            session=session, principal=principal, agent=agent, start=start, end=end
        ),
        coaching_notes=len(coaching),
        coaching_acknowledged=sum(effect.acknowledged for effect in coaching),
        coaching=coaching,
    )


def team_dashboard(
    *, session: Session, principal: Principal, start: date | None = None, end: date | None = None
) -> TeamDashboard:
    """Per-agent rows and contact drivers over the principal's scope (an agent sees only their own row)."""
    lower, upper = day_range(start, end)
    scope = access.scope_of(principal)
    agents = _agent_rows(repository.agent_rows(session, scope, lower, upper))
    scored = sum(a.scored for a in agents)
    weighted = sum((a.average_score or 0.0) * a.scored for a in agents)
    return TeamDashboard(
        start=start,
        end=end,
        agents=agents,
        topics=_topics(repository.topic_counts(session, scope, lower, upper)),
        interactions=sum(a.interactions for a in agents),
        average_score=_number(weighted / scored) if scored else None,
        auto_fails=sum(a.auto_fails for a in agents),
    )


def period_report(*, session: Session, principal: Principal, start: date, end: date) -> PeriodReport:
    """Per-agent figures and contact drivers between two days (inclusive), within the principal's scope."""
    _check_period(start, end)
    lower, upper = day_range(start, end)
    scope = access.scope_of(principal)
    return PeriodReport(
        start=start,
        end=end,
        agents=_agent_rows(repository.agent_rows(session, scope, lower, upper)),
        topics=_topics(repository.topic_counts(session, scope, lower, upper)),
    )


def period_report_csv(report: PeriodReport) -> str:
    """The report's per-agent rows as CSV text with a header line."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(report.csv_rows())
    return buffer.getvalue()


# ---------------------------------------------------------------- period figures, computed in the database


def _figures_scope(session: Session, principal: Principal, agent: str | None) -> Scope:
    """The principal's scope, narrowed to `agent` when given (NotFound when outside it)."""
    if agent is not None:
        return Scope(agent_id=_visible_agent(session, principal, agent).id)
    return access.scope_of(principal)


@dataclass
class _Sums:
    """Counts and sums of one week, or of the whole period, added up from weeks_by_band rows."""

    interactions: int = 0
    auto_fails: int = 0
    reviewed: int = 0
    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    known: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, row: Row[Any]) -> None:
        self.interactions += int(row.interactions)
        self.auto_fails += int(row.auto_fails or 0)
        self.reviewed += int(row.reviewed or 0)
        for name in _MEASURES:
            self.sums[name] += float(getattr(row, f"sum_{name}") or 0)
            self.known[name] += int(getattr(row, f"n_{name}") or 0)

    def mean(self, name: str, digits: int = 2) -> float | None:
        n = self.known[name]
        return _number(self.sums[name] / n, digits) if n else None


_MEASURES = ("score", "sentiment", "handle", "wait", "csat")


def _week_figures(week: date, sums: _Sums, customers: int, repeated: int) -> WeekFigures:
    return WeekFigures(
        week=week,
        interactions=sums.interactions,
        scored=sums.known["score"],
        average_score=sums.mean("score"),
        average_customer_sentiment_end=sums.mean("sentiment", 3),
        average_handle_seconds=sums.mean("handle", 1),
        average_wait_seconds=sums.mean("wait", 1),
        average_csat=sums.mean("csat"),
        customers=customers,
        repeat_contacts=repeated,
    )


def contact_figures(
    *,
    session: Session,
    principal: Principal,
    start: date | None = None,
    end: date | None = None,
    agent: str | None = None,
) -> ContactFigures:
    """Volume, scores, sentiment, times, CSAT, service levels and repeat contacts of a period, in scope.

    With `agent`, only that agent's contacts (NotFound when outside the scope). Weeks start on Monday and
    hours are UTC. Repeat contacts follow the configured RepeatRule (see repeat_rule); first-contact
    resolution is the share of contacts with a known customer that were not repeated. Service levels are
    held against the targets of the agent's team, or the supervisor's, else the general ones.
    """
    if start is not None and end is not None:
        _check_period(start, end)
    lower, upper = day_range(start, end)
    scope = _figures_scope(session, principal, agent)
    settings = get_settings()
    rule = RepeatRule.from_settings(settings)
    team = _team_of(session, scope)
    targets = settings.targets_for_team(team)
    period = _Sums()
    weeks: dict[date, _Sums] = defaultdict(_Sums)
    bands: dict[int, int] = defaultdict(int)
    for row in contacts_repository.weeks_by_band(session, scope, lower, upper):
        period.add(row)
        weeks[contacts_repository.as_date(row.week)].add(row)
        if row.band is not None:
            bands[int(row.band)] += int(row.interactions)
    repeats = {
        contacts_repository.as_date(r.week): (int(r.customers), int(r.repeated or 0))
        for r in contacts_repository.repeats(session, scope, lower, upper, rule)
    }
    customers = sum(c for c, _ in repeats.values())
    repeated = sum(r for _, r in repeats.values())
    width = contacts_repository.BAND_WIDTH
    levels = service_levels(levels_repository.service_levels(session, scope, lower, upper, targets), targets)
    return ContactFigures(
        start=start,
        end=end,
        agent=agent,
        totals=ContactTotals(
            interactions=period.interactions,
            scored=period.known["score"],
            average_score=period.mean("score"),
            auto_fails=period.auto_fails,
            reviewed=period.reviewed,
            average_csat=period.mean("csat"),
            average_handle_seconds=period.mean("handle", 1),
            average_wait_seconds=period.mean("wait", 1),
            average_customer_sentiment_end=period.mean("sentiment", 3),
            customers=customers,
            repeat_contacts=repeated,
            first_contact_resolution=_number(1 - repeated / customers, 4) if customers else None,
            repeat_rule=describe_repeat_rule(rule),
            speed_of_answer_seconds=levels[0].average_seconds,
        ),
        service_levels=levels,
        targets_team=team if team in settings.service_targets_for_team else None,
        volume=[
            VolumeCount(
                month=contacts_repository.as_date(r.month),
                program=r.program,
                channel=r.channel,
                topic=r.topic,
                count=int(r.contacts),
            )
            for r in contacts_repository.volume(session, scope, lower, upper)
        ],
        score_bands=[
            ScoreBand(band=f"{n * width}-{(n + 1) * width}", count=bands[n])
            for n in range(contacts_repository.BANDS)
        ],
        channels=[
            ChannelCount(
                channel=r.channel,
                count=int(r.contacts),
                scored=int(r.scored),
                average_score=_number(r.average_score),
                average_csat=_number(r.average_csat),
                average_handle_seconds=_number(r.average_handle_seconds, 1),
            )
            for r in contacts_repository.channels(session, scope, lower, upper)
        ],
        drivers=[
            DriverCount(
                week=contacts_repository.as_date(r.week),
                program=r.program,
                topic=r.topic,
                count=int(r.contacts),
            )
            for r in contacts_repository.drivers(session, scope, lower, upper)
        ],
        volume_by_hour=[
            HourCount(weekday=int(r.weekday), hour=int(r.hour), count=int(r.contacts))
            for r in contacts_repository.hours(session, scope, lower, upper)
        ],
        weeks=[_week_figures(week, sums, *repeats.get(week, (0, 0))) for week, sums in sorted(weeks.items())],
    )


def describe_repeat_rule(rule: RepeatRule) -> str:
    """The rule in words, for the figures' captions."""
    about = "about the same program " if rule.same_program else ""
    text = f"the same customer contacts again {about}within {rule.days} days"
    overrides = [f"{name}: {days}" for name, days in sorted(rule.days_for_program.items())]
    overrides += [f"{name}: {days}" for name, days in sorted(rule.days_for_channel.items())]
    return text + (f" (days by program, then channel: {', '.join(overrides)})" if overrides else "")


def _team_of(session: Session, scope: Scope) -> str | None:
    """The team whose targets apply to `scope`: one agent's team, or the supervisor's."""
    team_id = scope.team_id
    if scope.agent_id is not None:
        agent = repository.get_agent(session, scope.agent_id)
        team_id = agent.team_id if agent is not None else None
    team = session.get(Team, team_id) if team_id is not None else None
    return team.name if team is not None else None


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _business_days(days: int) -> str:
    return f"{days} business day{'' if days == 1 else 's'}"


def service_levels(rows: list[Row[Any]], targets: ServiceTargets) -> list[ServiceLevel]:
    """Each channel's measures against `targets`: calls (speed of answer first), chats, e-mails, forms."""
    by_channel = {r.channel: r for r in rows}
    levels: list[ServiceLevel] = []

    def add(channel: str, measure: str, target: str, share: float, *, resolution: bool = False) -> None:
        row = by_channel.get(channel)
        name = "resolution" if resolution else "wait"
        contacts = int(getattr(row, f"n_{name}") or 0) if row is not None else 0
        within = int(getattr(row, f"in_time_{name}") or 0) if row is not None else 0
        total = float(getattr(row, f"sum_{name}") or 0) if row is not None else 0.0
        rate = _number(within / contacts, 4) if contacts else None
        levels.append(
            ServiceLevel(
                channel=channel,
                measure=measure,
                contacts=contacts,
                average_seconds=_number(total / contacts, 1) if contacts else None,
                within_target=within,
                share=rate,
                target=target,
                target_share=share,
                met=None if rate is None else rate >= share,
            )
        )

    add(Channel.CALL, "speed of answer", _seconds(targets.answer_seconds), targets.answer_share)
    call = by_channel.get(Channel.CALL)
    offered, abandoned = (int(call.contacts), int(call.abandoned or 0)) if call is not None else (0, 0)
    abandon_rate = _number(abandoned / offered, 4) if offered else None
    levels.append(
        ServiceLevel(
            channel=Channel.CALL,
            measure="abandoned",
            contacts=offered,
            average_seconds=None,
            within_target=abandoned,
            share=abandon_rate,
            target="before an answer",
            target_share=targets.abandon_share,
            met=None if abandon_rate is None else abandon_rate <= targets.abandon_share,
        )
    )
    add(Channel.CHAT, "first response", _seconds(targets.chat_response_seconds), targets.chat_response_share)
    for channel in (Channel.EMAIL, Channel.FORM):
        add(channel, "first reply", _business_days(targets.reply_business_days), targets.reply_share)
        add(
            channel,
            "resolution",
            _business_days(targets.resolve_business_days),
            targets.resolve_share,
            resolution=True,
        )
    return levels


REPEAT_LIST_LIMIT = 500


def repeat_contacts(
    *,
    session: Session,
    principal: Principal,
    start: date | None = None,
    end: date | None = None,
    agent: str | None = None,
) -> list[RepeatContact]:
    """The period's repeated contacts in scope, newest first (at most REPEAT_LIST_LIMIT); reviewers only."""
    access.require_reviewer(principal, "list repeat contacts")
    if start is not None and end is not None:
        _check_period(start, end)
    lower, upper = day_range(start, end)
    scope = _figures_scope(session, principal, agent)
    rule = RepeatRule.from_settings(get_settings())
    return [
        RepeatContact(
            interaction_id=r.id,
            agent=r.agent,
            channel=r.channel,
            program=r.program,
            started_at=_utc(r.started_at),
            next_interaction_id=r.next_id,
            next_agent=r.next_agent,
            next_channel=r.next_channel,
            next_started_at=_utc(r.next_at),
            days_between=round(float(r.seconds_between) / 86400, 2),
        )
        for r in contacts_repository.repeat_contacts(session, scope, lower, upper, rule, REPEAT_LIST_LIMIT)
    ]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _in_period(note: CoachingNoteRead, start: date | None, end: date | None) -> bool:
    lower, upper = day_range(start, end)
    moment = _utc(note.created_at)
    return (lower is None or moment >= lower) and (upper is None or moment < upper)


def _effect(session: Session, note: CoachingNoteRead, window: int) -> CoachingEffect:
    moment = _utc(note.created_at)
    before, after = coaching_repository.results_around(
        session, agent_id=note.agent_id, criterion_id=note.criterion_id, moment=moment, count=window
    )
    coached = note.criterion_id is not None

    def side(row: Row[Any]) -> dict[str, Any]:
        count, value = int(row.interactions), float(row.value_sum or 0)
        return {
            "count": count,
            "passed": int(value) if coached else None,
            "pass_rate": _number(value / count, 4) if coached and count else None,
            "score": _number(value / count, 1) if not coached and count else None,
        }

    return CoachingEffect(
        note_id=note.id,
        interaction_id=note.interaction_id,
        created_at=moment,
        agent=note.agent,
        criterion_id=note.criterion_id,
        author=note.author,
        text=note.text,
        acknowledged=note.acknowledged_at is not None,
        window=window,
        **{f"before_{k}": v for k, v in side(before).items()},
        **{f"after_{k}": v for k, v in side(after).items()},
    )


def coaching_history(
    *,
    session: Session,
    principal: Principal,
    agent: str,
    start: date | None = None,
    end: date | None = None,
) -> list[CoachingEffect]:
    """Each coaching note to the agent written in the period (either end open), newest first, with their
    results in the configured number of interactions before and after it."""
    row = _visible_agent(session, principal, agent)
    window = get_settings().coaching_effect_interactions
    notes = coaching_service.list_notes(session=session, principal=principal, agent=row.name)
    return [_effect(session, note, window) for note in notes if _in_period(note, start, end)]


def coaching_topics(
    *, session: Session, principal: Principal, start: date | None = None, end: date | None = None
) -> list[CoachingTopic]:
    """Per coached criterion over the period's notes in scope: pass rates before and after, the largest
    improvement first (notes without a criterion are left out); reviewers only."""
    access.require_reviewer(principal, "compare coaching topics")
    window = get_settings().coaching_effect_interactions
    notes = coaching_service.list_notes(session=session, principal=principal)
    by_criterion: dict[str, list[CoachingEffect]] = defaultdict(list)
    for note in notes:
        if note.criterion_id is not None and _in_period(note, start, end):
            by_criterion[note.criterion_id].append(_effect(session, note, window))
    topics = []
    for criterion_id, effects in by_criterion.items():
        before_count = sum(e.before_count for e in effects)
        before_passed = sum(e.before_passed or 0 for e in effects)
        after_count = sum(e.after_count for e in effects)
        after_passed = sum(e.after_passed or 0 for e in effects)
        before_rate = _number(before_passed / before_count, 4) if before_count else None
        after_rate = _number(after_passed / after_count, 4) if after_count else None
        change = None
        if before_rate is not None and after_rate is not None:
            change = round(100 * (after_rate - before_rate), 1)
        topics.append(
            CoachingTopic(
                criterion_id=criterion_id,
                notes=len(effects),
                agents=len({e.agent for e in effects}),
                window=window,
                before_count=before_count,
                before_passed=before_passed,
                before_pass_rate=before_rate,
                after_count=after_count,
                after_passed=after_passed,
                after_pass_rate=after_rate,
                change=change,
            )
        )
    return sorted(topics, key=lambda t: (t.change is None, -(t.change or 0), t.criterion_id))
