"""Widgets shared by the pages: filters, pickers, metric rows, note and job lists.

Pages call these so they read like a description of the UI; nothing here touches SQL.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from coaching_ui import session
from coaching_ui.figures import RESULT_ICONS, clock, criterion_id, get, score_label, trend_frame
from qa.access import Principal
from qa.agents import service as agent_service
from qa.config import get_settings
from qa.errors import CallcoachError
from qa.interactions import service as interaction_service
from qa.interactions.service import InteractionFilters
from qa.jobs import service as job_service
from qa.models import JobStatus

SORTS = {
    "Priority (auto-fails, low scores, upset customers)": "priority",
    "Newest": "newest",
    "Lowest score": "score",
    "Most negative customer": "sentiment",
}
REVIEW_STATUSES = ("pending", "reviewed", "final")


def perform(action: Callable[..., Any], /, **arguments: Any) -> bool:
    """Run one service action in its own unit of work; a domain error is shown, not raised."""
    try:
        with session.db() as db:
            action(session=db, **arguments)
    except CallcoachError as exc:
        st.error(str(exc))
        return False
    return True


# ---------------------------------------------------------------- who may see what


def visible_agents(principal: Principal) -> list[str]:
    """Agent names the principal may pick in filters (decided by the service layer's scope)."""
    with session.db() as db:
        return [a.name for a in agent_service.list_visible_agents(session=db, principal=principal)]


def latest_day(principal: Principal) -> date:
    """The day of the newest interaction the principal may see (today when there is none)."""
    with session.db() as db:
        newest = interaction_service.list_interactions(
            session=db, principal=principal, filters=InteractionFilters(), limit=1, sort="newest"
        ).items
    started = newest[0].started_at if newest else None
    return started.date() if started is not None else date.today()


def period_picker(key: str, principal: Principal, weeks: int = 13) -> tuple[date, date]:
    """A date range input; by default the last `weeks` weeks up to the newest interaction."""
    end = latest_day(principal)
    default = (end - timedelta(weeks=weeks), end)
    chosen = st.date_input("Period", value=default, key=key)
    if isinstance(chosen, tuple) and len(chosen) == 2:
        return chosen[0], chosen[1]
    return default  # half-picked range: keep showing the default until both ends are set


# ---------------------------------------------------------------- review queue


@dataclass(frozen=True)
class QueueQuery:
    filters: InteractionFilters
    sort: str
    page: int
    page_size: int


def queue_filters(principal: Principal) -> QueueQuery:
    """The filter bar of the review queue."""
    agents = visible_agents(principal)
    top = st.columns([2, 1, 1, 1, 2])
    sort_label = top[0].selectbox("Sort", list(SORTS), key="queue_sort")
    agent = top[1].selectbox("Agent", ["All", *agents], key="queue_agent")
    channel = top[2].selectbox("Channel", ["All", "call", "chat", "email", "form"], key="queue_channel")
    status = top[3].selectbox("Review status", ["All", *REVIEW_STATUSES], key="queue_status")
    topic = top[4].text_input("Topic", key="queue_topic", placeholder="e.g. missed_pickup")
    bottom = st.columns([1, 1, 2, 1, 1])
    sentiment = bottom[0].selectbox(
        "Customer sentiment", ["All", "negative", "neutral", "positive"], key="queue_sentiment"
    )
    auto_fail = bottom[1].selectbox("Auto-fail", ["All", "only auto-fails", "no auto-fails"], key="queue_af")
    low, high = bottom[2].slider("Score", 0, 100, (0, 100), key="queue_score")
    page_size = bottom[3].selectbox("Rows", [25, 50, 100], index=1, key="queue_rows")
    page = bottom[4].number_input("Page", min_value=1, value=1, step=1, key="queue_page")
    filters = InteractionFilters(
        agent=None if agent == "All" else agent,
        channel=None if channel == "All" else channel,
        topic=topic.strip() or None,
        min_score=float(low) if low > 0 else None,
        max_score=float(high) if high < 100 else None,
        auto_fail={"All": None, "only auto-fails": True, "no auto-fails": False}[auto_fail],
        sentiment=None if sentiment == "All" else sentiment,  # type: ignore[arg-type]
        review_status=None if status == "All" else status,
    )
    return QueueQuery(filters=filters, sort=SORTS[sort_label], page=int(page), page_size=int(page_size))


def queue_frame(items: Sequence[Any]) -> pd.DataFrame:
    """One row per interaction in the queue, in the service's order."""
    rows = [
        {
            "id": get(item, "id"),
            "score": score_label(get(item, "score"), bool(get(item, "auto_fail"))),
            "agent": get(item, "agent"),
            "channel": get(item, "channel"),
            "started": get(item, "started_at"),
            "topic": get(item, "topic"),
            "queue": get(item, "queue"),
            "customer at end": get(item, "customer_sentiment_end"),
            "csat": get(item, "csat"),
            "length": clock(get(item, "duration_seconds")),
            "review": get(item, "review_status"),
        }
        for item in items
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "id",
            "score",
            "agent",
            "channel",
            "started",
            "topic",
            "queue",
            "customer at end",
            "csat",
            "length",
            "review",
        ],
    )


