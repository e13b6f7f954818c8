"""The audit log's filter bar."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

AUDIT_ENTITIES = {
    "All": None,
    "Criterion overrides": "criterion_result",
    "Reviews": "evaluation",
    "Coaching notes": "coaching_note",
}


@dataclass(frozen=True)
class AuditQuery:
    entity: str | None
    interaction_id: int | None
    limit: int


def audit_filters() -> AuditQuery:
    """The filter bar of the audit log: what changed, which interaction, how many entries."""
    what, which, rows = st.columns([2, 1, 1])
    entity = what.selectbox("What changed", list(AUDIT_ENTITIES), key="audit_entity")
    interaction = which.number_input(
        "Interaction", min_value=0, value=0, step=1, key="audit_interaction", help="0: every interaction"
    )
    limit = rows.selectbox("Entries", [100, 250, 1000], key="audit_limit")
    return AuditQuery(
        entity=AUDIT_ENTITIES[entity], interaction_id=int(interaction) or None, limit=int(limit)
    )
