"""Audit log: every change to a score, a review or a coaching note, with who, when, before and after."""

from __future__ import annotations

import streamlit as st

from coaching_ui import figures, session
from coaching_ui.components import audit_log as widgets
from qa import access
from qa.audit import service as audit_service

principal = session.require_role(access.AUDITORS)
st.title("Audit log")
st.caption("The newest changes first: machine answers overridden, reviews finished, coaching notes.")

query = widgets.audit_filters()
with session.db() as db:
    entries = audit_service.list_entries(
        session=db,
        principal=principal,
        limit=query.limit,
        entity=query.entity,
        interaction_id=query.interaction_id,
    )

st.caption(f"Showing {len(entries)} (at most {query.limit}).")
if entries:
    st.dataframe(
        figures.audit_frame(entries),
        hide_index=True,
        width="stretch",
        row_height=60,  # a change of several fields shows on as many lines
        column_config={
            "When": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
            "Interaction": st.column_config.NumberColumn(format="%d"),
            "Change": st.column_config.TextColumn(width="large"),
        },
    )
else:
    st.info("No changes recorded for these filters.")
