"""Logging in: credentials or a token's subject in, the principal qa.access decides about out."""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.users import service as user_service


def principal_for(*, session: Session, username: str) -> Principal | None:
    """The active user called `username` as a principal, or None."""
    user = user_service.get_by_username(session=session, username=username)
    if user is None or not user.is_active:
        return None
    return access.principal_of(user)


def authenticate(*, session: Session, username: str, password: str) -> Principal | None:
    """The principal for these credentials, or None when they are wrong."""
    user = user_service.authenticate(session=session, username=username, password=password)
    return access.principal_of(user) if user is not None else None
