"""Performance review: one agent over a period, for the manager's review conversation."""

from __future__ import annotations

import streamlit as st

from coaching_ui import charts, figures, printable, session
from coaching_ui.components import common, kpis
from qa import access
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
    start, end = common.period_picker("review_period", principal, weeks=13)

with session.db() as db:
    review = report_service.performance_review(
        session=db, principal=principal, agent=agent, start=start, end=end
    )
    contacts = report_service.contact_figures(
        session=db, principal=principal, start=start, end=end, agent=agent
    )
history = figures.coaching_history(review.coaching)

team = figures.md_literal(review.team or "–")
st.caption(f"{figures.md_literal(agent)} · team {team} · {start:%d %b %Y} – {end:%d %b %Y}")
common.period_metrics(contacts.totals)
kpis.service_levels(contacts)

trend, criteria = st.columns(2, gap="large")
with trend:
    st.subheader("Quality score by week")
    st.altair_chart(charts.score_trend(figures.trend_frame(review.trend)), width="stretch")
    st.subheader("Customer sentiment by week")
    st.altair_chart(charts.sentiment_trend(figures.weekly_sentiment(contacts)), width="stretch")
    st.subheader("Volume by week")
    st.altair_chart(charts.volume_by_week(figures.weekly_volume(contacts)), width="stretch")
with criteria:
    st.subheader("Criterion breakdown")
    st.altair_chart(charts.pass_rates(figures.pass_rate_frame(review.criteria)), width="stretch")
    st.subheader("Coaching history")
    if not review.coaching:
        st.caption("No coaching notes in the period.")
    else:
        st.caption(
            f"{figures.plural(review.coaching_notes, 'note')} in the period, "
            f"{review.coaching_acknowledged} acknowledged; results in the {review.coaching[0].window} "
            "interactions before and after each note (on its criterion, else the whole score)."
        )
        effect = figures.coaching_effect_frame(review.coaching)
        if not effect.empty:
            st.altair_chart(charts.coaching_effect(effect), width="stretch")
        st.dataframe(history, hide_index=True, width="stretch")

kpis.repeat_contacts(principal, contacts, start, end)

st.download_button(
    "Download printable review (HTML)",
    printable.performance_review_html(review, contacts.totals, history),
    file_name=f"review-{agent}-{start}-{end}.html",
    mime="text/html",
    icon=":material/print:",
)
