"""Item 2: an upload is refused before its body is read (no token) or as soon as it passes the limit.

The body is a generator sent chunked (no Content-Length); the test counts how many bytes the server pulled
from it before answering. httpx's ASGI transport hands the app one chunk per receive(), so the count is
what the application actually read.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx

from qa.api.app import create_app
from qa.config import Settings
from tests.qa.api.conftest import World

CHUNK = 64 * 1024
BOUNDARY = "callcoach-test-boundary"


class Body:
    """A multipart upload of `total` bytes, produced on demand and counted."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="chat.json"\r\n'
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        self.pulled += len(head)
        yield head
        sent = 0
        while sent < self.total:
            self.pulled += CHUNK
            sent += CHUNK
            yield b" " * CHUNK
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.pulled += len(tail)
        yield tail


def _send(body: Body, headers: dict[str, str]) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(
                "/api/interactions",
                content=body,
                headers={**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
            )

    return asyncio.run(go())


def test_no_token_is_401_before_the_body_is_read(settings: Settings, world: World) -> None:
    body = Body(total=64 * 1024 * 1024)
    answer = _send(body, {})
    assert answer.status_code == 401
    assert body.pulled < CHUNK, f"the server read {body.pulled} bytes before refusing"


def test_a_forged_token_is_401_before_the_body_is_read(settings: Settings, world: World) -> None:
    body = Body(total=64 * 1024 * 1024)
    answer = _send(body, {"Authorization": "Bearer not.a.token"})
    assert answer.status_code == 401 and body.pulled < CHUNK


def test_an_agent_is_403_before_the_body_is_read(
    settings: Settings, world: World, auth: Callable[[str], dict[str, str]]
) -> None:
    body = Body(total=64 * 1024 * 1024)
    answer = _send(body, auth("maria"))
    assert answer.status_code == 403 and body.pulled < CHUNK


def test_a_chunked_body_stops_at_the_limit(
    settings: Settings, world: World, auth: Callable[[str], dict[str, str]]
) -> None:
    settings.max_upload_bytes = 1024 * 1024
    body = Body(total=64 * 1024 * 1024)
    answer = _send(body, auth("sam"))
    assert answer.status_code == 413, answer.text
    assert "limit of 1048576 bytes" in answer.json()["detail"]
    # The limit plus the multipart allowance plus the chunk that crossed it, never the 64 MB sent.
    assert body.pulled <= settings.max_upload_bytes + 64 * 1024 + 2 * CHUNK, body.pulled
