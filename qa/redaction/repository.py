"""Queries of the redaction area: what is not redacted yet, and the rows that may hold copies of a value."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qa.models import (
    AuditEntry,
    CoachingNote,
    CriterionResult,
    Dispute,
    Evaluation,
    Interaction,
    Job,
    NoteReply,
    Notification,
    RedactedEntity,
)


def unredacted_ids(session: Session) -> list[int]:
    """Interactions without the redaction marker, oldest first."""
    query = select(Interaction.id).where(Interaction.redacted_at.is_(None)).order_by(Interaction.id)
    return list(session.scalars(query))


def replace_entities(session: Session, interaction_id: int, rows: Sequence[RedactedEntity]) -> None:
    session.execute(delete(RedactedEntity).where(RedactedEntity.interaction_id == interaction_id))
    for row in rows:
        row.interaction_id = interaction_id
        session.add(row)
    session.flush()


def list_entities(session: Session, interaction_id: int) -> list[RedactedEntity]:
    query = select(RedactedEntity).where(RedactedEntity.interaction_id == interaction_id)
    return list(session.scalars(query.order_by(RedactedEntity.turn_index, RedactedEntity.start)))


def criterion_results(session: Session, interaction_id: int) -> list[CriterionResult]:
    """Every evaluation's answers (the history too): their evidence quotes the turns."""
    query = (
        select(CriterionResult)
        .join(Evaluation, Evaluation.id == CriterionResult.evaluation_id)
        .where(Evaluation.interaction_id == interaction_id)
    )
    return list(session.scalars(query))


def coaching_notes(session: Session, interaction_id: int) -> list[CoachingNote]:
    return list(session.scalars(select(CoachingNote).where(CoachingNote.interaction_id == interaction_id)))


def jobs(session: Session, interaction_id: int) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.interaction_id == interaction_id)))


def audit_entries(session: Session, interaction_id: int) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.interaction_id == interaction_id)))


def note_replies(session: Session, interaction_id: int) -> list[NoteReply]:
    query = select(NoteReply).join(CoachingNote, CoachingNote.id == NoteReply.note_id)
    return list(session.scalars(query.where(CoachingNote.interaction_id == interaction_id)))


def disputes(session: Session, interaction_id: int) -> list[Dispute]:
    return list(session.scalars(select(Dispute).where(Dispute.interaction_id == interaction_id)))


def notifications(session: Session, interaction_id: int) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.interaction_id == interaction_id)))
