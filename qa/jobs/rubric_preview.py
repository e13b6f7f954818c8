"""The rubric preview job step: score recent interactions with a draft scorecard, storing nothing but the
draft's preview (never an evaluation). Progress is committed on its own so the page can draw a bar."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from qa.config import Settings
from qa.db import session_scope
from qa.errors import InputError, NotFound
from qa.evaluations import repository as evaluation_repository
from qa.interactions import repository as interaction_repository
from qa.interactions import turns as turn_forms
from qa.jobs import ml_models
from qa.jobs.analysis import conversation_for
from qa.models import Interaction, PreviewStatus, RubricDraft
from qa.rubrics import repository as rubric_repository
from qa.rubrics.impact import Answer, Rescored, summarize
from scoring import rubric as rubric_lib

# How many progress updates a preview writes at most (each is a small transaction of its own).
PROGRESS_UPDATES = 50


def _progress(settings: Settings, draft_id: int, status: PreviewStatus, done: int, total: int) -> None:
    with session_scope(settings.database_url) as session:
        rubric_repository.set_preview_progress(session, draft_id, status=status.value, done=done, total=total)


def _rescored(
    session: Session,
    settings: Settings,
    rubric: rubric_lib.Rubric,
    encoder: rubric_lib.Encoder | None,
    row: tuple[int, int | None, str | None, int | None, str | None],
) -> Rescored | None:
    interaction_id, agent_id, agent, team_id, team = row
    interaction = session.get(Interaction, interaction_id)
    current = evaluation_repository.current_for(session, interaction_id)
    if interaction is None or current is None:
        return None
    stored = interaction_repository.list_turns(session, interaction_id)
    turns = [
        replace(t, sentiment=r.sentiment)
        for t, r in zip(turn_forms.stored_for_scoring(stored), stored, strict=True)
    ]
    if not turns:
        return None
    conversation = conversation_for(
        channel=interaction.channel,
        queue=interaction.queue,
        turns=turns,
        metrics=interaction.metrics or {},
        topic=interaction.topic,
    )
    evaluation = rubric_lib.evaluate(
        conversation, rubric, encoder=encoder, regex_timeout=settings.regex_timeout
    )
    return Rescored(
        interaction_id=interaction_id,
        agent_id=agent_id,
        agent=agent,
        team_id=team_id,
        team=team,
        before_total=current.total,
        after_total=evaluation.total,
        # The machine's answers on both sides: a reviewer's override is not the rubric's doing.
        before={c.criterion_id: Answer(c.machine_result or c.result, c.evidence) for c in current.criteria},
        after={c.id: Answer(c.result, c.to_dict()["evidence"]) for c in evaluation.criteria},
    )


def preview_step(session: Session, draft_id: int, settings: Settings) -> None:
    """Rescore the newest interactions the draft's rubric applies to (as many as the draft's preview_total
    asks for) and store the summary as the draft's preview."""
    draft = session.get(RubricDraft, draft_id)
    if draft is None:
        raise NotFound(f"rubric draft {draft_id} not found")
    try:
        rubric = rubric_lib.parse_rubric(draft.content, source=f"draft {draft_id}")
    except rubric_lib.RubricInvalid as exc:
        raise InputError(f"draft {draft_id}", exc.problem) from None
    channels, queues = ml_models.rubric_targets(settings, draft.rubric_id)
    rows = rubric_repository.latest_processed(
        session, channels=channels, queues=queues, limit=max(1, draft.preview_total)
    )
    total = len(rows)
    _progress(settings, draft_id, PreviewStatus.RUNNING, 0, total)
    encoder = ml_models.rubric_encoder(settings, rubric)
    every = max(1, total // PROGRESS_UPDATES)
    rescored: list[Rescored] = []
    failed = 0
    for done, row in enumerate(rows, start=1):
        result = _rescored(session, settings, rubric, encoder, tuple(row))  # type: ignore[arg-type]
        if result is None:
            failed += 1
        else:
            rescored.append(result)
        if done % every == 0 and done < total:
            _progress(settings, draft_id, PreviewStatus.RUNNING, done, total)
    session.refresh(draft)
    draft.preview = summarize(rescored, failed=failed)
    draft.preview_status = PreviewStatus.DONE.value
    draft.preview_done = draft.preview_total = total
    draft.preview_error = None
