"""Reports: the period's figures per agent and per contact driver, to download or print."""

from __future__ import annotations

import streamlit as st

from coaching_ui import session
from coaching_ui.components import common, printouts
from qa import access
from qa.printouts import document
from qa.reports import service as report_service

principal = session.require_role(access.MANAGERS)
st.title("Reports and export")
start, end = common.period_picker("report_period", principal, weeks=4)

with session.db() as db:
    report = report_service.period_report(session=db, principal=principal, start=start, end=end)
    contacts = report_service.contact_figures(session=db, principal=principal, start=start, end=end)
# One description of the report: this page, its PDF and its printable page show the same sections.
printout = document.period_report(report, contacts)

printouts.downloads(printout, key="report")
printouts.show(printout, key="report")
