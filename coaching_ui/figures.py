"""Service results turned into tidy DataFrames and labels for the tables and charts (no widgets here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from coaching_ui import session
from qa.access import Principal
from qa.interactions import service as interaction_service
from qa.interactions.service import InteractionFilters

RESULT_ICONS = {
    "pass": ":green[:material/check_circle:]",
    "fail": ":red[:material/cancel:]",
    "na": ":gray[:material/remove_circle_outline:]",
    "pending": ":orange[:material/hourglass_empty:]",
}


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


def plural(count: int, noun: str) -> str:
    """`1 note`, `3 notes`."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def get(obj: Any, name: str, default: Any = None) -> Any:
    """An attribute or mapping key of a service result (they are dataclasses, models or dicts)."""
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def criterion_id(criterion: Any) -> str:
    """The rubric's id of a criterion result."""
    return str(get(criterion, "criterion_id") or get(criterion, "id"))


def frame(rows: Iterable[Any], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of the named fields of each row."""
    return pd.DataFrame([{c: get(r, c) for c in columns} for r in rows], columns=list(columns))


def trend_frame(points: Sequence[Any]) -> pd.DataFrame:
    """Weekly points (week, score, count) as a DataFrame for charts.score_trend."""
    data = frame(points, ["week", "score", "count"])
    data["week"] = pd.to_datetime(data["week"])
    return data


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


def _change(values: Any) -> str:
    if not values:
        return ""
    return ", ".join(f"{key}: {value}" for key, value in sorted(values.items()))


def audit_frame(entries: Sequence[Any]) -> pd.DataFrame:
    """Audit entries as a table (when, who, action, entity, entity id, interaction, before, after)."""
    rows = [
        {
            "when": get(e, "created_at"),
            "who": get(e, "username"),
            "action": get(e, "action"),
            "entity": get(e, "entity"),
            "entity id": get(e, "entity_id"),
            "interaction": get(e, "interaction_id"),
            "before": _change(get(e, "before")),
            "after": _change(get(e, "after")),
        }
        for e in entries
    ]
    columns = ["when", "who", "action", "entity", "entity id", "interaction", "before", "after"]
    return pd.DataFrame(rows, columns=columns)


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
