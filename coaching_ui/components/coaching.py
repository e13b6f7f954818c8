"""Coaching notes with their reply threads, and where an answer came from: shared by agent and reviewer."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from coaching_ui import session
from coaching_ui.components.common import perform
from coaching_ui.figures import clock
from qa.access import Principal
from qa.coaching import replies as reply_service
from qa.coaching.schemas import CoachingNoteRead
from qa.evaluations.origin import ORIGIN_LABELS, AnswerOrigin
from qa.interactions.schemas import CriterionRead

INTERACTION_PAGE = "app_pages/interaction.py"


def origin_label(criterion: CriterionRead) -> str:
    """machine, machine (low confidence), reviewed by a person (who, when), waiting for a reviewer."""
    label = ORIGIN_LABELS[criterion.origin]
    if criterion.origin == AnswerOrigin.PERSON:
        when = f" on {criterion.reviewed_at:%Y-%m-%d %H:%M}" if criterion.reviewed_at else ""
        label = f"reviewed by {criterion.reviewed_by}{when}"
    return label


def interaction_link(interaction_id: int, *, source: str) -> None:
    """A link that opens the interaction page on this interaction (also after a reload: ?id=N).

    `source` (e.g. "note 4") tells links to the same interaction apart (page_link takes no key).
    """
    st.page_link(
        INTERACTION_PAGE,
        label=f"Open interaction #{interaction_id}",
        icon=":material/open_in_new:",
        query_params={"id": str(interaction_id)},
        help=f"from {source}",
    )


def note_thread(principal: Principal, note: CoachingNoteRead, *, link: bool = False) -> None:
    """One note, its replies oldest first, and a box to reply."""
    with st.container(border=True, key=f"note_{note.id}"):
        where = f"interaction #{note.interaction_id}"
        if note.at_seconds is not None:
            where += f" at {clock(note.at_seconds)}"
        st.text(note.text)  # plain text: never cut off, never read as markdown
        st.caption(
            f"From {note.author or 'your supervisor'} · {where}"
            + (f" · about {note.criterion_id}" if note.criterion_id else "")
        )
        if link:
            interaction_link(note.interaction_id, source=f"note {note.id}")
        with session.db() as db:
            thread = reply_service.list_replies(session=db, principal=principal, note_id=note.id)
        for reply in thread:
            st.text(f"{reply.author or '–'} ({reply.created_at:%Y-%m-%d %H:%M}): {reply.text}")
        with st.form(f"reply_{note.id}", clear_on_submit=True, border=False):
            text = st.text_area("Reply", key=f"reply_text_{note.id}", height=68)
            if st.form_submit_button("Send reply") and perform(
                reply_service.add_reply, principal=principal, note_id=note.id, text=text
            ):
                st.toast("Reply sent")
                st.rerun()


def note_threads(principal: Principal, notes: Sequence[CoachingNoteRead], *, link: bool = False) -> None:
    """Every note as a thread."""
    if not notes:
        st.caption("No coaching notes.")
    for note in notes:
        note_thread(principal, note, link=link)
