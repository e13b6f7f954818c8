"""Widgets several pages share: running an action, who may be picked, the period picker, period figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import streamlit as st

from coaching_ui import session
from coaching_ui.figures import clock
from qa.access import Principal
from qa.agents import service as agent_service
from qa.errors import CallcoachError
from qa.interactions import service as interaction_service
from qa.interactions.service import InteractionFilters
from qa.reports.schemas import ContactTotals

T = TypeVar("T")


def perform(action: Callable[..., Any], /, **arguments: Any) -> bool:
    """Run one service action in its own unit of work; a domain error is shown, not raised."""
    try:
        with session.db() as db:
            action(session=db, **arguments)
    except CallcoachError as exc:
        st.error(str(exc))
        return False
    return True


def attempt(action: Callable[..., T], /, **arguments: Any) -> T | None:
    """Run one service action in its own unit of work; a domain error is shown and None returned."""
    try:
        with session.db() as db:
            return action(session=db, **arguments)
    except CallcoachError as exc:
        st.error(str(exc))
        return None


def visible_agents(principal: Principal) -> list[str]:
    """Agent names the principal may pick in filters (decided by the service layer's scope)."""
    with session.db() as db:
        return [a.name for a in agent_service.list_visible_agents(session=db, principal=principal)]


def latest_day(principal: Principal) -> date:
    """The day of the newest interaction the principal may see (today when there is none)."""
    with session.db() as db:
        newest = interaction_service.list_interactions(
            session=db, principal=principal, filters=InteractionFilters(), limit=1, sort="newest"
        ).items
    started = newest[0].started_at if newest else None
    return started.date() if started is not None else date.today()


def period_picker(key: str, principal: Principal, weeks: int = 13) -> tuple[date, date]:
    """A date range input; by default the last `weeks` weeks up to the newest interaction."""
    end = latest_day(principal)
    default = (end - timedelta(weeks=weeks), end)
    chosen = st.date_input("Period", value=default, key=key)
    if isinstance(chosen, tuple) and len(chosen) == 2:
        return chosen[0], chosen[1]
    return default  # half-picked range: keep showing the default until both ends are set


def period_metrics(totals: ContactTotals) -> None:
    """Headline figures of a period in two rows: volume and quality, then the customer's experience."""
    score, csat, resolution = totals.average_score, totals.average_csat, totals.first_contact_resolution
    volume, quality, fails, reviewed = st.columns(4)
    volume.metric("Interactions", totals.interactions)
    quality.metric("Mean score", "–" if score is None else f"{score:.1f}")
    fails.metric("Auto-fails", totals.auto_fails)
    reviewed.metric("Reviewed", totals.reviewed)
    satisfaction, handle, wait, first_contact = st.columns(4)
    satisfaction.metric("CSAT", "–" if csat is None else f"{csat:.2f} / 5")
    handle.metric("Handle time", clock(totals.average_handle_seconds))
    wait.metric("Wait time", clock(totals.average_wait_seconds))
    first_contact.metric(
        "First-contact resolution",
        "–" if resolution is None else f"{resolution:.0%}",
        help="Share of contacts whose customer did not contact again within 7 days "
        f"({totals.repeat_contacts} repeats of {totals.customers} with a known customer).",
    )
