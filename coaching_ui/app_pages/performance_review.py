"""Performance review: one agent over a period, for the manager's review conversation."""

from __future__ import annotations

import streamlit as st

from coaching_ui import figures, session
from coaching_ui.components import common, kpis, printouts
from qa import access
from qa.printouts import document
from qa.reports import service as report_service

principal = session.require_role(access.MANAGERS)
st.title("Performance review")

pick_agent, pick_period = st.columns([1, 2])
agents = common.visible_agents(principal)
if not agents:
    st.info("No agents yet.")
    st.stop()
agent = pick_agent.selectbox("Agent", agents, key="review_agent")
with pick_period:
    start, end = common.period_picker("review_period", principal, weeks=13, agent=agent)

with session.db() as db:
    review = report_service.performance_review(
        session=db, principal=principal, agent=agent, start=start, end=end
    )
    contacts = report_service.contact_figures(
        session=db, principal=principal, start=start, end=end, agent=agent
    )
# One description of the review: this page, its PDF and its printable page show the same sections.
printout = document.performance_review(review, contacts)

team = figures.md_literal(review.team or "–")
st.caption(f"{figures.md_literal(agent)} · team {team} · {start:%d %b %Y} – {end:%d %b %Y}")
printouts.downloads(printout, key="review")
printouts.show(printout, key="review")
kpis.repeat_contacts(principal, contacts, start, end)
