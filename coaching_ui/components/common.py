"""Widgets several pages share: running an action, who may be picked, the period picker, period figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import streamlit as st

from coaching_ui import session
from coaching_ui.figures import md_literal
from qa.access import Principal
from qa.agents import service as agent_service
from qa.errors import CallcoachError
from qa.interactions import service as interaction_service
from qa.interactions.service import InteractionFilters, Sort

T = TypeVar("T")


def _run(action: Callable[..., T], arguments: dict[str, Any]) -> tuple[bool, T | None]:
    """One service action in its own unit of work; a domain error is shown (literally: messages may quote
    user text such as names, file names or YAML values), not raised."""
    try:
        with session.db() as db:
            return True, action(session=db, **arguments)
    except CallcoachError as exc:
        st.error(md_literal(exc))
        return False, None


def perform(action: Callable[..., Any], /, **arguments: Any) -> bool:
    """Run one service action; whether it succeeded."""
    return _run(action, arguments)[0]


def attempt(action: Callable[..., T], /, **arguments: Any) -> T | None:
    """Run one service action; its result, or None when it was refused."""
    return _run(action, arguments)[1]


def visible_agents(principal: Principal) -> list[str]:
    """Agent names the principal may pick in filters (decided by the service layer's scope)."""
    with session.db() as db:
        return [a.name for a in agent_service.list_visible_agents(session=db, principal=principal)]


def _day_of(principal: Principal, sort: Sort, agent: str | None) -> date | None:
    """The day of the newest or oldest interaction the principal may see (of `agent` when given)."""
    with session.db() as db:
        found = interaction_service.list_interactions(
            session=db, principal=principal, filters=InteractionFilters(agent=agent), limit=1, sort=sort
        ).items
    started = found[0].started_at if found else None
    return started.date() if started is not None else None


def latest_day(principal: Principal) -> date:
    """The day of the newest interaction the principal may see (today when there is none)."""
    return _day_of(principal, "newest", None) or date.today()


def period_picker(
    key: str, principal: Principal, weeks: int = 13, agent: str | None = None
) -> tuple[date, date]:
    """A date range input; by default `weeks` weeks up to today (notes written since the newest interaction
    fall inside the period), starting no earlier than the agent's first interaction when an agent is given
    (no empty months before her data)."""
    newest = (_day_of(principal, "newest", agent) if agent else None) or latest_day(principal)
    first = _day_of(principal, "oldest", agent) if agent else None
    default = (max(newest - timedelta(weeks=weeks), first or date.min), max(newest, date.today()))
    if agent:
        key = f"{key}_{agent}"  # another agent, another default period
    chosen = st.date_input("Period", value=default, key=key)
    if isinstance(chosen, tuple) and len(chosen) == 2:
        return chosen[0], chosen[1]
    return default  # half-picked range: keep showing the default until both ends are set
