"""Machine-versus-human agreement per criterion, and the automation guard built on it.

A human answer is one a person gave or confirmed as final. Its sources, in rising precedence (a later
source wins for the same interaction and criterion):
  1. finalized reviews (the reviewer's result; the machine's answer is kept in machine_result),
  2. calibration expert answers (the organizer's final answer),
  3. resolved disputes (upheld or rejected: the criterion's result after the decision).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal, Scope
from qa.agreement import repository
from qa.agreement.answers import machine_answer
from qa.agreement.schemas import AgreementWeek, CriterionAgreement, CriterionTrustRead
from qa.audit import service as audit_service
from qa.config import Settings
from qa.interactions.service import day_range
from qa.models import CriterionTrust
from qa.models.base import utcnow
from scoring.agreement import CATEGORIES, PairAgreement, TrustRule, cohen_kappa, trust_of
from scoring.rubric import RubricInvalid, parse_rubric

SourceQuery = Callable[[Session, Scope, str | None, datetime | None], list[Row[Any]]]
HUMAN_ANSWER_SOURCES: tuple[tuple[str, SourceQuery], ...] = (
    ("review", repository.finalized_review_answers),
    ("calibration", repository.calibration_expert_answers),
    ("dispute", repository.resolved_dispute_answers),
)


@dataclass(frozen=True, slots=True)
class HumanAnswer:
    """One criterion of one interaction: what the machine said and what a person settled on."""

    interaction_id: int
    started_at: datetime | None
    rubric_id: str
    rubric_version_id: int
    criterion_id: str
    question: str
    machine: str
    human: str
    source: str


def trust_rule(settings: Settings) -> TrustRule:
    """The automation guard's thresholds from the settings."""
    return TrustRule(min_kappa=settings.trust_min_kappa, min_answers=settings.trust_min_answers)


def human_answers(
    session: Session, scope: Scope, rubric_id: str | None = None, since: datetime | None = None
) -> list[HumanAnswer]:
    """Every settled answer inside `scope`, one per interaction and criterion."""
    settled: dict[tuple[int, str], HumanAnswer] = {}
    for source, query in HUMAN_ANSWER_SOURCES:
        for row in query(session, scope, rubric_id, since):
            machine = machine_answer(row.CriterionResult)
            if machine is None or row.human not in CATEGORIES:
                continue
            settled[(row.interaction_id, row.CriterionResult.criterion_id)] = HumanAnswer(
                interaction_id=row.interaction_id,
                started_at=row.started_at,
                rubric_id=row.rubric_id,
                rubric_version_id=row.rubric_version_id,
                criterion_id=row.CriterionResult.criterion_id,
                question=row.CriterionResult.question,
                machine=machine,
                human=row.human,
                source=source,
            )
    return list(settled.values())


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _row(rubric_id: str, criterion_id: str, question: str, result: PairAgreement) -> CriterionAgreement:
    return CriterionAgreement(
        rubric_id=rubric_id,
        criterion_id=criterion_id,
        question=question,
        n=result.n,
        agreement=_round(result.agreement),
        kappa=_round(result.kappa),
        kappa_low=_round(result.kappa_low),
        kappa_high=_round(result.kappa_high),
        confusion={f"{machine}/{human}": count for (machine, human), count in result.confusion.items()},
    )


def _grouped(answers: list[HumanAnswer]) -> dict[tuple[str, str], list[HumanAnswer]]:
    groups: dict[tuple[str, str], list[HumanAnswer]] = defaultdict(list)
    for answer in answers:
        groups[(answer.rubric_id, answer.criterion_id)].append(answer)
    return dict(sorted(groups.items()))


def agreement_report(
    *, session: Session, principal: Principal, rubric: str | None = None, since: date | None = None
) -> list[CriterionAgreement]:
    """Per rubric criterion: n, percent agreement, Cohen's kappa with its 95 % interval, confusion counts.

    Supervisors, managers and admins; a supervisor's figures cover their team's interactions.
    """
    access.require_reviewer(principal, "reading machine agreement")
    lower, _ = day_range(since, None)
    answers = human_answers(session, access.scope_of(principal), rubric, lower)
    return [
        _row(rubric_id, criterion_id, group[-1].question, cohen_kappa([(a.machine, a.human) for a in group]))
        for (rubric_id, criterion_id), group in _grouped(answers).items()
    ]


