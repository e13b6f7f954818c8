"""Coaching note routes."""

from __future__ import annotations

from fastapi import APIRouter, status

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.coaching import service
from qa.coaching.schemas import CoachingNoteCreate, CoachingNoteRead

router = APIRouter(prefix="/api/coaching-notes", tags=["coaching"])


@router.post("", response_model=CoachingNoteRead, status_code=status.HTTP_201_CREATED)
def create_note(
    body: CoachingNoteCreate, session: SessionDep, principal: CurrentPrincipal
) -> CoachingNoteRead:
    """Write a note to the agent of an interaction (supervisor, manager, admin)."""
    return service.create_note(
        session=session,
        principal=principal,
        interaction_id=body.interaction_id,
        text=body.text,
        criterion_id=body.criterion_id,
        at_seconds=body.at_seconds,
    )


@router.get("", response_model=list[CoachingNoteRead])
def list_notes(
    session: SessionDep,
    principal: CurrentPrincipal,
    agent: str | None = None,
    interaction_id: int | None = None,
) -> list[CoachingNoteRead]:
    """Notes the caller may see, newest first."""
    return service.list_notes(
        session=session, principal=principal, agent=agent, interaction_id=interaction_id
    )


@router.post("/{note_id}/acknowledge", response_model=CoachingNoteRead)
def acknowledge_note(note_id: int, session: SessionDep, principal: CurrentPrincipal) -> CoachingNoteRead:
    """The note's agent confirms having read it."""
    return service.acknowledge_note(session=session, principal=principal, note_id=note_id)
