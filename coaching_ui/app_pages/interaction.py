"""One interaction: recording, transcript with evidence, scorecard, sentiment, metrics, review, coaching."""

from __future__ import annotations

import streamlit as st

from coaching_ui import charts, figures, session
from coaching_ui.components import common
from coaching_ui.components import interaction as widgets
from qa import access
from qa.coaching import service as coaching_service
from qa.reviews import service as review_service

principal = session.require_role(access.REVIEWERS)
st.title("Interaction")

interaction_id = widgets.chosen_interaction_id(principal)
if interaction_id is None:
    st.info("No interactions to show yet.")
    st.stop()
detail = widgets.load_detail(principal, interaction_id)
if detail is None:
    st.stop()
moment = widgets.current_moment()

widgets.interaction_header(detail)
listen, score = st.columns([3, 2], gap="large")
with listen:
    st.subheader("Recording and transcript")
    widgets.audio_player(principal, detail, moment)
    widgets.moment_callout(detail, moment)
    widgets.transcript(detail, moment)
    st.subheader("Sentiment over the interaction")
    st.altair_chart(
        charts.sentiment_over_call(figures.sentiment_frame(detail), moment.start if moment else None),
        width="stretch",
    )
    st.subheader("Metrics")
    widgets.metrics_table(detail)
with score:
    st.subheader("Scorecard")
    st.caption("Click a piece of evidence to jump to its moment.")
    widgets.scorecard(detail)

criteria = widgets.criterion_choices(detail)
review, coach = st.columns(2, gap="large")
with review:
    st.subheader("Correct the machine")
    with st.form("override", clear_on_submit=True):
        criterion = st.selectbox(
            "Criterion", list(criteria), format_func=lambda c: criteria[c], key="override_criterion"
        )
        result = st.radio("Answer", review_service.REVIEW_RESULTS, horizontal=True, key="override_result")
        comment = st.text_area("Why", key="override_comment")
        if st.form_submit_button("Save override", disabled=not criteria) and common.perform(
            review_service.override_criterion,
            principal=principal,
            interaction_id=interaction_id,
            criterion_id=criterion,
            result=result,
            comment=comment,
        ):
            st.toast("Override saved")
            st.rerun()
    if st.button("Mark review finished", disabled=not criteria, key="finalize") and common.perform(
        review_service.finalize_review, principal=principal, interaction_id=interaction_id
    ):
        st.toast("Review finished")
        st.rerun()
with coach:
    st.subheader("Coaching note")
    with st.form("note", clear_on_submit=True):
        note_criterion = st.selectbox(
            "About criterion",
            [None, *criteria],
            format_func=lambda c: "—" if c is None else criteria[c],
            key=widgets.NOTE_CRITERION_KEY,
        )
        at_seconds = st.number_input("At second", min_value=0.0, step=1.0, key=widgets.NOTE_AT_KEY)
        text = st.text_area("Note for the agent", key="note_text")
        if st.form_submit_button("Save note") and common.perform(
            coaching_service.create_note,
            principal=principal,
            interaction_id=interaction_id,
            text=text,
            criterion_id=note_criterion,
            at_seconds=at_seconds,
        ):
            st.toast("Coaching note saved")
            st.rerun()
    with session.db() as db:
        notes = coaching_service.list_notes(session=db, principal=principal, interaction_id=interaction_id)
    if notes:
        st.dataframe(figures.notes_frame(notes), hide_index=True, width="stretch")
