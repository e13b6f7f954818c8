"""The list is one SELECT plus one count; the detail loads in a fixed number of queries (no N+1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.orm import Session

from qa.auth import service as auth_service
from qa.interactions import service
from qa.models import Role
from tests.qa.builders import CriterionSpec, add_interaction, add_user


@contextmanager
def count_statements(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def _record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


def test_list_and_detail_query_counts(session: Session) -> None:
    add_user(session, "sam", Role.SUPERVISOR, team="North")
    for n in range(12):
        add_interaction(session, agent=f"agent{n % 4}", team="North")
    session.commit()
    principal = auth_service.principal_for(session=session, username="sam")
    assert principal is not None
    session.expunge_all()
    with count_statements(session) as statements:
        page = service.list_interactions(session=session, principal=principal, limit=10)
    assert page.total == 12 and len(page.items) == 10
    assert len(statements) == 2, statements
    assert all(item.agent and item.score is not None for item in page.items)

    with count_statements(session) as statements:
        detail = service.get_interaction_detail(
            session=session, principal=principal, interaction_id=page.items[0].id
        )
    assert detail.evaluation is not None and len(detail.evaluation.criteria) == 4
    # interaction + media + agent + turns, whether the caller must still answer it blind in a calibration,
    # then evaluation + criteria + rubric version, the criteria the machine is not trusted on, and the turn
    # count of the paged transcript: a fixed number, never one per turn or criterion.
    assert len(statements) <= 10, statements


def test_sort_orders_agree_on_both_backends(session: Session) -> None:
    add_user(session, "mona", Role.MANAGER)
    low = add_interaction(
        session, agent="a1", customer_sentiment_end=-0.9, started_at=datetime(2026, 3, 1, tzinfo=UTC)
    )
    failed = add_interaction(
        session,
        agent="a1",
        criteria=[CriterionSpec("p", "fail", critical=True)],
        started_at=datetime(2026, 3, 3, tzinfo=UTC),
    )
    unscored = add_interaction(
        session, agent="a1", criteria=None, started_at=datetime(2026, 3, 4, tzinfo=UTC)
    )
    undated = add_interaction(session, agent="a1", started_at=None, customer_sentiment_end=None)
    best = add_interaction(
        session,
        agent="a1",
        criteria=[CriterionSpec("g", "pass")],
        started_at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    principal = auth_service.principal_for(session=session, username="mona")
    assert principal is not None

    def order(sort: service.Sort) -> list[int]:
        page = service.list_interactions(session=session, principal=principal, sort=sort)
        return [item.id for item in page.items]

    assert order("priority") == [failed.id, low.id, undated.id, best.id, unscored.id]
    assert order("newest") == [undated.id, unscored.id, failed.id, best.id, low.id]
    assert order("sentiment")[0] == low.id and order("sentiment")[-1] == undated.id
