"""The manager's service figures that are lists to act on: repeat contacts to open, and which coaching topics
moved scores. (Service levels and volume are sections of the printable documents, qa.printouts.document.)"""

from __future__ import annotations

from datetime import date

import streamlit as st

from coaching_ui import figures, session
from coaching_ui.components import interaction as interaction_widgets
from coaching_ui.components import printouts
from qa.access import Principal
from qa.printouts.document import Table
from qa.reports import service as report_service
from qa.reports.schemas import ContactFigures

INTERACTION_PAGE = "app_pages/interaction.py"


def repeat_contacts(principal: Principal, contacts: ContactFigures, start: date, end: date) -> list[Table]:
    """The period's repeated contacts (of `contacts`' agent, if any), each one a click away; the table shown
    is returned for the page's workbook."""
    agent = contacts.agent
    with session.db() as db:
        repeats = report_service.repeat_contacts(
            session=db, principal=principal, start=start, end=end, agent=agent
        )
    st.subheader("Repeat contacts")
    st.caption(f"A contact is repeated when {figures.md_literal(contacts.totals.repeat_rule)}.")
    if not repeats:
        st.caption("No repeat contacts in the period.")
        return []
    shown = Table("Repeat contacts", figures.repeat_contacts_frame(repeats))
    printouts.table(shown, key=f"repeats_{agent or 'all'}", stem=f"repeat-contacts-{start}-{end}")
    ids = shown.data["id"].tolist() + shown.data["next id"].dropna().astype(int).tolist()
    with st.form(f"open_repeat_{agent or 'all'}", border=False):
        target = st.selectbox(
            "Open interaction", list(dict.fromkeys(ids)), key=f"repeat_open_{agent or 'all'}"
        )
        if st.form_submit_button("Open", icon=":material/open_in_new:") and target is not None:
            interaction_widgets.open_interaction(int(target))
            st.switch_page(INTERACTION_PAGE)
    return [shown]


def coaching_topics(principal: Principal, start: date, end: date) -> list[Table]:
    """Per coached criterion, the pass rate before and after the period's notes."""
    with session.db() as db:
        topics = report_service.coaching_topics(session=db, principal=principal, start=start, end=end)
    st.subheader("Coaching topics that moved scores")
    if not topics:
        st.caption("No coaching notes on a criterion in the period.")
        return []
    window = topics[0].window
    st.caption(f"Pass rate on the coached criterion in the {window} interactions before and after each note.")
    shown = Table("Coaching topics", figures.coaching_topics_frame(topics))
    printouts.table(shown, key="coaching_topics", stem=f"coaching-topics-{start}-{end}")
    return [shown]
