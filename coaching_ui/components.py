"""Building blocks of the pages: service results turned into tables and widgets.

Pages call these so they read like a description of the UI; nothing here touches SQL.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components_v1

from coaching_ui import session
from qa.access import Principal
from qa.agents import service as agent_service
from qa.config import get_settings
from qa.errors import CallcoachError
from qa.interactions import service as interaction_service
from qa.interactions.service import InteractionFilters
from qa.jobs import service as job_service
from qa.models import JobStatus, Role

RESULT_ICONS = {
    "pass": ":green[:material/check_circle:]",
    "fail": ":red[:material/cancel:]",
    "na": ":gray[:material/remove_circle_outline:]",
    "pending": ":orange[:material/hourglass_empty:]",
}
SORTS = {
    "Priority (auto-fails, low scores, upset customers)": "priority",
    "Newest": "newest",
    "Lowest score": "score",
    "Most negative customer": "sentiment",
}
REVIEW_STATUSES = ("pending", "reviewed", "final")
MOMENT_KEY = "moment"
OPEN_INTERACTION_KEY = "interaction_id"
NOTE_CRITERION_KEY = "note_criterion"
NOTE_AT_KEY = "note_at"
SCROLL_PENDING_KEY = "scroll_to_moment"


# ---------------------------------------------------------------- formatting


def clock(seconds: float | None) -> str:
    """`m:ss` (or `h:mm:ss`) for a time into the interaction."""
    if seconds is None:
        return "–"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def score_label(score: float | None, auto_fail: bool) -> str:
    """How a total reads in tables and headers."""
    if auto_fail:
        return "AUTO-FAIL"
    return "not scored" if score is None else f"{score:.0f}"


def get(obj: Any, name: str, default: Any = None) -> Any:
    """An attribute or mapping key of a service result (they are dataclasses, models or dicts)."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def perform(action: Callable[..., Any], /, **arguments: Any) -> bool:
    """Run one service action in its own unit of work; a domain error is shown, not raised."""
    try:
        with session.db() as db:
            action(session=db, **arguments)
    except CallcoachError as exc:
        st.error(str(exc))
        return False
    return True


