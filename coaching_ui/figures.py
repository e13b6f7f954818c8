"""Service results turned into tidy DataFrames and labels for the tables and charts (no widgets here)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from qa.audit.schemas import AuditEntryRead
from qa.coaching.schemas import CoachingNoteRead
from qa.interactions.schemas import InteractionDetail

# The report frames live with the printouts (the PDF draws the same tables and charts); pages use them here.
from qa.printouts.frames import (
    agent_scores,
    channel_counts,
    clock,
    coaching_effect_frame,
    coaching_history,
    coaching_topics_frame,
    contact_drivers_frame,
    frame,
    pass_rate_frame,
    plural,
    repeat_contacts_frame,
    score_bands,
    service_levels_frame,
    trend_frame,
    volume_by_hour,
    volume_table,
    weekly_figures,
    weekly_sentiment,
    weekly_volume,
)

__all__ = [
    "RESULT_ICONS",
    "agent_scores",
    "audit_frame",
    "changes",
    "channel_counts",
    "clock",
    "coaching_effect_frame",
    "coaching_history",
    "coaching_topics_frame",
    "contact_drivers_frame",
    "frame",
    "md_literal",
    "notes_frame",
    "pass_rate_frame",
    "plural",
    "repeat_contacts_frame",
    "score_bands",
    "score_label",
    "sentiment_frame",
    "service_levels_frame",
    "trend_frame",
    "volume_by_hour",
    "volume_table",
    "weekly_figures",
    "weekly_sentiment",
    "weekly_volume",
]

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


def score_label(score: float | None, auto_fail: bool) -> str:
    """How a total reads in tables and headers."""
    if auto_fail:
        return "AUTO-FAIL"
    return "not scored" if score is None else f"{score:.0f}"


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


def _shown(value: Any) -> str:
    return "–" if value is None or value == "" else str(value)


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """What an audit entry changed, one field a line: `result: fail -> pass`."""
    before, after = before or {}, after or {}
    lines = []
    for field in sorted(set(before) | set(after)):
        if field not in before:
            lines.append(f"{field}: {_shown(after[field])}")
        elif field not in after:
            lines.append(f"{field}: {_shown(before[field])} -> (removed)")
        elif before[field] != after[field]:
            lines.append(f"{field}: {_shown(before[field])} -> {_shown(after[field])}")
    return "\n".join(lines)


AUDIT_COLUMNS = ["When", "Who", "Action", "What", "Interaction", "Change"]


def audit_frame(entries: Sequence[AuditEntryRead]) -> pd.DataFrame:
    """Audit entries as a table: when, who, action, what (entity #id), interaction, change."""
    rows = [
        {
            "When": e.created_at,
            "Who": e.username,
            "Action": e.action.replace("_", " "),
            "What": f"{e.entity.replace('_', ' ')} #{e.entity_id}",
            "Interaction": e.interaction_id,
            "Change": changes(e.before, e.after),
        }
        for e in entries
    ]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)
