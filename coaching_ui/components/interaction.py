"""The interaction page's parts: which interaction, the moment jumped to, player, transcript and scorecard.

The review queue opens an interaction with `open_interaction`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components_v1

from coaching_ui import session
from coaching_ui.figures import RESULT_ICONS, clock, md_literal, score_label
from qa.access import Principal
from qa.errors import CallcoachError
from qa.evaluations.origin import ORIGIN_LABELS
from qa.interactions import service as interaction_service
from qa.interactions.schemas import CriterionRead, InteractionDetail, UnclearWordRead
from qa.interactions.service import InteractionFilters

MOMENT_KEY = "moment"
OPEN_INTERACTION_KEY = "interaction_id"
NOTE_CRITERION_KEY = "note_criterion"
NOTE_AT_KEY = "note_at"
SCROLL_PENDING_KEY = "scroll_to_moment"
URL_ID_KEY = "interaction_id_in_url"


def open_interaction(interaction_id: int) -> None:
    """Remember which interaction the interaction page shows."""
    st.session_state[OPEN_INTERACTION_KEY] = int(interaction_id)
    for key in (MOMENT_KEY, NOTE_CRITERION_KEY, NOTE_AT_KEY):
        st.session_state.pop(key, None)


# ---------------------------------------------------------------- interaction page


@dataclass(frozen=True)
class Moment:
    """A point in the interaction a reviewer jumped to from a criterion's evidence."""

    turn: int | None
    start: float | None
    criterion: str | None = None


def current_moment() -> Moment | None:
    moment = st.session_state.get(MOMENT_KEY)
    return moment if isinstance(moment, Moment) else None


def _set_moment(turn: int | None, start: float | None, criterion: str) -> None:
    st.session_state[MOMENT_KEY] = Moment(turn=turn, start=start, criterion=criterion)
    st.session_state[SCROLL_PENDING_KEY] = True
    # A note written now is at this moment (shown in its form); its criterion stays the reviewer's choice.
    st.session_state[NOTE_AT_KEY] = float(start or 0.0)


def chosen_interaction_id(principal: Principal) -> int | None:
    """The interaction to show: from the URL (?id=), the queue, or picked here among recent ones."""
    # The address wins only when it changed (a link, a reload); a choice made on another page wins otherwise.
    from_url = st.query_params.get("id")
    if from_url and from_url.isdigit() and from_url != st.session_state.get(URL_ID_KEY):
        open_interaction(int(from_url))
    current = st.session_state.get(OPEN_INTERACTION_KEY)
    with session.db() as db:
        recent = interaction_service.list_interactions(
            session=db, principal=principal, filters=InteractionFilters(), limit=50, sort="priority"
        ).items
    options = [i.id for i in recent]
    if current is not None and current not in options:
        options.insert(0, int(current))
    if not options:
        return None
    labels = {
        i.id: f"#{i.id} {i.agent} · {i.channel} · {score_label(i.score, bool(i.auto_fail))}" for i in recent
    }
    picked = st.selectbox(
        "Interaction",
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda i: labels.get(i, f"#{i}"),
        key=f"pick_interaction_{current}",
    )
    if picked != current:
        open_interaction(int(picked))
    st.query_params["id"] = st.session_state[URL_ID_KEY] = str(picked)  # a reload keeps the interaction
    return int(picked)


def load_detail(principal: Principal, interaction_id: int) -> InteractionDetail | None:
    """The interaction with turns and evaluation, or None after showing why it cannot be shown."""
    try:
        with session.db() as db:
            return interaction_service.get_interaction_detail(
                session=db, principal=principal, interaction_id=interaction_id
            )
    except CallcoachError as exc:
        st.error(str(exc))
        return None


def interaction_header(detail: InteractionDetail) -> None:
    """Who, when, what about, and the score."""
    evaluation = detail.evaluation
    cols = st.columns(5)
    cols[0].metric(
        "Score", score_label(evaluation.total, evaluation.auto_fail) if evaluation else "not scored"
    )
    cols[1].metric("Agent", detail.agent or "–")
    cols[2].metric("Channel", detail.channel or "–")
    cols[3].metric("Topic", detail.topic or "–")
    cols[4].metric("Review", evaluation.review_status if evaluation else "not scored")
    started, queue = detail.started_at, detail.queue
    st.caption(
        f"Started {started:%Y-%m-%d %H:%M} · queue {md_literal(queue or '–')}"
        if started
        else f"queue {md_literal(queue or '–')}"
    )
    if evaluation is not None and evaluation.auto_fail:
        st.error("Auto-fail: a critical criterion failed.", icon=":material/report:")
    if evaluation is not None and evaluation.needs_review:
        st.warning(
            "Needs review: some answers rest on speech the recognizer was unsure of "
            "(marked in the transcript).",
            icon=":material/hearing:",
        )


