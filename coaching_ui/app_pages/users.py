"""Users and teams (admins): logins with their role, team and agent; teams with their supervisors."""

from __future__ import annotations

import streamlit as st

from coaching_ui import session
from coaching_ui.components import users as widgets
from qa import access
from qa.models import Role

principal = session.require_role(access.ADMINS)
st.title("Users and teams")
st.caption(
    "Every change is in the audit log. Deactivating a user or setting a new password logs them out at once."
)
widgets.show_outcome()

rows = widgets.users(principal)
teams = widgets.team_names(principal)
agents = widgets.agent_names(principal)
users_tab, teams_tab = st.tabs(["Users", "Teams"])
with users_tab:
    st.dataframe(widgets.user_frame(rows), hide_index=True, width="stretch")
    widgets.new_user_form(principal, teams, agents)
    widgets.edit_user_form(principal, rows, teams, agents)
with teams_tab:
    st.dataframe(widgets.team_frame(principal), hide_index=True, width="stretch")
    supervisors = [row.name for row in rows if row.role == Role.SUPERVISOR and row.active]
    widgets.new_team_form(principal, supervisors)
