"""The review queue: most urgent first, filters, scope, and opening an interaction."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from coaching_ui.components import review_queue as widgets
from tests.coaching_ui.seed import Seeded

QUEUE = "app_pages/review_queue.py"


def _ids(at: AppTest) -> list[int]:
    return [int(i) for i in at.dataframe[0].value["id"].tolist()]


def test_queue_lists_the_auto_fail_first_then_the_lowest_scores(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("sam")
    assert not at.exception
    assert at.title[0].value == "Review queue"
    table = at.dataframe[0].value
    assert int(table["id"].iloc[0]) == ui_db.auto_fail_id
    assert table["score"].iloc[0] == "AUTO-FAIL"
    # Both low scores (33) follow; li's very negative customer before maria's
    assert _ids(at)[1:3] == [ui_db.low_score_id, ui_db.maria_low_id]


def test_supervisor_sees_only_their_team(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("sam")
    ids = set(_ids(at))
    assert ids == set(ui_db.maria_ids) | set(ui_db.li_ids)
    assert not ids & set(ui_db.omar_ids)
    assert "omar.k" not in at.selectbox(key="queue_agent").options


def test_manager_sees_every_team(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("mgr", QUEUE)
    assert set(ui_db.omar_ids) <= set(_ids(at))


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        ("queue_agent", "li.w", "li"),
        ("queue_af", "only auto-fails", "auto_fail"),
        ("queue_sentiment", "negative", "negative"),
    ],
)
def test_filters_narrow_the_queue(
    app_as: Callable[..., AppTest], ui_db: Seeded, widget: str, value: str, expected: str
) -> None:
    at = app_as("sam")
    at.selectbox(key=widget).select(value).run()
    ids = set(_ids(at))
    want = {
        "li": set(ui_db.li_ids),
        "auto_fail": {ui_db.auto_fail_id},
        "negative": {ui_db.auto_fail_id, ui_db.low_score_id},
    }[expected]
    assert ids == want


def test_the_queue_is_as_tall_as_its_page_of_rows(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    """A page of 50 rows shows 50 rows (the page scrolls), not 10 in a box; the rest is on the next page."""
    assert widgets.queue_height(50) >= widgets.ROW_PIXELS * 51 > widgets.queue_height(10)
    at = app_as("sam")
    at.selectbox(key="queue_rows").select(25).run()
    assert at.number_input(key="queue_page").value == 1 and len(_ids(at)) == 8  # all of sam's team fit
    at.number_input(key="queue_page").set_value(2).run()
    assert not at.exception and _ids(at) == []


def test_sort_by_newest(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("sam")
    at.selectbox(key="queue_sort").select("Newest").run()
    started = at.dataframe[0].value["started"].tolist()
    assert started == sorted(started, reverse=True)


def test_open_goes_to_the_interaction_page(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("sam")
    at.selectbox(key="queue_open_id").select(ui_db.low_score_id)
    at.button[0].click().run()  # the form's Open button is the only button on the page
    assert not at.exception
    assert at.session_state["interaction_id"] == ui_db.low_score_id
    assert at.title[0].value == "Interaction"
