"""The agent's results just before and just after a coaching note, counted in interactions, not days."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, case, func, select
from sqlalchemy.orm import Session

from qa.models import Answer, CriterionResult, Evaluation, Interaction
from qa.models.enums import SCORED_ANSWERS
from qa.reports.repository import CURRENT_EVALUATION


def _results(agent_id: int, criterion_id: str | None) -> Select[int, datetime | None, Any]:
    """The agent's scored interactions with a value: a pass (1/0) on the criterion, or the total."""
    if criterion_id is None:
        return (
            select(Interaction.id, Interaction.started_at, Evaluation.total.label("value"))
            .join(Evaluation, CURRENT_EVALUATION)
            .where(Interaction.agent_id == agent_id, Evaluation.total.is_not(None))
        )
    passed = case((CriterionResult.result == Answer.PASS, 1), else_=0)
    return (
        select(Interaction.id, Interaction.started_at, passed.label("value"))
        .join(Evaluation, CURRENT_EVALUATION)
        .join(CriterionResult, CriterionResult.evaluation_id == Evaluation.id)
        .where(
            Interaction.agent_id == agent_id,
            CriterionResult.criterion_id == criterion_id,
            CriterionResult.result.in_(SCORED_ANSWERS),
        )
    )


def results_around(
    session: Session, *, agent_id: int, criterion_id: str | None, moment: datetime, count: int
) -> tuple[Row[Any], Row[Any]]:
    """(interactions, value_sum) over the agent's last `count` interactions started before `moment` and over
    the first `count` from it on; the value is a pass on `criterion_id` (1 or 0), or the total without one."""
    results = _results(agent_id, criterion_id).where(Interaction.started_at.is_not(None))
    started = Interaction.started_at
    before = (
        results.where(started < moment)
        .order_by(started.desc(), Interaction.id.desc())
        .limit(count)
        .subquery()
    )
    after = results.where(started >= moment).order_by(started, Interaction.id).limit(count).subquery()
    before_row, after_row = (
        session.execute(
            select(func.count().label("interactions"), func.sum(side.c.value).label("value_sum"))
        ).one()
        for side in (before, after)
    )
    return before_row, after_row
