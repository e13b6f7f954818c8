"""Issue 16's figures, on SQLite and PostgreSQL: service levels per channel against the team's targets,
monthly volume, the repeat-contact rule and list, and the coaching effect on the coached criterion."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from qa import config as qa_config
from qa.access import Principal
from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.errors import PermissionDenied
from qa.models import CoachingNote, Interaction, Role
from qa.reports import service
from qa.reports.levels_repository import business_days_to_calendar_days
from qa.reports.schemas import ServiceLevel
from tests.qa.builders import CriterionSpec, add_interaction, add_user

DAY = 86400.0
START, END = date(2026, 2, 1), date(2026, 3, 31)


def at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def contact(session: Session, agent: str, moment: datetime, **values: object) -> Interaction:
    """An interaction; `values` set Interaction columns (wait_seconds, customer_hash, raw_metadata...)."""
    spec: dict[str, Any] = {k: values.pop(k) for k in ("channel", "queue", "criteria") if k in values}
    interaction = add_interaction(session, agent=agent, started_at=moment, **spec)
    for name, value in values.items():
        setattr(interaction, name, value)
    session.flush()
    return interaction


def who(session: Session, username: str) -> Principal:
    principal = principal_for(session=session, username=username)
    assert principal is not None
    return principal


@pytest.fixture
def people(session: Session) -> Session:
    add_user(session, "sam", Role.SUPERVISOR, team="North")
    add_user(session, "maria", Role.AGENT, agent="maria.g", team="North")
    add_user(session, "ahmed", Role.AGENT, agent="ahmed.k", team="South")
    add_user(session, "mona", Role.MANAGER)
    return session


def reconfigure(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(f"CALLCOACH_{name.upper()}", value)
    qa_config.get_settings.cache_clear()


@pytest.fixture
def channels(people: Session) -> Iterator[Session]:
    """maria.g's contacts of March 2026 on every channel but forms, plus one e-mail in February."""
    s = people
    contact(s, "maria.g", at(2), channel="call", wait_seconds=30)
    contact(s, "maria.g", at(3), channel="call", wait_seconds=90)
    contact(s, "maria.g", at(4), channel="call", wait_seconds=45, disposition="abandoned")
    contact(s, "maria.g", at(2, 11), channel="chat", wait_seconds=20)
    contact(s, "maria.g", at(3, 11), channel="chat", wait_seconds=100)
    # Friday: a reply 2.5 days later is by Monday 10:00 (one business day), resolved within 3 (Wednesday).
    contact(s, "maria.g", at(6), channel="email", wait_seconds=2.5 * DAY,
            raw_metadata={"resolution_seconds": 4 * DAY})  # fmt: skip
    # Monday: 1.5 days is more than one business day.
    contact(s, "maria.g", at(9), channel="email", wait_seconds=1.5 * DAY)
    # Saturday: the clock starts on Monday, so 2.9 days is still in time (Tuesday 10:00).
    contact(s, "maria.g", at(7), channel="email", wait_seconds=2.9 * DAY)
    contact(s, "maria.g", at(27, month=2), channel="email", queue="streets")  # February, no times
    yield s


def levels(rows: list[ServiceLevel]) -> dict[tuple[str, str], tuple[Any, ...]]:
    """(contacts, average, in target, share, met) by (channel, measure)."""
    return {
        (lv.channel, lv.measure): (lv.contacts, lv.average_seconds, lv.within_target, lv.share, lv.met)
        for lv in rows
    }


def test_business_days_skip_the_weekend() -> None:
    days = [business_days_to_calendar_days(weekday, 1) for weekday in range(7)]
    assert days == [1, 1, 1, 1, 3, 3, 2]  # Friday to Monday; Saturday and Sunday to Tuesday
    assert business_days_to_calendar_days(3, 2) == 4 and business_days_to_calendar_days(0, 5) == 7


def test_service_levels_per_channel_against_the_targets(channels: Session) -> None:
    figures = service.contact_figures(session=channels, principal=who(channels, "mona"), start=START, end=END)
    got = levels(figures.service_levels)
    # Calls: the abandoned one is no speed of answer; 1 of 2 answered within 60 s; 1 of 3 offered abandoned.
    assert got[("call", "speed of answer")] == (2, 60.0, 1, 0.5, False)
    assert got[("call", "abandoned")] == (3, None, 1, 0.3333, False)
    assert got[("chat", "first response")] == (2, 60.0, 1, 0.5, False)
    assert got[("email", "first reply")] == (3, round((2.5 + 1.5 + 2.9) * DAY / 3, 1), 2, 0.6667, False)
    assert got[("email", "resolution")] == (1, 4 * DAY, 1, 1.0, True)
    assert got[("form", "first reply")] == (0, None, 0, None, None)
    targets = {(lv.channel, lv.measure): (lv.target, lv.target_share) for lv in figures.service_levels}
    assert targets[("call", "speed of answer")] == ("60 s", 0.8)
    assert targets[("email", "first reply")] == ("1 business day", 0.9)
    assert figures.targets_team is None and figures.totals.speed_of_answer_seconds == 60.0
    # The mixed "wait" of the old figures is still there, but no longer the only time shown.
    assert figures.totals.interactions == 9


