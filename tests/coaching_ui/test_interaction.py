"""The interaction page: transcript, evidence moments, overrides and coaching notes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.db import session_scope
from qa.interactions import service as interaction_service
from qa.interactions.schemas import InteractionDetail
from qa.models import Interaction
from tests.coaching_ui.seed import Seeded
from tests.factories import tone, write_wav
from tests.qa.builders import add_media

PAGE = "app_pages/interaction.py"


def _open(app_as: Callable[..., AppTest], username: str, interaction_id: int) -> AppTest:
    at = app_as(username)
    at.session_state["interaction_id"] = interaction_id
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _html(at: AppTest) -> str:
    return "".join(str(h.proto.body) for h in at.get("html"))


def _detail(username: str, interaction_id: int) -> InteractionDetail:
    with session_scope(qa_config.get_settings().database_url) as db:
        principal = principal_for(session=db, username=username)
        assert principal is not None
        return interaction_service.get_interaction_detail(
            session=db, principal=principal, interaction_id=interaction_id
        )


def test_shows_transcript_scorecard_sentiment_and_metrics(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = _open(app_as, "sam", ui_db.auto_fail_id)
    assert at.metric[0].value == "AUTO-FAIL"
    assert "Auto-fail" in at.error[0].value
    transcript = _html(at)
    assert "social security number" in transcript
    assert 'class="turn agent evidence"' in transcript  # the critical criterion's evidence is marked
    assert "no_personal_data" in transcript
    subheaders = [s.value for s in at.subheader]
    assert {"Recording and transcript", "Sentiment over the interaction", "Metrics", "Scorecard"} <= set(
        subheaders
    )
    assert len(at.get("vega_lite_chart")) == 1


def test_clicking_evidence_jumps_to_its_moment(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = _open(app_as, "sam", ui_db.auto_fail_id)
    at.button(key="evidence_no_personal_data_0").click().run()
    assert not at.exception
    moment = at.session_state["moment"]
    assert (moment.turn, moment.start, moment.criterion) == (2, 20.0, "no_personal_data")
    assert 'class="turn agent evidence moment"' in _html(at)
    assert "0:20" in at.info[0].value and "social security" in at.info[0].value
    assert at.number_input(key="note_at").value == 20.0


def test_override_on_the_scorecard_card_changes_the_score(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = _open(app_as, "sam", ui_db.auto_fail_id)
    # Nothing is preselected: saving without an answer changes nothing.
    assert at.radio(key="override_result_no_personal_data").value is None
    at.button(key="FormSubmitter:override_no_personal_data-Save override").click().run()
    assert "Choose an answer" in at.error[-1].value and at.metric[0].value == "AUTO-FAIL"
    at.radio(key="override_result_no_personal_data").set_value("pass")
    at.text_area(key="override_comment_no_personal_data").input("Agent corrected themselves at once.")
    at.button(key="FormSubmitter:override_no_personal_data-Save override").click().run()
    assert not at.exception
    assert at.metric[0].value == "100"
    assert any("reviewed by sam" in c.value for c in at.caption)
    evaluation = _detail("sam", ui_db.auto_fail_id).evaluation
    assert evaluation is not None
    criterion = next(c for c in evaluation.criteria if c.criterion_id == "no_personal_data")
    assert (criterion.result, criterion.machine_result) == ("pass", "fail")
    assert criterion.override_comment == "Agent corrected themselves at once."


def test_coaching_note_is_tied_to_a_criterion_and_moment(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = _open(app_as, "sam", ui_db.auto_fail_id)
    at.button(key="evidence_no_personal_data_0").click().run()
    # Evidence sets the moment, never silently the criterion: the reviewer picks it.
    assert at.selectbox(key="note_criterion").value is None
    at.selectbox(key="note_criterion").select("no_personal_data")
    at.text_area(key="note_text").input("Never ask for an SSN; the address is enough.")
    at.button(key="FormSubmitter:note-Save note").click().run()
    assert not at.exception
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None
        notes = coaching_service.list_notes(session=db, principal=sam, interaction_id=ui_db.auto_fail_id)
    assert [(n.criterion_id, n.at_seconds, n.agent) for n in notes] == [("no_personal_data", 20.0, "maria.g")]
    # The whole note is shown, as plain text.
    assert "Never ask for an SSN; the address is enough." in [t.value for t in at.text]


def test_supervisor_cannot_open_another_teams_interaction(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = _open(app_as, "sam", ui_db.omar_ids[0])
    assert "not found" in at.error[0].value
    assert not at.get("html")


def test_finalized_review_hides_overrides_until_reopened(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = _open(app_as, "mgr", ui_db.low_score_id)
    at.button(key="finalize").click().run()
    assert at.metric[4].value == "final"
    # No override forms on a final review; it can be reopened (audited in the service).
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:override_")]
    at.button(key="reopen").click().run()
    assert not at.exception and at.metric[4].value == "reviewed"
    assert [b for b in at.button if b.key and b.key.startswith("FormSubmitter:override_")]


def test_audio_player_starts_at_the_evidence_moment(
    app_as: Callable[..., AppTest], ui_db: Seeded, tmp_path: Path
) -> None:
    recording = write_wav(tmp_path / "call.wav", [tone(45.0), tone(45.0, 220.0)])
    with session_scope(qa_config.get_settings().database_url) as db:
        interaction = db.get(Interaction, ui_db.auto_fail_id)
        assert interaction is not None
        add_media(db, interaction, str(recording))
    at = _open(app_as, "sam", ui_db.auto_fail_id)
    audio = at.get("audio")
    assert len(audio) == 1 and audio[0].proto.start_time == 0
    at.button(key="evidence_no_personal_data_0").click().run()
    assert at.get("audio")[0].proto.start_time == 20
