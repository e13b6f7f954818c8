"""Per criterion and answer: CSAT and repeat contacts of the interactions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.interactions.repository import scope_clause
from qa.models import CriterionResult, Evaluation, Interaction
from qa.models.enums import SCORED_ANSWERS
from qa.reports.contacts_repository import RepeatRule, calendar, is_repeated, next_contacts


def criterion_outcomes(
    session: Session, scope: Scope, start: datetime | None, end: datetime | None, rule: RepeatRule
) -> list[Row[Any]]:
    """Per (criterion, pass|fail) over current evaluations in scope and period: interactions, CSAT count
    and mean, contacts with a known customer and how many of them the customer repeated within the window
    (`rule`, qa.reports' first-contact-resolution rule)."""
    contacts = next_contacts(start, rule)
    repeated = is_repeated(calendar(session), contacts)
    window: list[Any] = [scope_clause(scope, Interaction.agent_id)]
    if start is not None:
        window.append(Interaction.started_at >= start)
    if end is not None:
        window.append(Interaction.started_at < end)
    query = (
        select(
            CriterionResult.criterion_id,
            func.max(CriterionResult.question).label("question"),
            CriterionResult.result,
            func.count().label("interactions"),
            func.count(Interaction.csat).label("with_csat"),
            func.avg(Interaction.csat).label("csat"),
            func.count(contacts.c.id).label("known_customer"),
            func.sum(case((repeated, 1), else_=0)).label("repeated"),
        )
        .join(Evaluation, Evaluation.id == CriterionResult.evaluation_id)
        .join(Interaction, Interaction.id == Evaluation.interaction_id)
        .outerjoin(contacts, contacts.c.id == Interaction.id)
        .where(Evaluation.is_current.is_(True), CriterionResult.result.in_(SCORED_ANSWERS), *window)
        .group_by(CriterionResult.criterion_id, CriterionResult.result)
        .order_by(CriterionResult.criterion_id)
    )
    return list(session.execute(query))
