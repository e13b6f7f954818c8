"""Insert people, interactions, turns, evaluations and criterion results straight through the ORM.

For tests (API, services, the Streamlit view) that need scored data without running the pipeline:

    north = add_team(session, "North")
    add_user(session, "sam", Role.SUPERVISOR, team="North")
    add_user(session, "maria", Role.AGENT, agent="maria.g", team="North")
    chat = add_interaction(session, agent="maria.g", team="North", criteria=[
        CriterionSpec("greeting", "pass"), CriterionSpec("privacy", "fail", critical=True)])

Every function flushes, so ids are set; the caller's session scope commits.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.models import (
    Agent,
    CriterionResult,
    Evaluation,
    Interaction,
    Media,
    Role,
    RubricVersion,
    Team,
    Turn,
    User,
)
from qa.reviews.totals import compute_total, points_for
from qa.security import hash_password

PASSWORD = "correct-horse-battery"
_external_ids = itertools.count(1)


@dataclass(slots=True)
class CriterionSpec:
    """One criterion result to store; evidence defaults to the first turn said by `speaker`."""

    criterion_id: str
    result: str = "pass"
    max_points: float = 10.0
    critical: bool = False
    section: str = "main"
    question: str = ""
    confidence: float | None = 0.9
    evidence: list[dict[str, Any]] | None = None
    machine_result: str | None = None
    override_comment: str | None = None


DEFAULT_TURNS: tuple[tuple[str, str], ...] = (
    ("agent", "Thank you for calling Public Works, this is Maria. How can I help?"),
    ("customer", "My bins were not picked up on Oak Street this week."),
    ("agent", "I'm sorry about that. Can you confirm the address for me?"),
    ("customer", "12 Oak Street."),
    ("agent", "I've scheduled a return pickup for tomorrow. Anything else?"),
    ("customer", "No, thanks."),
)

DEFAULT_CRITERIA: tuple[CriterionSpec, ...] = (
    CriterionSpec("greeting", "pass", question="Did the agent greet the caller and give their name?"),
    CriterionSpec("verify_address", "pass", question="Did the agent verify the service address?"),
    CriterionSpec("empathy", "fail", question="Did the agent acknowledge the problem?"),
    CriterionSpec(
        "no_personal_data", "pass", critical=True, question="Did the agent avoid asking for sensitive data?"
    ),
)


@lru_cache
def _password_hash(password: str) -> str:
    # argon2 is deliberately slow; hash each test password once per process.
    return hash_password(password)


def add_team(session: Session, name: str) -> Team:
    """The team called `name`, created if new."""
    team = session.scalars(select(Team).where(Team.name == name)).one_or_none()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def add_agent(session: Session, name: str, team: str | None = None) -> Agent:
    """The agent called `name` (created if new), placed in `team` when given."""
    agent = session.scalars(select(Agent).where(Agent.name == name)).one_or_none()
    if agent is None:
        agent = Agent(name=name)
        session.add(agent)
    if team is not None:
        agent.team_id = add_team(session, team).id
    session.flush()
    return agent


def add_user(
    session: Session,
    username: str,
    role: Role | str,
    *,
    agent: str | None = None,
    team: str | None = None,
    password: str = PASSWORD,
) -> User:
    """A login; an agent user is linked to the agent `agent` (created if new) and shares its team."""
    user = User(username=username, password_hash=_password_hash(password), role=Role(role))
    if agent is not None:
        linked = add_agent(session, agent, team)
        user.agent_id = linked.id
        user.team_id = linked.team_id
    elif team is not None:
        user.team_id = add_team(session, team).id
    session.add(user)
    session.flush()
    return user


def rubric_version(
    session: Session, rubric_id: str = "public_works_chat", version: str = "test"
) -> RubricVersion:
    """A stored rubric version row to hang evaluations on."""
    query = select(RubricVersion).where(
        RubricVersion.rubric_id == rubric_id, RubricVersion.version == version
    )
    row = session.scalars(query).one_or_none()
    if row is None:
        row = RubricVersion(rubric_id=rubric_id, version=version, name=rubric_id, content="{}")
        session.add(row)
        session.flush()
    return row


@dataclass(slots=True)
class InteractionSpec:
    """Everything add_interaction can set; the defaults give a scored, processed chat."""

    agent: str | None = "maria.g"
    team: str | None = None
    channel: str = "chat"
    started_at: datetime = field(default_factory=lambda: datetime(2026, 3, 2, 10, 15, tzinfo=UTC))
    topic: str | None = "missed_pickup"
    queue: str | None = "solid_waste"
    customer_sentiment_end: float | None = 0.3
    csat: int | None = 4
    duration_seconds: float | None = 240.0
    metrics: dict[str, Any] | None = None
    turns: Sequence[tuple[str, str]] | None = DEFAULT_TURNS
    criteria: Sequence[CriterionSpec] | None = DEFAULT_CRITERIA
    total: float | None = None
    auto_fail: bool | None = None
    review_status: str = "pending"
    external_id: str | None = None


def add_interaction(session: Session, spec: InteractionSpec | None = None, **overrides: Any) -> Interaction:
    """An interaction with turns and a current evaluation; `overrides` are InteractionSpec fields.

    `criteria=None` stores no evaluation; `turns=None` no turns. The total and auto-fail flag are computed
    like a human review would (qa.reviews.totals) unless given.
    """
    spec = spec or InteractionSpec()
    for key, value in overrides.items():
        setattr(spec, key, value)
    agent = add_agent(session, spec.agent, spec.team) if spec.agent else None
    interaction = Interaction(
        channel=spec.channel,
        source=spec.channel if spec.channel != "call" else "phone",
        external_id=spec.external_id or f"test-{next(_external_ids)}",
        agent_id=agent.id if agent else None,
        started_at=spec.started_at,
        duration_seconds=spec.duration_seconds,
        queue=spec.queue,
        csat=spec.csat,
        topic=spec.topic,
        topic_confidence=0.8 if spec.topic else None,
        customer_sentiment_end=spec.customer_sentiment_end,
        sentiment=(
            {"customer_end": spec.customer_sentiment_end, "customer_mean": spec.customer_sentiment_end}
            if spec.customer_sentiment_end is not None
            else None
        ),
        metrics=spec.metrics if spec.metrics is not None else {"talk_ratio_agent": 0.5, "holds": 0},
        processed_at=spec.started_at,
    )
    session.add(interaction)
    session.flush()
    for index, (speaker, text) in enumerate(spec.turns or ()):
        session.add(
            Turn(
                interaction_id=interaction.id,
                index=index,
                speaker=speaker,
                start_seconds=index * 10.0,
                end_seconds=index * 10.0 + 8.0,
                text=text,
                confidence=0.95,
                sentiment=0.0,
            )
        )
    if spec.criteria is not None:
        add_evaluation(
            session,
            interaction,
            spec.criteria,
            total=spec.total,
            auto_fail=spec.auto_fail,
            review_status=spec.review_status,
        )
    session.flush()
    return interaction


def add_evaluation(
    session: Session,
    interaction: Interaction,
    criteria: Sequence[CriterionSpec],
    *,
    total: float | None = None,
    auto_fail: bool | None = None,
    review_status: str = "pending",
) -> Evaluation:
    """A new current evaluation of `interaction` (earlier ones are kept as history)."""
    for old in session.scalars(
        select(Evaluation).where(Evaluation.interaction_id == interaction.id, Evaluation.is_current.is_(True))
    ):
        old.is_current = False
    computed = compute_total(criteria)
    evaluation = Evaluation(
        interaction_id=interaction.id,
        rubric_version_id=rubric_version(session).id,
        total=computed.total if total is None else total,
        auto_fail=computed.auto_fail if auto_fail is None else auto_fail,
        is_current=True,
        review_status=review_status,
        sections=[],
    )
    turns = session.scalars(select(Turn).where(Turn.interaction_id == interaction.id).order_by(Turn.index))
    first_agent_turn = next((t for t in turns if t.speaker == "agent"), None)
    for position, spec in enumerate(criteria):
        evidence = spec.evidence
        if evidence is None:
            evidence = (
                [
                    {
                        "turn": first_agent_turn.index,
                        "speaker": first_agent_turn.speaker,
                        "start": first_agent_turn.start_seconds,
                        "text": first_agent_turn.text,
                    }
                ]
                if first_agent_turn is not None
                else []
            )
        evaluation.criteria.append(
            CriterionResult(
                position=position,
                criterion_id=spec.criterion_id,
                section=spec.section,
                question=spec.question or spec.criterion_id.replace("_", " "),
                result=spec.result,
                points=points_for(spec.result, spec.max_points),
                max_points=spec.max_points,
                confidence=spec.confidence,
                critical=spec.critical,
                evidence=evidence,
                machine_result=spec.machine_result,
                override_comment=spec.override_comment,
            )
        )
    session.add(evaluation)
    session.flush()
    return evaluation


def add_media(session: Session, interaction: Interaction, path: str, *, fmt: str = "wav") -> Media:
    """A media row pointing at an existing file (for audio download tests)."""
    media = Media(
        interaction_id=interaction.id,
        path=path,
        original_name=f"call.{fmt}",
        sha256=f"{interaction.id:064d}",
        format=fmt,
        channels=2,
        sample_rate=8000,
        duration_seconds=1.0,
        size_bytes=0,
    )
    session.add(media)
    session.flush()
    return media
