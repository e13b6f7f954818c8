"""The agent's side: her interaction read-only, disputes, replies, the inbox; and the supervisor's answers."""

from __future__ import annotations

from collections.abc import Callable

import yaml
from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.db import session_scope
from qa.disputes import service as dispute_service
from qa.evaluations import service as evaluation_service
from qa.models import DisputeStatus
from tests.coaching_ui.seed import Seeded

PAGE = "app_pages/interaction.py"
QUEUE = "app_pages/review_queue.py"


def _open(app_as: Callable[..., AppTest], username: str, interaction_id: int) -> AppTest:
    at = app_as(username)
    at.session_state["interaction_id"] = interaction_id
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _disputes(username: str) -> list[dispute_service.DisputeRead]:
    with session_scope(qa_config.get_settings().database_url) as db:
        principal = principal_for(session=db, username=username)
        assert principal is not None
        return dispute_service.list_disputes(session=db, principal=principal)


def test_agent_opens_her_interaction_read_only_and_disputes_a_criterion(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = _open(app_as, "maria", ui_db.maria_low_id)
    assert at.title[0].value == "Interaction"
    assert "Recording and transcript" in [s.value for s in at.subheader]
    # Every answer says where it came from; no reviewer controls for the agent.
    assert any("· machine" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:override_")]
    assert "finalize" not in [b.key for b in at.button] and "note_text" not in [t.key for t in at.text_area]

    at.text_area(key="dispute_reason_greeting").input("I gave my name right at the start.")
    at.button(key="FormSubmitter:dispute_greeting-Send dispute").click().run()
    assert not at.exception
    disputes = _disputes("maria")
    assert [(d.criterion_id, d.status) for d in disputes] == [("greeting", DisputeStatus.OPEN)]
    assert any("Disputed by maria" in w.value for w in at.warning)
    # A second one on the same criterion is refused with a message.
    at.text_area(key="dispute_reason_greeting").input("Again.")
    at.button(key="FormSubmitter:dispute_greeting-Send dispute").click().run()
    assert "already has an open dispute" in at.error[-1].value


def test_agent_cannot_open_a_colleagues_interaction(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = _open(app_as, "maria", ui_db.li_ids[0])
    assert "not found" in at.error[0].value
    assert not at.get("html")


def test_supervisor_works_a_dispute_from_the_queue(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        maria = principal_for(session=db, username="maria")
        assert maria is not None
        dispute_service.open_dispute(
            session=db,
            principal=maria,
            interaction_id=ui_db.maria_low_id,
            criterion_id="greeting",
            reason="I did.",
        )
    at = app_as("sam")
    toggle = at.toggle(key="queue_disputes")
    assert toggle.label == "Open disputes (1)"
    toggle.set_value(True).run()
    assert not at.exception
    assert at.dataframe[0].value["criterion"].tolist() == ["greeting"]
    at.button(key="FormSubmitter:open_dispute_interaction-Open").click().run()
    assert not at.exception and at.title[0].value == "Interaction"
    before = at.metric[0].value
    dispute_id = _disputes("sam")[0].id
    at.radio(key=f"decision_{dispute_id}").set_value("Uphold (change the answer)")
    at.text_area(key=f"decision_comment_{dispute_id}").input("Yes, the name is there.")
    at.button(key=f"FormSubmitter:resolve_{dispute_id}-Resolve dispute").click().run()
    assert not at.exception
    assert at.metric[0].value != before
    assert _disputes("maria")[0].status == DisputeStatus.UPHELD
    # Nothing open is left for anyone.
    assert app_as("mgr", QUEUE).toggle(key="queue_disputes").label == "Open disputes (0)"

    # The agent sees the outcome on her card and in her inbox.
    agent = _open(app_as, "maria", ui_db.maria_low_id)
    assert any("Dispute upheld by sam" in i.value for i in agent.info)
    assert any("reviewed by sam" in c.value for c in agent.caption)


def test_reply_to_a_note_and_the_inbox(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None
        note = coaching_service.create_note(
            session=db, principal=sam, interaction_id=ui_db.maria_low_id, text="Say your name. " * 40
        )
    home = app_as("maria")
    inbox = home.switch_page("app_pages/inbox.py").run()
    assert not inbox.exception
    assert inbox.caption[0].value == "2 unread"  # the seeded note's and this one's
    assert "New coaching note from sam" in inbox.text[0].value
    inbox.button(key="mark_all_read").click().run()
    assert inbox.caption[0].value == "0 unread"

    at = _open(app_as, "maria", ui_db.maria_low_id)
    assert ("Say your name. " * 40).strip() in [t.value for t in at.text]  # the whole note, not cut
    at.text_area(key=f"reply_text_{note.id}").input("Will do <script>alert(1)</script>")
    at.button(key=f"FormSubmitter:reply_{note.id}-Send reply").click().run()
    assert not at.exception
    assert any("maria" in t.value and "<script>alert(1)</script>" in t.value for t in at.text)

    supervisor = _open(app_as, "sam", ui_db.maria_low_id)
    assert any("Will do" in t.value for t in supervisor.text)
    sam_inbox = app_as("sam").switch_page("app_pages/inbox.py").run()
    assert "replied to a coaching note" in sam_inbox.text[0].value


def test_self_evaluation_then_side_by_side_for_the_supervisor(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = _open(app_as, "maria", ui_db.maria_low_id)
    at.radio(key="self_greeting").set_value("pass")
    at.button(key="FormSubmitter:self_evaluation-Send my answers").click().run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "agree" in d.value.columns)
    greeting = table[table["agent"] != "–"].iloc[0]
    assert (greeting["agent"], greeting["agree"]) == ("pass", "yes" if greeting["review"] == "pass" else "no")
    supervisor = _open(app_as, "sam", ui_db.maria_low_id)
    assert "Self-evaluation against review" in [s.value for s in supervisor.subheader]


def test_no_self_evaluation_form_when_the_rubric_turns_it_off(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    assert _open(app_as, "maria", ui_db.maria_low_id).radio(key="self_greeting") is not None
    with session_scope(qa_config.get_settings().database_url) as db:
        evaluation = evaluation_service.current_evaluation(session=db, interaction_id=ui_db.maria_low_id)
        assert evaluation is not None
        stored = yaml.safe_load(evaluation.rubric_version.content)
        evaluation.rubric_version.content = yaml.safe_dump({**stored, "self_evaluation": False})
    at = _open(app_as, "maria", ui_db.maria_low_id)
    assert not [r for r in at.radio if r.key == "self_greeting"]
