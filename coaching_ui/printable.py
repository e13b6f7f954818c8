"""Self-contained, print-friendly HTML reports (no scripts, no network: they open and print offline)."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from qa.reports.schemas import AgentRow, ContactTotals, PerformanceReview, PeriodReport

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
h1{margin-bottom:0}.sub{color:#666;margin-top:0.2em}
table{border-collapse:collapse;width:100%;margin:0.5em 0 1.5em;font-size:0.9em}
th,td{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}th{background:#f3f3f3}
.bar{display:inline-block;height:0.7em;background:#1f77b4;vertical-align:middle;margin-right:4px}
.figures{display:flex;gap:2em;margin:1em 0}.figures div{font-size:0.85em;color:#666}
.figures b{display:block;font-size:1.6em;color:#222}
@media print{body{margin:0}h2{page-break-after:avoid}table{page-break-inside:auto}tr{page-break-inside:avoid}}
"""


def _page(title: str, subtitle: str, body: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<p class='sub'>{html.escape(subtitle)} · generated {stamp} by Callcoach</p>{body}</body></html>"
    )


def _cell(value: Any) -> str:
    missing = value is None or (not isinstance(value, str) and pd.isna(value))
    return "–" if missing else html.escape(str(value))


def _table(data: pd.DataFrame, bar_column: str | None = None) -> str:
    """An HTML table; every cell is escaped (agent names, topics and notes are user text)."""
    if data.empty:
        return "<p>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in data.columns)
    rows = []
    for record in data.itertuples(index=False):
        cells = []
        for column, value in zip(data.columns, record, strict=True):
            if column == bar_column and _cell(value) != "–":
                number = float(value)
                cells.append(f"<td><span class='bar' style='width:{number:.0f}px'></span>{number:.1f}</td>")
            else:
                cells.append(f"<td>{_cell(value)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figures(pairs: list[tuple[str, Any]]) -> str:
    cells = "".join(f"<div><b>{html.escape(str(v))}</b>{html.escape(k)}</div>" for k, v in pairs)
    return f"<div class='figures'>{cells}</div>"


def _agents(agents: list[AgentRow]) -> pd.DataFrame:
    data = pd.DataFrame([a.model_dump() for a in agents])
    return data.rename(columns=lambda c: c.replace("_", " ")) if not data.empty else data


def period_report_html(report: PeriodReport) -> str:
    """The period report (per-agent rows and contact drivers) as a printable page."""
    agents = _agents(report.agents)
    topics = pd.DataFrame([t.model_dump() for t in report.topics])
    total = int(agents["interactions"].sum()) if not agents.empty else 0
    body = (
        _figures([("interactions", total), ("agents", len(agents))])
        + "<h2>Agents</h2>"
        + _table(agents, "average score")
        + "<h2>Contact drivers</h2>"
        + _table(topics, "average_score")
    )
    return _page("Contact center quality report", f"{report.start} – {report.end}", body)


def performance_review_html(review: PerformanceReview, totals: ContactTotals, history: pd.DataFrame) -> str:
    """One agent's performance review (with the period's ContactTotals) as a printable page."""
    score, csat, resolution = totals.average_score, totals.average_csat, totals.first_contact_resolution
    figures = _figures(
        [
            ("interactions", totals.interactions),
            ("mean score", "–" if score is None else f"{score:.1f}"),
            ("auto-fails", totals.auto_fails),
            ("CSAT", "–" if csat is None else f"{csat:.2f}"),
            ("first-contact resolution", "–" if resolution is None else f"{resolution:.0%}"),
            ("coaching notes", review.coaching_notes),
        ]
    )
    trend = pd.DataFrame([p.model_dump() for p in review.trend])
    criteria = pd.DataFrame(
        [
            {
                "criterion": c.question or c.criterion_id,
                "agent pass rate": None if c.agent_pass_rate is None else round(100 * c.agent_pass_rate, 1),
                "team pass rate": None if c.team_pass_rate is None else round(100 * c.team_pass_rate, 1),
            }
            for c in review.criteria
        ]
    )
    body = (
        figures
        + "<h2>Quality score by week</h2>"
        + _table(trend, "score")
        + "<h2>Criterion breakdown (% pass)</h2>"
        + _table(criteria, "agent pass rate")
        + "<h2>Coaching history</h2>"
        + _table(history)
    )
    title = f"Performance review: {review.agent}"
    return _page(title, f"team {review.team or '–'} · {review.start} – {review.end}", body)
