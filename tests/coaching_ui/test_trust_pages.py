"""Calibration, machine agreement, assignments in the review queue, and the dashboard's trust sections."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.agreement import service as agreement_service
from qa.auth.service import principal_for
from qa.calibration import service as calibration_service
from qa.db import session_scope
from qa.errors import PermissionDenied
from qa.models import ReviewAssignment
from qa.reviews import service as review_service
from scoring.agreement import TrustRule
from tests.coaching_ui.seed import Seeded

CALIBRATION = "app_pages/calibration.py"
AGREEMENT = "app_pages/agreement.py"
DASHBOARD = "app_pages/team_dashboard.py"


def _button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label == label)


def _answer_as(username: str, calibration_id: int, interaction_id: int, answers: dict[str, str]) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        principal = principal_for(session=db, username=username)
        assert principal is not None
        calibration_service.submit_answers(
            session=db,
            principal=principal,
            calibration_id=calibration_id,
            interaction_id=interaction_id,
            answers=answers,
        )


def test_supervisor_runs_a_calibration_with_three_reviewers(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    chat = ui_db.maria_ids[1]  # greeting, verify_address, empathy (fail), no_personal_data
    at = app_as("sam", CALIBRATION)
    assert not at.exception
    assert at.title[0].value == "Calibration"
    at.multiselect(key="cal_interactions").select(chat)
    at.multiselect(key="cal_reviewers").select("sam").select("mgr").select("root")
    at.text_input(key="cal_title").input("<script>alert(1)</script>")
    _button(at, "Open session").click().run()
    assert not at.exception, at.exception
    assert at.header[0].value.endswith("open")
    assert "<script>alert(1)</script>" in [t.value for t in at.text]  # shown as text, never as markup

    # Sam answers blind: the form shows the questions, not the machine's answers.
    for criterion in ("greeting", "verify_address", "empathy", "no_personal_data"):
        at.radio(key=f"cal_{chat}_{criterion}").set_value("pass")
    _button(at, "Submit my answers").click().run()
    assert not at.exception
    assert "You have answered every interaction" in at.success[0].value
    calibration_id = at.session_state["calibration_id"]

    _answer_as("mgr", calibration_id, chat, {"greeting": "pass", "verify_address": "pass", "empathy": "fail"})
    _answer_as(
        "root", calibration_id, chat, {"greeting": "pass", "verify_address": "fail", "empathy": "fail"}
    )
    at.run()
    assert at.header[0].value.endswith("closed")
    agreement = at.dataframe[2].value  # sessions, reviewers, then agreement per criterion
    empathy = agreement[agreement["criterion"] == "empathy"].iloc[0]
    # sam pass, mgr fail, root fail, machine fail: 3 of 6 pairs agree; no_personal_data has missing answers.
    assert empathy["agreement"] == 0.5
    assert "kappa" in agreement.columns and set(agreement["statistic"]) == {
        "krippendorff alpha",
        "fleiss kappa",
    }
    side_by_side = at.dataframe[3].value
    assert list(side_by_side.columns) == [
        "interaction",
        "criterion",
        "sam",
        "mgr",
        "root",
        "machine",
        "expert",
    ]

    # The organizer's expert answer grades the graders.
    at.radio(key=f"cal_expert_{chat}_empathy").set_value("fail")
    _button(at, "Save expert answers").click().run()
    assert not at.exception
    graders = at.dataframe[-1].value
    assert set(graders["rater"]) == {"sam", "machine"}  # a supervisor sees themselves and the machine
    assert graders[graders["rater"] == "sam"]["deviations"].iloc[0] == 1


def test_a_new_session_opens_even_when_another_was_open(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    """The session picker keeps its choice across reruns; creating a session must still switch to it."""
    at = app_as("sam", CALIBRATION)
    opened = []
    for title, chat in (("first", ui_db.maria_ids[1]), ("second", ui_db.maria_ids[2])):
        at.multiselect(key="cal_interactions").set_value([chat])
        at.multiselect(key="cal_reviewers").set_value(["sam"])
        at.text_input(key="cal_title").input(title)
        _button(at, "Open session").click().run()
        assert not at.exception, at.exception
        assert at.text[0].value == title  # the new session is shown, with its answer form
        assert f"Interaction {chat}" in [s.value for s in at.subheader]
        opened.append(at.selectbox(key="cal_session").value)
    at.selectbox(key="cal_session").select(opened[0]).run()  # and the picker still picks
    assert at.text[0].value == "first"


def test_manager_sees_agreement_trust_and_recomputes(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        mgr = principal_for(session=db, username="mgr")
        assert mgr is not None
        for interaction_id in ui_db.maria_ids:  # settled by a person: these count
            review_service.finalize_review(session=db, principal=mgr, interaction_id=interaction_id)
    at = app_as("mgr", AGREEMENT)
    assert not at.exception
    assert at.title[0].value == "Machine agreement"
    table = at.dataframe[0].value
    assert table["n"].max() == len(ui_db.maria_ids)  # a criterion all six of her evaluations answer
    assert "Not computed yet" in at.info[0].value
    _button(at, "Recompute now").click().run()
    assert not at.exception
    trust = at.dataframe[-1].value
    assert "machine is" in trust.columns and len(trust) >= 1
    assert set(trust["machine is"]) == {"not enough answers"}  # fewer than 20 human answers each


def test_queue_shows_my_assignments_and_filters_them(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None and sam.team_id is not None
        db.add(
            ReviewAssignment(
                week="2026-W10",
                team_id=sam.team_id,
                interaction_id=ui_db.li_ids[1],
                reviewer_id=sam.user_id,
                reviewer_name="sam",
                reason="sample",
                due_on=date(2026, 3, 15),
            )
        )
    at = app_as("sam")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Assigned to me"] == "1" and metrics["Next due"] == "2026-03-15"
    at.toggle(key="queue_assigned").set_value(True).run()
    assert not at.exception
    assert at.dataframe[0].value["id"].tolist() == [ui_db.li_ids[1]]


def test_dashboard_shows_workload_and_outcomes(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("mgr", DASHBOARD)
    assert not at.exception
    assert {"Reviewer workload", "QA against outcomes"} <= {s.value for s in at.subheader}
    outcomes = at.dataframe[-1].value
    assert {"criterion", "CSAT difference", "FCR difference"} <= set(outcomes.columns)


def test_trust_refresh_is_for_managers(ui_db: Seeded) -> None:
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None
        with pytest.raises(PermissionDenied, match="refreshing criterion trust needs the role manager"):
            agreement_service.refresh_trust_as(session=db, principal=sam, rule=TrustRule())
