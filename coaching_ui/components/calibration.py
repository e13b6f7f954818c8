"""The pieces of the calibration page: picking interactions and reviewers, blind answer forms, results.

Every user text goes through dataframes or st.text (never markdown), so nothing a user typed is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from coaching_ui import session
from coaching_ui.components import common
from coaching_ui.components.common import attempt
from qa.access import Principal
from qa.calibration import service as calibration_service
from qa.calibration.schemas import CalibrationItemRead, CalibrationRead, CalibrationSummary
from qa.interactions import service as interaction_service
from qa.models import Answer

ANSWERS = tuple(Answer)
# The session shown, kept across pages; the picker's own state goes when another page is shown.
SESSION_KEY = "calibration_id"
PICKER_KEY = "cal_session"


def sessions_frame(sessions: Sequence[CalibrationSummary]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": s.id,
                "title": s.title or "",
                "organizer": s.organizer,
                "status": s.status,
                "interactions": s.interactions,
                "reviewers": s.reviewers,
                "created": s.created_at.strftime("%Y-%m-%d %H:%M"),
            }
            for s in sessions
        ],
        columns=["id", "title", "organizer", "status", "interactions", "reviewers", "created"],
    )


def new_session_form(principal: Principal) -> None:
    """Pick interactions (newest you may see) and reviewers, then open the session."""
    with session.db() as db:
        page = interaction_service.list_interactions(
            session=db, principal=principal, limit=200, sort="newest"
        )
        people = calibration_service.invitable_reviewers(session=db, principal=principal)
    labels = {
        item.id: f"#{item.id} · {item.agent or '–'} · {item.channel} · {item.topic or '–'}"
        for item in page.items
        if item.score is not None
    }
    with st.form("new_calibration"):
        title = st.text_input("Title", key="cal_title", max_chars=200)
        chosen = st.multiselect(
            "Interactions", list(labels), format_func=lambda i: labels[i], key="cal_interactions"
        )
        reviewers = st.multiselect("Reviewers", people, key="cal_reviewers")
        if st.form_submit_button("Open session", icon=":material/group_add:"):
            created = attempt(
                calibration_service.create,
                principal=principal,
                interaction_ids=list(chosen),
                reviewers=list(reviewers),
                title=title.strip() or None,
            )
            if created is not None:
                open_session(created.id)
                st.rerun()


def open_session(calibration_id: int) -> None:
    """Show this session on the next run (the picker is drawn after the form, so it may still be set)."""
    st.session_state[SESSION_KEY] = st.session_state[PICKER_KEY] = calibration_id


def session_picker(sessions: Sequence[CalibrationSummary]) -> int:
    """The id of the session to show: the picker's choice, else the one shown last, else the newest.

    The picker's value lives only in its keyed state (no `index=`), so a choice made in code (a new
    session) is not overridden by a choice remembered from an earlier run.
    """
    ids = [s.id for s in sessions]
    if st.session_state.get(PICKER_KEY) not in ids:
        remembered = st.session_state.get(SESSION_KEY)
        st.session_state[PICKER_KEY] = remembered if remembered in ids else ids[0]
    chosen = int(st.selectbox("Open session", ids, key=PICKER_KEY))
    st.session_state[SESSION_KEY] = chosen
    return chosen


def reviewer_progress(calibration: CalibrationRead) -> None:
    rows = [
        {
            "reviewer": r.username,
            "answered": f"{r.answered} of {len(calibration.items)}",
            "done": r.submitted,
            "compared with expert": r.compared,
            "deviations": r.deviations,
        }
        for r in calibration.reviewers
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def close_button(principal: Principal, calibration: CalibrationRead) -> None:
    """Close the session before everyone answered (organizer, manager, admin)."""
    if st.button("Close session now", icon=":material/lock:", key="cal_close") and common.perform(
        calibration_service.close, principal=principal, calibration_id=calibration.id
    ):
        st.rerun()


def _transcript(principal: Principal, interaction_id: int) -> None:
    # Only the turns: the machine's answers stay hidden while the session is open.
    with session.db() as db:
        detail = interaction_service.get_interaction_detail(
            session=db, principal=principal, interaction_id=interaction_id
        )
    turns = pd.DataFrame(
        [{"speaker": t.speaker, "text": t.text} for t in detail.turns], columns=["speaker", "text"]
    )
    st.dataframe(turns, hide_index=True, width="stretch")


def answer_form(principal: Principal, calibration: CalibrationRead, item: CalibrationItemRead) -> None:
    """One interaction to score blind: its transcript and a pass/fail/na choice per criterion."""
    st.subheader(f"Interaction {item.interaction_id}")
    st.text(f"Agent {item.agent or '–'} · {item.channel}")
    with st.expander("Transcript", expanded=True):
        _transcript(principal, item.interaction_id)
    with st.form(f"cal_form_{item.interaction_id}"):
        choices: dict[str, str | None] = {}
        for criterion in item.criteria:
            choices[criterion.criterion_id] = st.radio(
                criterion.question or criterion.criterion_id,
                ANSWERS,
                index=None,
                horizontal=True,
                key=f"cal_{item.interaction_id}_{criterion.criterion_id}",
            )
        if st.form_submit_button("Submit my answers", icon=":material/send:"):
            answers = {cid: answer for cid, answer in choices.items() if answer is not None}
            if not answers:
                st.warning("Choose at least one answer.")
            elif attempt(
                calibration_service.submit_answers,
                principal=principal,
                calibration_id=calibration.id,
                interaction_id=item.interaction_id,
                answers=answers,
            ):
                st.rerun()


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def agreement_frame(calibration: CalibrationRead) -> pd.DataFrame:
    """Per criterion: agreement and kappa with the machine as a rater, and among people only."""
    return pd.DataFrame(
        [
            {
                "criterion": c.criterion_id,
                "question": c.question,
                "interactions": c.units,
                "agreement": _number(c.agreement),
                "kappa": _number(c.kappa),
                "statistic": c.statistic.replace("_", " "),
                "people agreement": _number(c.people_agreement),
                "people kappa": _number(c.people_kappa),
            }
            for c in calibration.criteria
        ]
    )


def answers_frame(calibration: CalibrationRead) -> pd.DataFrame:
    """Every answer side by side: one row per interaction and criterion, one column per rater."""
    names = [r.username for r in calibration.reviewers]
    rows = []
    for c in calibration.criteria:
        for interaction_id, given in c.answers.items():
            row: dict[str, Any] = {"interaction": int(interaction_id), "criterion": c.criterion_id}
            row |= {name: given.get(name, "") for name in names}
            row["machine"] = c.machine.get(interaction_id, "")
            row["expert"] = c.expert.get(interaction_id, "")
            rows.append(row)
    return pd.DataFrame(rows, columns=["interaction", "criterion", *names, "machine", "expert"])


def expert_form(principal: Principal, calibration: CalibrationRead) -> None:
    """The organizer's final answer per criterion of one interaction (defaults to what is stored)."""
    ids = [item.interaction_id for item in calibration.items]
    chosen = st.selectbox("Interaction", ids, key="cal_expert_interaction")
    item = next(i for i in calibration.items if i.interaction_id == chosen)
    stored = {c.criterion_id: c.expert.get(str(chosen)) for c in calibration.criteria}
    with st.form(f"cal_expert_{chosen}"):
        choices = {
            c.criterion_id: st.radio(
                c.question or c.criterion_id,
                ANSWERS,
                index=ANSWERS.index(stored[c.criterion_id])
                if stored.get(c.criterion_id) in ANSWERS
                else None,
                horizontal=True,
                key=f"cal_expert_{chosen}_{c.criterion_id}",
            )
            for c in item.criteria
        }
        if st.form_submit_button("Save expert answers", icon=":material/verified:"):
            answers = {cid: a for cid, a in choices.items() if a is not None}
            if not answers:
                st.warning("Choose at least one answer.")
            elif attempt(
                calibration_service.set_expert_answers,
                principal=principal,
                calibration_id=calibration.id,
                interaction_id=chosen,
                answers=answers,
            ):
                st.rerun()
