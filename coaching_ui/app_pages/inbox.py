"""Inbox: what is new for me (reviews, notes, disputes, replies), each with a link to its interaction."""

from __future__ import annotations

import streamlit as st

from coaching_ui import session
from coaching_ui.components import coaching as coaching_widgets
from coaching_ui.components.common import perform
from qa import access
from qa.notifications import service as notification_service

principal = session.require_role(access.EVERYONE)
st.title("Inbox")
with session.db() as db:
    inbox = notification_service.inbox(session=db, principal=principal, limit=100)
st.caption(f"{inbox.unread} unread")
if (
    inbox.unread
    and st.button("Mark all read", key="mark_all_read")
    and perform(notification_service.mark_read, principal=principal)
):
    st.rerun()
if not inbox.items:
    st.info("Nothing new.")
for item in inbox.items:
    with st.container(border=True, key=f"notification_{item.id}"):
        marker = "" if item.read_at else ":blue[:material/fiber_manual_record:] "
        st.markdown(f"{marker}**{item.kind.replace('_', ' ')}** · {item.created_at:%Y-%m-%d %H:%M}")
        st.text(item.text)
        if item.interaction_id is not None:
            coaching_widgets.interaction_link(item.interaction_id, source=f"notification {item.id}")
