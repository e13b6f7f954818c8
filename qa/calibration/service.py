"""Calibration sessions: create, answer blind, close, give the expert answer, compare and grade the graders.

Blind means: while a session is open nobody (organizer included) sees another reviewer's answers or the
machine's; the questions come without the machine's answers. Each change is audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.agreement.answers import machine_answer
from qa.audit import service as audit_service
from qa.auth import service as auth_service
from qa.calibration import repository
from qa.calibration.schemas import (
    CalibrationItemRead,
    CalibrationRead,
    CalibrationSummary,
    CriterionComparison,
    CriterionQuestion,
    GraderWeek,
    ReviewerStatus,
)
from qa.errors import Conflict, NotFound, PermissionDenied
from qa.evaluations import service as evaluation_service
from qa.interactions import service as interaction_service
from qa.models import (
    CalibrationAnswer,
    CalibrationExpertAnswer,
    CalibrationItem,
    CalibrationReviewer,
    CalibrationSession,
    CalibrationStatus,
    CriterionResult,
)
from qa.models.base import utcnow
from qa.users import service as user_service
from scoring.agreement import multi_rater_agreement

ENTITY = "calibration_session"
MACHINE = "machine"
MAX_LISTED = 200


def _audited(
    session: Session,
    principal: Principal,
    action: str,
    calibration: CalibrationSession,
    snapshot: audit_service.Snapshot,
    *,
    interaction_id: int | None = None,
) -> AbstractContextManager[audit_service.Change]:
    """One audit entry on the session for the change made in the block, before and after by `snapshot`."""
    return audit_service.audited(
        session=session,
        principal=principal,
        action=action,
        entity=ENTITY,
        snapshot=snapshot,
        entity_id=calibration.id,
        interaction_id=interaction_id,
    )


def _answers_snapshot(
    rows: Callable[[], Sequence[CalibrationAnswer | CalibrationExpertAnswer]],
    interaction_id: int,
    criteria: Collection[str],
) -> audit_service.Snapshot:
    """The stored answers to these criteria of one interaction, or None while there are none."""

    def snapshot() -> dict[str, Any] | None:
        answers = {
            r.criterion_id: r.answer
            for r in rows()
            if r.interaction_id == interaction_id and r.criterion_id in criteria
        }
        return {"answers": dict(sorted(answers.items()))} if answers else None

    return snapshot


def create(
    *,
    session: Session,
    principal: Principal,
    interaction_ids: list[int],
    reviewers: list[str],
    title: str | None = None,
) -> CalibrationRead:
    """Open a session on interactions the organizer may see, inviting reviewers who may see them all.

    Supervisors, managers and admins only; each interaction needs a machine evaluation (its answers are
    the machine's votes).
    """
    access.require_reviewer(principal, "organising a calibration")
    ids = list(dict.fromkeys(interaction_ids))
    evaluations = {}
    agents = {}
    for interaction_id in ids:
        interaction = interaction_service.get_visible(
            session=session, principal=principal, interaction_id=interaction_id
        )
        evaluation = evaluation_service.current_evaluation(session=session, interaction_id=interaction_id)
        if evaluation is None:
            raise Conflict(f"interaction {interaction_id} has no evaluation to calibrate against")
        evaluations[interaction_id] = evaluation.id
        agents[interaction_id] = (
            interaction.agent_id,
            interaction.agent.team_id if interaction.agent else None,
        )
    invited: list[Principal] = []
    for username in dict.fromkeys(name.strip() for name in reviewers):
        reviewer = auth_service.principal_for(session=session, username=username)
        if reviewer is None:
            raise NotFound(f"user '{username}' not found")
        if not access.has_role(reviewer, access.REVIEWERS):
            raise Conflict(
                f"'{username}' is {reviewer.role.value}; only supervisors, managers and admins review"
            )
        for interaction_id, (agent_id, team_id) in agents.items():
            if not access.can_see_agent(reviewer, agent_id=agent_id, agent_team_id=team_id):
                raise Conflict(f"'{username}' may not see interaction {interaction_id}")
        invited.append(reviewer)
    calibration = CalibrationSession(
        title=title, organizer_id=principal.user_id, organizer_name=principal.username
    )
    calibration.items = [
        CalibrationItem(interaction_id=i, evaluation_id=evaluations[i], position=n) for n, i in enumerate(ids)
    ]
    calibration.reviewers = [CalibrationReviewer(user_id=r.user_id, username=r.username) for r in invited]
    created = {"title": title, "interactions": ids, "reviewers": [r.username for r in invited]}
    with audit_service.audited(
        session=session,
        principal=principal,
        action="create_calibration",
        entity=ENTITY,
        snapshot=lambda: created if calibration.id is not None else None,
    ) as change:
        repository.add(session, calibration)
        change.entity_id = calibration.id
    return _read(session, principal, calibration)


def _visible(session: Session, principal: Principal, calibration_id: int) -> CalibrationSession:
    calibration = repository.get(session, calibration_id)
    if calibration is None or not (
        principal.sees_everything
        or calibration.organizer_id == principal.user_id
        or any(r.user_id == principal.user_id for r in calibration.reviewers)
    ):
        raise NotFound(f"calibration {calibration_id} not found")
    return calibration


def _can_manage(principal: Principal, calibration: CalibrationSession) -> bool:
    return principal.sees_everything or calibration.organizer_id == principal.user_id


def _criteria_by_item(session: Session, calibration: CalibrationSession) -> dict[int, list[CriterionResult]]:
    """The machine evaluation's criteria of each interaction of the session."""
    by_evaluation: dict[int, list[CriterionResult]] = defaultdict(list)
    evaluation_ids = [i.evaluation_id for i in calibration.items if i.evaluation_id is not None]
    for criterion in repository.criteria_of(session, evaluation_ids):
        by_evaluation[criterion.evaluation_id].append(criterion)
    return {
        item.interaction_id: by_evaluation.get(item.evaluation_id, []) if item.evaluation_id else []
        for item in calibration.items
    }


def _check_answers(
    session: Session, calibration: CalibrationSession, interaction_id: int, answers: dict[str, str]
) -> None:
    """NotFound unless the interaction is in the session and every answered criterion is on its scorecard."""
    criteria = _criteria_by_item(session, calibration)
    if interaction_id not in criteria:
        raise NotFound(f"interaction {interaction_id} is not part of calibration {calibration.id}")
    unknown = sorted(set(answers) - {c.criterion_id for c in criteria[interaction_id]})
    if unknown:
        raise NotFound(f"interaction {interaction_id} has no criterion '{unknown[0]}'")


def submit_answers(
    *,
    session: Session,
    principal: Principal,
    calibration_id: int,
    interaction_id: int,
    answers: dict[str, str],
) -> CalibrationRead:
    """Store an invited reviewer's answers to one interaction, once; closes the session when the last
    reviewer has answered every interaction."""
    calibration = _visible(session, principal, calibration_id)
    reviewer = next((r for r in calibration.reviewers if r.user_id == principal.user_id), None)
    if reviewer is None:
        raise PermissionDenied(f"only the invited reviewers answer calibration {calibration_id}")
    if calibration.status != CalibrationStatus.OPEN:
        raise Conflict(f"calibration {calibration_id} is closed")
    _check_answers(session, calibration, interaction_id, answers)
    mine = repository.answers(session, calibration.id, principal.user_id)
    if any(a.interaction_id == interaction_id for a in mine):
        raise Conflict(f"you already answered interaction {interaction_id} in calibration {calibration_id}")
    given = _answers_snapshot(
        lambda: repository.answers(session, calibration.id, principal.user_id), interaction_id, answers
    )
    with _audited(
        session, principal, "answer_calibration", calibration, given, interaction_id=interaction_id
    ):
        for criterion_id, answer in answers.items():
            session.add(
                CalibrationAnswer(
                    session_id=calibration.id,
                    interaction_id=interaction_id,
                    user_id=principal.user_id,
                    criterion_id=criterion_id,
                    answer=answer,
                )
            )
    if _everyone_answered(session, calibration):
        _close(session, principal, calibration, reason="every reviewer answered")
    return _read(session, principal, calibration)


def _everyone_answered(session: Session, calibration: CalibrationSession) -> bool:
    answered = {(a.user_id, a.interaction_id) for a in repository.answers(session, calibration.id)}
    return all(
        (r.user_id, i.interaction_id) in answered for r in calibration.reviewers for i in calibration.items
    )


def _close(session: Session, principal: Principal, calibration: CalibrationSession, *, reason: str) -> None:
    def state() -> dict[str, Any]:
        if calibration.status == CalibrationStatus.OPEN:
            return {"status": calibration.status}
        return {"status": calibration.status, "reason": reason}

    with _audited(session, principal, "close_calibration", calibration, state):
        calibration.status = CalibrationStatus.CLOSED.value
        calibration.closed_at = utcnow()


def close(*, session: Session, principal: Principal, calibration_id: int) -> CalibrationRead:
    """Close an open session (its organizer, a manager or an admin); answers become visible."""
    calibration = _visible(session, principal, calibration_id)
    if not _can_manage(principal, calibration):
        raise PermissionDenied(f"only the organizer closes calibration {calibration_id}")
    if calibration.status != CalibrationStatus.OPEN:
        raise Conflict(f"calibration {calibration_id} is already closed")
    _close(session, principal, calibration, reason="closed by the organizer")
    return _read(session, principal, calibration)


def set_expert_answers(
    *,
    session: Session,
    principal: Principal,
    calibration_id: int,
    interaction_id: int,
    answers: dict[str, str],
) -> CalibrationRead:
    """The organizer's final answers for one interaction, given after closing (they may be revised)."""
    calibration = _visible(session, principal, calibration_id)
    if not _can_manage(principal, calibration):
        raise PermissionDenied(f"only the organizer gives the expert answers of calibration {calibration_id}")
    if calibration.status != CalibrationStatus.CLOSED:
        raise Conflict("close the calibration first: the expert answer is given after seeing everyone's")
    _check_answers(session, calibration, interaction_id, answers)
    stored = {
        e.criterion_id: e
        for e in repository.expert_answers(session, calibration.id)
        if e.interaction_id == interaction_id
    }
    given = _answers_snapshot(
        lambda: repository.expert_answers(session, calibration.id), interaction_id, answers
    )
    with _audited(
        session, principal, "expert_answer_calibration", calibration, given, interaction_id=interaction_id
    ):
        for criterion_id, answer in answers.items():
            row = stored.get(criterion_id)
            if row is None:
                session.add(
                    CalibrationExpertAnswer(
                        session_id=calibration.id,
                        interaction_id=interaction_id,
                        criterion_id=criterion_id,
                        answer=answer,
                        user_id=principal.user_id,
                    )
                )
            else:
                row.answer, row.user_id = answer, principal.user_id
    return _read(session, principal, calibration)


def get(*, session: Session, principal: Principal, calibration_id: int) -> CalibrationRead:
    """The session as the caller may see it: own answers while open, everything after closing."""
    return _read(session, principal, _visible(session, principal, calibration_id))


def invitable_reviewers(*, session: Session, principal: Principal) -> list[str]:
    """Usernames of the active supervisors, managers and admins (whom a session may invite)."""
    access.require_reviewer(principal, "organising a calibration")
    return [
        u.username
        for u in user_service.list_users(session=session)
        if u.is_active and u.role in access.REVIEWERS
    ]


def list_sessions(*, session: Session, principal: Principal) -> list[CalibrationSummary]:
    """Sessions the caller organised or was invited to (managers and admins: all), newest first."""
    access.require_reviewer(principal, "calibrating")
    user_id = None if principal.sees_everything else principal.user_id
    return [
        CalibrationSummary(
            id=c.id,
            title=c.title,
            organizer=c.organizer_name,
            status=c.status,
            created_at=c.created_at,
            interactions=len(c.items),
            reviewers=len(c.reviewers),
        )
        for c in repository.list_for(session, user_id, limit=MAX_LISTED)
    ]


def _read(session: Session, principal: Principal, calibration: CalibrationSession) -> CalibrationRead:
    closed = calibration.status == CalibrationStatus.CLOSED
    criteria = _criteria_by_item(session, calibration)
    labels = repository.interaction_labels(session, list(criteria))
    all_answers = repository.answers(session, calibration.id)
    by_rater: dict[int, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for a in all_answers:
        by_rater[a.user_id][a.interaction_id][a.criterion_id] = a.answer
    expert: dict[int, dict[str, str]] = defaultdict(dict)
    if closed:
        for e in repository.expert_answers(session, calibration.id):
            expert[e.interaction_id][e.criterion_id] = e.answer
    items = [
        CalibrationItemRead(
            interaction_id=item.interaction_id,
            agent=labels[item.interaction_id].agent if item.interaction_id in labels else None,
            channel=labels[item.interaction_id].channel if item.interaction_id in labels else "",
            criteria=[
                CriterionQuestion(criterion_id=c.criterion_id, question=c.question)
                for c in criteria[item.interaction_id]
            ],
            # .get: indexing the defaultdict would add an empty answer that counts as answered below.
            my_answers=by_rater.get(principal.user_id, {}).get(item.interaction_id, {}),
        )
        for item in calibration.items
    ]
    reviewers = []
    for r in calibration.reviewers:
        compared = deviations = 0
        for interaction_id, given in by_rater[r.user_id].items():
            for criterion_id, answer in given.items():
                final = expert[interaction_id].get(criterion_id)
                if final is not None:
                    compared += 1
                    deviations += answer != final
        reviewers.append(
            ReviewerStatus(
                username=r.username,
                answered=len(by_rater[r.user_id]),
                submitted=len(by_rater[r.user_id]) == len(calibration.items),
                compared=compared,
                deviations=deviations,
            )
        )
    return CalibrationRead(
        id=calibration.id,
        title=calibration.title,
        organizer=calibration.organizer_name,
        status=calibration.status,
        created_at=calibration.created_at,
        closed_at=calibration.closed_at,
        can_manage=_can_manage(principal, calibration),
        is_reviewer=any(r.user_id == principal.user_id for r in calibration.reviewers),
        reviewers=reviewers,
        items=items,
        criteria=_compare(calibration, criteria, by_rater, expert) if closed else [],
    )


def _compare(
    calibration: CalibrationSession,
    criteria: dict[int, list[CriterionResult]],
    by_rater: dict[int, dict[int, dict[str, str]]],
    expert: dict[int, dict[str, str]],
) -> list[CriterionComparison]:
    """Per criterion (in rubric order), the answers side by side and the agreement statistics."""
    order: dict[str, str] = {}
    for item_criteria in criteria.values():
        for c in item_criteria:
            order.setdefault(c.criterion_id, c.question)
    comparisons = []
    for criterion_id, question in order.items():
        units: list[list[str | None]] = []
        answers: dict[str, dict[str, str]] = {}
        machine: dict[str, str] = {}
        final: dict[str, str] = {}
        for item in calibration.items:
            result = next((c for c in criteria[item.interaction_id] if c.criterion_id == criterion_id), None)
            if result is None:
                continue
            key = str(item.interaction_id)
            people = [
                by_rater[r.user_id][item.interaction_id].get(criterion_id) for r in calibration.reviewers
            ]
            answers[key] = {
                r.username: a for r, a in zip(calibration.reviewers, people, strict=True) if a is not None
            }
            vote = machine_answer(result)
            if vote is not None:
                machine[key] = vote
            if criterion_id in expert[item.interaction_id]:
                final[key] = expert[item.interaction_id][criterion_id]
            units.append([*people, vote])
        with_machine = multi_rater_agreement(units)
        people_only = multi_rater_agreement([unit[:-1] for unit in units])
        comparisons.append(
            CriterionComparison(
                criterion_id=criterion_id,
                question=question,
                units=with_machine.units,
                agreement=_rounded(with_machine.agreement),
                kappa=_rounded(with_machine.kappa),
                statistic=with_machine.statistic,
                people_agreement=_rounded(people_only.agreement),
                people_kappa=_rounded(people_only.kappa),
                answers=answers,
                machine=machine,
                expert=final,
            )
        )
    return comparisons


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _monday(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def grader_report(*, session: Session, principal: Principal, since: date | None = None) -> list[GraderWeek]:
    """Each rater's deviation from the expert answers per week ("grade the grader"), the machine included.

    Managers and admins see every reviewer; a supervisor sees themselves and the machine.
    """
    access.require_reviewer(principal, "grading the graders")
    lower, _ = interaction_service.day_range(since, None)
    counts: dict[tuple[str, date], list[int]] = defaultdict(lambda: [0, 0])
    for row in repository.graded_answers(session, lower):
        if principal.sees_everything or row.rater == principal.username:
            tally = counts[(row.rater, _monday(row.closed_at))]
            tally[0] += 1
            tally[1] += row.answer != row.expert
    for row in repository.graded_machine_answers(session, lower):
        vote = machine_answer(row.CriterionResult)
        if vote is not None:
            tally = counts[(MACHINE, _monday(row.closed_at))]
            tally[0] += 1
            tally[1] += vote != row.expert
    return [
        GraderWeek(
            rater=rater,
            week=week,
            compared=compared,
            deviations=deviations,
            deviation_rate=round(deviations / compared, 4) if compared else None,
        )
        for (rater, week), (compared, deviations) in sorted(
            counts.items(), key=lambda kv: (kv[0][1], kv[0][0])
        )
    ]
