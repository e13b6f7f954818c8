"""The in-app inbox: who hears about a new review, note, dispute or reply, and marking it read."""

from __future__ import annotations

import enum

from sqlalchemy.orm import Session

from qa.access import Principal
from qa.models import Notification, User
from qa.models.base import utcnow
from qa.notifications import mail, repository
from qa.notifications.schemas import Inbox, NotificationRead

MAX_ITEMS = 200


class Kind(enum.StrEnum):
    EVALUATION_REVIEWED = "evaluation_reviewed"
    NOTE_CREATED = "note_created"
    DISPUTE_OPENED = "dispute_opened"
    DISPUTE_RESOLVED = "dispute_resolved"
    NOTE_REPLY = "note_reply"


def _notify(
    session: Session,
    recipients: list[User],
    *,
    kind: Kind,
    text: str,
    interaction_id: int | None,
    actor: Principal,
) -> None:
    for user in recipients:
        if user.id == actor.user_id:
            continue  # nobody needs to hear about their own action
        repository.add(
            session, Notification(user_id=user.id, kind=kind, text=text, interaction_id=interaction_id)
        )
        if user.email:
            mail.queue(session, mail.Mail(to=user.email, subject=f"Callcoach: {text}", body=text))


def notify_agent(
    *, session: Session, actor: Principal, agent_id: int, kind: Kind, text: str, interaction_id: int | None
) -> None:
    """Tell the agent's logins."""
    recipients = repository.agent_users(session, agent_id)
    _notify(session, recipients, kind=kind, text=text, interaction_id=interaction_id, actor=actor)


def notify_supervisors(
    *, session: Session, actor: Principal, agent_id: int, kind: Kind, text: str, interaction_id: int | None
) -> None:
    """Tell the supervisors of the agent's team."""
    recipients = repository.team_supervisors(session, agent_id)
    _notify(session, recipients, kind=kind, text=text, interaction_id=interaction_id, actor=actor)


def notify_users(
    *,
    session: Session,
    actor: Principal,
    user_ids: list[int],
    kind: Kind,
    text: str,
    interaction_id: int | None,
) -> None:
    """Tell these users (inactive ones are skipped)."""
    recipients = repository.users(session, user_ids)
    _notify(session, recipients, kind=kind, text=text, interaction_id=interaction_id, actor=actor)


def inbox(*, session: Session, principal: Principal, unread_only: bool = False, limit: int = 50) -> Inbox:
    """The caller's own notifications, newest first, with the unread count."""
    rows = repository.inbox(
        session, principal.user_id, unread_only=unread_only, limit=max(1, min(limit, MAX_ITEMS))
    )
    return Inbox(
        unread=repository.unread_count(session, principal.user_id),
        items=[NotificationRead.model_validate(row) for row in rows],
    )


def unread_count(*, session: Session, principal: Principal) -> int:
    """How many of the caller's notifications are unread."""
    return repository.unread_count(session, principal.user_id)


def mark_read(*, session: Session, principal: Principal, ids: list[int] | None = None) -> int:
    """Mark the caller's notifications read (all, or these ids; others' ids are ignored)."""
    return repository.mark_read(session, principal.user_id, ids, utcnow())
