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
    CoachingTopic,
    ContactFigures,
    CriterionRate,
    RepeatContact,
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
    """The period week by week as a table: volume, score, sentiment, handle time, CSAT, repeats; a week
    without contacts is a row of zeros. (Waits are per channel: see the service levels.)"""
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


def channel_table(figures: ContactFigures) -> pd.DataFrame:
    """Per channel: contacts, mean score, CSAT and handle time, each averaged within its channel."""
    return pd.DataFrame(
        [
            {
                "Channel": c.channel,
                "Contacts": c.count,
                "Scored": c.scored,
                "Mean score": c.average_score,
                "CSAT (1-5)": c.average_csat,
                "Handle time (m:ss)": clock(c.average_handle_seconds),
            }
            for c in figures.channels
        ],
        columns=["Channel", "Contacts", "Scored", "Mean score", "CSAT (1-5)", "Handle time (m:ss)"],
    )


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
            "Note": f"#{e.note_id} {e.created_at:%Y-%m-%d}",
            "Criterion": e.criterion_id or "(whole score)",
            "By": e.author,
            "Text": e.text,
            "Acknowledged": "yes" if e.acknowledged else "no",
            "Before the note": _around(e.before_count, e.before_passed, e.before_pass_rate, e.before_score),
            "After the note": _around(e.after_count, e.after_passed, e.after_pass_rate, e.after_score),
        }
        for e in effects
    ]
    return pd.DataFrame(rows, columns=COACHING_COLUMNS)


COACHING_COLUMNS = ["Note", "Criterion", "By", "Text", "Acknowledged", "Before the note", "After the note"]


def coaching_effect_frame(effects: Sequence[CoachingEffect]) -> pd.DataFrame:
    """Pass rate (%) on the coached criterion before and after each note with one (note, when, pass_rate,
    count) for charts.coaching_effect; a side without interactions is left out."""
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
                "Channel": level.channel,
                "Measure": level.measure,
                "Target": level.target,
                "Contacts": level.contacts,
                "In target": level.within_target,
                "Share": share,
                "Aim": aim,
                "Met": {True: "yes", False: "no", None: "no data"}[level.met],
                "Average": long_time(level.average_seconds) if level.measure != "abandoned" else "",
            }
        )
    columns = ["Channel", "Measure", "Target", "Contacts", "In target", "Share", "Aim", "Met", "Average"]
    return pd.DataFrame(rows, columns=columns)


def volume_table(figures: ContactFigures, by: str) -> pd.DataFrame:
    """Contacts per month (columns) by program and `by` ("channel" or "topic", the inquiry type)."""
    label = {"channel": "Channel", "topic": "Inquiry type"}[by]
    data = frame(figures.volume, ["month", "program", by, "count"])
    if data.empty:
        return pd.DataFrame(columns=["Program", label])
    data["month"] = pd.to_datetime(data["month"]).dt.strftime("%Y-%m")
    data = data.assign(program=data["program"].fillna("(none)"), **{by: data[by].fillna("(unclassified)")})
    table = data.pivot_table(
        index=["program", by], columns="month", values="count", aggfunc="sum", fill_value=0
    )
    return table.reset_index().rename_axis(columns=None).rename(columns={"program": "Program", by: label})


def repeat_contacts_frame(repeats: Sequence[RepeatContact]) -> pd.DataFrame:
    """The repeated contacts and the contact that followed each (ids to open them)."""
    rows = [
        {
            "id": r.interaction_id,
            "When": r.started_at,
            "Agent": r.agent,
            "Channel": r.channel,
            "Program": r.program,
            "Again after (days)": r.days_between,
            "next id": r.next_interaction_id,
            "Next channel": r.next_channel,
            "Next agent": r.next_agent or ("(another team)" if r.next_interaction_id is None else ""),
        }
        for r in repeats
    ]
    columns = ["id", "When", "Agent", "Channel", "Program", "Again after (days)", "next id", "Next channel",
               "Next agent"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def coaching_topics_frame(topics: Sequence[CoachingTopic]) -> pd.DataFrame:
    """Per coached criterion: notes, agents and the pass rate before and after, with counts."""
    rows = [
        {
            "Criterion": t.criterion_id,
            "Notes": t.notes,
            "Agents": t.agents,
            "Before the notes": _around(t.before_count, t.before_passed, t.before_pass_rate, None),
            "After the notes": _around(t.after_count, t.after_passed, t.after_pass_rate, None),
            "Change (points)": t.change,
        }
        for t in topics
    ]
    columns = ["Criterion", "Notes", "Agents", "Before the notes", "After the notes", "Change (points)"]
    return pd.DataFrame(rows, columns=columns)
