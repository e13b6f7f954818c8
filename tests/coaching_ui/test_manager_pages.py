"""Manager and admin pages: performance review, team dashboard, reports and export, jobs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from qa.printouts import charts
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
    # Two contacts with a known customer, one of them repeated the next day about the same program.
    assert metrics["First-contact resolution"] == "50%"
    # The chats' waits (30, 60 and 90 s) are chat response times, not a speed of answer; her calls have none.
    assert metrics["Speed of answer (calls)"] == "–"
    levels = _table(at, "Measure").set_index(["Channel", "Measure"])
    assert levels.loc[("chat", "first response"), ["Contacts", "In target", "Share", "Average"]].tolist() == [
        3, 2, "67%", "1:00",
    ]  # fmt: skip
    # On greeting: 4 of her 5 interactions before the note passed (not the low call), the one after did.
    history = _table(at, "Before the note")
    assert history[["Criterion", "By", "Before the note", "After the note"]].iloc[0].tolist() == [
        "greeting",
        "sam",
        "4 of 5 passed (80%)",
        "1 of 1 passed (100%)",
    ]
    repeats = _table(at, "next id")
    assert repeats[["id", "next id", "Again after (days)"]].iloc[0].tolist() == [
        ui_db.maria_ids[3], ui_db.maria_low_id, 1.0,
    ]  # fmt: skip
    assert len(at.get("vega_lite_chart")) >= 4
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:3] == ["Download PDF", "Download printable page (HTML)", "Download all tables (XLSX)"]
    # one per table: by channel, service levels, week by week, criteria, coaching history, repeat contacts
    assert labels.count("CSV") == len(at.dataframe) == 6
    by_channel = _table(at, "Handle time (m:ss)").set_index("Channel")
    assert by_channel["Contacts"].to_dict() == {"chat": 4, "call": 2}  # her 6 interactions, per channel


def _table(at: AppTest, column: str) -> pd.DataFrame:
    """The page's table that has `column`."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _chart_specs(at: AppTest) -> list[dict[str, Any]]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_tables_read_in_human_terms(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    """Column names with units, durations as m:ss, one count column, "–" where a figure is missing."""
    at = app_as("mgr", DASHBOARD)
    agents = _table(at, "Agent")
    assert {"Interactions", "Scored", "Mean score", "Handle time (m:ss)", "CSAT (1-5)"} <= set(agents.columns)
    assert not {"count", "handle s", "wait s", "average_score", "score"} & set(agents.columns)
    assert all(re.fullmatch(r"\d+:\d\d|–", t) for t in agents["Handle time (m:ss)"]), agents
    weeks = _table(at, "Week of")
    assert all(re.fullmatch(r"\d+:\d\d|–", t) for t in weeks["Handle time (m:ss)"])
    # No waits averaged over channels (a call's queue with an e-mail's reply time): see the service levels.
    assert not any("Wait" in c for c in [*agents.columns, *weeks.columns])
    shown = " ".join(c.proto.arrow_data.styler.display_values.decode("utf-8", "ignore") for c in at.dataframe)
    assert "–" in shown and "None" not in shown  # missing figures read "–"


