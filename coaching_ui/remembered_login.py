"""Keep the login across a page reload: a signed, expiring token in a browser cookie.

Streamlit forgets session state on reload; the cookie (SameSite=Strict, same signed token and lifetime as
the API's bearer tokens) lets the next session find its user again. A link such as /interaction?id=N
opened while logged out is remembered and followed after logging in.
"""

from __future__ import annotations

import json

import streamlit as st
import streamlit.components.v1 as components_v1

from qa.access import Principal
from qa.auth import service as auth_service
from qa.config import get_settings
from qa.db import session_scope
from qa.security import create_access_token, read_access_token

COOKIE = "callcoach_session"
_WRITE_KEY = "remembered_login_write"
_TARGET_KEY = "remembered_login_target"
# The browser sends its cookies once per session: after logging out, the old one must not log in again.
_LOGGED_OUT_KEY = "remembered_login_logged_out"


def principal_from_cookie() -> tuple[Principal, int] | None:
    """The user whose valid token the browser sent and its token version, if any (inactive users, revoked
    and bad tokens: None)."""
    token = st.context.cookies.get(COOKIE)
    if not token or st.session_state.get(_LOGGED_OUT_KEY):
        return None
    settings = get_settings()
    claims = read_access_token(token, settings.secret_key)
    if claims is None:
        return None
    with session_scope(settings.database_url) as db:
        principal = auth_service.principal_for(
            session=db, username=claims.subject, token_version=claims.version
        )
    return None if principal is None else (principal, claims.version)


def remember(principal: Principal, token_version: int) -> None:
    """After a login: write the cookie on the next render."""
    settings = get_settings()
    token = create_access_token(
        subject=principal.username,
        secret=settings.secret_key,
        minutes=settings.token_minutes,
        version=token_version,
    )
    st.session_state[_WRITE_KEY] = (token, settings.token_minutes * 60)
    st.session_state.pop(_LOGGED_OUT_KEY, None)


def forget() -> None:
    """After a logout: clear the cookie on the next render."""
    st.session_state[_WRITE_KEY] = ("", 0)
    st.session_state[_LOGGED_OUT_KEY] = True


def write_pending_cookie() -> None:
    """Set or clear the cookie in the browser (a zero-height same-origin component runs the script)."""
    pending = st.session_state.pop(_WRITE_KEY, None)
    if pending is None:
        return
    token, max_age = pending
    cookie = f"{COOKIE}={token}; path=/; max-age={int(max_age)}; SameSite=Strict"
    components_v1.html(f"<script>window.parent.document.cookie = {json.dumps(cookie)};</script>", height=0)


def remember_target() -> None:
    """On the login page: keep the interaction a link asked for (?id=N)."""
    wanted = st.query_params.get("id")
    if wanted and wanted.isdigit():
        st.session_state[_TARGET_KEY] = int(wanted)


def pop_target() -> int | None:
    """The interaction a link asked for before logging in, once."""
    target = st.session_state.pop(_TARGET_KEY, None)
    return int(target) if target is not None else None
