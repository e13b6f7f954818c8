"""Weekly review assignments: run each team's sampling plan for an ISO week, exactly once in effect.

Picks come from scoring.sampling (stratified random per agent plus always-review rules) and are spread
evenly over the team's reviewers. Running a week again adds only what is missing: random picks made
earlier count toward each agent's N, and the (interaction, week) unique constraint backs the check.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.agents import repository as agent_repository
from qa.agreement import service as agreement_service
from qa.assignments import repository
from qa.assignments.schemas import AssignmentRead, MyAssignments, TeamRun, WorkloadRow
from qa.errors import CallcoachError
from qa.models import ReviewAssignment
from scoring.agreement import TrustRule
from scoring.sampling import (
    SAMPLE,
    Candidate,
    SamplingPlan,
    assign_evenly,
    due_date,
    load_plans,
    parse_week,
    select_sample,
    week_label,
)


class PlanError(CallcoachError):
    """A sampling plan that does not fit the stored data (unknown team, no reviewers)."""


def previous_week(today: date) -> str:
    """The ISO week before the one `today` is in (what the scheduled run assigns)."""
    return week_label(today - timedelta(days=7))


def plans_in(folder: Path) -> list[SamplingPlan]:
    """The plans of a folder; PlanInvalid (one line: file, field, problem) when one is bad."""
    return load_plans(folder)


def _candidate(row: Row[Any], needs_human: set[int], disputed: set[int]) -> Candidate:
    metrics = row.metrics or {}
    silence = metrics.get("silence_longest_seconds")
    return Candidate(
        interaction_id=row.id,
        agent=row.agent,
        channel=row.channel,
        topic=row.topic,
        auto_fail=bool(row.auto_fail),
        customer_sentiment_end=row.customer_sentiment_end,
        recognition_confidence=row.confidence,
        longest_silence_seconds=float(silence) if isinstance(silence, int | float) else None,
        open_dispute=row.id in disputed,
        needs_human=row.id in needs_human,
    )


def run_plan(*, session: Session, plan: SamplingPlan, week: str) -> TeamRun:
    """Create the missing assignments of one team's plan for `week` (YYYY-Www)."""
    spec = plan.spec
    try:
        monday = parse_week(week)
    except ValueError as exc:
        raise PlanError(str(exc)) from None
    team = agent_repository.get_team_by_name(session, spec.team)
    if team is None:
        raise PlanError(f"{plan.source}: team: no team called '{spec.team}'")
    if spec.reviewers:
        named = repository.users_named(session, spec.reviewers)
        missing = [name for name in spec.reviewers if name not in named or not named[name].is_active]
        if missing:
            raise PlanError(f"{plan.source}: reviewers: no active user called '{missing[0]}'")
        reviewers = [named[name] for name in spec.reviewers]
    else:
        reviewers = repository.team_supervisors(session, team.id)
    if not reviewers:
        raise PlanError(f"{plan.source}: reviewers: team '{spec.team}' has no supervisors to assign to")
    start = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
    rows = repository.candidates(session, team.id, start, start + timedelta(days=7))
    flagged = repository.needing_human(session, [r.id for r in rows])
    disputed = repository.with_open_dispute(session, [r.id for r in rows])
    existing = repository.of_team_week(session, team.id, week)
    taken = {a.interaction_id for a in existing}
    sampled = _sampled(existing, list(rows))
    picks = select_sample(
        [_candidate(r, flagged, disputed) for r in rows],
        spec,
        seed=f"{spec.team}:{week}",
        already_sampled=sampled,
    )
    load = Counter(a.reviewer_name for a in existing)
    by_name = {r.username: r for r in reviewers}
    due = due_date(monday, spec.due_days)
    created: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for pick, reviewer in assign_evenly(
        [p for p in picks if p.interaction_id not in taken], list(by_name), load
    ):
        row = ReviewAssignment(
            week=week,
            team_id=team.id,
            interaction_id=pick.interaction_id,
            reviewer_id=by_name[reviewer].id,
            reviewer_name=reviewer,
            reason=pick.reason,
            stratum=pick.stratum,
            due_on=due,
        )
        if repository.add_once(session, row):
            created[reviewer] += 1
            reasons[pick.reason] += 1
    return TeamRun(
        team=spec.team,
        week=week,
        created=sum(created.values()),
        already=len(existing),
        by_reviewer=dict(sorted(created.items())),
        by_reason=dict(sorted(reasons.items())),
        due_on=due,
    )


def _sampled(existing: list[ReviewAssignment], rows: list[Row[Any]]) -> dict[str, int]:
    """Random picks already made this week, per agent."""
    agent_of = {r.id: r.agent for r in rows}
    counts: Counter[str] = Counter()
    for a in existing:
        if a.reason == SAMPLE and a.interaction_id in agent_of:
            counts[agent_of[a.interaction_id]] += 1
    return dict(counts)


def run_week(*, session: Session, plans: list[SamplingPlan], week: str, rule: TrustRule) -> list[TeamRun]:
    """Refresh criterion trust (the needs-human rule reads it), then run every team's plan for `week`."""
    agreement_service.refresh_trust(session=session, rule=rule)
    return [run_plan(session=session, plan=plan, week=week) for plan in plans]


def _read(row: Row[Any]) -> AssignmentRead:
    return AssignmentRead.model_validate(row._mapping)


def my_assignments(
    *, session: Session, principal: Principal, week: str | None = None, today: date | None = None
) -> MyAssignments:
    """The caller's assignments (reviewers only), open first, with counts and the next due day."""
    access.require_reviewer(principal, "reviewing assignments")
    today = today or datetime.now(UTC).date()
    items = [_read(r) for r in repository.of_reviewer(session, principal.user_id, week)]
    open_items = [i for i in items if not i.done]
    return MyAssignments(
        items=items,
        total=len(items),
        done=len(items) - len(open_items),
        overdue=sum(i.due_on < today for i in open_items),
        next_due=min((i.due_on for i in open_items), default=None),
    )


def workload(
    *, session: Session, principal: Principal, since: date | None = None, today: date | None = None
) -> list[WorkloadRow]:
    """Per reviewer and week: assigned, completed and overdue; managers all teams, supervisors their own."""
    access.require_reviewer(principal, "reading reviewer workload")
    today = today or datetime.now(UTC).date()
    rows = repository.workload(
        session, access.scope_of(principal), week_label(since) if since else None, today
    )
    return [
        WorkloadRow(
            reviewer=r.reviewer,
            week=r.week,
            assigned=r.assigned,
            completed=int(r.completed or 0),
            overdue=int(r.overdue or 0),
            completion=round(int(r.completed or 0) / r.assigned, 4) if r.assigned else None,
        )
        for r in rows
    ]
