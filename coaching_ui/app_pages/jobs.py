"""Jobs: background work (ingest, transcribe, analyze), what failed and why, and retrying it."""

from __future__ import annotations

import streamlit as st

from coaching_ui import components, session
from qa.models import JobStatus, Role

session.require_role(Role.ADMIN)
st.title("Jobs")

statuses = st.multiselect("Status", [s.value for s in JobStatus], default=["failed", "queued", "running"])
jobs = components.job_frame([JobStatus(s) for s in statuses])
counts = components.job_counts()
cols = st.columns(len(JobStatus))
for col, status in zip(cols, JobStatus, strict=True):
    col.metric(status.value.capitalize(), counts.get(status.value, 0))

st.dataframe(jobs, hide_index=True, width="stretch")
failed = jobs[jobs["status"] == "failed"]["id"].tolist() if not jobs.empty else []
retry = st.multiselect("Failed jobs to retry", failed, default=failed, key="retry_ids")
if st.button("Retry", disabled=not retry, type="primary", icon=":material/replay:"):
    report = components.retry_jobs(retry)
    st.success(f"Requeued {report.requeued}, re-ingested {report.reingested}, still failing {report.failed}")
    for message in report.errors:
        st.error(message)
