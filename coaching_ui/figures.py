"""Service results turned into tidy DataFrames and labels for the tables and charts (no widgets here)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

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
    """Per-criterion agent and team pass rates, long format (criterion, question, who, pass_rate).

    The short criterion name labels the axis (whole questions get cut off there); the question is the tooltip.
    """
    rows: list[dict[str, Any]] = []
    for rate in rates:
        short = str(get(rate, "criterion_id") or get(rate, "criterion") or get(rate, "question"))
        question = str(get(rate, "question") or short)
        for who, field in (("agent", "agent_pass_rate"), ("team", "team_pass_rate")):
            value = get(rate, field)
            if value is not None:
                label = short.replace("_", " ")
                rows.append({"criterion": label, "question": question, "who": who, "pass_rate": float(value)})
    return pd.DataFrame(rows, columns=["criterion", "question", "who", "pass_rate"])


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
# The figures come computed from qa.reports.contact_figures / coaching_history; these only shape them.


def weekly_volume(figures: Any) -> pd.DataFrame:
    """Interactions per week (week, count)."""
    data = frame(get(figures, "weeks"), ["week", "interactions"]).rename(columns={"interactions": "count"})
    data["week"] = pd.to_datetime(data["week"])
    return data


def weekly_sentiment(figures: Any) -> pd.DataFrame:
    """Mean customer sentiment at the end of the interaction, per week (week, speaker, sentiment)."""
    data = frame(get(figures, "weeks"), ["week", "average_customer_sentiment_end"])
    data = data.rename(columns={"average_customer_sentiment_end": "sentiment"}).dropna(subset=["sentiment"])
    data["week"] = pd.to_datetime(data["week"])
    return data.assign(speaker="customer")


def weekly_figures(figures: Any) -> pd.DataFrame:
    """The period week by week as a table: volume, score, sentiment, handle and wait time, CSAT, repeats."""
    columns = {
        "week": "week",
        "interactions": "interactions",
        "average_score": "score",
        "average_customer_sentiment_end": "customer at end",
        "average_handle_seconds": "handle s",
        "average_wait_seconds": "wait s",
        "average_csat": "csat",
        "repeat_contacts": "repeat contacts",
    }
    return frame(get(figures, "weeks"), list(columns)).rename(columns=columns)


def score_bands(figures: Any) -> pd.DataFrame:
    """How many scored interactions fall in each band of 10 points (band, count)."""
    return frame(get(figures, "score_bands"), ["band", "count"])


def agent_scores(agents: Sequence[Any]) -> pd.DataFrame:
    """Per-agent rows of the team dashboard as a table (agent, team, score, count, ...)."""
    data = frame(
        agents,
        ["agent", "team", "average_score", "scored", "interactions", "auto_fails", "reviewed", "average_csat",
         "average_handle_seconds", "average_wait_seconds", "average_customer_sentiment_end"],
    )  # fmt: skip
    return data.rename(
        columns={
            "average_score": "score",
            "scored": "count",
            "auto_fails": "auto-fails",
            "average_csat": "csat",
            "average_handle_seconds": "handle s",
            "average_wait_seconds": "wait s",
            "average_customer_sentiment_end": "customer at end",
        }
    )


def contact_drivers_frame(figures: Any) -> pd.DataFrame:
    """Contacts per week, program (queue) and topic (week, program, topic, count)."""
    data = frame(get(figures, "drivers"), ["week", "program", "topic", "count"])
    data["week"] = pd.to_datetime(data["week"])
    return data.assign(program=data["program"].fillna("(none)"), topic=data["topic"].fillna("(unclassified)"))


def volume_by_hour(figures: Any) -> pd.DataFrame:
    """Contacts by weekday (0 = Monday) and hour of day, UTC (weekday, hour, count)."""
    return frame(get(figures, "volume_by_hour"), ["weekday", "hour", "count"])


def channel_counts(figures: Any) -> pd.DataFrame:
    """Contacts per channel (channel, count)."""
    return frame(get(figures, "channels"), ["channel", "count"])


def coaching_history(effects: Sequence[Any]) -> pd.DataFrame:
    """Each coaching note with the agent's mean score in the 4 weeks before and after it."""
    rows = [
        {
            "note": f"#{get(e, 'note_id')} {get(e, 'created_at'):%Y-%m-%d}",
            "criterion": get(e, "criterion_id"),
            "by": get(e, "author"),
            "text": get(e, "text"),
            "acknowledged": bool(get(e, "acknowledged")),
            "before": get(e, "before"),
            "after": get(e, "after"),
        }
        for e in effects
    ]
    return pd.DataFrame(rows, columns=["note", "criterion", "by", "text", "acknowledged", "before", "after"])


def coaching_effect_frame(history: pd.DataFrame) -> pd.DataFrame:
    """Long format of coaching_history for charts.coaching_effect (note, when, score)."""
    data = history.melt(id_vars=["note"], value_vars=["before", "after"], var_name="when", value_name="score")
    return data.dropna(subset=["score"])
