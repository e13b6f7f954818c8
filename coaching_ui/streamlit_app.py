"""Callcoach coaching view: log in, then the pages your role may see.

Run with `streamlit run coaching_ui/streamlit_app.py`; it reads CALLCOACH_DATABASE_URL.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from coaching_ui import remembered_login, session
from coaching_ui.components import interaction as interaction_widgets
from qa import access
from qa.access import Principal
from qa.models import Role
from qa.notifications import service as notification_service

# A file, not a :material/...: icon, which the browser would fetch from a font CDN (the product runs offline).
FAVICON = Path(__file__).parent / "static" / "favicon.png"
st.set_page_config(page_title="Callcoach", page_icon=FAVICON, layout="wide")
# An unexpected error shows a generic box: its traceback (code, server paths) goes to the server log only.
st.set_option("client.showErrorDetails", "none")
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
INBOX = "app_pages/inbox.py"
CALIBRATION = st.Page("app_pages/calibration.py", title="Calibration", icon=":material/balance:")
AGREEMENT = st.Page("app_pages/agreement.py", title="Machine agreement", icon=":material/verified:")
SCORECARDS = st.Page("app_pages/scorecards.py", title="Scorecards", icon=":material/rule:")
AUDIT_LOG = st.Page("app_pages/audit_log.py", title="Audit log", icon=":material/history:")
USERS = st.Page("app_pages/users.py", title="Users and teams", icon=":material/manage_accounts:")
UPLOADS = st.Page("app_pages/uploads.py", title="Upload interactions", icon=":material/upload_file:")

# (menu section, page, the qa.access role set that may open it); each page checks the same set itself.
MENU: list[tuple[str, st.Page, tuple[Role, ...]]] = [
    ("Coaching", MY_PERFORMANCE, access.AGENTS),
    # An agent opens her own interactions read-only; reviewers find the same page under Review.
    ("Coaching", INTERACTION, access.AGENTS),
    ("Performance", PERFORMANCE_REVIEW, access.MANAGERS),
    ("Performance", TEAM_DASHBOARD, access.MANAGERS),
    ("Performance", REPORTS, access.MANAGERS),
    ("Performance", AGREEMENT, access.MANAGERS),
    ("Review", REVIEW_QUEUE, access.REVIEWERS),
    ("Review", INTERACTION, access.REVIEWERS),
    ("Review", CALIBRATION, access.REVIEWERS),
    ("Review", UPLOADS, access.UPLOADERS),
    ("Administration", SCORECARDS, access.SCORECARD_READERS),
    ("Administration", AUDIT_LOG, access.AUDITORS),
    ("Administration", JOBS, access.JOB_OPERATORS),
    ("Administration", USERS, access.ADMINS),
]


def pages_for(principal: Principal, unread: int = 0) -> dict[str, list[st.Page]]:
    """The menu of the principal's role, by section, in MENU's order; the inbox shows the unread count."""
    sections: dict[str, list[st.Page]] = {}
    for section, page, roles in MENU:
        if access.has_role(principal, roles):
            sections.setdefault(section, []).append(page)
    title = f"Inbox ({unread} new)" if unread else "Inbox"
    sections.setdefault("Inbox", []).append(st.Page(INBOX, title=title, icon=":material/inbox:"))
    return sections


def unread_notifications(principal: Principal) -> int:
    with session.db() as db:
        return notification_service.unread_count(session=db, principal=principal)


principal = session.current_principal()
if principal is None and (remembered := remembered_login.principal_from_cookie()) is not None:
    principal, version = remembered  # a reload: the cookie's login holds (while its token version does)
    st.session_state[session.PRINCIPAL_KEY] = principal
    st.session_state[session.TOKEN_VERSION_KEY] = version
if principal is None:
    # Every page is known (a link to /interaction?id=N is no "page not found"): its target is kept for
    # after the login form.
    page = st.navigation([LOGIN, *dict.fromkeys(entry[1] for entry in MENU)], position="hidden")
    if page is not LOGIN:
        remembered_login.remember_target()
        st.switch_page(LOGIN)
else:
    # expanded: an admin has 16 pages; a collapsed menu would hide some behind "View more"
    page = st.navigation(pages_for(principal, unread_notifications(principal)), expanded=True)
    with st.sidebar:
        st.caption(f"Signed in as **{principal.username}** ({principal.role.value})")
        if st.button("Log out", icon=":material/logout:", key="logout"):
            session.log_out()
            remembered_login.forget()
            st.rerun()
    target = remembered_login.pop_target()
    if target is not None and access.has_role(principal, access.INTERACTION_VIEWERS):
        interaction_widgets.open_interaction(target)
        st.switch_page(INTERACTION)
if principal is None:
    remembered_login.write_pending_cookie()
else:
    # Last in the sidebar: first on the page, this one-off element shifted every element of the page on the
    # next run and Streamlit remounted them (19 of the review queue's 23), losing focus and open lists.
    with st.sidebar:
        remembered_login.write_pending_cookie()
page.run()
