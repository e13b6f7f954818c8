"""Queries for interactions, their media and turns."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from qa.models import Interaction, Media, Turn


def get(session: Session, interaction_id: int, *, with_turns: bool = False) -> Interaction | None:
    query = select(Interaction).where(Interaction.id == interaction_id)
    query = query.options(selectinload(Interaction.media), selectinload(Interaction.agent))
    if with_turns:
        query = query.options(selectinload(Interaction.turns))
    return session.scalars(query).one_or_none()


def find_by_external_id(session: Session, source: str, external_id: str) -> Interaction | None:
    query = select(Interaction).where(Interaction.source == source, Interaction.external_id == external_id)
    return session.scalars(query).one_or_none()


def find_media_by_sha256(session: Session, sha256: str) -> Media | None:
    return session.scalars(select(Media).where(Media.sha256 == sha256)).one_or_none()


def add(session: Session, interaction: Interaction) -> Interaction:
    session.add(interaction)
    session.flush()
    return interaction


def replace_turns(session: Session, interaction_id: int, turns: Sequence[Turn]) -> None:
    """Swap the interaction's turns for `turns` (idempotent re-processing)."""
    session.execute(delete(Turn).where(Turn.interaction_id == interaction_id))
    for turn in turns:
        turn.interaction_id = interaction_id
        session.add(turn)
    session.flush()


def list_turns(session: Session, interaction_id: int) -> list[Turn]:
    query = select(Turn).where(Turn.interaction_id == interaction_id).order_by(Turn.index)
    return list(session.scalars(query))


def count(session: Session) -> int:
    from sqlalchemy import func

    return session.scalar(select(func.count(Interaction.id))) or 0