def agreement_trend(
    *, session: Session, principal: Principal, rubric: str | None = None, since: date | None = None
) -> list[AgreementWeek]:
    """The same figures per ISO week (Monday) of the interactions, oldest first."""
    access.require_reviewer(principal, "reading machine agreement")
    lower, _ = day_range(since, None)
    weeks: dict[tuple[str, str, date], list[tuple[str, str]]] = defaultdict(list)
    for a in human_answers(session, access.scope_of(principal), rubric, lower):
        if a.started_at is not None:
            day = a.started_at.date()
            weeks[(a.rubric_id, a.criterion_id, day - timedelta(days=day.weekday()))].append(
                (a.machine, a.human)
            )
    points = []
    for (rubric_id, criterion_id, week), pairs in sorted(weeks.items(), key=lambda kv: (kv[0][2], kv[0][:2])):
        result = cohen_kappa(pairs)
        points.append(
            AgreementWeek(
                rubric_id=rubric_id,
                criterion_id=criterion_id,
                week=week,
                n=result.n,
                agreement=_round(result.agreement),
                kappa=_round(result.kappa),
            )
        )
    return points


def refresh_trust(
    *, session: Session, rule: TrustRule, rubric_version_ids: list[int] | None = None
) -> list[CriterionTrustRead]:
    """Recompute and store, per rubric version and criterion, whether the machine can be trusted.

    Uses every settled answer (no scope: trust is a property of the rubric, not of a team). Criteria
    without any human answer are stored as unmeasured, so the rubric author sees all of them.
    """
    versions = repository.rubric_versions(session, rubric_version_ids)
    by_version: dict[int, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for a in human_answers(session, Scope(everything=True)):
        by_version[a.rubric_version_id][a.criterion_id].append((a.machine, a.human))
    now = utcnow()
    for version in versions:
        rows = []
        for criterion_id in sorted(set(_criterion_ids(version.content)) | set(by_version[version.id])):
            result = cohen_kappa(by_version[version.id].get(criterion_id, []))
            rows.append(
                CriterionTrust(
                    rubric_version_id=version.id,
                    criterion_id=criterion_id,
                    status=trust_of(result, rule).value,
                    n=result.n,
                    agreement=result.agreement,
                    kappa=result.kappa,
                    kappa_low=result.kappa_low,
                    kappa_high=result.kappa_high,
                    computed_at=now,
                )
            )
        repository.replace_trust(session, version.id, rows)
    return trust_report_rows(session=session)


def refresh_trust_as(*, session: Session, principal: Principal, rule: TrustRule) -> list[CriterionTrustRead]:
    """refresh_trust on a person's request (managers and admins), audited."""
    access.require_role(principal, access.MANAGERS, "refreshing criterion trust")
    refreshed: list[list[CriterionTrustRead]] = []  # filled by the block; nothing to show before it

    def outcome() -> dict[str, Any] | None:
        if not refreshed:
            return None
        needing = sorted(
            f"{r.rubric_id}@{r.version}:{r.criterion_id}" for r in refreshed[0] if r.status == "needs_human"
        )
        return {"needs_human": needing, "min_kappa": rule.min_kappa, "min_answers": rule.min_answers}

    with audit_service.audited(
        session=session,
        principal=principal,
        action="refresh_trust",
        entity="criterion_trust",
        entity_id=0,
        snapshot=outcome,
    ):
        refreshed.append(refresh_trust(session=session, rule=rule))
    return refreshed[0]


def _criterion_ids(content: str) -> list[str]:
    """The criterion ids of a stored rubric version's YAML (none when it cannot be read)."""
    try:
        return [c.id for c in parse_rubric(content).spec.criteria()]
    except RubricInvalid:
        return []


def trust_report_rows(*, session: Session, rubric: str | None = None) -> list[CriterionTrustRead]:
    """Stored trust of every criterion, by rubric and version (no role check: for internal callers)."""
    rows = repository.trust_rows(session, rubric)
    return [
        CriterionTrustRead(
            rubric_id=row.rubric_id,
            version=row.version,
            criterion_id=row.CriterionTrust.criterion_id,
            status=row.CriterionTrust.status,
            n=row.CriterionTrust.n,
            agreement=_round(row.CriterionTrust.agreement),
            kappa=_round(row.CriterionTrust.kappa),
            kappa_low=_round(row.CriterionTrust.kappa_low),
            kappa_high=_round(row.CriterionTrust.kappa_high),
            computed_at=row.CriterionTrust.computed_at,
        )
        for row in rows
    ]


def trust_report(
    *, session: Session, principal: Principal, rubric: str | None = None
) -> list[CriterionTrustRead]:
    """Which criteria of each rubric version the machine is trusted on (supervisors, managers, admins)."""
    access.require_reviewer(principal, "reading criterion trust")
    return trust_report_rows(session=session, rubric=rubric)


def needs_human_criteria(*, session: Session, evaluation_id: int) -> set[str]:
    """Criteria of this evaluation whose machine answer is only a suggestion."""
    return repository.needs_human_criteria(session, evaluation_id)