QUEUE_COLUMNS = {
    "id": st.column_config.NumberColumn("ID", format="%d", width="small"),
    "score": st.column_config.TextColumn("Score", width=90),
    "started": st.column_config.DatetimeColumn("Started", format="YYYY-MM-DD HH:mm"),
    "customer at end": st.column_config.ProgressColumn(
        "Customer at end", min_value=-1.0, max_value=1.0, format="%.2f"
    ),
}


# ---------------------------------------------------------------- agent: my performance


def own_agent_name(principal: Principal) -> str | None:
    """The agent name an agent user is linked to."""
    names = visible_agents(principal)
    return names[0] if names else None


def latest_evaluations(principal: Principal, limit: int = 5) -> list[Any]:
    """The newest scored interactions the principal may see, with their details."""
    with session.db() as db:
        page = interaction_service.list_interactions(
            session=db, principal=principal, filters=InteractionFilters(), limit=limit, sort="newest"
        )
        return [
            interaction_service.get_interaction_detail(
                session=db, principal=principal, interaction_id=item.id
            )
            for item in page.items
        ]


def headline_metrics(points: Sequence[Any]) -> None:
    """Evaluations in the period, mean score, and the change over the last week."""
    data = trend_frame(points).dropna(subset=["score"])
    cols = st.columns(3)
    count = int(data["count"].sum()) if not data.empty else 0
    mean = (data["score"] * data["count"]).sum() / count if count else None
    cols[0].metric("Evaluations", count)
    cols[1].metric("Mean score", "–" if mean is None else f"{mean:.1f}")
    if len(data) >= 2:
        last, before = data["score"].iloc[-1], data["score"].iloc[-2]
        cols[2].metric("Last week", f"{last:.1f}", delta=f"{last - before:+.1f}")
    else:
        cols[2].metric("Last week", "–" if data.empty else f"{data['score'].iloc[-1]:.1f}")


def notes_to_acknowledge(principal: Principal, notes: Sequence[Any]) -> None:
    """Each coaching note with a button to acknowledge it (once)."""
    if not notes:
        st.caption("No coaching notes yet.")
        return
    for note in notes:
        with st.container(border=True):
            about = get(note, "criterion_id")
            at = get(note, "at_seconds")
            where = f"interaction #{get(note, 'interaction_id')}" + (
                f" at {clock(at)}" if at is not None else ""
            )
            st.markdown(get(note, "text") or "")
            st.caption(
                f"From {get(note, 'author') or get(note, 'author_username') or 'your supervisor'} · {where}"
                + (f" · about `{about}`" if about else "")
            )
            if get(note, "acknowledged_at"):
                st.caption(f"Acknowledged {get(note, 'acknowledged_at'):%Y-%m-%d}")
            else:
                st.button(
                    "Acknowledge",
                    key=f"ack_{get(note, 'id')}",
                    on_click=_acknowledge,
                    args=(principal, int(get(note, "id"))),
                )


def _acknowledge(principal: Principal, note_id: int) -> None:
    from qa.coaching import service as coaching_service

    with session.db() as db:
        coaching_service.acknowledge_note(session=db, principal=principal, note_id=note_id)
    st.toast("Acknowledged")


