"""Self-evaluation: an agent scores her own interaction before a reviewer does; shown side by side."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import service as audit_service
from qa.errors import Conflict, NotFound
from qa.evaluations import repository as evaluation_repository
from qa.evaluations import service as evaluation_service
from qa.interactions import service as interaction_service
from qa.models import Answer, Evaluation, ReviewStatus, SelfEvaluation
from scoring.rubric.loader import allows_self_evaluation


class SelfEvaluationCreate(BaseModel):
    answers: dict[str, Answer] = Field(min_length=1, max_length=200)


class SelfComparisonRow(BaseModel):
    criterion_id: str
    question: str
    self_answer: Answer | None
    reviewer_answer: str
    reviewed_by: str | None
    agrees: bool | None


class SelfComparison(BaseModel):
    interaction_id: int
    submitted_at: datetime | None
    # The interaction's rubric asks agents to self-evaluate (a rubric may turn it off).
    allowed: bool
    rows: list[SelfComparisonRow]


def _current(session: Session, interaction_id: int) -> Evaluation:
    evaluation = evaluation_service.current_evaluation(session=session, interaction_id=interaction_id)
    if evaluation is None:
        raise NotFound(f"interaction {interaction_id} has no evaluation yet")
    return evaluation


def submit(
    *, session: Session, principal: Principal, interaction_id: int, answers: dict[str, Answer]
) -> SelfComparison:
    """The agent's own answers, once per evaluation, while no reviewer has answered yet."""
    access.require_role(principal, access.AGENTS, "self-evaluation")
    interaction = interaction_service.get_visible(
        session=session, principal=principal, interaction_id=interaction_id
    )
    if interaction.agent_id is None or interaction.agent_id != principal.agent_id:
        raise NotFound(f"interaction {interaction_id} not found")
    evaluation = _current(session, interaction_id)
    if not allows_self_evaluation(evaluation.rubric_version.content):
        raise Conflict(f"rubric {evaluation.rubric_version.rubric_id} has no self-evaluation")
    if evaluation.review_status != ReviewStatus.PENDING:
        raise Conflict(f"interaction {interaction_id} was already reviewed; self-evaluation comes before")
    known = {c.criterion_id for c in evaluation.criteria}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise Conflict(f"interaction {interaction_id} has no criterion {', '.join(unknown)}")
    row = SelfEvaluation(
        interaction_id=interaction_id,
        evaluation_id=evaluation.id,
        agent_id=interaction.agent_id,
        answers={k: str(v) for k, v in answers.items()},
    )
    with audit_service.audited(
        session=session,
        principal=principal,
        action="self_evaluate",
        entity="self_evaluation",
        interaction_id=interaction_id,
        snapshot=lambda: dict(row.answers) if row.id is not None else None,
    ) as change:
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError as exc:
            raise Conflict(f"you already evaluated interaction {interaction_id} yourself") from exc
        change.entity_id = row.id
    return comparison(session=session, principal=principal, interaction_id=interaction_id)


def comparison(*, session: Session, principal: Principal, interaction_id: int) -> SelfComparison:
    """The agent's answers next to the current ones, per criterion (the agent herself or her reviewers)."""
    interaction_service.get_visible(session=session, principal=principal, interaction_id=interaction_id)
    hidden = interaction_service.answers_hidden(
        session=session, principal=principal, interaction_id=interaction_id
    )
    if hidden:
        raise Conflict(f"answer interaction {interaction_id} in its calibration session first")
    evaluation = _current(session, interaction_id)
    stored = evaluation_repository.self_evaluation_for(session, evaluation.id)
    answers = stored.answers if stored is not None else {}
    rows = []
    for criterion in evaluation.criteria:
        mine = answers.get(criterion.criterion_id)
        rows.append(
            SelfComparisonRow(
                criterion_id=criterion.criterion_id,
                question=criterion.question,
                self_answer=Answer(mine) if mine is not None else None,
                reviewer_answer=criterion.result,
                reviewed_by=criterion.reviewed_by,
                agrees=None if mine is None else mine == criterion.result,
            )
        )
    return SelfComparison(
        interaction_id=interaction_id,
        submitted_at=stored.created_at if stored else None,
        allowed=allows_self_evaluation(evaluation.rubric_version.content),
        rows=rows,
    )
