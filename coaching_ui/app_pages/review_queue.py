"""Review queue: scored interactions to check, the most urgent first."""

from __future__ import annotations

import streamlit as st

from coaching_ui import session
from coaching_ui.components import disputes as dispute_widgets
from coaching_ui.components import interaction as interaction_widgets
from coaching_ui.components import review_queue as widgets
from coaching_ui.components import trust
from qa import access
from qa.interactions import service as interaction_service

principal = session.require_role(access.REVIEWERS)
st.title("Review queue")
st.caption(
    "Criteria the machine is not trusted on and answers on unclear speech first, then auto-fails, the lowest "
    "scores and the most negative customers."
)

if dispute_widgets.open_disputes_toggle(principal):
    target = dispute_widgets.open_disputes_table(principal)
    if target is not None:
        interaction_widgets.open_interaction(target)
        st.switch_page("app_pages/interaction.py")
    st.stop()

assigned = trust.my_assignments(principal)
trust.assignment_summary(assigned)
query = widgets.queue_filters(principal)
query.filters.assigned_to_me = st.toggle(
    f"Only assigned to me ({assigned.total - assigned.done} open)", key="queue_assigned"
)
with session.db() as db:
    page = interaction_service.list_interactions(
        session=db,
        principal=principal,
        filters=query.filters,
        sort=query.sort,
        limit=query.page_size,
        offset=(query.page - 1) * query.page_size,
    )
    doubtful = interaction_service.count_needing_review(session=db, principal=principal)
if doubtful:
    st.warning(
        f"{doubtful} interactions need review: answers resting on speech the recognizer was unsure of.",
        icon=":material/hearing:",
    )
st.caption(f"{page.total} interactions · page {query.page} of {max(1, -(-page.total // query.page_size))}")

table = widgets.queue_frame(page.items)
picked = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=widgets.queue_height(len(table)),
    column_config=widgets.QUEUE_COLUMNS,
    on_select="rerun",
    selection_mode="single-row",
    key="queue_table",
)
chosen_rows = picked.selection.rows if picked else []
if chosen_rows:
    interaction_widgets.open_interaction(int(table.iloc[chosen_rows[0]]["id"]))
    st.switch_page("app_pages/interaction.py")

if not table.empty:
    with st.form("open_interaction", border=False):
        target = st.selectbox("Open interaction", table["id"].tolist(), key="queue_open_id")
        if st.form_submit_button("Open", icon=":material/open_in_new:"):
            interaction_widgets.open_interaction(int(target))
            st.switch_page("app_pages/interaction.py")
else:
    st.info("Nothing matches these filters.")