def test_a_teams_own_targets(channels: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    reconfigure(
        monkeypatch,
        service_targets_for_team='{"North": {"answer_seconds": 100, "reply_business_days": 2}}',
    )
    north = service.contact_figures(session=channels, principal=who(channels, "sam"), start=START, end=END)
    got = levels(north.service_levels)
    assert north.targets_team == "North"
    assert got[("call", "speed of answer")][2:] == (2, 1.0, True)
    assert got[("email", "first reply")][2:] == (3, 1.0, True)
    # The manager's division-wide view keeps the general targets.
    everyone = service.contact_figures(
        session=channels, principal=who(channels, "mona"), start=START, end=END
    )
    assert levels(everyone.service_levels)[("call", "speed of answer")][2] == 1


def test_a_bad_team_target_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCOACH_SERVICE_TARGETS_FOR_TEAM", '{"North": {"answer_secs": 30}}')
    qa_config.get_settings.cache_clear()
    with pytest.raises(ValueError, match=r"service_targets_for_team\['North'\]\.answer_secs"):
        qa_config.get_settings()
    qa_config.get_settings.cache_clear()


def test_a_bad_repeat_window_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLCOACH_REPEAT_WINDOW_DAYS_FOR_PROGRAM", '{"solid_waste": 0}')
    qa_config.get_settings.cache_clear()
    with pytest.raises(ValueError, match="repeat window for 'solid_waste' must be 1 to 90 days, not 0"):
        qa_config.get_settings()
    qa_config.get_settings.cache_clear()


def test_volume_by_month_program_channel_and_topic(channels: Session) -> None:
    figures = service.contact_figures(session=channels, principal=who(channels, "mona"), start=START, end=END)
    volume = {(v.month, v.program, v.channel, v.topic): v.count for v in figures.volume}
    march = date(2026, 3, 1)
    assert volume == {
        (date(2026, 2, 1), "streets", "email", "missed_pickup"): 1,
        (march, "solid_waste", "call", "missed_pickup"): 3,
        (march, "solid_waste", "chat", "missed_pickup"): 2,
        (march, "solid_waste", "email", "missed_pickup"): 3,
    }


@pytest.fixture
def customers(people: Session) -> Session:
    """r1 comes back after 3 days (to ahmed.k, South), r2 after 2 days about another program, r3 after 10."""
    s = people
    s.info["r1"] = contact(s, "maria.g", at(2), customer_hash="r1").id
    s.info["r1_again"] = contact(s, "ahmed.k", at(5), channel="call", customer_hash="r1").id
    contact(s, "maria.g", at(2, 12), customer_hash="r2")
    contact(s, "maria.g", at(4), queue="streets", customer_hash="r2")
    contact(s, "maria.g", at(2, 14), channel="email", customer_hash="r3")
    contact(s, "maria.g", at(12, 14), channel="email", customer_hash="r3")
    return s


def repeat_totals(session: Session) -> tuple[int, int, float | None]:
    totals = service.contact_figures(
        session=session, principal=who(session, "mona"), start=START, end=END
    ).totals
    return totals.customers, totals.repeat_contacts, totals.first_contact_resolution


def test_repeat_rule_same_program_within_the_window(customers: Session) -> None:
    assert repeat_totals(customers) == (6, 1, 0.8333)


@pytest.mark.parametrize(
    ("env", "repeats"),
    [
        ({"repeat_any_program": "true"}, 2),  # r1 and r2
        ({"repeat_window_days_for_channel": '{"email": 14}'}, 2),  # r1 and r3
        # The program's window wins over the channel's: r1 (3 days) and r3 (10 days) both fall outside 2.
        (
            {
                "repeat_window_days_for_channel": '{"email": 14}',
                "repeat_window_days_for_program": '{"solid_waste": 2}',
            },
            0,
        ),
        ({"repeat_window_days": "10"}, 2),  # r1 and r3, exactly 10 days
    ],
)  # fmt: skip
def test_repeat_rule_is_configurable(
    customers: Session, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], repeats: int
) -> None:
    reconfigure(monkeypatch, **env)
    assert repeat_totals(customers)[1] == repeats


def test_repeat_contacts_list_hides_another_teams_contact(customers: Session) -> None:
    (seen,) = service.repeat_contacts(
        session=customers, principal=who(customers, "mona"), start=START, end=END
    )
    assert (seen.interaction_id, seen.agent, seen.next_interaction_id, seen.next_agent) == (
        customers.info["r1"], "maria.g", customers.info["r1_again"], "ahmed.k",
    )  # fmt: skip
    assert (seen.channel, seen.next_channel, seen.days_between, seen.program) == (
        "chat",
        "call",
        3.0,
        "solid_waste",
    )
    (north,) = service.repeat_contacts(
        session=customers, principal=who(customers, "sam"), start=START, end=END
    )
    assert (north.interaction_id, north.next_interaction_id, north.next_agent) == (
        customers.info["r1"],
        None,
        None,
    )
    with pytest.raises(PermissionDenied):
        service.repeat_contacts(session=customers, principal=who(customers, "maria"), start=START, end=END)


