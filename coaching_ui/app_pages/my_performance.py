"""My performance: an agent's own scores, how they compare with the team, evidence and coaching."""

from __future__ import annotations

import streamlit as st

from coaching_ui import figures, session
from coaching_ui.components import common
from coaching_ui.components import my_performance as widgets
from qa import access
from qa.coaching import service as coaching_service
from qa.printouts import charts
from qa.reports import service as report_service

principal = session.require_role(access.AGENTS)
st.title("My performance")
me = widgets.own_agent_name(principal)
if me is None:
    st.warning("Your login is not linked to an agent yet; ask your supervisor.")
    st.stop()
start, end = common.period_picker("my_period", principal, weeks=26, agent=me)

with session.db() as db:
    trend = report_service.agent_trend(session=db, principal=principal, agent=me, start=start, end=end)
    rates = report_service.criterion_pass_rates(
        session=db, principal=principal, agent=me, start=start, end=end
    )
    notes = coaching_service.list_notes(session=db, principal=principal)
latest = widgets.latest_evaluations(principal, limit=5)

widgets.headline_metrics(trend)
st.subheader("Score by week")
st.altair_chart(charts.score_trend(figures.trend_frame(trend)), width="stretch")
st.subheader("Pass rate per criterion, me against the team")
st.altair_chart(charts.pass_rates(figures.pass_rate_frame(rates)), width="stretch")

st.subheader("Coaching notes")
widgets.notes_to_acknowledge(principal, notes)

st.subheader("Latest evaluations")
widgets.evaluation_list(latest)
