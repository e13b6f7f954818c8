"""GROUP BY queries behind the period figures: volume, scores, sentiment, times, CSAT and repeat contacts.

Calendar parts (the week's Monday, hour, weekday, seconds between two moments) differ between SQLite and
PostgreSQL, so they are built for the session's dialect; every moment is taken in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Row, Subquery, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from qa.access import Scope
from qa.config import Settings
from qa.interactions.repository import scope_clause
from qa.models import Agent, Evaluation, Interaction
from qa.reports.repository import CURRENT_EVALUATION, REVIEWED, whose, window

BAND_WIDTH = 10
DAY_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class RepeatRule:
    """When a contact counts as repeated: the same customer (and program) again within `days`."""

    days: int = 7
    days_for_channel: dict[str, int] = field(default_factory=dict)
    days_for_program: dict[str, int] = field(default_factory=dict)
    same_program: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> RepeatRule:
        """The configured definition (CALLCOACH_REPEAT_*)."""
        return cls(
            days=settings.repeat_window_days,
            days_for_channel=dict(settings.repeat_window_days_for_channel),
            days_for_program=dict(settings.repeat_window_days_for_program),
            same_program=not settings.repeat_any_program,
        )

    def window_seconds(self, channel: Any, program: Any) -> ColumnElement[Any]:
        """The window of a contact, in seconds: its program's, else its channel's, else the default."""
        program_days = [(program == name, days) for name, days in sorted(self.days_for_program.items())]
        channel_days = [(channel == name, days) for name, days in sorted(self.days_for_channel.items())]
        if not program_days and not channel_days:
            return literal(self.days * DAY_SECONDS)
        return case(*program_days, *channel_days, else_=self.days) * DAY_SECONDS


@dataclass(frozen=True, slots=True)
class Calendar:
    """Dialect-specific expressions of a timestamp column, all in UTC."""

    postgres: bool

    def week(self, moment: Any) -> ColumnElement[Any]:
        """The Monday of the moment's week (a date on PostgreSQL, 'YYYY-MM-DD' text on SQLite)."""
        if self.postgres:
            return func.date(func.date_trunc("week", func.timezone("UTC", moment)))
        return func.date(moment, "weekday 0", "-6 days")

    def month(self, moment: Any) -> ColumnElement[Any]:
        """The first day of the moment's month (a date on PostgreSQL, 'YYYY-MM-DD' text on SQLite)."""
        if self.postgres:
            return func.date(func.date_trunc("month", func.timezone("UTC", moment)))
        return func.date(moment, "start of month")

    def hour(self, moment: Any) -> ColumnElement[Any]:
        if self.postgres:
            return cast(func.extract("hour", func.timezone("UTC", moment)), Integer)
        return cast(func.strftime("%H", moment), Integer)

    def weekday(self, moment: Any) -> ColumnElement[Any]:
        """0 = Monday ... 6 = Sunday."""
        if self.postgres:
            return cast(func.extract("isodow", func.timezone("UTC", moment)), Integer) - 1
        return (cast(func.strftime("%w", moment), Integer) + 6) % 7

    def seconds_between(self, earlier: Any, later: Any) -> ColumnElement[Any]:
        if self.postgres:
            return func.extract("epoch", later - earlier)
        return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def calendar(session: Session) -> Calendar:
    return Calendar(postgres=session.get_bind().dialect.name == "postgresql")


