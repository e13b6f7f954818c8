"""Manager and admin pages: performance review, team dashboard, reports and export, jobs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.coaching_ui.seed import Seeded

REVIEW = "app_pages/performance_review.py"
DASHBOARD = "app_pages/team_dashboard.py"
REPORTS = "app_pages/reports.py"
JOBS = "app_pages/jobs.py"
AUDIT = "app_pages/audit_log.py"


@pytest.mark.parametrize("username", ["mgr", "root"])
def test_performance_review_of_one_agent(
    app_as: Callable[..., AppTest], ui_db: Seeded, username: str
) -> None:
    at = app_as(username, REVIEW)
    assert not at.exception
    assert at.title[0].value == "Performance review"
    at.selectbox(key="review_agent").select("maria.g").run()
    assert not at.exception
    assert {
        "Quality score by week",
        "Customer sentiment by week",
        "Volume by week",
        "Criterion breakdown",
        "Coaching history",
    } <= {s.value for s in at.subheader}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Interactions"] == "6"
    assert metrics["Auto-fails"] == "1"
    # Two contacts with a known customer, one of them repeated the next day; waits of 30, 60 and 90 s.
    assert metrics["First-contact resolution"] == "50%"
    assert metrics["Wait time"] == "1:00"
    history = at.dataframe[0].value
    assert history[["criterion", "by", "before", "after"]].iloc[0].tolist() == [
        "greeting",
        "sam",
        51.7,
        100.0,
    ]
    assert len(at.get("vega_lite_chart")) >= 4
    download = at.get("download_button")[0]
    assert "Download printable review" in download.proto.label


@pytest.mark.parametrize("username", ["mgr", "root"])
def test_team_dashboard_covers_every_team(
    app_as: Callable[..., AppTest], ui_db: Seeded, username: str
) -> None:
    at = app_as(username, DASHBOARD)
    assert not at.exception
    assert at.title[0].value == "Team dashboard"
    assert {m.label: m.value for m in at.metric}["Interactions"] == "9"
    agents = at.dataframe[0].value
    assert set(agents["agent"]) == {"maria.g", "li.w", "omar.k"}
    assert {
        "Score distribution",
        "Channel mix",
        "Agents side by side",
        "Contact drivers by program",
        "Volume by hour and weekday",
    } <= {s.value for s in at.subheader}
    assert len(at.get("vega_lite_chart")) == 5


def test_reports_offer_csv_and_printable_downloads(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("mgr", REPORTS)
    assert not at.exception
    assert at.title[0].value == "Reports and export"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download printable report (HTML)"]
    assert "maria.g" in set(at.dataframe[0].value["agent"])


@pytest.mark.parametrize("username", ["sam", "root"])
def test_failed_jobs_are_shown_and_retried(
    app_as: Callable[..., AppTest], ui_db: Seeded, username: str
) -> None:
    # Supervisors too: the jobs service lets them, so the page must (it was offered to admins only).
    at = app_as(username, JOBS)
    assert not at.exception
    assert at.title[0].value == "Jobs"
    jobs = at.dataframe[0].value
    assert jobs["id"].tolist() == [ui_db.failed_job_id]
    assert jobs["error"].iloc[0] == "encoder not available"
    at.button(key="retry").click().run()
    assert not at.exception, at.exception
    assert "Requeued 1" in at.success[0].value
    assert {m.label: m.value for m in at.metric}["Queued"] == "1"


@pytest.mark.parametrize("username", ["mgr", "root"])
def test_audit_log_lists_changes_newest_first_and_filters(
    app_as: Callable[..., AppTest], ui_db: Seeded, username: str
) -> None:
    at = app_as(username, AUDIT)
    assert not at.exception
    assert at.title[0].value == "Audit log"
    entries = at.dataframe[0].value
    note = entries[entries["entity"] == "coaching_note"].iloc[0]
    assert (note["who"], note["entity id"], note["interaction"]) == (
        "sam",
        ui_db.coaching_note_id,
        ui_db.maria_low_id,
    )
    assert "Greet the caller" in note["after"]
    at.selectbox(key="audit_entity").select("Reviews").run()
    assert not at.exception and not at.dataframe
    assert at.info[0].value == "No changes recorded for these filters."
    at.selectbox(key="audit_entity").select("All").run()
    at.number_input(key="audit_interaction").set_value(ui_db.maria_low_id).run()
    assert set(at.dataframe[0].value["interaction"]) == {ui_db.maria_low_id}


def test_audit_log_shows_a_review_finished_in_the_interaction_page(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("mgr", "app_pages/interaction.py")
    at.session_state["interaction_id"] = ui_db.low_score_id
    at.run()
    at.button(key="finalize").click().run()
    assert not at.exception
    at.switch_page(AUDIT).run()
    newest = at.dataframe[0].value.iloc[0]
    assert (newest["who"], newest["entity"], newest["interaction"]) == (
        "mgr",
        "evaluation",
        ui_db.low_score_id,
    )