def test_empty_weeks_count_as_zero_on_whole_number_axes(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("mgr", REVIEW)
    at.selectbox(key="review_agent").select("li.w").run()
    at.date_input(key="review_period_li.w").set_value((date(2026, 2, 16), date(2026, 3, 15))).run()
    weeks = _table(at, "Week of")
    # li's two contacts are in the weeks of 2 and 9 March: the two weeks before are rows of zeros.
    assert weeks["Interactions"].tolist() == [0, 0, 1, 1]
    volume = next(s for s in _chart_specs(at) if s["encoding"]["y"].get("title") == "Interactions")
    assert volume["encoding"]["y"]["axis"]["format"] == "d"
    assert volume["encoding"]["y"]["axis"]["tickMinStep"] == 1


def test_sentiment_bars_are_coloured_by_sign(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("mgr", REVIEW)
    at.selectbox(key="review_agent").select("maria.g").run()
    sentiment = next(s for s in _chart_specs(at) if "sign" in str(s["encoding"].get("color", {})))
    scale = sentiment["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "negative": "#d62728",
        "positive": "#2ca02c",
    }
    weekly = pd.DataFrame({"week": pd.to_datetime(["2026-03-02", "2026-03-09"]), "sentiment": [0.4, -0.3]})
    assert charts.sentiment_trend(weekly).data["sign"].tolist() == ["positive", "negative"]


def test_review_period_starts_at_the_agents_first_interaction(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("mgr", REVIEW)
    at.selectbox(key="review_agent").select("omar.k").run()
    period = next(d for d in at.date_input if d.label == "Period").value
    # From omar's only interaction (not 13 empty weeks before it) to today.
    assert period == (date(2026, 3, 6), max(date(2026, 3, 6), date.today()))


@pytest.mark.parametrize("username", ["mgr", "root"])
def test_team_dashboard_covers_every_team(
    app_as: Callable[..., AppTest], ui_db: Seeded, username: str
) -> None:
    at = app_as(username, DASHBOARD)
    assert not at.exception
    assert at.title[0].value == "Team dashboard"
    assert {m.label: m.value for m in at.metric}["Interactions"] == "9"
    agents = _table(at, "Agent")
    assert set(agents["Agent"]) == {"maria.g", "li.w", "omar.k"}
    assert {
        "Score distribution",
        "Channel mix",
        "Agents side by side",
        "Contact drivers",
        "Volume by hour and weekday",
        "By channel and service levels against target",
        "Contacts by program and channel",
        "Inquiry types by program",
        "Repeat contacts",
        "Coaching topics that moved scores",
    } <= {s.value for s in at.subheader}
    assert len(at.get("vega_lite_chart")) == 5
    # Contact drivers: one chart of bars by topic, not a panel per program
    drivers = next(s for s in _chart_specs(at) if "topic" in str(s.get("encoding", {}).get("y", {})))
    assert "facet" not in drivers and drivers["mark"]["type"] == "bar"
    labels = [b.proto.label for b in at.get("download_button")]
    # a CSV under every table (agents, week by week, reviewer workload and outcomes when there are any)
    assert labels == ["CSV"] * len(at.dataframe) + ["Download all tables (XLSX)"] and len(at.dataframe) >= 2


def test_team_dashboard_figures_and_repeat_contacts_open(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("mgr", DASHBOARD)
    by_channel = _table(at, "Program").set_index(["Program", "Channel"])
    # March 2026: maria's 4 chats and li's in solid_waste with maria's low call; the auto-fail call in
    # scooters, li's call in streets, omar's chat in parking.
    assert by_channel.loc[("solid_waste", "chat"), "2026-03"] == 5
    assert by_channel.loc[("solid_waste", "call"), "2026-03"] == 1
    assert by_channel["2026-03"].sum() == 9
    topics = _table(at, "Change (points)")
    assert topics[["Criterion", "Notes", "Change (points)"]].iloc[0].tolist() == ["greeting", 1, 20.0]
    at.selectbox(key="repeat_open_all").select(ui_db.maria_low_id)
    next(b for b in at.button if b.label == "Open").click().run()
    assert not at.exception
    assert at.session_state["interaction_id"] == ui_db.maria_low_id
    assert at.title[0].value == "Interaction"


def test_reports_offer_csv_and_printable_downloads(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("mgr", REPORTS)
    assert not at.exception
    assert at.title[0].value == "Reports and export"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:3] == ["Download PDF", "Download printable page (HTML)", "Download all tables (XLSX)"]
    # by channel, service levels, agents, contact drivers, week by week, contacts by channel and by type
    assert labels.count("CSV") == len(at.dataframe) == 7
    assert "maria.g" in set(_table(at, "Agent")["Agent"])


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
    note = entries[entries["What"].str.startswith("coaching note")].iloc[0]
    assert (note["Who"], note["What"], note["Interaction"]) == (
        "sam",
        f"coaching note #{ui_db.coaching_note_id}",
        ui_db.maria_low_id,
    )
    assert "text: Greet the caller" in note["Change"]
    at.selectbox(key="audit_entity").select("Reviews").run()
    assert not at.exception and not at.dataframe
    assert at.info[0].value == "No changes recorded for these filters."
    at.selectbox(key="audit_entity").select("All").run()
    at.number_input(key="audit_interaction").set_value(ui_db.maria_low_id).run()
    assert set(at.dataframe[0].value["Interaction"]) == {ui_db.maria_low_id}


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
    assert (newest["Who"], newest["What"].split(" #")[0], newest["Interaction"]) == (
        "mgr",
        "evaluation",
        ui_db.low_score_id,
    )
    assert "status: draft -> final" in newest["Change"] or " -> " in newest["Change"]
