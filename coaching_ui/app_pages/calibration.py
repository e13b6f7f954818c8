"""Calibration: reviewers score the same interactions blind, then compare answers with the machine's."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from coaching_ui import session
from coaching_ui.components import calibration as view
from qa import access
from qa.calibration import service as calibration_service

principal = session.require_role(access.REVIEWERS)
st.title("Calibration")
st.caption(
    "Score the same interactions without seeing anyone else's answers or the machine's; once everyone has "
    "answered (or the organizer closes the session) the answers are compared side by side."
)

with st.expander("New calibration session", icon=":material/add:"):
    view.new_session_form(principal)

with session.db() as db:
    sessions = calibration_service.list_sessions(session=db, principal=principal)
st.subheader("Sessions")
if not sessions:
    st.info("No calibration sessions yet.")
    st.stop()
st.dataframe(view.sessions_frame(sessions), hide_index=True, width="stretch")
chosen = view.session_picker(sessions)
calibration = view.attempt(calibration_service.get, principal=principal, calibration_id=chosen)
if calibration is None:
    st.stop()

st.header(f"Session {calibration.id} · {calibration.status}")
if calibration.title:
    st.text(calibration.title)
st.text(f"Organized by {calibration.organizer}")
view.reviewer_progress(calibration)

if calibration.status == "open":
    if calibration.can_manage:
        view.close_button(principal, calibration)
    waiting = [i for i in calibration.items if not i.my_answers] if calibration.is_reviewer else []
    if calibration.is_reviewer and not waiting:
        st.success("You have answered every interaction; results appear when the session closes.")
    for item in waiting:
        view.answer_form(principal, calibration, item)
    if not calibration.is_reviewer:
        st.info("Answers stay hidden until the session closes.")
else:
    st.subheader("Agreement per criterion")
    st.caption(
        "The machine counts as one more rater; kappa is Fleiss' with every answer, else Krippendorff's alpha."
    )
    st.dataframe(view.agreement_frame(calibration), hide_index=True, width="stretch")
    st.subheader("Answers side by side")
    st.dataframe(view.answers_frame(calibration), hide_index=True, width="stretch")
    if calibration.can_manage:
        st.subheader("Expert answers")
        view.expert_form(principal, calibration)

with session.db() as db:
    graders = calibration_service.grader_report(session=db, principal=principal)
st.subheader("Grade the graders")
st.caption("How often each reviewer (and the machine) differed from the organizers' expert answers, by week.")
if graders:
    st.dataframe(pd.DataFrame([g.model_dump() for g in graders]), hide_index=True, width="stretch")
else:
    st.info("No expert answers yet.")