def scored(greeting: str, empathy: str = "fail") -> list[CriterionSpec]:
    return [CriterionSpec("greeting", greeting), CriterionSpec("empathy", empathy)]


@pytest.fixture
def coached(people: Session, monkeypatch: pytest.MonkeyPatch) -> Session:
    """maria.g: greeting pass, fail, fail, pass | note on greeting | pass, pass, fail, fail; a note on empathy
    written today, after her newest interaction. Three interactions either side count."""
    reconfigure(monkeypatch, coaching_effect_interactions="3")
    s = people
    results = ["pass", "fail", "fail", "pass", "pass", "pass", "fail", "fail"]
    ids = [contact(s, "maria.g", at(2 + day), criteria=scored(r)).id for day, r in enumerate(results)]
    sam = who(s, "sam")
    note = coaching_service.create_note(
        session=s, principal=sam, interaction_id=ids[3], text="Greet first", criterion_id="greeting"
    )
    row = s.get(CoachingNote, note.id)
    assert row is not None
    row.created_at = at(5, 12)  # after the 4th interaction (day 5, 10:00), before the 5th
    coaching_service.create_note(
        session=s,
        principal=sam,
        interaction_id=ids[7],
        text="Acknowledge the problem",
        criterion_id="empathy",
    )
    s.flush()
    return s


def test_coaching_effect_on_the_coached_criterion(coached: Session) -> None:
    effects = service.coaching_history(session=coached, principal=who(coached, "mona"), agent="maria.g")
    empathy, greeting = effects  # newest first
    # The last 3 before: fail, fail, pass; the first 3 after: pass, pass, fail.
    assert (greeting.before_count, greeting.before_passed, greeting.before_pass_rate) == (3, 1, 0.3333)
    assert (greeting.after_count, greeting.after_passed, greeting.after_pass_rate) == (3, 2, 0.6667)
    assert greeting.before_score is None and greeting.window == 3
    # Written today: nothing after it yet, which reads as no data, not as 0 %.
    assert (empathy.before_count, empathy.before_passed, empathy.after_count, empathy.after_pass_rate) == (
        3, 0, 0, None,
    )  # fmt: skip


def test_review_counts_the_notes_its_table_lists(coached: Session) -> None:
    mona = who(coached, "mona")
    today = datetime.now(UTC).date()
    review = service.performance_review(
        session=coached, principal=mona, agent="maria.g", start=date(2026, 3, 1), end=today
    )
    assert (review.coaching_notes, review.coaching_acknowledged) == (2, 0) == (len(review.coaching), 0)
    march = service.performance_review(
        session=coached, principal=mona, agent="maria.g", start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    assert march.coaching_notes == len(march.coaching) == 1 and march.coaching[0].criterion_id == "greeting"


def test_coaching_topics_that_moved_scores(coached: Session) -> None:
    today = datetime.now(UTC).date()
    topics = service.coaching_topics(
        session=coached, principal=who(coached, "sam"), start=date(2026, 3, 1), end=today + timedelta(days=1)
    )
    assert [(t.criterion_id, t.notes, t.agents, t.change) for t in topics] == [
        ("greeting", 1, 1, 33.3),
        ("empathy", 1, 1, None),
    ]
    greeting = topics[0]
    assert (greeting.before_passed, greeting.before_count, greeting.after_passed, greeting.after_count) == (
        1,
        3,
        2,
        3,
    )
    with pytest.raises(PermissionDenied):
        service.coaching_topics(session=coached, principal=who(coached, "maria"))


def test_each_channel_has_its_own_averages(people: Session) -> None:
    """Handle time, CSAT and score per channel: a call's 4 minutes are never averaged with a chat's hour."""
    s = people
    for moment, channel, total, csat, seconds in [
        (at(2), "call", 80.0, 5, 240.0),
        (at(3), "call", 60.0, None, 360.0),
        (at(2, 11), "chat", 90.0, 3, 3600.0),
        (at(3, 11), "chat", None, 4, 1800.0),
        (at(4), "email", 70.0, None, None),
    ]:
        criteria = None if total is None else [CriterionSpec("greeting", "pass")]
        add_interaction(
            s, agent="maria.g", started_at=moment, channel=channel, total=total, csat=csat,
            duration_seconds=seconds, criteria=criteria,
        )  # fmt: skip
    figures = service.contact_figures(session=s, principal=who(s, "mona"), start=START, end=END)
    rows = {
        c.channel: (c.count, c.scored, c.average_score, c.average_csat, c.average_handle_seconds)
        for c in figures.channels
    }
    assert rows == {
        "call": (2, 2, 70.0, 5.0, 300.0),
        "chat": (2, 1, 90.0, 3.5, 2700.0),
        "email": (1, 1, 70.0, None, None),
    }
    assert [c.channel for c in figures.channels] == ["call", "chat", "email"]  # the largest first, then a-z
