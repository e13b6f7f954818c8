"""Logging in and out, and which pages each role gets."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.audit import service as audit_service
from qa.auth.service import principal_for
from qa.db import session_scope
from qa.errors import PermissionDenied
from qa.jobs import service as job_service
from tests.coaching_ui.conftest import APP, TIMEOUT
from tests.coaching_ui.seed import PASSWORD, Seeded

ALL_PAGES = {
    "app_pages/review_queue.py",
    "app_pages/interaction.py",
    "app_pages/my_performance.py",
    "app_pages/performance_review.py",
    "app_pages/team_dashboard.py",
    "app_pages/reports.py",
    "app_pages/jobs.py",
    "app_pages/audit_log.py",
    "app_pages/inbox.py",
    "app_pages/calibration.py",
    "app_pages/agreement.py",
    "app_pages/users.py",
    "app_pages/uploads.py",
    "app_pages/scorecards.py",
}
EVERYONE = {"app_pages/inbox.py"}
ALLOWED = {
    # An agent opens her own interactions (read-only) from her notes and evaluations.
    "maria": {"app_pages/my_performance.py", "app_pages/interaction.py", *EVERYONE},
    "sam": {
        "app_pages/review_queue.py",
        "app_pages/interaction.py",
        "app_pages/calibration.py",
        "app_pages/jobs.py",
        "app_pages/uploads.py",
        "app_pages/scorecards.py",  # read-only
        *EVERYONE,
    },
    "mgr": ALL_PAGES - {"app_pages/my_performance.py", "app_pages/users.py"},
    "root": ALL_PAGES - {"app_pages/my_performance.py"},
}


def _log_in(username: str, password: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def test_login_page_comes_first(ui_db: Seeded) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "Callcoach"
    assert [t.label for t in at.text_input] == ["Username", "Password"]


def test_wrong_password_is_refused(ui_db: Seeded) -> None:
    at = _log_in("sam", "not-the-password")
    assert "wrong password" in at.error[0].value
    assert "principal" not in at.session_state


def test_supervisor_logs_in_to_the_review_queue_and_out_again(ui_db: Seeded) -> None:
    at = _log_in("sam", PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Review queue"
    assert "Signed in as **sam** (supervisor)" in at.sidebar.caption[0].value
    at.sidebar.button(key="logout").click().run()
    assert "principal" not in at.session_state
    assert at.title[0].value == "Callcoach"


@pytest.mark.parametrize("username", sorted(ALLOWED))
def test_each_role_opens_only_its_pages(app_as: Callable[..., AppTest], username: str) -> None:
    at = app_as(username)
    assert not at.exception
    for page in sorted(ALL_PAGES - ALLOWED[username]):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


@pytest.mark.parametrize("username", sorted(ALLOWED))
def test_the_menu_offers_jobs_and_audit_log_exactly_to_whom_the_services_allow(
    app_as: Callable[..., AppTest], username: str
) -> None:
    """The menu and the services read the same role sets: a page is offered iff its service answers."""
    at = app_as(username)
    with session_scope(qa_config.get_settings().database_url) as db:
        principal = principal_for(session=db, username=username)
        assert principal is not None
        for page, read in (
            ("app_pages/jobs.py", lambda: job_service.job_counts_for(session=db, principal=principal)),
            ("app_pages/audit_log.py", lambda: audit_service.list_entries(session=db, principal=principal)),
        ):
            try:
                read()
                allowed = True
            except PermissionDenied:
                allowed = False
            if allowed:
                at.switch_page(page)
            else:
                with pytest.raises(ValueError, match="Could not find a navigation page"):
                    at.switch_page(page)


def test_nobody_logged_in_sees_only_the_login(app_as: Callable[..., AppTest]) -> None:
    # Every page is known while logged out (a link such as /interaction?id=N survives the login), but each one
    # sends the visitor to the login form and shows nothing of its own.
    for page in sorted(ALL_PAGES - {"app_pages/inbox.py"}):  # the inbox exists only for a logged-in user
        at = app_as(None)
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert [t.label for t in at.text_input] == ["Username", "Password"], page
        assert [t.value for t in at.title] != [page], page


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("maria", "review_queue.py"),
        ("sam", "team_dashboard.py"),
        ("maria", "jobs.py"),
        ("sam", "my_performance.py"),
        ("sam", "audit_log.py"),
        ("maria", "audit_log.py"),
        ("maria", "calibration.py"),
        ("sam", "agreement.py"),
        ("maria", "scorecards.py"),
    ],
)
def test_a_page_run_directly_still_refuses_other_roles(ui_db: Seeded, username: str, page: str) -> None:
    """Each page checks the role itself too, not only the navigation menu."""
    at = AppTest.from_file(str(APP.parent / "app_pages" / page), default_timeout=TIMEOUT)
    with session_scope(qa_config.get_settings().database_url) as db:
        at.session_state["principal"] = principal_for(session=db, username=username)
    at.run()
    assert not at.exception
    assert at.error[0].value == "This page is not available for your role."
    assert not at.dataframe and not at.title


def _failing_action() -> None:
    from coaching_ui.components.common import perform
    from qa.errors import Conflict

    def refuse(session: object) -> None:
        raise Conflict("no criterion ![pixel](http://tracker.example/p.png) **now**")

    perform(refuse)


def test_an_error_message_quoting_user_text_is_shown_literally(ui_db: Seeded) -> None:
    """A refused action's message may quote a name or criterion: no remote image, no markup."""
    at = AppTest.from_function(_failing_action).run()
    shown = at.error[0].value
    assert r"\!\[pixel\]\(http" in shown and r"\*\*now\*\*" in shown
