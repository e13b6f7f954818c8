"""A small, known data set for the coaching view's tests, and a large one for the benchmark.

`seed_small` is what the AppTests and the browser test assert against:

- team North: supervisor `sam`, agents `maria` (maria.g) and `li` (li.w); team South: agent `omar` (omar.k)
- manager `mgr`, admin `root`; every password is builders.PASSWORD
- maria.g: one auto-fail (critical privacy criterion failed), three ordinary chats over three weeks
  (waits 30, 60, 90 s), one call with a coaching-worthy low score from the third chat's customer a day
  later (a repeat contact), sam's coaching note on it, then a perfect chat
- li.w: one low score with a very negative customer, one ordinary chat; omar.k: one chat (outside sam's team)
- one failed analyze job
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.models import CoachingNote, Job, JobKind, JobStatus, Role, Turn
from tests.qa.builders import PASSWORD, CriterionSpec, add_interaction, add_user

__all__ = ["PASSWORD", "Seeded", "seed_large", "seed_small"]

START = datetime(2026, 3, 2, 10, 15, tzinfo=UTC)

PRIVACY_FAIL = (
    CriterionSpec("greeting", "pass", question="Did the agent greet the caller and give their name?"),
    CriterionSpec("verify_address", "pass", question="Did the agent verify the service address?"),
    CriterionSpec(
        "no_personal_data",
        "fail",
        critical=True,
        question="Did the agent avoid asking for sensitive data?",
        evidence=[
            {"turn": 2, "speaker": "agent", "start": 20.0, "text": "Can I have your social security number?"}
        ],
    ),
)
PRIVACY_TURNS = (
    ("agent", "Thank you for calling Public Works, this is Maria."),
    ("customer", "My scooter complaint was never answered."),
    ("agent", "Can I have your social security number?"),
    ("customer", "Why would you need that? This is ridiculous."),
    ("agent", "Sorry, you are right, I only need the address."),
)
ALL_PASS = (
    CriterionSpec("greeting", "pass", question="Did the agent greet the caller and give their name?"),
    CriterionSpec("verify_address", "pass", question="Did the agent verify the service address?"),
    CriterionSpec("empathy", "pass", question="Did the agent acknowledge the problem?"),
)
LOW_SCORE = (
    CriterionSpec("greeting", "fail", question="Did the agent greet the caller and give their name?"),
    CriterionSpec("verify_address", "fail", question="Did the agent verify the service address?"),
    CriterionSpec("empathy", "pass", question="Did the agent acknowledge the problem?"),
)


def _feelings(session: Session, interaction_id: int, sentiments: list[float]) -> None:
    """Give the interaction's turns these sentiment scores (the builders leave them neutral)."""
    turns = session.scalars(select(Turn).where(Turn.interaction_id == interaction_id).order_by(Turn.index))
    for turn, sentiment in zip(turns, sentiments, strict=False):
        turn.sentiment = sentiment
    session.flush()


def _coaching_note(session: Session, interaction_id: int, written_at: datetime) -> int:
    """sam's note on the interaction, dated `written_at` so scores before and after it can be compared."""
    sam = principal_for(session=session, username="sam")
    assert sam is not None
    note = coaching_service.create_note(
        session=session,
        principal=sam,
        interaction_id=interaction_id,
        text="Greet the caller with your name and confirm the address before anything else.",
        criterion_id="greeting",
        at_seconds=0.0,
    )
    row = session.get(CoachingNote, note.id)
    assert row is not None
    row.created_at = written_at
    session.flush()
    return note.id


@dataclass(frozen=True)
class Seeded:
    """Ids the tests look for."""

    auto_fail_id: int
    low_score_id: int
    maria_ids: tuple[int, ...]
    li_ids: tuple[int, ...]
    omar_ids: tuple[int, ...]
    maria_low_id: int
    failed_job_id: int
    coaching_note_id: int