def audio_player(principal: Principal, detail: InteractionDetail, moment: Moment | None) -> None:
    """The stored recording, starting at the chosen moment."""
    if not detail.has_audio:
        return
    with session.db() as db:
        path, media_type = interaction_service.audio_file(
            session=db, principal=principal, interaction_id=detail.id
        )
    start = int(moment.start) if moment and moment.start is not None else 0
    st.audio(str(path), format=media_type, start_time=start)


def moment_callout(detail: InteractionDetail, moment: Moment | None) -> None:
    """What was said at the moment the reviewer jumped to."""
    if moment is None or moment.turn is None:
        return
    turn = next((t for t in detail.turns if t.index == moment.turn), None)
    if turn is None:
        return
    said = f"{turn.speaker} at {clock(turn.start)}: “{md_literal(turn.text)}”"
    st.info(
        f"**{md_literal(moment.criterion)}** · {said}",
        icon=":material/my_location:",
    )


def _criteria(detail: InteractionDetail) -> list[CriterionRead]:
    return detail.evaluation.criteria if detail.evaluation is not None else []


def evidence_turns(detail: InteractionDetail) -> dict[int, list[str]]:
    """Turn index -> the criteria whose evidence points at it."""
    marks: dict[int, list[str]] = {}
    for criterion in _criteria(detail):
        for item in criterion.evidence:  # evidence items are stored JSON: {turn, start, speaker, text}
            if item.get("turn") is not None:
                marks.setdefault(int(item["turn"]), []).append(criterion.criterion_id)
    return marks


def marked_text(text: str, unclear: list[UnclearWordRead]) -> str:
    """The turn's text as escaped HTML, each low-confidence word marked with its probability.

    The words are found in order, as whole words, in the text (which the recognizer built from them).
    """
    parts: list[str] = []
    at = 0
    for word in unclear:
        found = re.compile(rf"(?<!\w){re.escape(word.text)}(?!\w)").search(text, at) if word.text else None
        if found is None:
            continue
        begin, end = found.span()
        parts.append(html.escape(text[at:begin]))
        tip = html.escape(f"recognizer unsure: {word.probability:.0%}")
        parts.append(f'<mark class="unclear" title="{tip}">{html.escape(text[begin:end])}</mark>')
        at = end
    parts.append(html.escape(text[at:]))
    return "".join(parts)


def transcript(detail: InteractionDetail, moment: Moment | None) -> None:
    """The turns with speakers and times; evidence is underlined, the current moment highlighted,
    words the recognizer was unsure of marked."""
    marks = evidence_turns(detail)
    rows = []
    for turn in detail.turns:
        index, speaker = turn.index, turn.speaker
        classes = ["turn", speaker]
        if index in marks:
            classes.append("evidence")
        if moment is not None and moment.turn == index:
            classes.append("moment")
        tags = "".join(f'<span class="tag">{html.escape(c)}</span>' for c in marks.get(index, []))
        rows.append(
            f'<div class="{" ".join(classes)}" id="turn-{index}">'
            f'<span class="when">{clock(turn.start)}</span>'
            f'<span class="who">{html.escape(speaker)}</span>'
            f'<span class="text">{marked_text(turn.text, turn.low_confidence_words)}</span>{tags}</div>'
        )
    if any(turn.low_confidence_words for turn in detail.turns):
        st.caption("Marked words: the recognizer was unsure of them (hover for its confidence).")
    with st.container(height=420, key="transcript"):
        st.html(TRANSCRIPT_CSS + "".join(rows) if rows else "<p>No transcript.</p>")
    if moment is not None and moment.turn is not None and st.session_state.pop(SCROLL_PENDING_KEY, False):
        _scroll_into_view(f"turn-{int(moment.turn)}")


def _scroll_into_view(element_id: str) -> None:
    # st.html runs no scripts; a zero-height component (same-origin iframe) can scroll the page for us.
    components_v1.html(
        "<script>const el = window.parent.document.getElementById(" + json.dumps(element_id) + ");"
        "if (el) { el.scrollIntoView({block: 'center'}); }</script>",
        height=0,
    )


