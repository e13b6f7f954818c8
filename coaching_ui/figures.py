"""Service results turned into tidy DataFrames and labels for the tables and charts (no widgets here)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from pydantic import BaseModel

from qa.audit.schemas import AuditEntryRead
from qa.coaching.schemas import CoachingNoteRead
from qa.interactions.schemas import InteractionDetail
from qa.reports.schemas import (
    AgentRow,
    CoachingEffect,
    CoachingTopic,
    ContactFigures,
    CriterionRate,
    RepeatContact,
    WeekPoint,
)

RESULT_ICONS = {
    "pass": ":green[:material/check_circle:]",
    "fail": ":red[:material/cancel:]",
    "na": ":gray[:material/remove_circle_outline:]",
    "pending": ":orange[:material/hourglass_empty:]",
}


# Characters that start markup in Streamlit's markdown (images, links, emphasis, HTML, LaTeX, icons); list
# markers (- + 1.) are left alone: they change layout only.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#!|<>~$:])")


def md_literal(value: object) -> str:
    """User text shown as is by Streamlit's markdown: no image (tracking pixel), link, emphasis or LaTeX."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(value)).replace("\n", "  \n")


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


def frame(rows: Iterable[BaseModel], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of the named fields of each service result (a field it lacks is an AttributeError)."""
    return pd.DataFrame([{c: getattr(r, c) for c in columns} for r in rows], columns=list(columns))


def trend_frame(points: Sequence[WeekPoint]) -> pd.DataFrame:
    """Weekly points (week, score, count) as a DataFrame for charts.score_trend."""
    data = frame(points, ["week", "score", "count"])
    data["week"] = pd.to_datetime(data["week"])
    return data


def pass_rate_frame(rates: Sequence[CriterionRate]) -> pd.DataFrame:
    """Per-criterion agent and team pass rates, long format (criterion, question, who, pass_rate).

    The short criterion name labels the axis (whole questions get cut off there); the question is the tooltip.
    """
    rows: list[dict[str, Any]] = []
    for rate in rates:
        label = rate.criterion_id.replace("_", " ")
        question = rate.question or rate.criterion_id
        for who, value in (("agent", rate.agent_pass_rate), ("team", rate.team_pass_rate)):
            if value is not None:
                rows.append({"criterion": label, "question": question, "who": who, "pass_rate": float(value)})
    return pd.DataFrame(rows, columns=["criterion", "question", "who", "pass_rate"])


def sentiment_frame(detail: InteractionDetail) -> pd.DataFrame:
    """Turn sentiment of agent and customer over the interaction, for the chart."""
    rows = [
        {
            "start": t.start if t.start is not None else float(t.index),
            "speaker": t.speaker,
            "sentiment": t.sentiment,
            "text": t.text[:80],
        }
        for t in detail.turns
        if t.sentiment is not None and t.speaker in ("agent", "customer")
    ]
    return pd.DataFrame(rows, columns=["start", "speaker", "sentiment", "text"])


def notes_frame(notes: Sequence[CoachingNoteRead]) -> pd.DataFrame:
    """Coaching notes as a table."""
    rows = [
        {
            "when": n.created_at,
            "interaction": n.interaction_id,
            "criterion": n.criterion_id,
            "at": clock(n.at_seconds) if n.at_seconds is not None else "",
            "by": n.author,
            "note": n.text,
            "acknowledged": n.acknowledged_at,
        }
        for n in notes
    ]
    return pd.DataFrame(
        rows, columns=["when", "interaction", "criterion", "at", "by", "note", "acknowledged"]
    )


def _change(values: dict[str, Any] | None) -> str:
    if not values:
        return ""
    return ", ".join(f"{key}: {value}" for key, value in sorted(values.items()))


def audit_frame(entries: Sequence[AuditEntryRead]) -> pd.DataFrame:
    """Audit entries as a table (when, who, action, entity, entity id, interaction, before, after)."""
    rows = [
        {
            "when": e.created_at,
            "who": e.username,
            "action": e.action,
            "entity": e.entity,
            "entity id": e.entity_id,
            "interaction": e.interaction_id,
            "before": _change(e.before),
            "after": _change(e.after),
        }
        for e in entries
    ]
    columns = ["when", "who", "action", "entity", "entity id", "interaction", "before", "after"]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------- manager: period figures
# The figures come computed from qa.reports.contact_figures / coaching_history; these only shape them.


def weekly_volume(figures: ContactFigures) -> pd.DataFrame:
    """Interactions per week (week, count)."""
    data = frame(figures.weeks, ["week", "interactions"]).rename(columns={"interactions": "count"})
    data["week"] = pd.to_datetime(data["week"])
    return data


def weekly_sentiment(figures: ContactFigures) -> pd.DataFrame:
    """Mean customer sentiment at the end of the interaction, per week (week, speaker, sentiment)."""
    data = frame(figures.weeks, ["week", "average_customer_sentiment_end"])
    data = data.rename(columns={"average_customer_sentiment_end": "sentiment"}).dropna(subset=["sentiment"])
    data["week"] = pd.to_datetime(data["week"])
    return data.assign(speaker="customer")


def weekly_figures(figures: ContactFigures) -> pd.DataFrame:
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
    return frame(figures.weeks, list(columns)).rename(columns=columns)


def score_bands(figures: ContactFigures) -> pd.DataFrame:
    """How many scored interactions fall in each band of 10 points (band, count)."""
    return frame(figures.score_bands, ["band", "count"])


def agent_scores(agents: Sequence[AgentRow]) -> pd.DataFrame:
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


def contact_drivers_frame(figures: ContactFigures) -> pd.DataFrame:
    """Contacts per week, program (queue) and topic (week, program, topic, count)."""
    data = frame(figures.drivers, ["week", "program", "topic", "count"])
    data["week"] = pd.to_datetime(data["week"])
    return data.assign(program=data["program"].fillna("(none)"), topic=data["topic"].fillna("(unclassified)"))


def volume_by_hour(figures: ContactFigures) -> pd.DataFrame:
    """Contacts by weekday (0 = Monday) and hour of day, UTC (weekday, hour, count)."""
    return frame(figures.volume_by_hour, ["weekday", "hour", "count"])


def channel_counts(figures: ContactFigures) -> pd.DataFrame:
    """Contacts per channel (channel, count)."""
    return frame(figures.channels, ["channel", "count"])


def _around(count: int, passed: int | None, rate: float | None, score: float | None) -> str:
    """How the interactions on one side of a note read: passes of the criterion, else the mean score."""
    if count == 0:
        return "no interactions yet"
    if passed is not None and rate is not None:
        return f"{passed} of {count} passed ({rate:.0%})"
    return f"mean score {score:.1f} over {plural(count, 'interaction')}"


def coaching_history(effects: Sequence[CoachingEffect]) -> pd.DataFrame:
    """Each coaching note with the agent's results in the interactions just before and just after it."""
    rows = [
        {
            "note": f"#{e.note_id} {e.created_at:%Y-%m-%d}",
            "criterion": e.criterion_id or "(whole score)",
            "by": e.author,
            "text": e.text,
            "acknowledged": e.acknowledged,
            "before": _around(e.before_count, e.before_passed, e.before_pass_rate, e.before_score),
            "after": _around(e.after_count, e.after_passed, e.after_pass_rate, e.after_score),
        }
        for e in effects
    ]
    return pd.DataFrame(rows, columns=["note", "criterion", "by", "text", "acknowledged", "before", "after"])


def coaching_effect_frame(effects: Sequence[CoachingEffect]) -> pd.DataFrame:
    """Pass rate (%) on the coached criterion before and after each note with one (note, when, pass_rate,
    count); a side without interactions is left out."""
    rows = [
        {"note": f"#{e.note_id} {e.criterion_id}", "when": when, "pass_rate": 100 * rate, "count": count}
        for e in effects
        if e.criterion_id is not None
        for when, rate, count in (
            ("before", e.before_pass_rate, e.before_count),
            ("after", e.after_pass_rate, e.after_count),
        )
        if rate is not None
    ]
    return pd.DataFrame(rows, columns=["note", "when", "pass_rate", "count"])


def long_time(seconds: float | None) -> str:
    """`m:ss` below an hour, `h:mm:ss` below a day, else days with one decimal (e-mail reply times)."""
    if seconds is not None and seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    return clock(seconds)


def service_levels_frame(figures: ContactFigures) -> pd.DataFrame:
    """Per channel and measure: the target, contacts measured, how many met it, the share against the aim."""
    rows = []
    for level in figures.service_levels:
        share = "–" if level.share is None else f"{level.share:.0%}"
        aim = f"{'at most' if level.measure == 'abandoned' else 'at least'} {level.target_share:.0%}"
        rows.append(
            {
                "channel": level.channel,
                "measure": level.measure,
                "target": level.target,
                "contacts": level.contacts,
                "in target": level.within_target,
                "share": share,
                "aim": aim,
                "met": {True: "yes", False: "no", None: "no data"}[level.met],
                "average": long_time(level.average_seconds) if level.measure != "abandoned" else "",
            }
        )
    columns = ["channel", "measure", "target", "contacts", "in target", "share", "aim", "met", "average"]
    return pd.DataFrame(rows, columns=columns)


def volume_table(figures: ContactFigures, by: str) -> pd.DataFrame:
    """Contacts per month (columns) by program and `by` ("channel" or "topic", the inquiry type)."""
    data = frame(figures.volume, ["month", "program", by, "count"])
    if data.empty:
        return pd.DataFrame(columns=["program", by])
    data["month"] = pd.to_datetime(data["month"]).dt.strftime("%Y-%m")
    data = data.assign(program=data["program"].fillna("(none)"), **{by: data[by].fillna("(unclassified)")})
    table = data.pivot_table(
        index=["program", by], columns="month", values="count", aggfunc="sum", fill_value=0
    )
    return table.reset_index().rename_axis(columns=None)


def repeat_contacts_frame(repeats: Sequence[RepeatContact]) -> pd.DataFrame:
    """The repeated contacts and the contact that followed each (ids to open them)."""
    rows = [
        {
            "id": r.interaction_id,
            "when": r.started_at,
            "agent": r.agent,
            "channel": r.channel,
            "program": r.program,
            "again after (days)": r.days_between,
            "next id": r.next_interaction_id,
            "next channel": r.next_channel,
            "next agent": r.next_agent or ("(another team)" if r.next_interaction_id is None else ""),
        }
        for r in repeats
    ]
    columns = ["id", "when", "agent", "channel", "program", "again after (days)", "next id", "next channel",
               "next agent"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def coaching_topics_frame(topics: Sequence[CoachingTopic]) -> pd.DataFrame:
    """Per coached criterion: notes, agents and the pass rate before and after, with counts."""
    rows = [
        {
            "criterion": t.criterion_id,
            "notes": t.notes,
            "agents": t.agents,
            "before": _around(t.before_count, t.before_passed, t.before_pass_rate, None),
            "after": _around(t.after_count, t.after_passed, t.after_pass_rate, None),
            "change (points)": t.change,
        }
        for t in topics
    ]
    return pd.DataFrame(rows, columns=["criterion", "notes", "agents", "before", "after", "change (points)"])