def as_date(value: Any) -> date:
    """A week value as returned by either dialect."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def in_period(scope: Scope, start: datetime | None, end: datetime | None) -> list[ColumnElement[bool]]:
    return [whose(scope), Interaction.started_at.is_not(None), *window(start, end)]


_handle = func.coalesce(Interaction.handle_seconds, Interaction.duration_seconds)
BANDS = 100 // BAND_WIDTH


def _band() -> ColumnElement[Any]:
    """Band n covers totals in [10n, 10n + 10), 100 joins the top band; NULL when not scored."""
    below = ((Evaluation.total < (n + 1) * BAND_WIDTH, n) for n in range(BANDS - 1))
    return case((Evaluation.total.is_(None), None), *below, else_=BANDS - 1)


def weeks_by_band(
    session: Session, scope: Scope, start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """Per week (Monday) and score band: counts and sums, so weeks, totals and bands add up from one scan.

    Each `sum_x` comes with `n_x`, the rows where x is known (averages are sum / n).
    """
    week = calendar(session).week(Interaction.started_at).label("week")
    band = _band().label("band")

    def known(column: Any, name: str) -> list[Any]:
        return [func.sum(column).label(f"sum_{name}"), func.count(column).label(f"n_{name}")]

    query = (
        select(
            week,
            band,
            func.count().label("interactions"),
            *known(Evaluation.total, "score"),
            func.sum(case((Evaluation.auto_fail.is_(True), 1), else_=0)).label("auto_fails"),
            func.sum(case((REVIEWED, 1), else_=0)).label("reviewed"),
            *known(Interaction.customer_sentiment_end, "sentiment"),
            *known(_handle, "handle"),
            *known(Interaction.wait_seconds, "wait"),
            *known(Interaction.csat, "csat"),
        )
        .select_from(Interaction)
        .outerjoin(Evaluation, CURRENT_EVALUATION)
        .where(*in_period(scope, start, end))
        .group_by(week, band)
        .order_by(week)
    )
    return list(session.execute(query))


def channels(session: Session, scope: Scope, start: datetime | None, end: datetime | None) -> list[Row[Any]]:
    """(channel, contacts, scored, average_score, average_csat, average_handle_seconds), the largest first:
    a chat's handle time and a call's are different things, so each channel has its own averages."""
    query = (
        select(
            Interaction.channel,
            func.count().label("contacts"),
            func.count(Evaluation.total).label("scored"),
            func.avg(Evaluation.total).label("average_score"),
            func.avg(Interaction.csat).label("average_csat"),
            func.avg(_handle).label("average_handle_seconds"),
        )
        .select_from(Interaction)
        .outerjoin(Evaluation, CURRENT_EVALUATION)
        .where(*in_period(scope, start, end))
        .group_by(Interaction.channel)
        .order_by(func.count().desc(), Interaction.channel)
    )
    return list(session.execute(query))


def drivers(session: Session, scope: Scope, start: datetime | None, end: datetime | None) -> list[Row[Any]]:
    """(week, program, topic, contacts): contacts per week by program (queue) and topic."""
    week = calendar(session).week(Interaction.started_at).label("week")
    query = (
        select(week, Interaction.queue.label("program"), Interaction.topic, func.count().label("contacts"))
        .where(*in_period(scope, start, end))
        .group_by(week, Interaction.queue, Interaction.topic)
        .order_by(week)
    )
    return list(session.execute(query))


def hours(session: Session, scope: Scope, start: datetime | None, end: datetime | None) -> list[Row[Any]]:
    """(weekday 0 = Monday, hour, contacts)."""
    parts = calendar(session)
    weekday = parts.weekday(Interaction.started_at).label("weekday")
    hour = parts.hour(Interaction.started_at).label("hour")
    query = (
        select(weekday, hour, func.count().label("contacts"))
        .where(*in_period(scope, start, end))
        .group_by(weekday, hour)
        .order_by(weekday, hour)
    )
    return list(session.execute(query))


def next_contacts(start: datetime | None, rule: RepeatRule) -> Subquery:
    """Every contact with a known customer since `start`, with the same customer's next contact (about the
    same program unless the rule says any) and the contact's repeat window in seconds."""
    partition = [Interaction.customer_hash] + ([Interaction.queue] if rule.same_program else [])

    def following(column: Any) -> Any:
        return func.lead(column, type_=column.type).over(
            partition_by=partition, order_by=(Interaction.started_at, Interaction.id)
        )

    lookahead: list[Any] = [Interaction.customer_hash.is_not(None), Interaction.started_at.is_not(None)]
    if start is not None:
        lookahead.append(Interaction.started_at >= start)
    return (
        select(
            Interaction.id,
            Interaction.agent_id,
            Interaction.channel,
            Interaction.queue,
            Interaction.started_at,
            rule.window_seconds(Interaction.channel, Interaction.queue).label("window_seconds"),
            following(Interaction.id).label("next_id"),
            following(Interaction.agent_id).label("next_agent_id"),
            following(Interaction.channel).label("next_channel"),
            following(Interaction.started_at).label("next_at"),
        )
        .where(*lookahead)
        .subquery()
    )


