"""Queries for rubric drafts, published versions and the interactions a preview rescores."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from qa.models import Agent, Evaluation, Interaction, RubricDraft, RubricVersion, Team


def add(session: Session, draft: RubricDraft) -> RubricDraft:
    session.add(draft)
    session.flush()
    return draft


def get_draft(session: Session, rubric_id: str, draft_id: int) -> RubricDraft | None:
    query = select(RubricDraft).where(RubricDraft.id == draft_id, RubricDraft.rubric_id == rubric_id)
    return session.scalars(query).one_or_none()


def draft_by_id(session: Session, draft_id: int) -> RubricDraft | None:
    return session.get(RubricDraft, draft_id)


def list_drafts(session: Session, rubric_id: str) -> list[RubricDraft]:
    query = select(RubricDraft).where(RubricDraft.rubric_id == rubric_id).order_by(RubricDraft.id.desc())
    return list(session.scalars(query))


def set_preview_progress(session: Session, draft_id: int, *, status: str, done: int, total: int) -> None:
    session.execute(
        update(RubricDraft)
        .where(RubricDraft.id == draft_id)
        .values(preview_status=status, preview_done=done, preview_total=total)
    )


def versions(session: Session, rubric_id: str) -> list[RubricVersion]:
    """Every stored version of the rubric, oldest first."""
    query = select(RubricVersion).where(RubricVersion.rubric_id == rubric_id).order_by(RubricVersion.id)
    return list(session.scalars(query))


def publications(session: Session, rubric_id: str) -> dict[str, RubricDraft]:
    """The draft that published each version (the latest one, if a version was published twice)."""
    query = (
        select(RubricDraft)
        .where(RubricDraft.rubric_id == rubric_id, RubricDraft.published_version.is_not(None))
        .order_by(RubricDraft.id)
    )
    return {d.published_version: d for d in session.scalars(query) if d.published_version}


def latest_processed(
    session: Session, *, channels: Sequence[str], queues: Sequence[str], limit: int
) -> list[Row[Any]]:
    """The newest processed interactions of these channels or queues that have a current evaluation:
    (interaction id, agent id, agent name, team id, team name), newest first."""
    query = (
        select(Interaction.id, Agent.id, Agent.name, Team.id, Team.name)
        .join(Evaluation, (Evaluation.interaction_id == Interaction.id) & Evaluation.is_current.is_(True))
        .outerjoin(Agent, Agent.id == Interaction.agent_id)
        .outerjoin(Team, Team.id == Agent.team_id)
        .where(
            Interaction.processed_at.is_not(None),
            Interaction.channel.in_(list(channels)) | Interaction.queue.in_(list(queues)),
        )
        .order_by(Interaction.started_at.desc().nulls_last(), Interaction.id.desc())
        .limit(limit)
    )
    return list(session.execute(query))
