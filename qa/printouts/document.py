"""What a printout holds, once: the performance review and the period report as sections of figures,
charts and tables. The HTML page and the PDF are both drawn from these, so a figure added here is in both."""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from qa.printouts import charts, frames
from qa.reports.schemas import ContactFigures, ContactTotals, PerformanceReview, PeriodReport


@dataclass(frozen=True)
class Figure:
    """A headline number: its label, the value as shown, and what it means."""

    label: str
    value: str
    help: str = ""


@dataclass(frozen=True)
class Figures:
    items: list[Figure]


AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart | alt.ConcatChart | alt.HConcatChart | alt.VConcatChart


@dataclass(frozen=True)
class Chart:
    chart: AnyChart


@dataclass(frozen=True)
class Table:
    """A titled table: `name` also names its CSV file and spreadsheet sheet."""

    name: str
    data: pd.DataFrame


@dataclass(frozen=True)
class Text:
    text: str


Block = Figures | Chart | Table | Text


@dataclass(frozen=True)
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    file_stem: str  # e.g. "review-maria.g-2026-03-01-2026-03-31"; made safe by whoever writes the file
    sections: list[Section]

    def tables(self) -> list[Table]:
        """Every table of the document, in order (the exports hold these)."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]


def _number(value: float | None, pattern: str) -> str:
    return "–" if value is None else pattern.format(value)


def headline(totals: ContactTotals) -> list[Figure]:
    """The period's headline figures: volume and quality, then the customer's experience."""
    return [
        Figure("Interactions", str(totals.interactions)),
        Figure("Mean score", _number(totals.average_score, "{:.1f}")),
        Figure("Auto-fails", str(totals.auto_fails)),
        Figure("Reviewed", str(totals.reviewed)),
        Figure("CSAT", _number(totals.average_csat, "{:.2f} / 5")),
        Figure("Handle time", frames.clock(totals.average_handle_seconds)),
        # Calls only: chat and e-mail response times have their own measures (service levels).
        Figure("Speed of answer (calls)", frames.clock(totals.speed_of_answer_seconds)),
        Figure(
            "First-contact resolution",
            _number(totals.first_contact_resolution, "{:.0%}"),
            f"Share of contacts not repeated: a repeat is when {totals.repeat_rule} "
            f"({totals.repeat_contacts} repeats of {totals.customers} with a known customer).",
        ),
    ]


def service_levels(contacts: ContactFigures) -> Section:
    """Each channel's own figures, and its own service measure against the team's target."""
    whose = f"team {contacts.targets_team}" if contacts.targets_team else "the general"
    return Section(
        "By channel and service levels against target",
        [
            Table("By channel", frames.channel_table(contacts)),
            Text(
                f"Targets: {whose} targets. "
                "E-mail and web form times count business days (Monday to Friday)."
            ),
            Table("Service levels", frames.service_levels_frame(contacts)),
        ],
    )


def coaching_section(review: PerformanceReview) -> Section:
    """The notes of the period, each with the agent's results just before and after it."""
    if not review.coaching:
        return Section("Coaching history", [Text("No coaching notes in the period.")])
    blocks: list[Block] = [
        Text(
            f"{frames.plural(review.coaching_notes, 'note')} in the period, "
            f"{review.coaching_acknowledged} acknowledged; results in the {review.coaching[0].window} "
            "interactions before and after each note (on its criterion, else the whole score)."
        )
    ]
    effect = frames.coaching_effect_frame(review.coaching)
    if not effect.empty:
        blocks.append(Chart(charts.coaching_effect(effect)))
    blocks.append(Table("Coaching history", frames.coaching_history(review.coaching)))
    return Section("Coaching history", blocks)


def performance_review(review: PerformanceReview, contacts: ContactFigures) -> Document:
    """One agent's review: headline figures, service levels, weekly score, sentiment and volume, criteria,
    coaching."""
    rates = frames.pass_rate_frame(review.criteria)
    weekly = frames.weekly_figures(contacts)
    return Document(
        title=f"Performance review: {review.agent}",
        subtitle=f"team {review.team or '–'} · {review.start:%d %b %Y} – {review.end:%d %b %Y}",
        file_stem=f"review-{review.agent}-{review.start}-{review.end}",
        sections=[
            Section("Period", [Figures(headline(contacts.totals))]),
            service_levels(contacts),
            Section("Quality score by week", [Chart(charts.score_trend(frames.trend_frame(review.trend)))]),
            Section(
                "Customer sentiment by week",
                [Chart(charts.sentiment_trend(frames.weekly_sentiment(contacts)))],
            ),
            Section("Volume by week", [Chart(charts.volume_by_week(frames.weekly_volume(contacts)))]),
            Section("Week by week", [Table("Week by week", weekly)]),
            Section(
                "Criterion breakdown",
                [
                    Chart(charts.pass_rates(rates)),
                    Table("Criterion breakdown", frames.pass_rate_table(rates)),
                ],
            ),
            coaching_section(review),
        ],
    )


def period_report(report: PeriodReport, contacts: ContactFigures) -> Document:
    """The period report: headline figures, per-agent rows, contact drivers, week by week."""
    agents = frames.agent_scores(report.agents)
    return Document(
        title="Contact center quality report",
        subtitle=f"{report.start:%d %b %Y} – {report.end:%d %b %Y}",
        file_stem=f"callcoach-{report.start}-{report.end}",
        sections=[
            Section("Period", [Figures(headline(contacts.totals))]),
            service_levels(contacts),
            Section(
                "Agents",
                [
                    Chart(charts.agents_side_by_side(agents.dropna(subset=["Mean score"]))),
                    Table("Agents", agents),
                ],
            ),
            Section(
                "Contact drivers",
                [
                    Chart(charts.contact_drivers(frames.contact_drivers_frame(contacts))),
                    Table("Contact drivers", frames.topic_table(report.topics)),
                ],
            ),
            Section("Volume by week", [Chart(charts.volume_by_week(frames.weekly_volume(contacts)))]),
            Section("Week by week", [Table("Week by week", frames.weekly_figures(contacts))]),
            Section(
                "Contacts by program per month",
                [
                    Table("Contacts by program and channel", frames.volume_table(contacts, "channel")),
                    Table("Inquiry types by program", frames.volume_table(contacts, "topic")),
                ],
            ),
        ],
    )
