"""Agreement routes: machine against people per criterion, its weekly trend, and criterion trust."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from qa.agreement import service
from qa.agreement.schemas import AgreementWeek, CriterionAgreement, CriterionTrustRead
from qa.auth.dependencies import CurrentPrincipal, SessionDep, SettingsDep

router = APIRouter(prefix="/api/reports", tags=["agreement"])


@router.get("/agreement", response_model=list[CriterionAgreement])
def agreement(
    session: SessionDep, principal: CurrentPrincipal, rubric: str | None = None, since: date | None = None
) -> list[CriterionAgreement]:
    """Per criterion over settled answers: n, agreement, Cohen's kappa with 95 % interval, confusion."""
    return service.agreement_report(session=session, principal=principal, rubric=rubric, since=since)


@router.get("/agreement/trend", response_model=list[AgreementWeek])
def agreement_trend(
    session: SessionDep, principal: CurrentPrincipal, rubric: str | None = None, since: date | None = None
) -> list[AgreementWeek]:
    """The agreement per criterion and week."""
    return service.agreement_trend(session=session, principal=principal, rubric=rubric, since=since)


@router.get("/trust", response_model=list[CriterionTrustRead])
def trust(
    session: SessionDep, principal: CurrentPrincipal, rubric: str | None = None
) -> list[CriterionTrustRead]:
    """Which criteria of each rubric version are trusted, need a person, or are not measured yet."""
    return service.trust_report(session=session, principal=principal, rubric=rubric)


@router.post("/trust/refresh", response_model=list[CriterionTrustRead])
def refresh_trust(
    session: SessionDep, settings: SettingsDep, principal: CurrentPrincipal
) -> list[CriterionTrustRead]:
    """Recompute criterion trust now (manager, admin); the worker also does it on its schedule."""
    return service.refresh_trust_as(session=session, principal=principal, rule=service.trust_rule(settings))
