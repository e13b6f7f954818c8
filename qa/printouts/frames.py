"""Report results turned into tidy DataFrames with human column names, for tables, charts and printouts.

The figures come computed from qa.reports; these only shape and label them (no widgets, no SQL).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from pydantic import BaseModel

from qa.reports.schemas import (
    AgentRow,
    CoachingEffect,
    ContactFigures,
    CriterionRate,
    TopicCount,
    WeekPoint,
)


def clock(seconds: float | None) -> str:
    """`m:ss` (or `h:mm:ss`) for a time into the interaction."""
    if seconds is None:
        return "–"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


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


def _mondays(figures: ContactFigures) -> pd.DatetimeIndex:
    """Every week of the period (its Monday), also those without a contact."""
    known = [w.week for w in figures.weeks]
    first = figures.start or (min(known) if known else None)
    last = figures.end or (max(known) if known else None)
    if first is None or last is None:
        return pd.DatetimeIndex([], name="week")
    return pd.date_range(
        pd.Timestamp(first).to_period("W-SUN").start_time, pd.Timestamp(last), freq="W-MON", name="week"
    )


def weekly_volume(figures: ContactFigures) -> pd.DataFrame:
    """Interactions per week (week, count); a week without contacts is a 0, not a gap."""
    data = frame(figures.weeks, ["week", "interactions"]).rename(columns={"interactions": "count"})
    counts = data.assign(week=pd.to_datetime(data["week"])).set_index("week")["count"]
    every_week = counts.reindex(_mondays(figures).union(counts.index), fill_value=0)
    return every_week.astype(int).rename("count").reset_index()


def weekly_sentiment(figures: ContactFigures) -> pd.DataFrame:
    """Mean customer sentiment at the end of the interaction, per week (week, speaker, sentiment)."""
    data = frame(figures.weeks, ["week", "average_customer_sentiment_end"])
    data = data.rename(columns={"average_customer_sentiment_end": "sentiment"}).dropna(subset=["sentiment"])
    data["week"] = pd.to_datetime(data["week"])
    return data.assign(speaker="customer")


def weekly_figures(figures: ContactFigures) -> pd.DataFrame:
    """The period week by week as a table: volume, score, sentiment, handle and wait time, CSAT, repeats;
    a week without contacts is a row of zeros."""
    rows = {w.week: w for w in figures.weeks}
    table = []
    for monday in _mondays(figures).union(pd.to_datetime(list(rows))):
        week = rows.get(monday.date())
        table.append(
            {
                "Week of": monday.date(),
                "Interactions": week.interactions if week else 0,
                "Mean score": week.average_score if week else None,
                "Customer sentiment at end (-1 to 1)": week.average_customer_sentiment_end if week else None,
                "Handle time (m:ss)": clock(week.average_handle_seconds if week else None),
                "Wait time (m:ss)": clock(week.average_wait_seconds if week else None),
                "CSAT (1-5)": week.average_csat if week else None,
                "Repeat contacts": week.repeat_contacts if week else 0,
            }
        )
    return pd.DataFrame(table, columns=WEEK_COLUMNS)


WEEK_COLUMNS = [
    "Week of",
    "Interactions",
    "Mean score",
    "Customer sentiment at end (-1 to 1)",
    "Handle time (m:ss)",
    "Wait time (m:ss)",
    "CSAT (1-5)",
    "Repeat contacts",
]


def score_bands(figures: ContactFigures) -> pd.DataFrame:
    """How many scored interactions fall in each band of 10 points (band, count)."""
    return frame(figures.score_bands, ["band", "count"])


def agent_scores(agents: Sequence[AgentRow]) -> pd.DataFrame:
    """Per-agent rows of the team dashboard and period report as a table with human column names."""
    return pd.DataFrame(
        [
            {
                "Agent": a.agent,
                "Team": a.team,
                "Interactions": a.interactions,
                "Scored": a.scored,
                "Mean score": a.average_score,
                "Auto-fails": a.auto_fails,
                "Reviewed": a.reviewed,
                "CSAT (1-5)": a.average_csat,
                "Handle time (m:ss)": clock(a.average_handle_seconds),
                "Wait time (m:ss)": clock(a.average_wait_seconds),
                "Customer sentiment at end (-1 to 1)": a.average_customer_sentiment_end,
            }
            for a in agents
        ],
        columns=AGENT_COLUMNS,
    )


AGENT_COLUMNS = [
    "Agent",
    "Team",
    "Interactions",
    "Scored",
    "Mean score",
    "Auto-fails",
    "Reviewed",
    "CSAT (1-5)",
    "Handle time (m:ss)",
    "Wait time (m:ss)",
    "Customer sentiment at end (-1 to 1)",
]


def topic_table(topics: Sequence[TopicCount]) -> pd.DataFrame:
    """Contact drivers of a period: topic, interactions, mean score."""
    data = frame(topics, ["topic", "interactions", "average_score"])
    return data.rename(
        columns={"topic": "Topic", "interactions": "Interactions", "average_score": "Mean score"}
    )


def pass_rate_table(rates: pd.DataFrame) -> pd.DataFrame:
    """pass_rate_frame as a table: one row per criterion, agent and team pass rate in %."""
    if rates.empty:
        return pd.DataFrame(columns=["Criterion", "Question", "Agent pass rate (%)", "Team pass rate (%)"])
    wide = rates.pivot_table(index=["criterion", "question"], columns="who", values="pass_rate", sort=False)
    wide = wide.reindex(columns=["agent", "team"]) * 100
    return (
        wide.round(1)
        .reset_index()
        .rename(
            columns={
                "criterion": "Criterion",
                "question": "Question",
                "agent": "Agent pass rate (%)",
                "team": "Team pass rate (%)",
            }
        )
        .rename_axis(columns=None)
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


def coaching_history(effects: Sequence[CoachingEffect]) -> pd.DataFrame:
    """Each coaching note with the agent's mean score in the 4 weeks before and after it."""
    rows = [
        {
            "note": f"#{e.note_id} {e.created_at:%Y-%m-%d}",
            "criterion": e.criterion_id,
            "by": e.author,
            "text": e.text,
            "acknowledged": e.acknowledged,
            "before": e.before,
            "after": e.after,
        }
        for e in effects
    ]
    return pd.DataFrame(rows, columns=["note", "criterion", "by", "text", "acknowledged", "before", "after"])


def coaching_effect_frame(history: pd.DataFrame) -> pd.DataFrame:
    """Long format of coaching_history for charts.coaching_effect (note, when, score)."""
    data = history.melt(id_vars=["note"], value_vars=["before", "after"], var_name="when", value_name="score")
    return data.dropna(subset=["score"])


def coaching_table(history: pd.DataFrame) -> pd.DataFrame:
    """coaching_history as a table with human column names."""
    return history.assign(acknowledged=history["acknowledged"].map({True: "yes", False: "no"})).rename(
        columns={
            "note": "Note",
            "criterion": "Criterion",
            "by": "By",
            "text": "Text",
            "acknowledged": "Acknowledged",
            "before": "Mean score 4 weeks before",
            "after": "Mean score 4 weeks after",
        }
    )
