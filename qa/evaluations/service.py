"""Storing rubric evaluations with their exact rubric version, keeping the history."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa.evaluations import repository
from qa.models import CriterionResult, Evaluation, ReviewStatus, RubricVersion
from scoring import rubric as rubric_lib


def rubric_version_row(*, session: Session, rubric: rubric_lib.Rubric, content: str) -> RubricVersion:
    """The stored copy of this exact rubric version, added the first time it is used."""
    row = repository.find_rubric_version(session, rubric.spec.id, rubric.version)
    if row is not None:
        return row
    # Two workers may meet a new version at once: the loser of the insert reads the winner's row.
    try:
        with session.begin_nested():
            row = RubricVersion(
                rubric_id=rubric.spec.id, version=rubric.version, name=rubric.spec.name, content=content
            )
            repository.add(session, row)
    except IntegrityError:
        row = repository.find_rubric_version(session, rubric.spec.id, rubric.version)
        if row is None:
            raise
    return row


def store_evaluation(
    *,
    session: Session,
    interaction_id: int,
    version: RubricVersion,
    rubric: rubric_lib.Rubric,
    evaluation: rubric_lib.Evaluation,
) -> Evaluation:
    """Save a new current evaluation; earlier ones stay as history."""
    repository.retire_current(session, interaction_id)
    row = Evaluation(
        interaction_id=interaction_id,
        rubric_version_id=version.id,
        total=evaluation.total,
        auto_fail=evaluation.auto_fail,
        is_current=True,
        sections=[s.to_dict() for s in evaluation.sections],
    )
    questions = {c.id: c.question for section in rubric.spec.sections for c in section.criteria}
    for position, result in enumerate(evaluation.criteria):
        data = result.to_dict()
        row.criteria.append(
            CriterionResult(
                position=position,
                criterion_id=result.id,
                section=result.section,
                question=questions.get(result.id, ""),
                result=result.result,
                points=float(result.points),
                max_points=float(result.max_points),
                confidence=result.confidence,
                critical=result.critical,
                evidence=data["evidence"],
                needs_review=result.needs_review,
                note=result.note or None,
            )
        )
    refresh_needs_review(row)
    repository.add(session, row)
    return row


def refresh_needs_review(evaluation: Evaluation) -> None:
    """Flag the evaluation while a machine answer resting on unclear speech waits for a person.

    An answer stops waiting once a reviewer has set it (machine_result is kept), and the whole
    evaluation once its review is final.
    """
    evaluation.needs_review = evaluation.review_status != ReviewStatus.FINAL and any(
        c.needs_review and c.machine_result is None for c in evaluation.criteria
    )


def current_evaluation(*, session: Session, interaction_id: int) -> Evaluation | None:
    """The interaction's current evaluation with its criteria."""
    return repository.current_for(session, interaction_id)


def evaluation_history(*, session: Session, interaction_id: int) -> list[Evaluation]:
    """Every evaluation of the interaction, oldest first."""
    return repository.history_for(session, interaction_id)
