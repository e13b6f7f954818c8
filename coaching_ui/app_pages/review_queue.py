"""Review queue: scored interactions to check, the most urgent first."""

from __future__ import annotations

import streamlit as st

from coaching_ui import components, interaction_view, session, trust_views
from qa.interactions import service as interaction_service

principal = session.require_role(*session.REVIEWERS)
st.title("Review queue")
st.caption(
    "Criteria the machine is not trusted on first, then auto-fails, the lowest scores and the most negative "
    "customers."
)

assigned = trust_views.my_assignments(principal)
trust_views.assignment_summary(assigned)
query = components.queue_filters(principal)
query.filters.assigned_to_me = st.toggle(
    f"Only assigned to me ({assigned.total - assigned.done} open)", key="queue_assigned"
)
with session.db() as db:
    page = interaction_service.list_interactions(
        session=db,
        principal=principal,
        filters=query.filters,
        sort=query.sort,  # type: ignore[arg-type]
        limit=query.page_size,
        offset=(query.page - 1) * query.page_size,
    )
st.caption(f"{page.total} interactions · page {query.page} of {max(1, -(-page.total // query.page_size))}")

table = components.queue_frame(page.items)
picked = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config=components.QUEUE_COLUMNS,
    on_select="rerun",
    selection_mode="single-row",
    key="queue_table",
)
chosen_rows = picked.selection.rows if picked else []
if chosen_rows:
    interaction_view.open_interaction(int(table.iloc[chosen_rows[0]]["id"]))
    st.switch_page("app_pages/interaction.py")

if not table.empty:
    with st.form("open_interaction", border=False):
        target = st.selectbox("Open interaction", table["id"].tolist(), key="queue_open_id")
        if st.form_submit_button("Open", icon=":material/open_in_new:"):
            interaction_view.open_interaction(int(target))
            st.switch_page("app_pages/interaction.py")
else:
    st.info("Nothing matches these filters.")
