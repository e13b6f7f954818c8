"""The jobs page's parts: the job table, counts per status and retrying failed jobs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from coaching_ui import session
from qa.access import Principal
from qa.config import get_settings
from qa.jobs import service as job_service
from qa.models import JobStatus

RETRY_KEY = "retry_ids"
RETRY_OUTCOME_KEY = "retry_outcome"
JOB_COLUMNS = [
    "id",
    "kind",
    "status",
    "attempts",
    "interaction",
    "file",
    "error",
    "created_at",
    "finished_at",
]


def job_frame(principal: Principal, statuses: Sequence[JobStatus], limit: int = 200) -> pd.DataFrame:
    """The first `limit` jobs with these statuses, oldest first."""
    with session.db() as db:
        jobs = job_service.list_jobs_for(session=db, principal=principal, statuses=statuses, limit=limit)
        rows = [job_service.to_dict(j) for j in jobs]
    return pd.DataFrame(rows, columns=JOB_COLUMNS)


def job_counts(principal: Principal) -> dict[JobStatus, int]:
    """How many jobs there are in each status."""
    with session.db() as db:
        return job_service.job_counts_for(session=db, principal=principal)


def failed_job_ids(principal: Principal, limit: int = 500) -> list[int]:
    """Ids of the first `limit` failed jobs, oldest first."""
    with session.db() as db:
        failed = job_service.list_jobs_for(
            session=db, principal=principal, statuses=[JobStatus.FAILED], limit=limit
        )
        return [j.id for j in failed]


def retry_selected_jobs(principal: Principal) -> None:
    """Retry the jobs picked in the retry list: ingests re-read their file, the others are requeued."""
    from qa.jobs import runner  # the runner pulls in the models; only load it when asked

    job_service.require_job_access(principal, "retrying jobs")
    job_ids = [int(i) for i in st.session_state.get(RETRY_KEY, [])]
    if job_ids:
        st.session_state[RETRY_OUTCOME_KEY] = runner.retry_failed(
            settings=get_settings(), job_ids=job_ids, principal=principal
        )


def show_retry_outcome() -> None:
    """What the last retry did, once."""
    report = st.session_state.pop(RETRY_OUTCOME_KEY, None)
    if report is None:
        return
    st.success(f"Requeued {report.requeued}, re-ingested {report.reingested}, still failing {report.failed}")
    for message in report.errors:
        st.error(message)
