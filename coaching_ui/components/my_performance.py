"""An agent's own page: headline figures, coaching notes to acknowledge, latest evaluations."""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st

from coaching_ui import session
from coaching_ui.components.coaching import interaction_link, origin_label
from coaching_ui.components.common import visible_agents
from coaching_ui.figures import RESULT_ICONS, clock, md_literal, score_label, trend_frame
from qa.access import Principal
from qa.coaching import service as coaching_service
from qa.coaching.schemas import CoachingNoteRead
from qa.interactions import service as interaction_service
from qa.interactions.schemas import InteractionDetail
from qa.interactions.service import InteractionFilters
from qa.reports.schemas import WeekPoint


def own_agent_name(principal: Principal) -> str | None:
    """The agent name an agent user is linked to."""
    names = visible_agents(principal)
    return names[0] if names else None


def latest_evaluations(principal: Principal, limit: int = 5) -> list[InteractionDetail]:
    """The newest interactions the principal may see, with their details."""
    with session.db() as db:
        page = interaction_service.list_interactions(
            session=db, principal=principal, filters=InteractionFilters(), limit=limit, sort="newest"
        )
        return [
            interaction_service.get_interaction_detail(
                session=db, principal=principal, interaction_id=item.id
            )
            for item in page.items
        ]


def headline_metrics(points: Sequence[WeekPoint]) -> None:
    """Evaluations in the period, mean score, and the change over the last week."""
    data = trend_frame(points).dropna(subset=["score"])
    cols = st.columns(3)
    count = int(data["count"].sum()) if not data.empty else 0
    mean = (data["score"] * data["count"]).sum() / count if count else None
    cols[0].metric("Evaluations", count)
    cols[1].metric("Mean score", "–" if mean is None else f"{mean:.1f}")
    if len(data) >= 2:
        last, before = data["score"].iloc[-1], data["score"].iloc[-2]
        cols[2].metric("Last week", f"{last:.1f}", delta=f"{last - before:+.1f}")
    else:
        cols[2].metric("Last week", "–" if data.empty else f"{data['score'].iloc[-1]:.1f}")


def notes_to_acknowledge(principal: Principal, notes: Sequence[CoachingNoteRead]) -> None:
    """Each coaching note with a button to acknowledge it (once)."""
    if not notes:
        st.caption("No coaching notes yet.")
        return
    for note in notes:
        with st.container(border=True):
            where = f"interaction #{note.interaction_id}"
            if note.at_seconds is not None:
                where += f" at {clock(note.at_seconds)}"
            st.markdown(md_literal(note.text))
            st.caption(
                f"From {md_literal(note.author or 'your supervisor')} · {where}"
                + (f" · about `{note.criterion_id}`" if note.criterion_id else "")
            )
            interaction_link(note.interaction_id, source=f"note {note.id}")
            if note.acknowledged_at is not None:
                st.caption(f"Acknowledged {note.acknowledged_at:%Y-%m-%d}")
            else:
                st.button(
                    "Acknowledge", key=f"ack_{note.id}", on_click=_acknowledge, args=(principal, note.id)
                )


def _acknowledge(principal: Principal, note_id: int) -> None:
    with session.db() as db:
        coaching_service.acknowledge_note(session=db, principal=principal, note_id=note_id)
    st.toast("Acknowledged")


def evaluation_list(details: Sequence[InteractionDetail]) -> None:
    """Each evaluation as an expander with its criteria and the words that decided them."""
    if not details:
        st.caption("No evaluations yet.")
        return
    for detail in details:
        evaluation = detail.evaluation
        started = f"{detail.started_at:%Y-%m-%d}" if detail.started_at else "–"
        score = score_label(evaluation.total, evaluation.auto_fail) if evaluation else "not scored"
        label = f"#{detail.id} · {started} · {detail.channel} · {detail.topic or '–'} · score {score}"
        with st.expander(label):
            interaction_link(detail.id, source=f"evaluation {detail.id}")
            for criterion in evaluation.criteria if evaluation else []:
                evidence = "; ".join(f"{clock(e.get('start'))} “{e.get('text')}”" for e in criterion.evidence)
                question = _shown(criterion.question or criterion.criterion_id)
                origin = html.escape(origin_label(criterion))
                st.markdown(
                    f"{RESULT_ICONS.get(criterion.result, '')} **{question}** <small>({origin})</small>"
                    + (f"  \n<small>{_shown(evidence)}</small>" if evidence else ""),
                    unsafe_allow_html=True,
                )


def _shown(text: str) -> str:
    # Inside HTML-enabled markdown: tags escaped, then markdown (images, links) made literal.
    return md_literal(html.escape(text, quote=False))
