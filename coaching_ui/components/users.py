"""The users and teams page's parts: tables, and the forms that call qa.users.service as the admin.

Each form acts in its submit callback, before the page is drawn again, so the tables show the change.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st
from pydantic import ValidationError
from sqlalchemy.orm import Session

from coaching_ui import session
from coaching_ui.figures import md_literal
from qa.access import Principal
from qa.agents import service as agent_service
from qa.errors import CallcoachError
from qa.models import Role
from qa.users import service as user_service
from qa.users.schemas import TeamCreate, UserRead, UserUpdate

OUTCOME_KEY = "users_outcome"
NONE = "(none)"
ROLES = [role.value for role in Role]
EDIT_KEYS = ("edit_user_role", "edit_user_team", "edit_user_agent", "edit_user_active", "edit_user_password")


def show_outcome() -> None:
    """What the last form did, once."""
    outcome = st.session_state.pop(OUTCOME_KEY, None)
    if outcome is not None:
        ok, message = outcome
        (st.success if ok else st.error)(md_literal(message))


def users(principal: Principal) -> list[UserRead]:
    with session.db() as db:
        return user_service.list_user_reads(session=db, by=principal)


def user_frame(rows: list[UserRead]) -> pd.DataFrame:
    frame = pd.DataFrame([row.model_dump(mode="json") for row in rows], columns=list(UserRead.model_fields))
    return frame.rename(columns={"name": "user"})


def team_frame(principal: Principal) -> pd.DataFrame:
    with session.db() as db:
        teams = user_service.list_teams(session=db, by=principal)
    rows = [{"team": t.name, "supervisors": ", ".join(t.supervisors), "agents": t.agents} for t in teams]
    return pd.DataFrame(rows, columns=["team", "supervisors", "agents"])


def team_names(principal: Principal) -> list[str]:
    with session.db() as db:
        return [t.name for t in user_service.list_teams(session=db, by=principal)]


def agent_names(principal: Principal) -> list[str]:
    with session.db() as db:
        return [a.name for a in agent_service.list_visible_agents(session=db, principal=principal)]


def new_user_form(principal: Principal, teams: list[str], agents: list[str]) -> None:
    """Name, role, team, agent and a first password."""
    with st.form("new_user", clear_on_submit=False):
        st.subheader("New user")
        name_column, role_column = st.columns(2)
        name_column.text_input("Login name", max_chars=120, key="new_user_name")
        role_column.selectbox("Role", ROLES, key="new_user_role")
        team_column, agent_column = st.columns(2)
        team_column.selectbox("Team", [NONE, *teams], key="new_user_team")
        agent_column.selectbox("Agent (for agent logins)", [NONE, *agents], key="new_user_agent")
        st.text_input("Password", type="password", max_chars=256, key="new_user_password")
        st.form_submit_button("Create user", type="primary", on_click=_create_user, args=(principal,))


def edit_user_form(principal: Principal, rows: list[UserRead], teams: list[str], agents: list[str]) -> None:
    """Pick a user, then change role, team, agent, activity or password (blank: unchanged)."""
    st.subheader("Change a user")
    names = [row.name for row in rows]
    picked = st.selectbox("User", names, key="edit_user_name", on_change=_forget_edits)
    if picked is None:
        return
    user = rows[names.index(picked)]
    with st.form("edit_user"):
        role_column, team_column, agent_column = st.columns(3)
        role_column.selectbox("Role", ROLES, index=ROLES.index(user.role.value), key="edit_user_role")
        team_options = [NONE, *teams]
        team_column.selectbox(
            "Team", team_options, index=_index(team_options, user.team), key="edit_user_team"
        )
        agent_options = [NONE, *agents]
        agent_column.selectbox(
            "Agent", agent_options, index=_index(agent_options, user.agent), key="edit_user_agent"
        )
        st.checkbox("May log in", value=user.active, key="edit_user_active")
        st.text_input(
            "New password (ends their sessions)", type="password", max_chars=256, key="edit_user_password"
        )
        st.form_submit_button("Save changes", on_click=_update_user, args=(principal, user))


def new_team_form(principal: Principal, supervisors: list[str]) -> None:
    """A team name and the supervisors who review it."""
    with st.form("new_team"):
        st.subheader("New team")
        st.text_input("Team name", max_chars=120, key="new_team_name")
        st.multiselect("Supervisors", supervisors, key="new_team_supervisors")
        st.form_submit_button("Create team", type="primary", on_click=_create_team, args=(principal,))


def _forget_edits() -> None:
    # Another user picked: the form starts again from their stored values.
    for key in EDIT_KEYS:
        st.session_state.pop(key, None)


def _index(options: list[str], value: str | None) -> int:
    return options.index(value) if value in options else 0


def _chosen(key: str) -> str | None:
    value = st.session_state.get(key)
    return None if value in (None, NONE, "") else str(value)


def _create_user(principal: Principal) -> None:
    name = (st.session_state.get("new_user_name") or "").strip()

    def create(db: Session) -> str:
        user_service.create_user(
            session=db,
            username=name,
            password=st.session_state.get("new_user_password") or "",
            role=Role(st.session_state["new_user_role"]),
            agent=_chosen("new_user_agent"),
            team=_chosen("new_user_team"),
            by=principal,
        )
        return f"Created user {name}."

    if _act(create):
        st.session_state["new_user_name"] = st.session_state["new_user_password"] = ""


def _update_user(principal: Principal, user: UserRead) -> None:
    role, team, agent = (
        Role(st.session_state["edit_user_role"]),
        _chosen("edit_user_team"),
        _chosen("edit_user_agent"),
    )
    active, password = bool(st.session_state["edit_user_active"]), st.session_state.get("edit_user_password")
    changes = UserUpdate(
        role=role if role != user.role else None,
        team=team if team != user.team else None,
        agent=agent if agent != user.agent else None,
        active=active if active != user.active else None,
        password=password or None,
    )

    def update(db: Session) -> str:
        user_service.update_user(session=db, username=user.name, changes=changes, by=principal)
        return f"Saved {user.name}." if changes.model_dump(exclude_none=True) else "Nothing to change."

    _act(update)
    st.session_state["edit_user_password"] = ""


def _create_team(principal: Principal) -> None:
    try:
        team = TeamCreate(
            name=st.session_state.get("new_team_name") or "",
            supervisors=st.session_state.get("new_team_supervisors") or [],
        )
    except ValidationError:
        st.session_state[OUTCOME_KEY] = (False, "Give the team a name of at most 120 characters.")
        return

    def create(db: Session) -> str:
        user_service.create_team(session=db, team=team, by=principal)
        return f"Created team {team.name}."

    if _act(create):
        st.session_state["new_team_name"] = ""


def _act(action: Callable[[Session], str]) -> bool:
    """Run one change in its own unit of work and keep what to say about it for the next run."""
    try:
        with session.db() as db:
            message = action(db)
    except CallcoachError as exc:
        st.session_state[OUTCOME_KEY] = (False, str(exc))
        return False
    st.session_state[OUTCOME_KEY] = (True, message)
    return True