TRANSCRIPT_CSS = """<style>
.turn{padding:4px 8px;margin:2px 0;border-left:4px solid #ccc;border-radius:4px;font-size:0.92rem}
.turn.agent{border-left-color:#1f77b4}.turn.customer{border-left-color:#d62728;background:#fafafa}
.turn .when{color:#888;font-family:monospace;margin-right:8px}.turn .who{font-weight:600;margin-right:8px}
.turn.evidence .text{text-decoration:underline dotted #ff7f0e}
.turn.moment{background:#fff3cd;outline:2px solid #ff7f0e}
.turn .tag{font-size:0.72rem;background:#ffe0b2;border-radius:8px;padding:0 6px;margin-left:6px}
.turn mark.unclear{background:#e1d5f5;border-bottom:2px dashed #6a3d9a;padding:0 1px}
</style>"""


def _literal(text: str) -> str:
    """Recognised words shown through Markdown as typed: every Markdown sign backslash-escaped."""
    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~])", r"\\\1", text)


def answer_origin(criterion: CriterionRead) -> str:
    """Who gave the answer and how sure it is: a reviewer, the machine, or the machine on unclear speech."""
    label = ORIGIN_LABELS[criterion.origin]
    if criterion.machine_result is not None:
        return f"{label} (machine said {criterion.machine_result})"
    if criterion.needs_review:
        return f"{label} — needs review"
    return label


def scorecard(
    detail: InteractionDetail,
    *,
    origin: Callable[[CriterionRead], str] | None = None,
    on_card: Callable[[CriterionRead], None] | None = None,
) -> None:
    """Each criterion with its answer and where it came from; evidence buttons jump to the moment.

    `on_card` adds a role's controls (a reviewer's override, an agent's dispute) to each card.
    """
    if detail.calibration_blind:
        st.info("Hidden while you score this interaction blind in a calibration session.")
        return
    if detail.evaluation is None:
        st.info("This interaction has not been scored yet.")
        return
    for criterion in detail.evaluation.criteria:
        cid, result, overridden = criterion.criterion_id, criterion.result, criterion.machine_result
        title = f"{RESULT_ICONS.get(result, '')} {md_literal(criterion.question or cid)}"
        with st.container(border=True):
            st.markdown(f"**{title}**")
            points = f"{criterion.points:g}/{criterion.max_points:g} points"
            note = f" · confidence {criterion.confidence:.0%}" if criterion.confidence is not None else ""
            if criterion.critical:
                note += " · critical"
            if origin is not None:
                if overridden:
                    note += f" · machine said {overridden}"
                note += f" · {origin(criterion)}"
                if criterion.needs_review and not overridden:
                    note += " — needs review"
            else:
                note += f" · {answer_origin(criterion)}"
            if not overridden and cid in detail.needs_human_criteria:
                note += " · suggestion only: the machine is not trusted on this criterion, a person decides"
            st.caption(f"`{cid}` · {result} · {points}{note}")
            if criterion.needs_review and not overridden:
                st.warning(_literal(criterion.note or "rests on unclear speech"), icon=":material/hearing:")
            if criterion.override_comment:
                st.caption(f"Reviewer: {md_literal(criterion.override_comment)}")
            for n, item in enumerate(criterion.evidence):
                quote = md_literal(str(item.get("text"))[:80])
                st.button(
                    f"{clock(item.get('start'))} {md_literal(item.get('speaker') or '')}: {quote}",
                    key=f"evidence_{cid}_{n}",
                    icon=":material/play_arrow:",
                    on_click=_set_moment,
                    args=(item.get("turn"), item.get("start"), cid),
                    type="tertiary",
                )
            if on_card is not None:
                on_card(criterion)


def metrics_table(detail: InteractionDetail) -> None:
    """The conversation metrics (talk ratio, silences, holds, ...) as a compact table."""
    metrics: dict[str, Any] = dict(detail.metrics or {})
    known = {
        "handle_seconds": detail.handle_seconds,
        "wait_seconds": detail.wait_seconds,
        "csat": detail.csat,
        "duration_seconds": detail.duration_seconds,
    }
    for key, value in known.items():
        if value is not None and key not in metrics:
            metrics[key] = value
    if not metrics:
        st.caption("No metrics.")
        return
    table = pd.DataFrame(
        [
            {"metric": k.replace("_", " "), "value": round(v, 2) if isinstance(v, float) else v}
            for k, v in metrics.items()
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")


def criterion_choices(detail: InteractionDetail) -> dict[str, str]:
    """criterion id -> its question, for the override and note forms."""
    return {c.criterion_id: c.question or c.criterion_id for c in _criteria(detail)}
