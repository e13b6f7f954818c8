"""The scorecards page: read-only for supervisors (agents: test_login.py); a manager edits a criterion in
the form (the YAML follows), sees validation errors next to the field, runs the test cases, previews the
impact, publishes and reads the history."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.db import session_scope
from qa.models import Evaluation, RubricDraft
from scoring.rubric import load_rubric
from tests.coaching_ui.seed import Seeded
from tests.qa.rubrics.scorecards import CHAT_RUBRIC, use_rubrics_folder

PAGE = "app_pages/scorecards.py"


@pytest.fixture
def rubrics_folder(ui_db: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings = use_rubrics_folder(tmp_path, monkeypatch)
    assert settings.rubrics_dir is not None
    return settings.rubrics_dir


def _draft_yaml() -> str:
    with session_scope(qa_config.get_settings().database_url) as db:
        return db.scalars(select(RubricDraft.content).order_by(RubricDraft.id.desc())).first() or ""


def _evaluations() -> int:
    with session_scope(qa_config.get_settings().database_url) as db:
        return db.scalar(select(func.count()).select_from(Evaluation)) or 0


def _by_label(elements, label: str):  # type: ignore[no-untyped-def]
    return next(e for e in elements if e.label == label)


def test_supervisors_read_and_agents_are_turned_away(
    app_as: Callable[..., AppTest], rubrics_folder: Path
) -> None:
    at = app_as("sam", PAGE)
    assert not at.exception
    assert at.title[0].value == "Scorecards"
    assert any("Read only" in i.value for i in at.info)
    at.selectbox(key="sc_rubric").select("public_works_chat").run()
    assert CHAT_RUBRIC.strip() in [c.value.strip() for c in at.code]
    assert not [b for b in at.button if b.key == "sc_start"]
    # Agents: tests/coaching_ui/test_login.py (neither in the menu nor when the page is run directly).


def test_a_manager_edits_tests_previews_and_publishes(
    app_as: Callable[..., AppTest], rubrics_folder: Path
) -> None:
    at = app_as("mgr", PAGE)
    assert not at.exception
    at.selectbox(key="sc_rubric").select("public_works_chat").run()
    at.button(key="sc_start").click().run()
    assert _draft_yaml() == CHAT_RUBRIC

    # A refused value stays in the form, with the validation message under its field.
    _by_label(at.number_input, "Points").set_value(-3).run()
    at.button(key="sc_apply").click().run()
    assert any("sections[main].criteria[greeting].points" in e.value.replace("\\", "") for e in at.error)
    assert _draft_yaml() == CHAT_RUBRIC

    _by_label(at.number_input, "Points").set_value(10).run()
    _by_label(at.text_area, "Phrases (one a line)").input("good morning\nhello there").run()
    _by_label(at.number_input, "Weight").set_value(50).run()
    at.button(key="sc_apply").click().run()
    assert not at.exception and not at.error
    saved = _draft_yaml()
    assert "- good morning" in saved and "- hello there" in saved and "weight: 50" in saved
    assert _by_label(at.text_area, "YAML").value == saved  # the YAML side follows the form

    at.button(key="sc_tests").click().run()
    assert any("Test cases: 1 passed, 1 failed" in e.value for e in at.error)  # greeting no longer passes

    before = _evaluations()
    at.button(key="sc_preview").click().run()
    deadline = time.monotonic() + 60
    while [b for b in at.button if b.key == "sc_refresh"] and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Interactions rescored"]) > 0
    criteria = at.dataframe[1].value.set_index("criterion")
    assert criteria.loc["greeting", "pass → fail"] > 0
    assert _evaluations() == before  # a preview stores no evaluation
    assert at.selectbox(key="sc_changed").options  # the changed interactions, each opened side by side

    at.text_input(key="sc_reason").input("greetings in the new script").run()
    at.button(key="sc_publish").click().run()
    assert not at.exception
    assert any("Published version" in s.value for s in at.success)
    path = rubrics_folder / "public_works_chat.yaml"
    assert path.read_text(encoding="utf-8") == saved
    new_version = load_rubric(path).version
    assert at.dataframe[-1].value["version"].iloc[0] == new_version
    at.selectbox(key="sc_version").select(new_version).run()
    assert "+    - good morning" in at.code[-1].value or "+      - good morning" in at.code[-1].value


def test_a_changed_interaction_opens_in_the_interaction_page(
    app_as: Callable[..., AppTest], rubrics_folder: Path
) -> None:
    at = app_as("mgr", PAGE)
    at.selectbox(key="sc_rubric").select("public_works_chat").run()
    at.button(key="sc_start").click().run()
    _by_label(at.text_area, "Phrases (one a line)").input("good morning").run()
    at.button(key="sc_apply").click().run()
    at.button(key="sc_preview").click().run()
    deadline = time.monotonic() + 60
    while [b for b in at.button if b.key == "sc_refresh"] and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    label = at.selectbox(key="sc_changed").options[0]  # shown first: "#<id> · agent · before → after"
    at.button(key="sc_open").click().run()
    assert not at.exception
    assert at.title[0].value == "Interaction"
    opened_id = int(label.split(" · ")[0].lstrip("#"))
    assert at.selectbox(key=f"pick_interaction_{opened_id}").value == opened_id
