"""Login state, the database unit of work and role checks shared by every page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.orm import Session

from coaching_ui import remembered_login
from qa import access
from qa.access import Principal
from qa.auth import service as auth_service
from qa.config import get_settings
from qa.db import migrate, session_scope
from qa.models import Role

PRINCIPAL_KEY = "principal"
TOKEN_VERSION_KEY = "token_version"
# Shown for a refused login; the same for a wrong name and a wrong password.
WRONG_CREDENTIALS = "Unknown username or wrong password."


@st.cache_resource(show_spinner=False)
def _migrated(url: str) -> str:
    # Once per process and database: pending migrations are applied before any page queries.
    migrate(url)
    return url


def database_url() -> str:
    """The configured database URL, migrated to head on first use in this process."""
    return _migrated(get_settings().database_url)


@contextmanager
def db() -> Iterator[Session]:
    """One unit of work for one user action: commits on success, rolls back on error."""
    with session_scope(database_url()) as session:
        yield session


def current_principal() -> Principal | None:
    """Who is logged in to this browser session, checked against the database on every run.

    A user deactivated or whose password changed since logging in (token version moved) is logged out.
    """
    remembered = st.session_state.get(PRINCIPAL_KEY)
    if not isinstance(remembered, Principal):
        return None
    version = st.session_state.get(TOKEN_VERSION_KEY)
    with db() as session:
        principal = auth_service.principal_for(
            session=session, username=remembered.username, token_version=version
        )
    if principal is None:
        log_out()
        return None
    st.session_state[PRINCIPAL_KEY] = principal
    return principal


def log_in(username: str, password: str) -> str | None:
    """Check credentials under the login limits: None on success (principal remembered), else why not."""
    with db() as session:
        outcome = auth_service.log_in(
            session=session, username=username.strip(), password=password, address=st.context.ip_address
        )
    if outcome.retry_after is not None:
        return f"Too many failed logins; try again in {outcome.retry_after} seconds."
    if outcome.principal is None:
        return WRONG_CREDENTIALS
    st.session_state[PRINCIPAL_KEY] = outcome.principal
    st.session_state[TOKEN_VERSION_KEY] = outcome.token_version
    remembered_login.remember(outcome.principal, outcome.token_version)
    return None


def log_out() -> None:
    """Forget who is logged in and everything the pages kept for them."""
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def require_role(roles: tuple[Role, ...]) -> Principal:
    """The logged-in principal when their role is one of `roles` (a role set of qa.access); else stop."""
    principal = current_principal()
    if principal is None:
        st.warning("Please log in.")
        st.stop()
    elif not access.has_role(principal, roles):
        st.error("This page is not available for your role.")
        st.stop()
    else:
        return principal
    raise AssertionError("st.stop() returned")  # it raises; this line tells the type checker so
