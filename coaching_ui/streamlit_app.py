"""Callcoach coaching view: log in, then the pages your role may see.

Run with `streamlit run coaching_ui/streamlit_app.py`; it reads CALLCOACH_DATABASE_URL.
"""

from __future__ import annotations

import streamlit as st

from coaching_ui import session
from qa.models import Role

st.set_page_config(page_title="Callcoach", page_icon=":material/headset_mic:", layout="wide")
session.database_url()

LOGIN = st.Page("app_pages/login.py", title="Log in", icon=":material/login:")
REVIEW_QUEUE = st.Page("app_pages/review_queue.py", title="Review queue", icon=":material/fact_check:")
INTERACTION = st.Page("app_pages/interaction.py", title="Interaction", icon=":material/record_voice_over:")
MY_PERFORMANCE = st.Page("app_pages/my_performance.py", title="My performance", icon=":material/insights:")
PERFORMANCE_REVIEW = st.Page(
    "app_pages/performance_review.py", title="Performance review", icon=":material/person_search:"
)
TEAM_DASHBOARD = st.Page("app_pages/team_dashboard.py", title="Team dashboard", icon=":material/groups:")
REPORTS = st.Page("app_pages/reports.py", title="Reports and export", icon=":material/download:")
JOBS = st.Page("app_pages/jobs.py", title="Jobs", icon=":material/settings:")
CALIBRATION = st.Page("app_pages/calibration.py", title="Calibration", icon=":material/balance:")
AGREEMENT = st.Page("app_pages/agreement.py", title="Machine agreement", icon=":material/verified:")
AUDIT_LOG = st.Page("app_pages/audit_log.py", title="Audit log", icon=":material/history:")

REVIEW = [REVIEW_QUEUE, INTERACTION, CALIBRATION]
MANAGE = [PERFORMANCE_REVIEW, TEAM_DASHBOARD, REPORTS, AGREEMENT]
PAGES_BY_ROLE: dict[Role, dict[str, list[st.Page]]] = {
    Role.AGENT: {"Coaching": [MY_PERFORMANCE]},
    Role.SUPERVISOR: {"Review": REVIEW},
    Role.MANAGER: {"Performance": MANAGE, "Review": REVIEW, "Administration": [AUDIT_LOG]},
    Role.ADMIN: {"Performance": MANAGE, "Review": REVIEW, "Administration": [AUDIT_LOG, JOBS]},
}

principal = session.current_principal()
if principal is None:
    page = st.navigation([LOGIN], position="hidden")
else:
    page = st.navigation(PAGES_BY_ROLE[Role(principal.role)])
    with st.sidebar:
        st.caption(f"Signed in as **{principal.username}** ({Role(principal.role).value})")
        if st.button("Log out", icon=":material/logout:", key="logout"):
            session.log_out()
            st.rerun()
page.run()