def frame(rows: Iterable[Any], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of the named fields of each row."""
    return pd.DataFrame([{c: get(r, c) for c in columns} for r in rows], columns=list(columns))


# ---------------------------------------------------------------- who may see what


def visible_agents(principal: Principal) -> list[str]:
    """Agent names the principal may pick in filters: their team for a supervisor, all for managers."""
    with session.db() as db:
        agents = agent_service.list_agents(session=db)
        role = Role(principal.role)
        if role == Role.AGENT:
            return [a.name for a in agents if a.id == principal.agent_id]
        if role == Role.SUPERVISOR:
            return [a.name for a in agents if a.team_id == principal.team_id]
        return [a.name for a in agents]


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


def open_interaction(interaction_id: int) -> None:
    """Remember which interaction the interaction page shows."""
    st.session_state[OPEN_INTERACTION_KEY] = int(interaction_id)
    for key in (MOMENT_KEY, NOTE_CRITERION_KEY, NOTE_AT_KEY):
        st.session_state.pop(key, None)


# ---------------------------------------------------------------- interaction page


@dataclass(frozen=True)
class Moment:
    """A point in the interaction a reviewer jumped to from a criterion's evidence."""

    turn: int | None
    start: float | None
    criterion: str | None = None


def current_moment() -> Moment | None:
    moment = st.session_state.get(MOMENT_KEY)
    return moment if isinstance(moment, Moment) else None


def _set_moment(turn: int | None, start: float | None, criterion: str) -> None:
    st.session_state[MOMENT_KEY] = Moment(turn=turn, start=start, criterion=criterion)
    st.session_state[SCROLL_PENDING_KEY] = True
    # A coaching note written now is about this criterion and this moment.
    st.session_state[NOTE_CRITERION_KEY] = criterion
    st.session_state[NOTE_AT_KEY] = float(start or 0.0)


def chosen_interaction_id(principal: Principal) -> int | None:
    """The interaction to show: from the URL (?id=), the queue, or picked here among recent ones."""
    from_url = st.query_params.get("id")
    if from_url and from_url.isdigit():
        open_interaction(int(from_url))
        del st.query_params["id"]
    current = st.session_state.get(OPEN_INTERACTION_KEY)
    with session.db() as db:
        recent = interaction_service.list_interactions(
            session=db, principal=principal, filters=InteractionFilters(), limit=50, sort="priority"
        ).items
    options = [int(get(i, "id")) for i in recent]
    if current is not None and current not in options:
        options.insert(0, int(current))
    if not options:
        return None
    labels = {
        int(get(i, "id")): f"#{get(i, 'id')} {get(i, 'agent')} · {get(i, 'channel')} · "
        f"{score_label(get(i, 'score'), bool(get(i, 'auto_fail')))}"
        for i in recent
    }
    picked = st.selectbox(
        "Interaction",
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda i: labels.get(i, f"#{i}"),
        key=f"pick_interaction_{current}",
    )
    if picked != current:
        open_interaction(int(picked))
    return int(picked)


def interaction_header(detail: Any) -> None:
    """Who, when, what about, and the score."""
    evaluation = get(detail, "evaluation")
    cols = st.columns(5)
    cols[0].metric("Score", score_label(get(evaluation, "total"), bool(get(evaluation, "auto_fail"))))
    cols[1].metric("Agent", get(detail, "agent") or "–")
    cols[2].metric("Channel", get(detail, "channel") or "–")
    cols[3].metric("Topic", get(detail, "topic") or "–")
    cols[4].metric("Review", get(evaluation, "review_status") or "not scored")
    started = get(detail, "started_at")
    queue = get(detail, "queue")
    st.caption(
        f"Started {started:%Y-%m-%d %H:%M} · queue {queue or '–'}" if started else f"queue {queue or '–'}"
    )
    if get(evaluation, "auto_fail"):
        st.error("Auto-fail: a critical criterion failed.", icon=":material/report:")


def audio_player(principal: Principal, detail: Any, moment: Moment | None) -> None:
    """The stored recording, starting at the chosen moment."""
    if not get(detail, "has_audio"):
        return
    with session.db() as db:
        path, media_type = interaction_service.audio_file(
            session=db, principal=principal, interaction_id=get(detail, "id")
        )
    start = int(moment.start) if moment and moment.start is not None else 0
    st.audio(str(path), format=media_type, start_time=start)


def moment_callout(detail: Any, moment: Moment | None) -> None:
    """What was said at the moment the reviewer jumped to."""
    if moment is None or moment.turn is None:
        return
    turn = next((t for t in get(detail, "turns", []) if get(t, "index") == moment.turn), None)
    if turn is None:
        return
    said = f"{get(turn, 'speaker')} at {clock(get(turn, 'start'))}: “{get(turn, 'text')}”"
    st.info(
        f"**{moment.criterion}** · {said}",
        icon=":material/my_location:",
    )


def evidence_turns(detail: Any) -> dict[int, list[str]]:
    """Turn index -> the criteria whose evidence points at it."""
    marks: dict[int, list[str]] = {}
    for criterion in get(get(detail, "evaluation"), "criteria", None) or []:
        for item in get(criterion, "evidence", None) or []:
            if get(item, "turn") is not None:
                marks.setdefault(int(get(item, "turn")), []).append(criterion_id(criterion))
    return marks


def transcript(detail: Any, moment: Moment | None) -> None:
    """The turns with speakers and times; evidence is underlined, the current moment highlighted."""
    marks = evidence_turns(detail)
    rows = []
    for turn in get(detail, "turns", []):
        index = int(get(turn, "index"))
        speaker = str(get(turn, "speaker"))
        classes = ["turn", speaker]
        if index in marks:
            classes.append("evidence")
        if moment is not None and moment.turn == index:
            classes.append("moment")
        tags = "".join(f'<span class="tag">{html.escape(c)}</span>' for c in marks.get(index, []))
        rows.append(
            f'<div class="{" ".join(classes)}" id="turn-{index}">'
            f'<span class="when">{clock(get(turn, "start"))}</span>'
            f'<span class="who">{html.escape(speaker)}</span>'
            f'<span class="text">{html.escape(str(get(turn, "text")))}</span>{tags}</div>'
        )
    with st.container(height=420, key="transcript"):
        st.html(TRANSCRIPT_CSS + "".join(rows) if rows else "<p>No transcript.</p>")
    if moment is not None and moment.turn is not None and st.session_state.pop(SCROLL_PENDING_KEY, False):
        _scroll_into_view(f"turn-{int(moment.turn)}")


def _scroll_into_view(element_id: str) -> None:
    # st.html runs no scripts; a zero-height component (same-origin iframe) can scroll the page for us.
    components_v1.html(
        "<script>const el = window.parent.document.getElementById(" + json.dumps(element_id) + ");"
        "if (el) { el.scrollIntoView({block: 'center'}); }</script>",
        height=0,
    )


TRANSCRIPT_CSS = """<style>
.turn{padding:4px 8px;margin:2px 0;border-left:4px solid #ccc;border-radius:4px;font-size:0.92rem}
.turn.agent{border-left-color:#1f77b4}.turn.customer{border-left-color:#d62728;background:#fafafa}
.turn .when{color:#888;font-family:monospace;margin-right:8px}.turn .who{font-weight:600;margin-right:8px}
.turn.evidence .text{text-decoration:underline dotted #ff7f0e}
.turn.moment{background:#fff3cd;outline:2px solid #ff7f0e}
.turn .tag{font-size:0.72rem;background:#ffe0b2;border-radius:8px;padding:0 6px;margin-left:6px}
</style>"""


def criterion_id(criterion: Any) -> str:
    return str(get(criterion, "criterion_id") or get(criterion, "id"))


def scorecard(detail: Any) -> None:
    """Each criterion with its answer; its evidence buttons jump to the moment in the call."""
    evaluation = get(detail, "evaluation")
    if evaluation is None:
        st.info("This interaction has not been scored yet.")
        return
    for criterion in get(evaluation, "criteria", []):
        cid = criterion_id(criterion)
        result = str(get(criterion, "result"))
        overridden = get(criterion, "machine_result")
        title = f"{RESULT_ICONS.get(result, '')} {get(criterion, 'question') or cid}"
        with st.container(border=True):
            st.markdown(f"**{title}**")
            points = f"{get(criterion, 'points', 0):g}/{get(criterion, 'max_points', 0):g} points"
            confidence = get(criterion, "confidence")
            note = f" · confidence {confidence:.0%}" if confidence is not None else ""
            if get(criterion, "critical"):
                note += " · critical"
            if overridden:
                note += f" · machine said {overridden}"
            st.caption(f"`{cid}` · {result} · {points}{note}")
            if get(criterion, "override_comment"):
                st.caption(f"Reviewer: {get(criterion, 'override_comment')}")
            for n, item in enumerate(get(criterion, "evidence", None) or []):
                quote = str(get(item, "text"))[:80]
                st.button(
                    f"{clock(get(item, 'start'))} {get(item, 'speaker') or ''}: {quote}",
                    key=f"evidence_{cid}_{n}",
                    icon=":material/play_arrow:",
                    on_click=_set_moment,
                    args=(get(item, "turn"), get(item, "start"), cid),
                    type="tertiary",
                )


def sentiment_frame(detail: Any) -> pd.DataFrame:
    """Turn sentiment of agent and customer over the interaction, for the chart."""
    rows = [
        {
            "start": get(t, "start") if get(t, "start") is not None else float(get(t, "index")),
            "speaker": get(t, "speaker"),
            "sentiment": get(t, "sentiment"),
            "text": str(get(t, "text"))[:80],
        }
        for t in get(detail, "turns", [])
        if get(t, "sentiment") is not None and get(t, "speaker") in ("agent", "customer")
    ]
    return pd.DataFrame(rows, columns=["start", "speaker", "sentiment", "text"])


def metrics_table(detail: Any) -> None:
    """The conversation metrics (talk ratio, silences, holds, ...) as a compact table."""
    metrics = dict(get(detail, "metrics") or {})
    for key in ("handle_seconds", "wait_seconds", "csat", "duration_seconds"):
        if get(detail, key) is not None and key not in metrics:
            metrics[key] = get(detail, key)
    if not metrics:
        st.caption("No metrics.")
        return
    table = pd.DataFrame(
        [
            {"metric": k.replace("_", " "), "value": round(v, 2) if isinstance(v, float) else v}
            for k, v in metrics.items()
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def criterion_choices(detail: Any) -> dict[str, str]:
    """criterion id -> its question, for the override and note forms."""
    criteria = get(get(detail, "evaluation"), "criteria", None) or []
    return {criterion_id(c): str(get(c, "question") or criterion_id(c)) for c in criteria}


def notes_frame(notes: Sequence[Any]) -> pd.DataFrame:
    """Coaching notes as a table."""
    rows = [
        {
            "when": get(n, "created_at"),
            "interaction": get(n, "interaction_id"),
            "criterion": get(n, "criterion_id"),
            "at": clock(get(n, "at_seconds")) if get(n, "at_seconds") is not None else "",
            "by": get(n, "author"),
            "note": get(n, "text"),
            "acknowledged": get(n, "acknowledged_at"),
        }
        for n in notes
    ]
    return pd.DataFrame(
        rows, columns=["when", "interaction", "criterion", "at", "by", "note", "acknowledged"]
    )


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


def trend_frame(points: Sequence[Any]) -> pd.DataFrame:
    """Weekly points (week, score, count) as a DataFrame for charts.score_trend."""
    data = frame(points, ["week", "score", "count"])
    data["week"] = pd.to_datetime(data["week"])
    return data


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


def pass_rate_frame(rates: Sequence[Any]) -> pd.DataFrame:
    """Per-criterion agent and team pass rates, long format (criterion, who, pass_rate)."""
    rows: list[dict[str, Any]] = []
    for rate in rates:
        name = str(get(rate, "question") or get(rate, "criterion_id") or get(rate, "criterion"))
        for who, field in (("agent", "agent_pass_rate"), ("team", "team_pass_rate")):
            value = get(rate, field)
            if value is not None:
                rows.append({"criterion": name, "who": who, "pass_rate": float(value)})
    return pd.DataFrame(rows, columns=["criterion", "who", "pass_rate"])


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


# ---------------------------------------------------------------- admin: jobs


def job_frame(statuses: Sequence[JobStatus]) -> pd.DataFrame:
    """Jobs with these statuses, newest last."""
    with session.db() as db:
        jobs = [job_service.to_dict(j) for j in job_service.list_jobs(session=db, statuses=statuses)]
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
    return pd.DataFrame(jobs, columns=columns)


def job_counts() -> dict[str, int]:
    """How many jobs there are in each status."""
    with session.db() as db:
        jobs = job_service.list_jobs(session=db)
        counts: dict[str, int] = {}
        for job in jobs:
            counts[job.status.value] = counts.get(job.status.value, 0) + 1
    return counts


RETRY_KEY = "retry_ids"
RETRY_OUTCOME_KEY = "retry_outcome"


def failed_job_ids() -> list[int]:
    """Ids of the failed jobs, oldest first."""
    with session.db() as db:
        return [j.id for j in job_service.list_jobs(session=db, statuses=[JobStatus.FAILED])]


def retry_selected_jobs() -> None:
    """Retry the jobs picked in the retry list: ingests re-read their file, the others are requeued."""
    from qa import pipeline  # the pipeline pulls in the models; only load it when asked

    job_ids = [int(i) for i in st.session_state.get(RETRY_KEY, [])]
    if job_ids:
        st.session_state[RETRY_OUTCOME_KEY] = pipeline.retry_failed(settings=get_settings(), job_ids=job_ids)


def show_retry_outcome() -> None:
    """What the last retry did, once."""
    report = st.session_state.pop(RETRY_OUTCOME_KEY, None)
    if report is None:
        return
    st.success(f"Requeued {report.requeued}, re-ingested {report.reingested}, still failing {report.failed}")
    for message in report.errors:
        st.error(message)


# ---------------------------------------------------------------- manager: period figures

CONTACT_COLUMNS = [
    "id", "agent", "channel", "started_at", "topic", "queue", "score", "auto_fail",
    "customer_sentiment_end", "review_status", "duration_seconds", "csat",
]  # fmt: skip


def interactions_frame(
    principal: Principal, start: date, end: date, agent: str | None = None
) -> pd.DataFrame:
    """Every interaction in the principal's scope and the period, one row each (paged through the service)."""
    rows: list[Any] = []
    filters = InteractionFilters(agent=agent, start=start, end=end)
    with session.db() as db:
        while True:
            page = interaction_service.list_interactions(
                session=db,
                principal=principal,
                filters=filters,
                limit=interaction_service.MAX_LIMIT,
                offset=len(rows),
                sort="newest",
            )
            rows.extend(page.items)
            if not page.items or len(rows) >= page.total:
                break
    data = frame(rows, CONTACT_COLUMNS)
    data["started_at"] = pd.to_datetime(data["started_at"], utc=True)
    data["week"] = data["started_at"].dt.tz_localize(None).dt.to_period("W-SUN").dt.start_time
    return data


def weekly_volume(contacts: pd.DataFrame) -> pd.DataFrame:
    """Interactions per week (week, count)."""
    return contacts.groupby("week").size().reset_index(name="count")


def weekly_sentiment(contacts: pd.DataFrame) -> pd.DataFrame:
    """Mean customer sentiment at the end of the interaction, per week (week, speaker, sentiment)."""
    data = contacts.dropna(subset=["customer_sentiment_end"])
    weekly = data.groupby("week")["customer_sentiment_end"].mean().reset_index(name="sentiment")
    return weekly.assign(speaker="customer")


def score_bands(contacts: pd.DataFrame, width: int = 10) -> pd.DataFrame:
    """How many scored interactions fall in each band of `width` points (band, count); 100 joins the top."""
    scores = contacts["score"].dropna().astype(float).clip(0, 100)
    labels = [f"{lo}-{lo + width}" for lo in range(0, 100, width)]
    index = (scores // width).clip(upper=len(labels) - 1).astype(int)
    counts = index.value_counts().reindex(range(len(labels)), fill_value=0)
    return pd.DataFrame({"band": labels, "count": counts.to_numpy()})


def agent_scores(agents: Sequence[Any]) -> pd.DataFrame:
    """Per-agent rows of the team dashboard as a table (agent, team, score, count, ...)."""
    data = frame(
        agents,
        ["agent", "team", "average_score", "scored", "interactions", "auto_fails", "reviewed", "average_csat",
         "average_handle_seconds"],
    )  # fmt: skip
    return data.rename(columns={"average_score": "score", "scored": "count"})


def contact_drivers_frame(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts per week, program (queue) and topic (week, program, topic, count)."""
    data = contacts.assign(
        program=contacts["queue"].fillna("(none)"), topic=contacts["topic"].fillna("(unclassified)")
    )
    return data.groupby(["week", "program", "topic"]).size().reset_index(name="count")


def volume_by_hour(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts by weekday (0 = Monday) and hour of day (weekday, hour, count)."""
    started = contacts["started_at"].dropna()
    data = pd.DataFrame({"weekday": started.dt.day_of_week, "hour": started.dt.hour})
    return data.groupby(["weekday", "hour"]).size().reset_index(name="count")


def channel_counts(contacts: pd.DataFrame) -> pd.DataFrame:
    """Contacts per channel (channel, count)."""
    return contacts.groupby("channel").size().reset_index(name="count")


def coaching_history(notes: Sequence[Any], contacts: pd.DataFrame, days: int = 28) -> pd.DataFrame:
    """Each coaching note with the agent's mean score in the `days` before and after it."""
    scored = contacts.dropna(subset=["score"])
    window = pd.Timedelta(days=days)
    rows = []
    for note in notes:
        when = pd.Timestamp(get(note, "created_at"))
        when = when.tz_localize("UTC") if when.tzinfo is None else when
        before = scored[(scored["started_at"] < when) & (scored["started_at"] >= when - window)]
        after = scored[(scored["started_at"] >= when) & (scored["started_at"] < when + window)]
        rows.append(
            {
                "note": f"#{get(note, 'id')} {when:%Y-%m-%d}",
                "criterion": get(note, "criterion_id"),
                "by": get(note, "author"),
                "text": get(note, "text"),
                "acknowledged": get(note, "acknowledged_at") is not None,
                "before": round(before["score"].mean(), 1) if not before.empty else None,
                "after": round(after["score"].mean(), 1) if not after.empty else None,
            }
        )
    return pd.DataFrame(rows, columns=["note", "criterion", "by", "text", "acknowledged", "before", "after"])


def coaching_effect_frame(history: pd.DataFrame) -> pd.DataFrame:
    """Long format of coaching_history for charts.coaching_effect (note, when, score)."""
    data = history.melt(id_vars=["note"], value_vars=["before", "after"], var_name="when", value_name="score")
    return data.dropna(subset=["score"])


def period_metrics(contacts: pd.DataFrame, summary: Any) -> None:
    """Headline figures of a period: volume, score, auto-fails, CSAT, handle time, reviewed."""
    cols = st.columns(6)
    scored = contacts["score"].dropna()
    cols[0].metric("Interactions", len(contacts))
    cols[1].metric("Mean score", f"{scored.mean():.1f}" if not scored.empty else "–")
    cols[2].metric("Auto-fails", int(contacts["auto_fail"].fillna(False).astype(bool).sum()))
    csat = contacts["csat"].dropna()
    cols[3].metric("CSAT", f"{csat.mean():.2f} / 5" if not csat.empty else "–")
    handle = get(summary, "average_handle_seconds")
    if handle is None:
        duration = contacts["duration_seconds"].dropna()
        handle = duration.mean() if not duration.empty else None
    cols[4].metric("Handle time", clock(handle))
    cols[5].metric("Reviewed", int(contacts["review_status"].isin(["reviewed", "final"]).sum()))
