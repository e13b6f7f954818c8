"""Inbox and note replies: each side hears about the other's action; e-mail goes out only when configured."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from fastapi.testclient import TestClient
from sqlalchemy import update

from qa import config as qa_config
from qa.config import Settings
from qa.db import session_scope
from qa.models import User
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def _note(client: TestClient, headers: dict[str, str], interaction_id: int) -> dict[str, object]:
    body = {"interaction_id": interaction_id, "text": "Verify the address first."}
    created = client.post("/api/coaching-notes", headers=headers, json=body)
    assert created.status_code == 201, created.text
    return created.json()


def test_note_reply_thread_and_notifications(client: TestClient, world: World, auth: Auth) -> None:
    note = _note(client, auth("sam"), world.interactions["maria_chat"])
    inbox = client.get("/api/notifications", headers=auth("maria")).json()
    assert inbox["unread"] == 1 and inbox["items"][0]["kind"] == "note_created"
    assert inbox["items"][0]["interaction_id"] == world.interactions["maria_chat"]

    replies = f"/api/coaching-notes/{note['id']}/replies"
    mine = client.post(replies, headers=auth("maria"), json={"text": "I did, at 0:20 <b>really</b>."})
    assert mine.status_code == 201, mine.text
    back = client.post(replies, headers=auth("sam"), json={"text": "Right, my mistake."})
    assert back.status_code == 201
    thread = client.get(replies, headers=auth("sam")).json()
    assert [(r["author"], r["text"]) for r in thread] == [
        ("maria", "I did, at 0:20 <b>really</b>."),
        ("sam", "Right, my mistake."),
    ]
    assert client.get(replies, headers=auth("maria")).json() == thread
    sam = client.get("/api/notifications?unread=true", headers=auth("sam")).json()
    assert [n["kind"] for n in sam["items"]] == ["note_reply"]
    assert client.get("/api/notifications", headers=auth("maria")).json()["unread"] == 2

    # Out of scope: a colleague and the other team do not see the note; empty text is refused.
    assert client.get(replies, headers=auth("li")).status_code == 404
    assert client.post(replies, headers=auth("sue"), json={"text": "hi"}).status_code == 404
    assert client.post(replies, headers=auth("li"), json={"text": "hi"}).status_code == 404
    assert client.post(replies, headers=auth("maria"), json={"text": ""}).status_code == 422
    assert client.post(replies, headers=auth("maria"), json={"text": "  "}).status_code == 409
    assert client.get("/api/coaching-notes/999999/replies", headers=auth("mona")).status_code == 404
    audit = client.get(f"/api/audit?interaction_id={note['interaction_id']}", headers=auth("mona")).json()
    assert [e["action"] for e in audit][:2] == ["reply_note", "reply_note"]


def test_mark_read_only_touches_own(client: TestClient, world: World, auth: Auth) -> None:
    _note(client, auth("sam"), world.interactions["maria_chat"])
    _note(client, auth("sam"), world.interactions["maria_fail"])
    items = client.get("/api/notifications", headers=auth("maria")).json()["items"]
    # Someone else's ids are ignored.
    assert client.post(
        "/api/notifications/read", headers=auth("li"), json={"ids": [items[0]["id"]]}
    ).json() == {"marked": 0}
    marked = client.post("/api/notifications/read", headers=auth("maria"), json={"ids": [items[0]["id"]]})
    assert marked.json() == {"marked": 1}
    assert client.get("/api/notifications", headers=auth("maria")).json()["unread"] == 1
    assert client.post("/api/notifications/read", headers=auth("maria"), json={}).json() == {"marked": 1}
    assert client.get("/api/notifications", headers=auth("maria")).json()["unread"] == 0
    assert client.get("/api/notifications").status_code == 401


def test_finalized_review_notifies_the_agent(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]
    assert client.post(f"/api/interactions/{chat}/review/finalize", headers=auth("sam")).status_code == 200
    items = client.get("/api/notifications", headers=auth("maria")).json()["items"]
    assert [n["kind"] for n in items] == ["evaluation_reviewed"]
    assert client.get("/api/notifications", headers=auth("li")).json()["items"] == []


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server: SMTP, session: SmtpSession, envelope: Envelope) -> str:
        content = envelope.content.decode() if isinstance(envelope.content, bytes) else str(envelope.content)
        self.messages.append((list(envelope.rcpt_tos), content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Inbox]:
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port (the controller cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CALLCOACH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CALLCOACH_SMTP_PORT", str(port))
    qa_config.get_settings.cache_clear()
    yield inbox
    controller.stop()
    qa_config.get_settings.cache_clear()


def test_email_goes_through_the_configured_smtp_server(
    client: TestClient, world: World, auth: Auth, settings: Settings, smtp_server: _Inbox
) -> None:
    with session_scope(settings.database_url) as session:
        session.execute(update(User).where(User.username == "maria").values(email="maria@example.org"))
    _note(client, auth("sam"), world.interactions["maria_chat"])
    assert len(smtp_server.messages) == 1
    recipients, content = smtp_server.messages[0]
    assert recipients == ["maria@example.org"] and "New coaching note from sam" in content
    # A refused change sends nothing: an agent cannot write notes.
    refused = client.post(
        "/api/coaching-notes",
        headers=auth("maria"),
        json={"interaction_id": world.interactions["maria_chat"], "text": "x"},
    )
    assert refused.status_code == 403 and len(smtp_server.messages) == 1
