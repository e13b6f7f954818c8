"""Jobs: background work (ingest, transcribe, analyze), what failed and why, and retrying it."""

from __future__ import annotations

import streamlit as st

from coaching_ui import components, session
from qa import access
from qa.models import JobStatus

principal = session.require_role(access.JOB_OPERATORS)
st.title("Jobs")
components.show_retry_outcome()

counts = components.job_counts(principal)
for column, status in zip(st.columns(len(JobStatus)), JobStatus, strict=True):
    column.metric(status.value.capitalize(), counts.get(status.value, 0))

statuses = st.multiselect("Status", [s.value for s in JobStatus], default=["failed", "queued", "running"])
jobs = components.job_frame(principal, [JobStatus(s) for s in statuses])
st.caption("At most 200 jobs are listed, oldest first.")
st.dataframe(jobs, hide_index=True, width="stretch")

failed = components.failed_job_ids(principal)
st.multiselect("Failed jobs to retry", failed, default=failed, key=components.RETRY_KEY)
st.button(
    "Retry",
    disabled=not failed,
    type="primary",
    icon=":material/replay:",
    key="retry",
    on_click=components.retry_selected_jobs,
    args=(principal,),
)
