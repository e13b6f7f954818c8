"""Reports: the period's figures per agent and per contact driver, to download or print."""

from __future__ import annotations

import streamlit as st

from coaching_ui import figures, printable, session
from coaching_ui.components import common
from qa import access
from qa.reports import service as report_service

principal = session.require_role(access.MANAGERS)
st.title("Reports and export")
start, end = common.period_picker("report_period", principal, weeks=4)

with session.db() as db:
    report = report_service.period_report(session=db, principal=principal, start=start, end=end)
agents = figures.agent_scores(report.agents)
topics = figures.frame(report.topics, ["topic", "interactions", "average_score"])

st.subheader("Agents")
st.dataframe(agents, hide_index=True, width="stretch")
st.subheader("Contact drivers")
st.dataframe(topics, hide_index=True, width="stretch")

csv_column, html_column = st.columns(2)
csv_column.download_button(
    "Download CSV",
    report_service.period_report_csv(report),
    file_name=f"callcoach-{start}-{end}.csv",
    mime="text/csv",
    icon=":material/table:",
)
html_column.download_button(
    "Download printable report (HTML)",
    printable.period_report_html(report),
    file_name=f"callcoach-{start}-{end}.html",
    mime="text/html",
    icon=":material/print:",
)