def seed_small(session: Session) -> Seeded:
    """People, eight scored interactions and a failed job (see the module docstring)."""
    add_user(session, "sam", Role.SUPERVISOR, team="North")
    add_user(session, "maria", Role.AGENT, agent="maria.g", team="North")
    add_user(session, "li", Role.AGENT, agent="li.w", team="North")
    add_user(session, "omar", Role.AGENT, agent="omar.k", team="South")
    add_user(session, "mgr", Role.MANAGER)
    add_user(session, "root", Role.ADMIN)

    auto_fail = add_interaction(
        session,
        agent="maria.g",
        channel="call",
        topic="scooters",
        queue="scooters",
        turns=PRIVACY_TURNS,
        criteria=PRIVACY_FAIL,
        customer_sentiment_end=-0.5,
        started_at=START + timedelta(days=14),
        external_id="call-autofail",
    )
    _feelings(session, auto_fail.id, [0.3, -0.2, 0.1, -0.8, 0.4])
    maria = [
        add_interaction(session, agent="maria.g", started_at=START + timedelta(days=7 * week), csat=4)
        for week in range(3)
    ]
    maria_call = add_interaction(
        session,
        agent="maria.g",
        channel="call",
        criteria=LOW_SCORE,
        started_at=START + timedelta(days=15),
        customer_sentiment_end=0.1,
        external_id="call-maria-low",
    )
    # The customer of maria's third chat calls again the next day (a repeat contact); her chats waited 1 min.
    for chat, wait in zip(maria, (30.0, 60.0, 90.0), strict=True):
        chat.wait_seconds = wait
    maria[2].customer_hash = maria_call.customer_hash = "customer-r1"
    note = _coaching_note(session, maria_call.id, START + timedelta(days=16))
    after_note = add_interaction(
        session, agent="maria.g", started_at=START + timedelta(days=20), criteria=ALL_PASS, csat=5
    )
    low = add_interaction(
        session,
        agent="li.w",
        channel="call",
        topic="potholes",
        queue="streets",
        criteria=LOW_SCORE,
        customer_sentiment_end=-0.9,
        started_at=START + timedelta(days=10),
        external_id="call-li-angry",
    )
    _feelings(session, low.id, [0.0, -0.4, -0.1, -0.7, -0.2, -0.9])
    li_chat = add_interaction(session, agent="li.w", started_at=START + timedelta(days=3))
    omar = add_interaction(session, agent="omar.k", started_at=START + timedelta(days=4), queue="parking")
    job = Job(
        kind=JobKind.ANALYZE,
        status=JobStatus.FAILED,
        interaction_id=li_chat.id,
        attempts=1,
        error="encoder not available",
    )
    session.add(job)
    session.flush()
    return Seeded(
        auto_fail_id=auto_fail.id,
        low_score_id=low.id,
        maria_ids=(auto_fail.id, *(i.id for i in maria), maria_call.id, after_note.id),
        li_ids=(low.id, li_chat.id),
        omar_ids=(omar.id,),
        maria_low_id=maria_call.id,
        failed_job_id=job.id,
        coaching_note_id=note,
    )


AGENTS = [f"agent{n:02d}" for n in range(40)]
TEAMS = ["North", "South", "East", "West"]
CHANNELS = ["call", "chat", "email", "form"]
PROGRAMS = {
    "solid_waste": ["missed_pickup", "bulky_item", "bin_request"],
    "streets": ["potholes", "street_sweeping", "signals"],
    "parking": ["parking_ticket", "permit"],
    "scooters": ["scooters"],
}


def seed_large(session: Session, count: int = 10_000, seed: int = 7) -> None:
    """`count` scored interactions over 26 weeks for 40 agents in 4 teams (with waits and returning
    customers), plus one user per role."""
    rng = random.Random(seed)
    add_user(session, "sam", Role.SUPERVISOR, team="North")
    add_user(session, "maria", Role.AGENT, agent=AGENTS[0], team="North")
    add_user(session, "mgr", Role.MANAGER)
    add_user(session, "root", Role.ADMIN)
    for n, name in enumerate(AGENTS):
        add_user(session, f"user_{name}", Role.AGENT, agent=name, team=TEAMS[n % len(TEAMS)])
    questions = ["greeting", "verify_address", "empathy", "resolution", "closing"]
    for n in range(count):
        program = rng.choice(list(PROGRAMS))
        criteria = [
            CriterionSpec(q, "pass" if rng.random() < 0.8 else "fail", question=q.replace("_", " "))
            for q in questions
        ]
        criteria.append(
            CriterionSpec("no_personal_data", "fail" if rng.random() < 0.03 else "pass", critical=True)
        )
        contact = add_interaction(
            session,
            agent=AGENTS[n % len(AGENTS)],
            channel=rng.choices(CHANNELS, weights=[5, 3, 1, 1])[0],
            queue=program,
            topic=rng.choice(PROGRAMS[program]),
            started_at=START + timedelta(minutes=rng.randrange(0, 26 * 7 * 24 * 60)),
            customer_sentiment_end=round(rng.uniform(-1, 1), 2),
            csat=rng.randint(1, 5),
            duration_seconds=rng.uniform(60, 900),
            criteria=criteria,
            review_status=rng.choice(["pending", "pending", "reviewed"]),
        )
        # Half as many customers as contacts: some come back within 7 days (repeat contacts).
        contact.customer_hash = f"customer-{rng.randrange(count // 2 or 1)}"
        contact.wait_seconds = rng.uniform(0, 300)