def is_repeated(parts: Calendar, contacts: Subquery) -> ColumnElement[bool]:
    return and_(
        contacts.c.next_at.is_not(None),
        parts.seconds_between(contacts.c.started_at, contacts.c.next_at) <= contacts.c.window_seconds,
    )


def _counted(scope: Scope, contacts: Subquery, end: datetime | None) -> list[ColumnElement[bool]]:
    # `scope` narrows the counted contacts by their agent; the later contact is looked for among all
    # contacts, since the customer coming back is what makes the first one unresolved.
    counted = [scope_clause(scope, contacts.c.agent_id)]
    if end is not None:
        counted.append(contacts.c.started_at < end)
    return counted


def repeats(
    session: Session, scope: Scope, start: datetime | None, end: datetime | None, rule: RepeatRule
) -> list[Row[Any]]:
    """Per week: (week, customers, repeated) over contacts with a known customer (see RepeatRule)."""
    parts = calendar(session)
    contacts = next_contacts(start, rule)
    week = parts.week(contacts.c.started_at).label("week")
    repeated = func.sum(case((is_repeated(parts, contacts), 1), else_=0)).label("repeated")
    query = (
        select(week, func.count().label("customers"), repeated)
        .where(*_counted(scope, contacts, end))
        .group_by(week)
        .order_by(week)
    )
    return list(session.execute(query))


def repeat_contacts(
    session: Session, scope: Scope, start: datetime | None, end: datetime | None, rule: RepeatRule, limit: int
) -> list[Row[Any]]:
    """The repeated contacts themselves, newest first: the contact, its agent, and the customer's next contact
    (its id and agent only when inside `scope`: another team's work stays hidden)."""
    parts = calendar(session)
    contacts = next_contacts(start, rule)
    next_agent = Agent.__table__.alias("next_agent")
    next_visible = scope_clause(scope, contacts.c.next_agent_id)
    query = (
        select(
            contacts.c.id,
            Agent.name.label("agent"),
            contacts.c.channel,
            contacts.c.queue.label("program"),
            contacts.c.started_at,
            case((next_visible, contacts.c.next_id)).label("next_id"),
            case((next_visible, next_agent.c.name)).label("next_agent"),
            contacts.c.next_channel,
            contacts.c.next_at,
            parts.seconds_between(contacts.c.started_at, contacts.c.next_at).label("seconds_between"),
        )
        .outerjoin(Agent, Agent.id == contacts.c.agent_id)
        .outerjoin(next_agent, next_agent.c.id == contacts.c.next_agent_id)
        .where(*_counted(scope, contacts, end), is_repeated(parts, contacts))
        .order_by(contacts.c.started_at.desc(), contacts.c.id.desc())
        .limit(limit)
    )
    return list(session.execute(query))


def volume(session: Session, scope: Scope, start: datetime | None, end: datetime | None) -> list[Row[Any]]:
    """(month, program, channel, topic, contacts): the division's monthly contact volume and inquiry types."""
    month = calendar(session).month(Interaction.started_at).label("month")
    keys = (month, Interaction.queue, Interaction.channel, Interaction.topic)
    query = (
        select(*keys[:1], Interaction.queue.label("program"), *keys[2:], func.count().label("contacts"))
        .where(*in_period(scope, start, end))
        .group_by(*keys)
        .order_by(month, Interaction.queue, Interaction.channel, Interaction.topic)
    )
    return list(session.execute(query))
