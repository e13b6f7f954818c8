"""Queries for the inbox and for who should hear about something."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qa.models import Agent, Notification, Role, User


def add(session: Session, notification: Notification) -> Notification:
    session.add(notification)
    session.flush()
    return notification


def agent_users(session: Session, agent_id: int) -> list[User]:
    """Active logins linked to the agent."""
    query = select(User).where(User.agent_id == agent_id, User.is_active.is_(True)).order_by(User.id)
    return list(session.scalars(query))


def team_supervisors(session: Session, agent_id: int) -> list[User]:
    """Active supervisors of the agent's team."""
    team = select(Agent.team_id).where(Agent.id == agent_id).scalar_subquery()
    query = (
        select(User)
        .where(User.role == Role.SUPERVISOR, User.team_id == team, User.is_active.is_(True))
        .order_by(User.id)
    )
    return list(session.scalars(query))


def users(session: Session, user_ids: list[int]) -> list[User]:
    return list(session.scalars(select(User).where(User.id.in_(user_ids), User.is_active.is_(True))))


def inbox(session: Session, user_id: int, *, unread_only: bool, limit: int) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    query = query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return list(session.scalars(query))


def unread_count(session: Session, user_id: int) -> int:
    query = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    return session.scalar(query) or 0


def mark_read(session: Session, user_id: int, ids: list[int] | None, at: datetime) -> int:
    """Mark the user's notifications (all, or these ids) read; how many changed."""
    query = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    return session.execute(query.values(read_at=at)).rowcount or 0  # type: ignore[attr-defined]
