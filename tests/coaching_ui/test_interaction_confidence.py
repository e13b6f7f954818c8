"""The interaction page and review queue on a call whose greeting the recogniser was unsure of:
low-confidence words marked (escaped), the doubtful answer shown as needing review; SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coaching_ui.components.interaction import marked_text
from qa.auth.service import principal_for
from qa.config import Settings
from qa.db import session_scope
from qa.interactions.schemas import UnclearWordRead
from qa.jobs import runner as job_runner
from qa.models import Role
from tests.coaching_ui.conftest import APP, TIMEOUT
from tests.qa.builders import add_user
from tests.qa.garbled_call import ingest_garbled_call

REPO = Path(__file__).resolve().parents[2]


def _app_as(settings: Settings, username: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    with session_scope(settings.database_url) as db:
        at.session_state["principal"] = principal_for(session=db, username=username)
    at.run()
    return at


@pytest.fixture
def garbled_call(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """The garbled-greeting call, transcribed and scored by the real pipeline; sam supervises its agent."""
    monkeypatch.setattr(settings, "rubrics_dir", REPO / "rubrics")
    with session_scope(settings.database_url) as session:
        add_user(session, "sam", Role.SUPERVISOR, team="North")
    interaction_id = ingest_garbled_call(settings, tmp_path, monkeypatch)
    report = job_runner.run_queued(settings=settings)
    assert report.failed == 0, report.errors
    return interaction_id


def test_interaction_page_marks_unclear_words_and_the_doubtful_answer(
    settings: Settings, garbled_call: int
) -> None:
    at = _app_as(settings, "sam")
    at.session_state["interaction_id"] = garbled_call
    at.switch_page("app_pages/interaction.py").run()
    assert not at.exception, at.exception
    transcript = "".join(str(h.proto.body) for h in at.get("html"))
    assert '<mark class="unclear" title="recognizer unsure: 31%">a</mark>' in transcript
    assert '<mark class="unclear" title="recognizer unsure: 42%">Marie.</mark>' in transcript
    assert "Thank you for calling Public Works, this is" in transcript  # the clear words unmarked
    assert any("Needs review" in w.value for w in at.warning)
    captions = [c.value for c in at.caption]
    name = next(c for c in captions if c.startswith("`agent_name`"))
    assert "confidence 31%" in name and "machine (low confidence) — needs review" in name
    assert any("Marie" in w.value and "31%" in w.value for w in at.warning)


def test_review_queue_filters_and_counts_needs_review(settings: Settings, garbled_call: int) -> None:
    at = _app_as(settings, "sam")
    at.switch_page("app_pages/review_queue.py").run()
    assert not at.exception, at.exception
    assert any(w.value.startswith("1 interactions need review") for w in at.warning)
    at.selectbox(key="queue_needs_review").set_value("only needs review").run()
    table = at.dataframe[0].value
    assert table["id"].tolist() == [garbled_call] and table["needs review"].tolist() == [True]
    at.selectbox(key="queue_needs_review").set_value("no doubtful answers").run()
    assert at.dataframe[0].value.empty


def test_marked_text_escapes_user_text() -> None:
    """Recognised words are user text: markup in them is shown, never run."""
    words = [UnclearWordRead(text="<script>", start=1.0, end=1.2, probability=0.2)]
    html = marked_text('say <b>"hi"</b> <script> & go', words)
    assert "<script>" not in html and "<b>" not in html
    assert '<mark class="unclear" title="recognizer unsure: 20%">&lt;script&gt;</mark>' in html
    assert html.startswith("say &lt;b&gt;&quot;hi&quot;&lt;/b&gt; ")


def test_marked_text_marks_whole_words_in_order() -> None:
    words = [UnclearWordRead(text="a", start=2.5, end=2.7, probability=0.31)]
    html = marked_text("Thank you, this is a Marie.", words)
    assert html == 'Thank you, this is <mark class="unclear" title="recognizer unsure: 31%">a</mark> Marie.'
