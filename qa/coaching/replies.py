"""Replies in the thread under a coaching note: the note's agent and the reviewers of her team talk back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from qa import access
from qa.access import Principal
from qa.audit import service as audit_service
from qa.coaching import repository as note_repository
from qa.errors import Conflict, NotFound
from qa.models import CoachingNote, NoteReply, User
from qa.notifications import service as notification_service
from qa.notifications.service import Kind

MAX_REPLY_CHARS = 5000


class NoteReplyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    note_id: int
    author: str | None
    text: str
    created_at: datetime


def _visible_note(session: Session, principal: Principal, note_id: int) -> CoachingNote:
    note = note_repository.get(session, note_id)
    if note is None or not access.can_see_agent(
        principal, agent_id=note.agent_id, agent_team_id=note_repository.agent_team(session, note.agent_id)
    ):
        raise NotFound(f"coaching note {note_id} not found")
    return note


def _rows(session: Session, *where: object) -> list[NoteReplyRead]:
    query = (
        select(
            NoteReply.id,
            NoteReply.note_id,
            User.username.label("author"),
            NoteReply.text,
            NoteReply.created_at,
        )
        .outerjoin(User, User.id == NoteReply.author_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(NoteReply.created_at, NoteReply.id)
    )
    return [NoteReplyRead.model_validate(row._mapping) for row in session.execute(query)]


def list_replies(*, session: Session, principal: Principal, note_id: int) -> list[NoteReplyRead]:
    """The thread under a note the caller may see, oldest first."""
    _visible_note(session, principal, note_id)
    return _rows(session, NoteReply.note_id == note_id)


def add_reply(*, session: Session, principal: Principal, note_id: int, text: str) -> NoteReplyRead:
    """Reply under a note: its agent, or a reviewer who may see it; the other side is notified."""
    note = _visible_note(session, principal, note_id)
    if principal.agent_id != note.agent_id:
        access.require_reviewer(principal, "replying to another agent's coaching note")
    if not text.strip():
        raise Conflict("a reply needs some text")
    if len(text) > MAX_REPLY_CHARS:
        raise Conflict(f"a reply is at most {MAX_REPLY_CHARS} characters")
    reply = NoteReply(note_id=note.id, author_id=principal.user_id, text=text.strip())
    with audit_service.audited(
        session=session,
        principal=principal,
        action="reply_note",
        entity="note_reply",
        interaction_id=note.interaction_id,
        snapshot=lambda: {"note_id": note.id, "text": reply.text} if reply.id is not None else None,
    ) as change:
        session.add(reply)
        session.flush()
        change.entity_id = reply.id
    text_line = f"{principal.username} replied to a coaching note on interaction #{note.interaction_id}"
    if principal.agent_id == note.agent_id:
        recipients = [note.author_id] if note.author_id is not None else []
        notification_service.notify_users(
            session=session,
            actor=principal,
            user_ids=recipients,
            kind=Kind.NOTE_REPLY,
            text=text_line,
            interaction_id=note.interaction_id,
        )
        if not recipients:
            notification_service.notify_supervisors(
                session=session,
                actor=principal,
                agent_id=note.agent_id,
                kind=Kind.NOTE_REPLY,
                text=text_line,
                interaction_id=note.interaction_id,
            )
    else:
        notification_service.notify_agent(
            session=session,
            actor=principal,
            agent_id=note.agent_id,
            kind=Kind.NOTE_REPLY,
            text=text_line,
            interaction_id=note.interaction_id,
        )
    return _rows(session, NoteReply.id == reply.id)[0]
