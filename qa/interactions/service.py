"""Reading interactions inside the caller's scope and their audio (uploads live in qa.ingestion.upload)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.agreement import repository as agreement_repository
from qa.calibration import repository as calibration_repository
from qa.errors import NotFound
from qa.evaluations import service as evaluation_service
from qa.interactions import repository
from qa.interactions.schemas import (
    InteractionDetail,
    InteractionSummary,
    Page,
    TurnRead,
    UnclearWordRead,
    evaluation_read,
)
from qa.models import Interaction

Sort = Literal["priority", "newest", "oldest", "score", "sentiment"]
MAX_LIMIT = 500
# Turns in one detail answer: a long conversation is read page by page (turn_offset), never whole at once.
MAX_TURN_PAGE = 2000
MEDIA_TYPES = {
    "wav": "audio/wav",
    "mp3": "audio/mpeg",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "m4a": "audio/mp4",
}


@dataclass(slots=True)
class InteractionFilters:
    """Filters of the interaction list; dates are inclusive days (UTC), scores 0-100."""

    agent: str | None = None
    channel: str | None = None
    topic: str | None = None
    start: date | None = None
    end: date | None = None
    min_score: float | None = None
    max_score: float | None = None
    auto_fail: bool | None = None
    sentiment: Literal["negative", "neutral", "positive"] | None = None
    review_status: str | None = None
    needs_review: bool | None = None
    needs_human: bool | None = None
    assigned_to_me: bool = False


def _day_start(day: date | None) -> datetime | None:
    if day is None:
        return None
    if isinstance(day, datetime):
        return day if day.tzinfo else day.replace(tzinfo=UTC)
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_range(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[start 00:00, day after end 00:00) in UTC; a datetime is taken as is."""
    upper = _day_start(end)
    if end is not None and not isinstance(end, datetime) and upper is not None:
        upper += timedelta(days=1)
    return _day_start(start), upper


def list_interactions(
    *,
    session: Session,
    principal: Principal,
    filters: InteractionFilters | None = None,
    limit: int = 50,
    offset: int = 0,
    sort: Sort = "priority",
) -> Page:
    """One page of the interactions the principal may see, with the total matching."""
    filters = filters or InteractionFilters()
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    start, end = day_range(filters.start, filters.end)
    query = repository.ListQuery(
        agent=filters.agent,
        channel=filters.channel,
        topic=filters.topic,
        start=start,
        end=end,
        min_score=filters.min_score,
        max_score=filters.max_score,
        auto_fail=filters.auto_fail,
        sentiment=filters.sentiment,
        review_status=filters.review_status,
        needs_review=filters.needs_review,
        sort=sort,
        needs_human=filters.needs_human,
        assigned_to=principal.user_id if filters.assigned_to_me else None,
        needs_human_first=sort == "priority",
    )
    scope = access.scope_of(principal)
    rows = repository.list_page(session, scope, query, limit=limit, offset=offset)
    total = repository.count_matching(session, scope, query)
    items = [InteractionSummary.model_validate(row._mapping) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


def count_needing_review(*, session: Session, principal: Principal) -> int:
    """How many visible interactions have a machine answer on unclear speech waiting for a person."""
    query = repository.ListQuery(needs_review=True)
    return repository.count_matching(session, access.scope_of(principal), query)


def get_visible(
    *, session: Session, principal: Principal, interaction_id: int, with_turns: bool = False
) -> Interaction:
    """The interaction (agent, media, turns if asked) if the principal may see it, else NotFound."""
    interaction = repository.get(session, interaction_id, with_turns=with_turns)
    if interaction is None or not access.can_see_agent(
        principal,
        agent_id=interaction.agent_id,
        agent_team_id=interaction.agent.team_id if interaction.agent else None,
    ):
        raise NotFound(f"interaction {interaction_id} not found")
    return interaction


def get_interaction_detail(
    *,
    session: Session,
    principal: Principal,
    interaction_id: int,
    turn_offset: int = 0,
    turn_limit: int = MAX_TURN_PAGE,
) -> InteractionDetail:
    """Metrics, sentiment, topic, the current evaluation with its evidence, and one page of turns
    (at most MAX_TURN_PAGE; `turn_total` says how many there are)."""
    interaction = get_visible(session=session, principal=principal, interaction_id=interaction_id)
    turn_limit = max(1, min(turn_limit, MAX_TURN_PAGE))
    turns = repository.list_turns(session, interaction.id, limit=turn_limit, offset=max(0, turn_offset))
    blind = answers_hidden(session=session, principal=principal, interaction_id=interaction.id)
    evaluation = (
        None
        if blind
        else evaluation_service.current_evaluation(session=session, interaction_id=interaction.id)
    )
    return InteractionDetail(
        id=interaction.id,
        external_id=interaction.external_id,
        source=interaction.source,
        agent=interaction.agent.name if interaction.agent else None,
        team_id=interaction.agent.team_id if interaction.agent else None,
        channel=interaction.channel,
        started_at=interaction.started_at,
        duration_seconds=interaction.duration_seconds,
        queue=interaction.queue,
        wait_seconds=interaction.wait_seconds,
        handle_seconds=interaction.handle_seconds,
        disposition=interaction.disposition,
        csat=interaction.csat,
        topic=interaction.topic,
        topic_confidence=interaction.topic_confidence,
        sentiment=interaction.sentiment,
        customer_sentiment_end=interaction.customer_sentiment_end,
        metrics=interaction.metrics,
        no_speech=interaction.no_speech,
        processed_at=interaction.processed_at,
        has_audio=interaction.media is not None,
        turns=[
            TurnRead(
                index=t.index,
                speaker=t.speaker,
                start=t.start_seconds,
                end=t.end_seconds,
                text=t.text,
                confidence=t.confidence,
                low_confidence_words=[UnclearWordRead.model_validate(w) for w in t.unclear_words or ()],
                sentiment=t.sentiment,
            )
            for t in turns
        ],
        turn_total=repository.count_turns(session, interaction.id),
        turn_offset=max(0, turn_offset),
        evaluation=evaluation_read(evaluation) if evaluation is not None else None,
        calibration_blind=blind,
        needs_human_criteria=sorted(agreement_repository.needs_human_criteria(session, evaluation.id))
        if evaluation is not None
        else [],
    )


def answers_hidden(*, session: Session, principal: Principal, interaction_id: int) -> bool:
    """Calibration is blind: the machine's and other people's answers stay hidden from an invited reviewer
    until she has given hers."""
    return calibration_repository.awaiting_blind_answer(session, principal.user_id, interaction_id)


def audio_file(*, session: Session, principal: Principal, interaction_id: int) -> tuple[Path, str]:
    """The stored recording of a visible interaction and its media type."""
    interaction = get_visible(session=session, principal=principal, interaction_id=interaction_id)
    media = interaction.media
    if media is None or not Path(media.path).is_file():
        raise NotFound(f"interaction {interaction_id} has no stored audio")
    return Path(media.path), MEDIA_TYPES.get(media.format, "application/octet-stream")
