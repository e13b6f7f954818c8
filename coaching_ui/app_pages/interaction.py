"""One interaction: recording, transcript with evidence, scorecard, sentiment, metrics, review, coaching.

Reviewers correct and coach; the agent reads her own interaction and disputes or replies.
"""

from __future__ import annotations

import streamlit as st

from coaching_ui import figures, session
from coaching_ui.components import coaching as coaching_widgets
from coaching_ui.components import disputes as dispute_widgets
from coaching_ui.components import interaction as widgets
from coaching_ui.components import review as review_widgets
from coaching_ui.components import self_evaluation as self_widgets
from coaching_ui.components.common import perform
from qa import access
from qa.coaching import service as coaching_service
from qa.disputes import service as dispute_service
from qa.interactions.schemas import CriterionRead, InteractionDetail
from qa.models import DisputeStatus
from qa.printouts import charts

principal = session.require_role(access.INTERACTION_VIEWERS)
is_agent = access.has_role(principal, access.AGENTS)
st.title("Interaction")

interaction_id = widgets.chosen_interaction_id(principal)
if interaction_id is None:
    st.info("No interactions to show yet.")
    st.stop()
loaded = widgets.load_detail(principal, interaction_id)
if loaded is None:
    st.stop()
    raise AssertionError("st.stop() returned")  # it raises; this line tells the type checker so
detail: InteractionDetail = loaded
shown_id: int = interaction_id
moment = widgets.current_moment()
with session.db() as db:
    disputes = dispute_service.list_disputes(session=db, principal=principal, interaction_id=interaction_id)
    notes = coaching_service.list_notes(session=db, principal=principal, interaction_id=interaction_id)


def on_card(criterion: CriterionRead) -> None:
    dispute_widgets.dispute_status_line(criterion, disputes)
    if detail.evaluation is None:
        return
    if is_agent:
        dispute_widgets.dispute_form(principal, shown_id, criterion)
    else:
        review_widgets.override_form(principal, detail.evaluation, criterion)


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
    widgets.scorecard(detail, origin=coaching_widgets.origin_label, on_card=on_card)

if is_agent:
    if detail.evaluation is not None:
        self_widgets.agent_form(principal, detail.evaluation)
    st.subheader("Coaching notes")
    coaching_widgets.note_threads(principal, notes)
    st.stop()

self_widgets.side_by_side(principal, interaction_id)
criteria = widgets.criterion_choices(detail)
review, coach = st.columns(2, gap="large")
with review:
    st.subheader("Review")
    open_disputes = [d for d in disputes if d.status == DisputeStatus.OPEN]
    for dispute in open_disputes:
        dispute_widgets.resolve_form(principal, dispute)
    if detail.evaluation is not None:
        review_widgets.finish_or_reopen(principal, detail.evaluation)
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
        if st.form_submit_button("Save note") and perform(
            coaching_service.create_note,
            principal=principal,
            interaction_id=interaction_id,
            text=text,
            criterion_id=note_criterion,
            at_seconds=at_seconds,
        ):
            st.toast("Coaching note saved")
            st.rerun()
    coaching_widgets.note_threads(principal, notes)
