"""Jobs: background work (ingest, transcribe, analyze), what failed and why, and retrying it."""

from __future__ import annotations

import streamlit as st

from coaching_ui import session
from coaching_ui.components import jobs as widgets
from qa import access
from qa.models import JobStatus

principal = session.require_role(access.JOB_OPERATORS)
st.title("Jobs")
widgets.show_retry_outcome()

counts = widgets.job_counts(principal)
for column, status in zip(st.columns(len(JobStatus)), JobStatus, strict=True):
    column.metric(status.value.capitalize(), counts.get(status, 0))

statuses = st.multiselect("Status", [s.value for s in JobStatus], default=["failed", "queued", "running"])
jobs = widgets.job_frame(principal, [JobStatus(s) for s in statuses])
st.caption("At most 200 jobs are listed, oldest first.")
st.dataframe(jobs, hide_index=True, width="stretch")

failed = widgets.failed_job_ids(principal)
st.multiselect("Failed jobs to retry", failed, default=failed, key=widgets.RETRY_KEY)
st.button(
    "Retry",
    disabled=not failed,
    type="primary",
    icon=":material/replay:",
    key="retry",
    on_click=widgets.retry_selected_jobs,
    args=(principal,),
)