def evaluation_list(details: Sequence[Any]) -> None:
    """Each evaluation as an expander with its criteria and the words that decided them."""
    if not details:
        st.caption("No evaluations yet.")
        return
    for detail in details:
        evaluation = get(detail, "evaluation")
        started = get(detail, "started_at")
        label = (
            f"#{get(detail, 'id')} · {started:%Y-%m-%d} · {get(detail, 'channel')}"
            f" · {get(detail, 'topic') or '–'}"
            f" · score {score_label(get(evaluation, 'total'), bool(get(evaluation, 'auto_fail')))}"
        )
        with st.expander(label):
            for criterion in get(evaluation, "criteria", None) or []:
                evidence = "; ".join(
                    f"{clock(get(e, 'start'))} “{get(e, 'text')}”"
                    for e in get(criterion, "evidence", None) or []
                )
                st.markdown(
                    f"{RESULT_ICONS.get(str(get(criterion, 'result')), '')} "
                    f"**{get(criterion, 'question') or criterion_id(criterion)}**"
                    + (f"  \n<small>{html.escape(evidence)}</small>" if evidence else ""),
                    unsafe_allow_html=True,
                )


# ---------------------------------------------------------------- manager: audit log

AUDIT_ENTITIES = {
    "All": None,
    "Criterion overrides": "criterion_result",
    "Reviews": "evaluation",
    "Coaching notes": "coaching_note",
}


@dataclass(frozen=True)
class AuditQuery:
    entity: str | None
    interaction_id: int | None
    limit: int


def audit_filters() -> AuditQuery:
    """The filter bar of the audit log: what changed, which interaction, how many entries."""
    what, which, rows = st.columns([2, 1, 1])
    entity = what.selectbox("What changed", list(AUDIT_ENTITIES), key="audit_entity")
    interaction = which.number_input(
        "Interaction", min_value=0, value=0, step=1, key="audit_interaction", help="0: every interaction"
    )
    limit = rows.selectbox("Entries", [100, 250, 1000], key="audit_limit")
    return AuditQuery(
        entity=AUDIT_ENTITIES[entity], interaction_id=int(interaction) or None, limit=int(limit)
    )


# ---------------------------------------------------------------- admin: jobs


def job_frame(principal: Principal, statuses: Sequence[JobStatus], limit: int = 200) -> pd.DataFrame:
    """The first `limit` jobs with these statuses, oldest first."""
    with session.db() as db:
        jobs = job_service.list_jobs_for(session=db, principal=principal, statuses=statuses, limit=limit)
        rows = [job_service.to_dict(j) for j in jobs]
    columns = [
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
    return pd.DataFrame(rows, columns=columns)


def job_counts(principal: Principal) -> dict[str, int]:
    """How many jobs there are in each status."""
    with session.db() as db:
        counts = job_service.job_counts_for(session=db, principal=principal)
    return {status.value: n for status, n in counts.items()}


RETRY_KEY = "retry_ids"
RETRY_OUTCOME_KEY = "retry_outcome"


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
        st.session_state[RETRY_OUTCOME_KEY] = runner.retry_failed(settings=get_settings(), job_ids=job_ids)


def show_retry_outcome() -> None:
    """What the last retry did, once."""
    report = st.session_state.pop(RETRY_OUTCOME_KEY, None)
    if report is None:
        return
    st.success(f"Requeued {report.requeued}, re-ingested {report.reingested}, still failing {report.failed}")
    for message in report.errors:
        st.error(message)


def period_metrics(totals: Any) -> None:
    """Headline figures of a period in two rows: volume and quality, then the customer's experience."""
    score = get(totals, "average_score")
    csat = get(totals, "average_csat")
    resolution = get(totals, "first_contact_resolution")
    volume, quality, fails, reviewed = st.columns(4)
    volume.metric("Interactions", get(totals, "interactions"))
    quality.metric("Mean score", "–" if score is None else f"{score:.1f}")
    fails.metric("Auto-fails", get(totals, "auto_fails"))
    reviewed.metric("Reviewed", get(totals, "reviewed"))
    satisfaction, handle, wait, first_contact = st.columns(4)
    satisfaction.metric("CSAT", "–" if csat is None else f"{csat:.2f} / 5")
    handle.metric("Handle time", clock(get(totals, "average_handle_seconds")))
    wait.metric("Wait time", clock(get(totals, "average_wait_seconds")))
    first_contact.metric(
        "First-contact resolution",
        "–" if resolution is None else f"{resolution:.0%}",
        help="Share of contacts whose customer did not contact again within 7 days "
        f"({get(totals, 'repeat_contacts')} repeats of {get(totals, 'customers')} with a known customer).",
    )
