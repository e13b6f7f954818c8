"""Period figures computed in the database (qa.reports.contact_figures, coaching_history), and their scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from qa.access import Principal
from qa.agents import service as agent_service
from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.errors import NotFound
from qa.models import CoachingNote, Interaction, Role
from qa.reports import service
from tests.qa.builders import add_interaction, add_user

START, END = date(2026, 3, 2), date(2026, 3, 15)  # two weeks, Monday to Sunday


def _contact(
    session: Session,
    agent: str,
    at: datetime,
    *,
    customer: str | None = None,
    wait: float | None = None,
    handle: float | None = None,
    **spec: Any,
) -> Interaction:
    interaction = add_interaction(session, agent=agent, started_at=at, **spec)
    interaction.customer_hash = customer
    interaction.wait_seconds = wait
    interaction.handle_seconds = handle
    session.flush()
    return interaction


@dataclass
class Figures:
    session: Session

    def who(self, username: str) -> Principal:
        principal = principal_for(session=self.session, username=username)
        assert principal is not None
        return principal


@pytest.fixture
def world(session: Session) -> Figures:
    """North: maria.g (sam supervises); South: ahmed.k (sue supervises); mona manages."""
    add_user(session, "sam", Role.SUPERVISOR, team="North")
    add_user(session, "sue", Role.SUPERVISOR, team="South")
    add_user(session, "maria", Role.AGENT, agent="maria.g", team="North")
    add_user(session, "ahmed", Role.AGENT, agent="ahmed.k", team="South")
    add_user(session, "mona", Role.MANAGER)
    add_user(session, "nobody", Role.AGENT)  # not linked to an agent
    utc = UTC
    # maria.g: an auto-fail at 0 and a 9 two days later from the same customer c1, then a perfect email.
    _contact(session, "maria.g", datetime(2026, 3, 2, 9, 30, tzinfo=utc), customer="c1", wait=30, handle=200,
             total=0.0, auto_fail=True, customer_sentiment_end=-0.5, csat=2)  # fmt: skip
    m2 = _contact(session, "maria.g", datetime(2026, 3, 4, 14, 10, tzinfo=utc), customer="c1", wait=60,
                  handle=400, channel="call", total=9.0, customer_sentiment_end=0.5, csat=4)  # fmt: skip
    _contact(session, "maria.g", datetime(2026, 3, 9, 9, 0, tzinfo=utc), customer="c2", channel="email",
             total=100.0, customer_sentiment_end=0.0, csat=None, duration_seconds=120.0, queue="streets",
             topic="potholes")  # fmt: skip
    # ahmed.k: c3 again only after 17 days; c2 (maria's customer) calls ahmed 3 days after maria's email.
    _contact(session, "ahmed.k", datetime(2026, 3, 3, 10, 0, tzinfo=utc), customer="c3", total=55.0,
             customer_sentiment_end=-0.3)  # fmt: skip
    _contact(session, "ahmed.k", datetime(2026, 3, 12, 10, 0, tzinfo=utc), customer="c2", total=10.0,
             customer_sentiment_end=0.6)  # fmt: skip
    _contact(session, "ahmed.k", datetime(2026, 3, 20, 10, 0, tzinfo=utc), customer="c3", total=80.0)
    figures = Figures(session)
    note = coaching_service.create_note(
        session=session, principal=figures.who("sam"), interaction_id=m2.id, text="Greet by name"
    )
    row = session.get(CoachingNote, note.id)
    assert row is not None
    row.created_at = datetime(2026, 3, 4, 12, 0, tzinfo=utc)
    session.flush()
    return figures


def test_manager_figures_cover_every_team(world: Figures) -> None:
    figures = service.contact_figures(
        session=world.session, principal=world.who("mona"), start=START, end=END
    )
    totals = figures.totals
    assert (totals.interactions, totals.scored, totals.auto_fails) == (5, 5, 1)
    assert totals.average_score == pytest.approx((0 + 9 + 100 + 55 + 10) / 5, abs=0.01)
    # c1 again within 2 days about the same program; c2 again within 3 days but about another program (the
    # default rule counts the same program only); c3 only after 17 days.
    assert (totals.customers, totals.repeat_contacts, totals.first_contact_resolution) == (5, 1, 0.8)
    bands = {b.band: b.count for b in figures.score_bands}
    assert len(bands) == 10 and sum(bands.values()) == 5
    assert (bands["0-10"], bands["10-20"], bands["50-60"], bands["90-100"]) == (2, 1, 1, 1)
    assert [(c.channel, c.count) for c in figures.channels] == [("chat", 3), ("call", 1), ("email", 1)]
    hours = {(h.weekday, h.hour): h.count for h in figures.volume_by_hour}
    assert hours == {(0, 9): 2, (1, 10): 1, (2, 14): 1, (3, 10): 1}
    drivers = {(d.week, d.program, d.topic): d.count for d in figures.drivers}
    assert drivers == {
        (date(2026, 3, 2), "solid_waste", "missed_pickup"): 3,
        (date(2026, 3, 9), "streets", "potholes"): 1,
        (date(2026, 3, 9), "solid_waste", "missed_pickup"): 1,
    }
    first, second = figures.weeks
    assert (first.week, first.interactions, second.week, second.interactions) == (
        date(2026, 3, 2), 3, date(2026, 3, 9), 2,
    )  # fmt: skip
    assert first.average_customer_sentiment_end == pytest.approx(-0.1, abs=0.001)
    assert second.average_customer_sentiment_end == pytest.approx(0.3, abs=0.001)
    # Handle time falls back to the interaction's length (the builders' 240 s) when none was reported.
    assert (first.average_handle_seconds, first.average_wait_seconds) == (280.0, 45.0)
    assert (first.customers, first.repeat_contacts, second.customers, second.repeat_contacts) == (3, 1, 2, 0)
    assert first.average_csat == pytest.approx(10 / 3, abs=0.01)


def test_agents_side_by_side_have_sentiment_and_wait_time(world: Figures) -> None:
    dashboard = service.team_dashboard(
        session=world.session, principal=world.who("mona"), start=START, end=END
    )
    maria = next(a for a in dashboard.agents if a.agent == "maria.g")
    assert (maria.interactions, maria.auto_fails, maria.average_csat) == (3, 1, 3.0)
    assert (maria.average_wait_seconds, maria.average_customer_sentiment_end) == (45.0, 0.0)


def test_one_agents_figures_and_supervisor_scope(world: Figures) -> None:
    own = service.contact_figures(session=world.session, principal=world.who("maria"), start=START, end=END)
    assert own.totals.interactions == 3
    assert (own.totals.customers, own.totals.repeat_contacts) == (3, 1)
    north = service.contact_figures(session=world.session, principal=world.who("sam"), start=START, end=END)
    assert north.totals.interactions == 3 and {c.channel for c in north.channels} == {"chat", "call", "email"}
    south = service.contact_figures(session=world.session, principal=world.who("sue"), start=START, end=END)
    assert (south.totals.interactions, south.totals.first_contact_resolution) == (2, 1.0)
    by_agent = service.contact_figures(
        session=world.session, principal=world.who("mona"), start=START, end=END, agent="ahmed.k"
    )
    assert by_agent.totals.interactions == 2 and by_agent.agent == "ahmed.k"
    nothing = service.contact_figures(session=world.session, principal=world.who("nobody"))
    assert nothing.totals.interactions == 0 and nothing.weeks == [] and nothing.totals.average_score is None


@pytest.mark.parametrize("username", ["sam", "maria"])
def test_other_teams_aggregates_are_not_found(world: Figures, username: str) -> None:
    principal = world.who(username)
    with pytest.raises(NotFound):
        service.contact_figures(session=world.session, principal=principal, agent="ahmed.k")
    with pytest.raises(NotFound):
        service.coaching_history(session=world.session, principal=principal, agent="ahmed.k")
    dashboard = service.team_dashboard(session=world.session, principal=principal, start=START, end=END)
    assert {a.agent for a in dashboard.agents} == {"maria.g"}


def test_coaching_history_compares_the_interactions_before_and_after(world: Figures) -> None:
    # The note has no criterion: the mean total of the (default 10) scored interactions on either side.
    (effect,) = service.coaching_history(session=world.session, principal=world.who("mona"), agent="maria.g")
    assert (effect.before_score, effect.before_count, effect.before_pass_rate) == (0.0, 1, None)
    assert (effect.after_score, effect.after_count, effect.after_passed) == (54.5, 2, None)
    assert (effect.author, effect.acknowledged, effect.window) == ("sam", False, 10)
    # maria sees her own history; ahmed has no notes.
    assert (
        len(service.coaching_history(session=world.session, principal=world.who("maria"), agent="maria.g"))
        == 1
    )
    assert service.coaching_history(session=world.session, principal=world.who("sue"), agent="ahmed.k") == []


def test_visible_agents_follow_the_role(world: Figures) -> None:
    def names(username: str) -> list[str]:
        agents = agent_service.list_visible_agents(session=world.session, principal=world.who(username))
        return [a.name for a in agents]

    assert names("mona") == ["ahmed.k", "maria.g"]
    assert names("sam") == ["maria.g"]
    assert names("sue") == ["ahmed.k"]
    assert names("ahmed") == ["ahmed.k"]
    assert names("nobody") == []
