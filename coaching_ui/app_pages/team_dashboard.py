"""Team dashboard: how the whole contact center is doing and what drives contacts."""

from __future__ import annotations

import streamlit as st

from coaching_ui import figures, session
from coaching_ui.components import common, kpis, printouts, trust
from qa import access
from qa.printouts import charts, document, frames
from qa.printouts.document import Table
from qa.reports import service as report_service

principal = session.require_role(access.MANAGERS)
st.title("Team dashboard")
start, end = common.period_picker("team_period", principal, weeks=13)

with session.db() as db:
    dashboard = report_service.team_dashboard(session=db, principal=principal, start=start, end=end)
    contacts = report_service.contact_figures(session=db, principal=principal, start=start, end=end)
agents = figures.agent_scores(dashboard.agents)
stem = f"dashboard-{start}-{end}"

printouts.metrics(document.headline(contacts.totals))
levels = document.service_levels(contacts)
printouts.section(levels, key="dashboard_levels", stem=stem)

distribution, side_by_side = st.columns(2, gap="large")
with distribution:
    st.subheader("Score distribution")
    st.altair_chart(charts.score_distribution(figures.score_bands(contacts)), width="stretch")
    st.subheader("Channel mix")
    st.altair_chart(charts.channel_mix(figures.channel_counts(contacts)), width="stretch")
with side_by_side:
    st.subheader("Agents side by side")
    st.altair_chart(charts.agents_side_by_side(agents.dropna(subset=["Mean score"])), width="stretch")

st.subheader("Contact drivers")
st.altair_chart(charts.contact_drivers(figures.contact_drivers_frame(contacts)), width="stretch")
st.subheader("Volume by hour and weekday")
st.caption("Hours are UTC.")
st.altair_chart(charts.volume_heatmap(figures.volume_by_hour(contacts)), width="stretch")
tables = [
    Table("Agents", agents),
    Table("Week by week", figures.weekly_figures(contacts)),
    Table("Contacts by program and channel", frames.volume_table(contacts, "channel")),
    Table("Inquiry types by program", frames.volume_table(contacts, "topic")),
]
for number, table in enumerate(tables):
    st.subheader(table.name)
    printouts.table(table, key=f"dashboard_{number}", stem=stem)
tables += [b for b in levels.blocks if isinstance(b, Table)]
tables += kpis.repeat_contacts(principal, contacts, start, end)
tables += kpis.coaching_topics(principal, start, end)
tables += trust.dashboard_sections(principal, start, end, stem=stem)
printouts.workbook_download(tables, stem=stem, key="dashboard")
