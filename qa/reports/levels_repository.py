"""Service levels per channel, in the database: speed of answer and abandonment of calls, first response of
chats, first reply and resolution of e-mails and web forms, each counted against the team's target.

Business days: a reply is in time when it came within the target's business days counted from the contact's
weekday (Monday to Friday; a contact on Saturday or Sunday counts from Monday at the same time of day). Public
holidays are not known and count as business days.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, Row, case, cast, func, select
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.config import ServiceTargets
from qa.models import Interaction
from qa.models.enums import Channel
from qa.reports.contacts_repository import DAY_SECONDS, calendar, in_period

ABANDONED = "abandoned"  # the disposition a telephony export gives a call hung up before an answer
WRITTEN = (Channel.EMAIL, Channel.FORM)


def business_days_to_calendar_days(weekday: int, business_days: int) -> int:
    """Calendar days from a contact on `weekday` (0 = Monday) to the same time `business_days` later."""
    if weekday >= 5:  # Saturday, Sunday: the clock starts on Monday
        return (7 - weekday) + business_days_to_calendar_days(0, business_days)
    return business_days + 2 * ((weekday + business_days) // 5)


def _business_seconds(weekday: ColumnElement[Any], business_days: int) -> ColumnElement[Any]:
    days = [(weekday == d, business_days_to_calendar_days(d, business_days)) for d in range(6)]
    return case(*days, else_=business_days_to_calendar_days(6, business_days)) * DAY_SECONDS


def service_levels(
    session: Session, scope: Scope, start: datetime | None, end: datetime | None, targets: ServiceTargets
) -> list[Row[Any]]:
    """Per channel: contacts, abandoned calls, and for the first answer (wait) and the resolution the count
    known, their sum and how many met the target (`n_wait`, `sum_wait`, `in_time_wait`, ...)."""
    weekday = calendar(session).weekday(Interaction.started_at)
    channel = Interaction.channel
    abandoned = Interaction.disposition == ABANDONED
    # Abandoned calls never got an answer: their wait is how long the caller held on, not a speed of answer.
    wait = case((abandoned, None), else_=Interaction.wait_seconds)
    wait_limit = case(
        (channel == Channel.CALL, targets.answer_seconds),
        (channel == Channel.CHAT, targets.chat_response_seconds),
        else_=_business_seconds(weekday, targets.reply_business_days),
    )
    resolution = Interaction.raw_metadata["resolution_seconds"].as_float()
    resolution_limit = _business_seconds(weekday, targets.resolve_business_days)

    def measured(value: Any, limit: Any, name: str) -> list[Any]:
        in_time = func.sum(case((value <= limit, 1), else_=0))
        return [
            func.count(value).label(f"n_{name}"),
            func.sum(cast(value, Float)).label(f"sum_{name}"),
            in_time.label(f"in_time_{name}"),
        ]

    query = (
        select(
            channel,
            func.count().label("contacts"),
            func.sum(case((abandoned, 1), else_=0)).label("abandoned"),
            *measured(wait, wait_limit, "wait"),
            *measured(case((channel.in_(WRITTEN), resolution)), resolution_limit, "resolution"),
        )
        .where(*in_period(scope, start, end))
        .group_by(channel)
        .order_by(channel)
    )
    return list(session.execute(query))
