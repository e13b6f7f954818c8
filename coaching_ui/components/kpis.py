"""The manager's service figures: service levels against target, volume by program, repeat contacts to open,
and which coaching topics moved scores."""

from __future__ import annotations

from datetime import date

import streamlit as st

from coaching_ui import figures, session
from coaching_ui.components import interaction as interaction_widgets
from qa.access import Principal
from qa.reports import service as report_service
from qa.reports.schemas import ContactFigures

INTERACTION_PAGE = "app_pages/interaction.py"


def service_levels(contacts: ContactFigures) -> None:
    """Each channel's own measure against the team's target."""
    st.subheader("Service levels against target")
    whose = f"team {figures.md_literal(contacts.targets_team)}" if contacts.targets_team else "the general"
    st.caption(f"Targets: {whose} targets. E-mail and web form times count business days (Monday to Friday).")
    st.table(figures.service_levels_frame(contacts).set_index(["channel", "measure"]))


def volume(contacts: ContactFigures) -> None:
    """Monthly contacts by program and channel, and by program and inquiry type."""
    st.subheader("Contacts by program and channel, per month")
    st.dataframe(figures.volume_table(contacts, "channel"), hide_index=True, width="stretch")
    st.subheader("Inquiry types by program, per month")
    st.dataframe(figures.volume_table(contacts, "topic"), hide_index=True, width="stretch")


def repeat_contacts(principal: Principal, contacts: ContactFigures, start: date, end: date) -> None:
    """The period's repeated contacts (of `contacts`' agent, if any), each one a click away."""
    agent = contacts.agent
    with session.db() as db:
        repeats = report_service.repeat_contacts(
            session=db, principal=principal, start=start, end=end, agent=agent
        )
    st.subheader("Repeat contacts")
    st.caption(f"A contact is repeated when {figures.md_literal(contacts.totals.repeat_rule)}.")
    if not repeats:
        st.caption("No repeat contacts in the period.")
        return
    table = figures.repeat_contacts_frame(repeats)
    st.dataframe(table, hide_index=True, width="stretch")
    ids = table["id"].tolist() + table["next id"].dropna().astype(int).tolist()
    with st.form(f"open_repeat_{agent or 'all'}", border=False):
        target = st.selectbox(
            "Open interaction", list(dict.fromkeys(ids)), key=f"repeat_open_{agent or 'all'}"
        )
        if st.form_submit_button("Open", icon=":material/open_in_new:") and target is not None:
            interaction_widgets.open_interaction(int(target))
            st.switch_page(INTERACTION_PAGE)


def coaching_topics(principal: Principal, start: date, end: date) -> None:
    """Per coached criterion, the pass rate before and after the period's notes."""
    with session.db() as db:
        topics = report_service.coaching_topics(session=db, principal=principal, start=start, end=end)
    st.subheader("Coaching topics that moved scores")
    if not topics:
        st.caption("No coaching notes on a criterion in the period.")
        return
    window = topics[0].window
    st.caption(f"Pass rate on the coached criterion in the {window} interactions before and after each note.")
    st.dataframe(figures.coaching_topics_frame(topics), hide_index=True, width="stretch")
