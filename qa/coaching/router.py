"""Coaching note routes."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from qa.auth.dependencies import CurrentPrincipal, SessionDep
from qa.coaching import replies, service
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


class NoteReplyCreate(BaseModel):
    text: str = Field(min_length=1, max_length=replies.MAX_REPLY_CHARS)


@router.get("/{note_id}/replies", response_model=list[replies.NoteReplyRead])
def list_replies(
    note_id: int, session: SessionDep, principal: CurrentPrincipal
) -> list[replies.NoteReplyRead]:
    """The thread under a note, oldest first."""
    return replies.list_replies(session=session, principal=principal, note_id=note_id)


@router.post("/{note_id}/replies", response_model=replies.NoteReplyRead, status_code=status.HTTP_201_CREATED)
def add_reply(
    note_id: int, body: NoteReplyCreate, session: SessionDep, principal: CurrentPrincipal
) -> replies.NoteReplyRead:
    """Reply under a note (its agent, or a reviewer who may see it)."""
    return replies.add_reply(session=session, principal=principal, note_id=note_id, text=body.text)
