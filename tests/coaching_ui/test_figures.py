"""Helpers behind the pages: figures, bands, coaching effect, printable reports, start-up migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import inspect
from streamlit.testing.v1 import AppTest

from coaching_ui import figures, printable
from qa import config as qa_config
from qa.db import get_engine
from qa.reports.schemas import AgentRow, ContactTotals, PerformanceReview, PeriodReport, TopicCount
from tests.coaching_ui.conftest import APP, TIMEOUT


def test_clock_formats_times_into_the_call() -> None:
    assert [figures.clock(s) for s in (None, 5, 75.9, 3725)] == ["–", "0:05", "1:15", "1:02:05"]


def test_coaching_history_table_and_effect_chart_keep_before_and_after() -> None:
    effect = SimpleNamespace(
        note_id=3, created_at=datetime(2026, 3, 15, tzinfo=UTC), criterion_id="greeting", author="sam",
        text="Say your name", acknowledged=False, before=45.0, after=None,
    )  # fmt: skip
    history = figures.coaching_history([effect])
    assert history[["note", "before", "acknowledged"]].iloc[0].tolist() == ["#3 2026-03-15", 45.0, False]
    # A note without scores after it yet shows only its "before" point.
    assert figures.coaching_effect_frame(history)["when"].tolist() == ["before"]


def test_audit_frame_shows_what_changed() -> None:
    entry = SimpleNamespace(
        created_at=datetime(2026, 3, 15, tzinfo=UTC), username="sam", action="override",
        entity="criterion_result", entity_id=7, interaction_id=2,
        before={"result": "fail"}, after={"result": "pass", "comment": "heard it"},
    )  # fmt: skip
    row = figures.audit_frame([entry]).iloc[0]
    assert (row["who"], row["before"], row["after"]) == (
        "sam",
        "result: fail",
        "comment: heard it, result: pass",
    )


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
    page = printable.period_report_html(report)
    assert page.startswith("<!doctype html>") and "@media print" in page
    assert "maria.g" in page and "li.w" in page and "missed_pickup" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


def test_printable_review_uses_the_periods_totals() -> None:
    totals = ContactTotals(
        interactions=6, scored=6, average_score=59.7, auto_fails=1, reviewed=0, average_csat=4.17,
        average_handle_seconds=240.0, average_wait_seconds=None, average_customer_sentiment_end=0.1,
        customers=4, repeat_contacts=1, first_contact_resolution=0.75,
    )  # fmt: skip
    review = PerformanceReview(
        agent="maria.g", team="North", start=date(2026, 3, 1), end=date(2026, 3, 31), summary=None,
        trend=[], criteria=[], coaching_notes=1, coaching_acknowledged=0,
    )  # fmt: skip
    history = figures.coaching_history([])
    page = printable.performance_review_html(review, totals, history)
    assert "Performance review: maria.g" in page
    assert "<b>6</b>interactions" in page and "<b>59.7</b>mean score" in page
    assert "<b>75%</b>first-contact resolution" in page


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
