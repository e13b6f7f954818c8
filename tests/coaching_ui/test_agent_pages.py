"""My performance: an agent sees their own scores, evidence and coaching, and nobody else's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.db import session_scope
from tests.coaching_ui.seed import Seeded


def _note_from_sam(interaction_id: int, text: str) -> int:
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None
        note = coaching_service.create_note(
            session=db, principal=sam, interaction_id=interaction_id, text=text, criterion_id="greeting"
        )
        return note.id


def test_agent_lands_on_my_performance_with_trend_and_team_comparison(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("maria")
    assert not at.exception
    assert at.title[0].value == "My performance"
    subheaders = [s.value for s in at.subheader]
    assert subheaders == [
        "Score by week",
        "Pass rate per criterion, me against the team",
        "Coaching notes",
        "Latest evaluations",
    ]
    assert at.metric[0].value == "6"  # maria's six scored interactions
    assert len(at.get("vega_lite_chart")) == 2
    # Her period starts at her first interaction (2 March), not 26 weeks of nothing before it, and ends
    # today (a note written since her newest interaction is in it).
    assert at.date_input[0].value == (date(2026, 3, 2), max(date(2026, 3, 22), date.today()))


def test_latest_evaluations_are_only_the_agents_own(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("maria")
    labels = [e.label for e in at.expander]
    shown = {int(label.split(" ")[0].lstrip("#")) for label in labels}
    assert shown and shown <= set(ui_db.maria_ids)
    assert not shown & (set(ui_db.li_ids) | set(ui_db.omar_ids))
    # the evidence is listed with each criterion
    assert any("“" in m.value for m in at.markdown)


def test_agent_reads_and_acknowledges_a_coaching_note(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    note_id = _note_from_sam(ui_db.maria_ids[1], "Give your name in the greeting.")
    _note_from_sam(ui_db.li_ids[0], "A note for li, not for maria.")
    at = app_as("maria")
    notes = [m.value for m in at.markdown]
    assert "Give your name in the greeting." in notes
    assert "Greet the caller with your name and confirm the address before anything else." in notes
    assert "A note for li, not for maria." not in notes
    at.button(key=f"ack_{note_id}").click().run()
    assert not at.exception
    assert f"ack_{note_id}" not in [b.key for b in at.button]
    assert any(c.value.startswith("Acknowledged") for c in at.caption)
