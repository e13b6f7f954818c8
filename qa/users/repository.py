"""Queries for users."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.models import User


def get_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).one_or_none()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def add(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user
