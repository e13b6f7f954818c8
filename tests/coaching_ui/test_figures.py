"""Helpers behind the pages: figures, bands, coaching effect, printable reports, start-up migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy import inspect
from streamlit.testing.v1 import AppTest

from coaching_ui import figures, printable
from qa import config as qa_config
from qa.db import get_engine
from qa.reports.schemas import AgentRow, PeriodReport, TopicCount
from tests.coaching_ui.conftest import APP, TIMEOUT


def _contacts(scores: list[float | None], days: list[int]) -> pd.DataFrame:
    started = [datetime(2026, 3, 1, 9, tzinfo=UTC) + pd.Timedelta(days=d) for d in days]
    return pd.DataFrame({"score": scores, "started_at": pd.to_datetime(started, utc=True)})


def test_clock_formats_times_into_the_call() -> None:
    assert [figures.clock(s) for s in (None, 5, 75.9, 3725)] == ["–", "0:05", "1:15", "1:02:05"]


def test_score_bands_count_every_score_once_with_100_in_the_top_band() -> None:
    bands = figures.score_bands(pd.DataFrame({"score": [0, 9.9, 10, 55, 100, None]}))
    assert bands["count"].sum() == 5
    assert dict(zip(bands["band"], bands["count"], strict=True))["90-100"] == 1
    assert dict(zip(bands["band"], bands["count"], strict=True))["0-10"] == 2


def test_coaching_history_compares_four_weeks_before_and_after_each_note() -> None:
    contacts = _contacts([40, 50, 90, 100, 10], [0, 10, 20, 30, 80])
    note = SimpleNamespace(
        id=3, created_at=datetime(2026, 3, 15, tzinfo=UTC), criterion_id="greeting", author="sam",
        text="Say your name", acknowledged_at=None,
    )  # fmt: skip
    history = figures.coaching_history([note], contacts)
    assert history[["before", "after", "acknowledged"]].iloc[0].tolist() == [45.0, 95.0, False]
    assert figures.coaching_effect_frame(history)["when"].tolist() == ["before", "after"]


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
