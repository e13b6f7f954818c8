"""Issue 12 load test: a request never waits for a second database connection while it holds one.

Under 100 clients (benchmarks/api_load.py) uploads answered 500 after 30 s: the caller's login was looked up
in the request's session, which kept its connection through the body upload and the upload's own unit of
work; with every pooled connection held by an upload waiting for another, the pool timed out. A slow body
held a connection as well, so a few slow uploads could starve every other request of the database.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from qa import db
from qa.api.app import create_app
from qa.config import Settings
from qa.jobs import runner
from tests.factories import conversation
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]
BOUNDARY = "callcoach-test-boundary"


@pytest.fixture
def no_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The jobs an upload starts run after the answer; they are not what these tests count."""
    monkeypatch.setattr(runner, "process_new_interactions", lambda *_args: None)


@pytest.fixture
def one_connection(settings: Settings, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The process's engine for the test database with a pool of one connection and a 2 s wait."""
    make_engine = db.make_engine

    def small_pool(url: str, **options: object) -> Engine:
        return make_engine(url, pool_size=1, max_overflow=0, pool_timeout=2, **options)

    def forget_engines() -> None:
        db.get_engine.cache_clear()
        db._session_factory.cache_clear()  # bound to the engine it was made with

    db.get_engine(settings.database_url).dispose()
    monkeypatch.setattr(db, "make_engine", small_pool)
    forget_engines()
    engine = db.get_engine(settings.database_url)
    yield engine
    engine.dispose()
    forget_engines()


def _chat(external_id: str) -> bytes:
    return json.dumps(conversation(external_id, agent="maria.g")).encode()


def test_an_upload_succeeds_with_a_single_database_connection(
    client: TestClient, auth: Auth, one_connection: Engine, no_jobs: None
) -> None:
    answer = client.post(
        "/api/interactions", headers=auth("sam"), files={"file": ("chat.json", _chat("chat-pool"))}
    )
    assert answer.status_code == 201, answer.text
    assert len(answer.json()["interactions"]) == 1
    assert one_connection.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_reads_succeed_with_a_single_database_connection(
    client: TestClient, auth: Auth, one_connection: Engine
) -> None:
    answer = client.get("/api/interactions", headers=auth("sam"))
    assert answer.status_code == 200 and answer.json()["total"] > 0
    refused = client.get("/api/audit", headers=auth("maria"))
    assert refused.status_code == 403


def test_a_slow_upload_body_holds_no_database_connection(
    settings: Settings, world: World, auth: Auth, no_jobs: None
) -> None:
    pool = db.get_engine(settings.database_url).pool
    held_while_sending: list[int] = []

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="chat.json"\r\n'
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        content = _chat("chat-slow")
        for start in range(0, len(content), 100):
            # The token was checked before the first byte was read: what is held meanwhile?
            held_while_sending.append(pool.checkedout())  # type: ignore[attr-defined]
            yield content[start : start + 100]
        yield f"\r\n--{BOUNDARY}--\r\n".encode()

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.post(
                "/api/interactions",
                content=body(),
                headers={**auth("sam"), "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            )

    answer = asyncio.run(send())
    assert answer.status_code == 201, answer.text
    assert len(held_while_sending) > 3
    assert set(held_while_sending) == {0}, held_while_sending
