"""Queries for counted login failures."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from qa.models import LoginFailure


def count_since(session: Session, key: str, since: float) -> int:
    query = select(func.count()).where(LoginFailure.key == key, LoginFailure.failed_at >= since)
    return session.scalar(query) or 0


def nth_since(session: Session, key: str, since: float, n: int) -> float | None:
    """When the n-th (0-based, oldest first) failure since `since` happened."""
    query = (
        select(LoginFailure.failed_at)
        .where(LoginFailure.key == key, LoginFailure.failed_at >= since)
        .order_by(LoginFailure.failed_at)
        .offset(n)
        .limit(1)
    )
    return session.scalar(query)


def add(session: Session, key: str, at: float) -> None:
    session.add(LoginFailure(key=key, failed_at=at))
    session.flush()


def clear(session: Session, key: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.key == key))


def prune(session: Session, before: float) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.failed_at < before))
