"""GROUP BY queries behind the period figures: volume, scores, sentiment, times, CSAT and repeat contacts.

Calendar parts (the week's Monday, hour, weekday, seconds between two moments) differ between SQLite and
PostgreSQL, so they are built for the session's dialect; every moment is taken in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Row, and_, case, cast, func, select
from sqlalchemy.orm import Session

from qa.models import Evaluation, Interaction
from qa.models.enums import REVIEWED_STATUSES

REPEAT_WINDOW_SECONDS = 7 * 24 * 3600
BAND_WIDTH = 10

_current = and_(Evaluation.interaction_id == Interaction.id, Evaluation.is_current.is_(True))


@dataclass(frozen=True, slots=True)
class Calendar:
    """Dialect-specific expressions of a timestamp column, all in UTC."""

    postgres: bool

    def week(self, moment: Any) -> ColumnElement[Any]:
        """The Monday of the moment's week (a date on PostgreSQL, 'YYYY-MM-DD' text on SQLite)."""
        if self.postgres:
            return func.date(func.date_trunc("week", func.timezone("UTC", moment)))
        return func.date(moment, "weekday 0", "-6 days")

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


def _where(where: ColumnElement[bool], start: datetime | None, end: datetime | None) -> list[Any]:
    clauses: list[Any] = [where, Interaction.started_at.is_not(None)]
    if start is not None:
        clauses.append(Interaction.started_at >= start)
    if end is not None:
        clauses.append(Interaction.started_at < end)
    return clauses


_handle = func.coalesce(Interaction.handle_seconds, Interaction.duration_seconds)
_reviewed = Evaluation.review_status.in_(REVIEWED_STATUSES)
BANDS = 100 // BAND_WIDTH


def _band() -> ColumnElement[Any]:
    """Band n covers totals in [10n, 10n + 10), 100 joins the top band; NULL when not scored."""
    below = ((Evaluation.total < (n + 1) * BAND_WIDTH, n) for n in range(BANDS - 1))
    return case((Evaluation.total.is_(None), None), *below, else_=BANDS - 1)


def weeks_by_band(
    session: Session, where: ColumnElement[bool], start: datetime | None, end: datetime | None
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
            func.sum(case((_reviewed, 1), else_=0)).label("reviewed"),
            *known(Interaction.customer_sentiment_end, "sentiment"),
            *known(_handle, "handle"),
            *known(Interaction.wait_seconds, "wait"),
            *known(Interaction.csat, "csat"),
        )
        .select_from(Interaction)
        .outerjoin(Evaluation, _current)
        .where(*_where(where, start, end))
        .group_by(week, band)
        .order_by(week)
    )
    return list(session.execute(query))


def channels(
    session: Session, where: ColumnElement[bool], start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """(channel, count), the largest first."""
    query = (
        select(Interaction.channel, func.count().label("count"))
        .where(*_where(where, start, end))
        .group_by(Interaction.channel)
        .order_by(func.count().desc(), Interaction.channel)
    )
    return list(session.execute(query))


def drivers(
    session: Session, where: ColumnElement[bool], start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """(week, program, topic, count): contacts per week by program (queue) and topic."""
    week = calendar(session).week(Interaction.started_at).label("week")
    query = (
        select(week, Interaction.queue.label("program"), Interaction.topic, func.count().label("count"))
        .where(*_where(where, start, end))
        .group_by(week, Interaction.queue, Interaction.topic)
        .order_by(week)
    )
    return list(session.execute(query))


def hours(
    session: Session, where: ColumnElement[bool], start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """(weekday 0 = Monday, hour, count)."""
    parts = calendar(session)
    weekday = parts.weekday(Interaction.started_at).label("weekday")
    hour = parts.hour(Interaction.started_at).label("hour")
    query = (
        select(weekday, hour, func.count().label("count"))
        .where(*_where(where, start, end))
        .group_by(weekday, hour)
        .order_by(weekday, hour)
    )
    return list(session.execute(query))


def repeats(
    session: Session, where_agent: Any, start: datetime | None, end: datetime | None
) -> list[Row[Any]]:
    """Per week: (week, customers, repeated) over contacts with a known customer.

    A contact is repeated when the same customer contacts again (anyone, any channel) within 7 days after
    it. `where_agent(column)` scopes the counted contacts by their agent column; the later contact is
    looked for among all contacts, since the customer calling back is what makes the first one unresolved.
    """
    parts = calendar(session)
    later = func.lead(Interaction.started_at).over(
        partition_by=Interaction.customer_hash, order_by=(Interaction.started_at, Interaction.id)
    )
    lookahead: list[Any] = [Interaction.customer_hash.is_not(None), Interaction.started_at.is_not(None)]
    if start is not None:
        lookahead.append(Interaction.started_at >= start)
    contacts = (
        select(Interaction.agent_id, Interaction.started_at, later.label("next_at"))
        .where(*lookahead)
        .subquery()
    )
    repeated = and_(
        contacts.c.next_at.is_not(None),
        parts.seconds_between(contacts.c.started_at, contacts.c.next_at) <= REPEAT_WINDOW_SECONDS,
    )
    week = parts.week(contacts.c.started_at).label("week")
    counted: list[Any] = [where_agent(contacts.c.agent_id)]
    if end is not None:
        counted.append(contacts.c.started_at < end)
    query = (
        select(
            week, func.count().label("customers"), func.sum(case((repeated, 1), else_=0)).label("repeated")
        )
        .where(*counted)
        .group_by(week)
        .order_by(week)
    )
    return list(session.execute(query))


def scores_around(
    session: Session, agent_id: int, moment: datetime, before: datetime, after: datetime
) -> Row[Any]:
    """The agent's mean score and count in [before, moment) and in [moment, after)."""
    earlier = Interaction.started_at < moment
    query = (
        select(
            func.avg(case((earlier, Evaluation.total))).label("before"),
            func.count(case((earlier, Evaluation.total))).label("before_count"),
            func.avg(case((~earlier, Evaluation.total))).label("after"),
            func.count(case((~earlier, Evaluation.total))).label("after_count"),
        )
        .select_from(Interaction)
        .join(Evaluation, _current)
        .where(
            Interaction.agent_id == agent_id,
            Interaction.started_at >= before,
            Interaction.started_at < after,
            Evaluation.total.is_not(None),
        )
    )
    return session.execute(query).one()
