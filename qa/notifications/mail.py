"""Notification e-mail through the configured SMTP server, sent only once the change has committed."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from sqlalchemy import event
from sqlalchemy.orm import Session

from qa.config import get_settings

log = logging.getLogger(__name__)
_OUTBOX = "callcoach_outbox"


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    body: str


def queue(session: Session, mail: Mail) -> None:
    """Send `mail` after the session commits (never for a change that rolls back); no-op without SMTP."""
    if not get_settings().smtp_host:
        return
    outbox: list[Mail] | None = session.info.get(_OUTBOX)
    if outbox is None:
        outbox = session.info[_OUTBOX] = []
        event.listen(session, "after_commit", _send_outbox, once=True)
        event.listen(session, "after_rollback", _drop_outbox, once=True)
    outbox.append(mail)


def _drop_outbox(session: Session) -> None:
    session.info.pop(_OUTBOX, None)


def _send_outbox(session: Session) -> None:
    mails: list[Mail] = session.info.pop(_OUTBOX, [])
    settings = get_settings()
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            for mail in mails:
                message = EmailMessage()
                message["From"] = settings.smtp_sender
                message["To"] = mail.to
                message["Subject"] = mail.subject
                message.set_content(mail.body)
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # The in-app inbox already holds the notification; a mail server down loses only the e-mail.
        log.warning("notification e-mail not sent (%s:%s): %s", settings.smtp_host, settings.smtp_port, exc)
