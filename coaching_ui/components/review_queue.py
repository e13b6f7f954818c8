"""The review queue's filter bar and table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import streamlit as st

from coaching_ui.components.common import visible_agents
from coaching_ui.figures import clock, score_label
from qa.access import Principal
from qa.interactions.schemas import InteractionSummary
from qa.interactions.service import InteractionFilters, Sort

SORTS: dict[str, Sort] = {
    "Priority (needs review, auto-fails, low scores, upset customers)": "priority",
    "Newest": "newest",
    "Lowest score": "score",
    "Most negative customer": "sentiment",
}
REVIEW_STATUSES = ("pending", "reviewed", "final")
CHANNELS = ("call", "chat", "email", "form")
SENTIMENTS: dict[str, Literal["negative", "neutral", "positive"] | None] = {
    "All": None,
    "negative": "negative",
    "neutral": "neutral",
    "positive": "positive",
}
AUTO_FAIL = {"All": None, "only auto-fails": True, "no auto-fails": False}
NEEDS_REVIEW = {"All": None, "only needs review": True, "no doubtful answers": False}


@dataclass(frozen=True)
class QueueQuery:
    filters: InteractionFilters
    sort: Sort
    page: int
    page_size: int


def queue_filters(principal: Principal) -> QueueQuery:
    """The filter bar of the review queue."""
    agents = visible_agents(principal)
    top = st.columns([2, 1, 1, 1, 2])
    sort_label = top[0].selectbox("Sort", list(SORTS), key="queue_sort")
    agent = top[1].selectbox("Agent", ["All", *agents], key="queue_agent")
    channel = top[2].selectbox("Channel", ["All", *CHANNELS], key="queue_channel")
    status = top[3].selectbox("Review status", ["All", *REVIEW_STATUSES], key="queue_status")
    topic = top[4].text_input("Topic", key="queue_topic", placeholder="e.g. missed_pickup")
    bottom = st.columns([1, 1, 1, 2, 1, 1])
    sentiment = bottom[0].selectbox("Customer sentiment", list(SENTIMENTS), key="queue_sentiment")
    auto_fail = bottom[1].selectbox("Auto-fail", list(AUTO_FAIL), key="queue_af")
    needs_review = bottom[2].selectbox(
        "Needs review",
        list(NEEDS_REVIEW),
        key="queue_needs_review",
        help="Answers resting on speech the recognizer was unsure of, not yet checked by a person.",
    )
    low, high = bottom[3].slider("Score", 0, 100, (0, 100), key="queue_score")
    page_size = bottom[4].selectbox("Rows", [25, 50, 100], index=1, key="queue_rows")
    page = bottom[5].number_input("Page", min_value=1, value=1, step=1, key="queue_page")
    filters = InteractionFilters(
        agent=None if agent == "All" else agent,
        channel=None if channel == "All" else channel,
        topic=topic.strip() or None,
        min_score=float(low) if low > 0 else None,
        max_score=float(high) if high < 100 else None,
        auto_fail=AUTO_FAIL[auto_fail],
        sentiment=SENTIMENTS[sentiment],
        review_status=None if status == "All" else status,
        needs_review=NEEDS_REVIEW[needs_review],
    )
    return QueueQuery(filters=filters, sort=SORTS[sort_label], page=int(page), page_size=int(page_size))


ROW_PIXELS = 35  # st.dataframe's row (and header) height


def queue_height(rows: int) -> int:
    """Tall enough for every row of the page: the page scrolls, not a 10-row box inside it."""
    return ROW_PIXELS * (max(rows, 1) + 1) + 3


QUEUE_COLUMNS = {
    "id": st.column_config.NumberColumn("ID", format="%d", width="small"),
    "score": st.column_config.TextColumn("Score", width=90),
    "started": st.column_config.DatetimeColumn("Started", format="YYYY-MM-DD HH:mm"),
    "customer at end": st.column_config.ProgressColumn(
        # "auto": green above the middle (0, neutral), red below
        "Customer at end",
        min_value=-1.0,
        max_value=1.0,
        format="%.2f",
        color="auto",
    ),
}


def queue_frame(items: Sequence[InteractionSummary]) -> pd.DataFrame:
    """One row per interaction in the queue, in the service's order."""
    rows = [
        {
            "id": item.id,
            "score": score_label(item.score, bool(item.auto_fail)),
            "agent": item.agent,
            "channel": item.channel,
            "started": item.started_at,
            "topic": item.topic,
            "queue": item.queue,
            "customer at end": item.customer_sentiment_end,
            "csat": item.csat,
            "length": clock(item.duration_seconds),
            "review": item.review_status,
            "needs review": bool(item.needs_review),
        }
        for item in items
    ]
    columns = ["id", "score", "agent", "channel", "started", "topic", "queue", "customer at end", "csat",
               "length", "review", "needs review"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
