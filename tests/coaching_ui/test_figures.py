"""Helpers behind the pages: figures, bands, coaching effect, printable reports, start-up migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect
from streamlit.testing.v1 import AppTest

from coaching_ui import figures
from qa import config as qa_config
from qa.audit.schemas import AuditEntryRead
from qa.db import get_engine
from qa.printouts import document
from qa.printouts.html import document_html
from qa.reports.schemas import (
    AgentRow,
    CoachingEffect,
    ContactFigures,
    ContactTotals,
    PerformanceReview,
    PeriodReport,
    TopicCount,
)
from qa.reports.service import period_report_csv
from tests.coaching_ui.conftest import APP, TIMEOUT


def test_clock_formats_times_into_the_call() -> None:
    assert [figures.clock(s) for s in (None, 5, 75.9, 3725)] == ["–", "0:05", "1:15", "1:02:05"]


def test_coaching_history_table_and_effect_chart_keep_before_and_after() -> None:
    effect = CoachingEffect(
        note_id=3, interaction_id=9, created_at=datetime(2026, 3, 15, tzinfo=UTC), agent="maria.g",
        criterion_id="greeting", author="sam", text="Say your name", acknowledged=False, window=10,
        before_count=4, before_passed=1, before_pass_rate=0.25, before_score=None,
        after_count=0, after_passed=0, after_pass_rate=None, after_score=None,
    )  # fmt: skip
    history = figures.coaching_history([effect])
    assert history[["Note", "Before the note", "After the note", "Acknowledged"]].iloc[0].tolist() == [
        "#3 2026-03-15", "1 of 4 passed (25%)", "no interactions yet", "no",
    ]  # fmt: skip
    # A note without interactions after it yet shows only its "before" point.
    assert figures.coaching_effect_frame([effect])[["when", "pass_rate"]].values.tolist() == [
        ["before", 25.0]
    ]


def test_audit_frame_shows_what_changed() -> None:
    entry = AuditEntryRead(
        id=1, created_at=datetime(2026, 3, 15, tzinfo=UTC), user_id=1, username="sam", action="override",
        entity="criterion_result", entity_id=7, interaction_id=2,
        before={"result": "fail"}, after={"result": "pass", "comment": "heard it"},
    )  # fmt: skip
    row = figures.audit_frame([entry]).iloc[0]
    assert (row["Who"], row["What"], row["Change"]) == (
        "sam",
        "criterion result #7",
        "comment: heard it\nresult: fail -> pass",
    )
    assert figures.changes({"status": "final", "note": "x"}, {"status": "draft"}) == (
        "note: x -> (removed)\nstatus: final -> draft"
    )
    assert figures.changes({"result": "pass"}, {"result": "pass"}) == ""  # unchanged fields are left out


TOTALS = ContactTotals(
    interactions=6, scored=6, average_score=59.7, auto_fails=1, reviewed=0, average_csat=4.17,
    average_handle_seconds=240.0, average_wait_seconds=None, average_customer_sentiment_end=0.1,
    customers=4, repeat_contacts=1, first_contact_resolution=0.75,
    repeat_rule="the same customer contacts again within 7 days", speed_of_answer_seconds=None,
)  # fmt: skip


def contacts(totals: ContactTotals = TOTALS) -> ContactFigures:
    """A period's contact figures with only its totals (no weeks, drivers or bands)."""
    return ContactFigures(
        start=date(2026, 3, 1), end=date(2026, 3, 31), agent=None, totals=totals, service_levels=[],
        targets_team=None, volume=[], score_bands=[], channels=[], drivers=[], volume_by_hour=[], weeks=[],
    )  # fmt: skip


def test_printable_report_is_self_contained_html_with_every_agent() -> None:
    report = PeriodReport(
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        agents=[
            AgentRow(
                agent="maria.g",
                team="North",
                interactions=5,
                scored=5,
                average_score=51.7,
                auto_fails=1,
                reviewed=0,
                average_csat=4.0,
                average_handle_seconds=240.0,
            ),
            AgentRow(
                agent="li.w",
                team="North",
                interactions=2,
                scored=2,
                average_score=54.2,
                auto_fails=0,
                reviewed=0,
                average_csat=4.0,
                average_handle_seconds=None,
            ),
        ],
        topics=[TopicCount(topic="missed_pickup", interactions=6, average_score=62.0)],
    )
    page = document_html(document.period_report(report, contacts()))
    assert page.startswith("<!doctype html>") and "@media print" in page
    assert "maria.g" in page and "li.w" in page and "missed_pickup" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


def _agent(name: str, team: str | None = "North") -> AgentRow:
    return AgentRow(
        agent=name, team=team, interactions=1, scored=1, average_score=-5.0, auto_fails=0, reviewed=0,
        average_csat=None, average_handle_seconds=None,
    )  # fmt: skip


def test_printable_report_escapes_user_text() -> None:
    report = PeriodReport(
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        agents=[_agent("<img src=x onerror=alert(1)>", team="<b>North</b>")],
        topics=[TopicCount(topic="<script>alert(2)</script>", interactions=1, average_score=None)],
    )
    page = document_html(document.period_report(report, contacts()))
    assert "<img src=x" not in page and "<script" not in page and "<b>North" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;script&gt;" in page


def test_report_csv_neutralises_formulas_but_keeps_numbers() -> None:
    report = PeriodReport(
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        agents=[_agent('=HYPERLINK("http://x","y")', team="@SUM(A1)"), _agent("+1", team="-2")],
        topics=[],
    )
    lines = period_report_csv(report).splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and ",'@SUM(A1)," in lines[1]
    assert lines[2].startswith("'+1,'-2,") and ",-5.0," in lines[2]  # a negative number stays a number


def test_printable_review_uses_the_periods_totals() -> None:
    review = PerformanceReview(
        agent="maria.g", team="North", start=date(2026, 3, 1), end=date(2026, 3, 31), summary=None,
        trend=[], criteria=[], coaching_notes=0, coaching_acknowledged=0, coaching=[],
    )  # fmt: skip
    page = document_html(document.performance_review(review, contacts()))
    assert "Performance review: maria.g" in page
    assert "<b>6</b>Interactions" in page and "<b>59.7</b>Mean score" in page
    assert "<b>75%</b>First-contact resolution" in page and "<b>4:00</b>Handle time" in page


def test_the_app_migrates_a_new_database_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    monkeypatch.setenv("CALLCOACH_DATABASE_URL", url)
    monkeypatch.setenv("CALLCOACH_ENVIRONMENT", "test")
    monkeypatch.setenv("CALLCOACH_SECRET_KEY", "test-secret-key-not-a-placeholder")
    qa_config.get_settings.cache_clear()
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert {"interaction", "evaluation", "user_account"} <= set(
            inspect(get_engine(url)).get_table_names()
        )
    finally:
        get_engine(url).dispose()
        qa_config.get_settings.cache_clear()
