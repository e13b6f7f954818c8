"""Altair charts of the coaching view; each takes a tidy DataFrame and returns a chart."""

from __future__ import annotations

import altair as alt
import pandas as pd

SPEAKER_COLORS = alt.Scale(domain=["agent", "customer"], range=["#1f77b4", "#d62728"])
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
WEEK_AXIS = alt.Axis(format="%d %b", tickCount="week", labelAngle=0)
COUNT_AXIS = alt.Axis(format="d", tickMinStep=1)  # counts are whole: no tick at 0.5
SIGN_COLORS = alt.Scale(domain=["negative", "positive"], range=["#d62728", "#2ca02c"])


def score_trend(weeks: pd.DataFrame, team: pd.DataFrame | None = None) -> alt.Chart:
    """Quality score by week (columns week, score, count); optional team line with the same columns."""
    data = weeks.assign(series="agent")
    if team is not None and not team.empty:
        data = pd.concat([data, team.assign(series="team")], ignore_index=True)
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="Week", axis=WEEK_AXIS),
            y=alt.Y("score:Q", title="Quality score", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("series:N", title=None),
            tooltip=["week:T", alt.Tooltip("score:Q", format=".1f"), "count:Q", "series:N"],
        )
        .properties(height=260)
    )


def pass_rates(rates: pd.DataFrame) -> alt.Chart:
    """Pass rate per criterion, agent against team (columns criterion, who, pass_rate 0-1)."""
    return (
        alt.Chart(rates)
        .mark_bar()
        .encode(
            y=alt.Y("criterion:N", title=None, sort=None, axis=alt.Axis(labelLimit=170)),
            yOffset="who:N",
            x=alt.X(
                "pass_rate:Q", title="Pass rate", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            color=alt.Color("who:N", title=None),
            tooltip=["question:N", "who:N", alt.Tooltip("pass_rate:Q", format=".0%")],
        )
        .properties(height=max(160, 40 * rates["criterion"].nunique() + 60))
    )


def sentiment_over_call(turns: pd.DataFrame, moment: float | None = None) -> alt.LayerChart:
    """Agent and customer sentiment turn by turn (columns start, speaker, sentiment); a rule at `moment`."""
    lines = (
        alt.Chart(turns)
        .mark_line(point=True, interpolate="monotone")
        .encode(
            x=alt.X("start:Q", title="Seconds into the interaction"),
            y=alt.Y("sentiment:Q", title="Sentiment", scale=alt.Scale(domain=[-1, 1])),
            color=alt.Color("speaker:N", scale=SPEAKER_COLORS, title=None),
            tooltip=["speaker:N", "start:Q", alt.Tooltip("sentiment:Q", format=".2f"), "text:N"],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#999", strokeDash=[4, 4]).encode(y="y:Q")
    layers: list[alt.Chart] = [zero, lines]
    if moment is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"x": [moment]})).mark_rule(color="#ff7f0e", size=2).encode(x="x:Q")
        )
    return alt.LayerChart(layer=layers, height=220)


def sentiment_trend(weeks: pd.DataFrame) -> alt.Chart:
    """Mean customer sentiment by week (columns week, sentiment): green above zero, red below."""
    data = weeks.assign(sign=weeks["sentiment"].map(lambda v: "positive" if v >= 0 else "negative"))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(week):O", title="Week", axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y("sentiment:Q", title="Customer sentiment at end", scale=alt.Scale(domain=[-1, 1])),
            color=alt.Color("sign:N", scale=SIGN_COLORS, legend=None),
            tooltip=[alt.Tooltip("week:T", format="%d %b %Y"), alt.Tooltip("sentiment:Q", format=".2f")],
        )
        .properties(height=220)
    )


def volume_by_week(weeks: pd.DataFrame) -> alt.Chart:
    """Interactions per week (columns week, count; weeks without contacts as 0)."""
    return (
        alt.Chart(weeks)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(week):O", title="Week", axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=alt.Y("count:Q", title="Interactions", axis=COUNT_AXIS),
            tooltip=[alt.Tooltip("week:T", format="%d %b %Y"), "count:Q"],
        )
        .properties(height=200)
    )


def score_distribution(scores: pd.DataFrame) -> alt.Chart:
    """How many evaluations fall in each score band (columns band, count)."""
    return (
        alt.Chart(scores)
        .mark_bar()
        .encode(
            x=alt.X("band:O", title="Quality score", sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title="Evaluations", axis=COUNT_AXIS),
            tooltip=["band:O", "count:Q"],
        )
        .properties(height=220)
    )


def agents_side_by_side(agents: pd.DataFrame) -> alt.Chart:
    """Mean score per agent, best first (frames.agent_scores: Agent, Mean score, Scored)."""
    return (
        alt.Chart(agents)
        .mark_bar()
        .encode(
            y=alt.Y("Agent:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("Mean score:Q", title="Mean quality score", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "Mean score:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[40, 100]), legend=None
            ),
            tooltip=["Agent:N", alt.Tooltip("Mean score:Q", format=".1f"), "Scored:Q"],
        )
        .properties(height=max(160, 26 * len(agents) + 60))  # Streamlit fits axes inside the height
    )


def contact_drivers(drivers: pd.DataFrame) -> alt.Chart:
    """What customers contacted about over the period: one bar per topic, longest first, split by program
    (columns program, topic, count; weekly rows are added up)."""
    totals = drivers.groupby(["program", "topic"], as_index=False)["count"].sum()
    return (
        alt.Chart(totals)
        .mark_bar()
        .encode(
            y=alt.Y("topic:N", sort="-x", title=None, axis=alt.Axis(labelLimit=220)),
            x=alt.X("sum(count):Q", title="Contacts", axis=COUNT_AXIS),
            color=alt.Color("program:N", title="Program"),
            tooltip=["topic:N", "program:N", alt.Tooltip("count:Q", title="contacts")],
        )
        .properties(height=max(160, 24 * totals["topic"].nunique() + 60))
    )


def volume_heatmap(volume: pd.DataFrame) -> alt.Chart:
    """Contacts by hour of day and weekday (columns weekday 0=Mon, hour, count)."""
    data = volume.assign(day=volume["weekday"].map(lambda d: WEEKDAYS[int(d)]))
    return (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="Hour"),
            y=alt.Y("day:N", sort=WEEKDAYS, title=None),
            color=alt.Color("count:Q", title="Contacts", scale=alt.Scale(scheme="blues")),
            tooltip=["day:N", "hour:O", "count:Q"],
        )
        .properties(height=200)
    )


def channel_mix(channels: pd.DataFrame) -> alt.Chart:
    """Share of contacts per channel (columns channel, count)."""
    return (
        alt.Chart(channels)
        .mark_arc(innerRadius=50)
        .encode(
            theta=alt.Theta("count:Q"),
            color=alt.Color("channel:N", title="Channel"),
            tooltip=["channel:N", "count:Q"],
        )
        .properties(height=220)
    )


def coaching_effect(sessions: pd.DataFrame) -> alt.Chart:
    """Pass rate on the coached criterion before and after each note (note, when, pass_rate, count)."""
    return (
        alt.Chart(sessions)
        .mark_line(point=True)
        .encode(
            x=alt.X("when:N", sort=["before", "after"], title=None),
            y=alt.Y("pass_rate:Q", title="Pass rate on the criterion (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("note:N", title="Coaching note"),
            tooltip=["note:N", "when:N", alt.Tooltip("pass_rate:Q", format=".0f"), "count:Q"],
        )
        .properties(height=220)
    )
