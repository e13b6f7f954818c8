"""Item 10: password guessing is limited per user and per address, across processes, in the API and the UI."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from qa import security
from qa.api.app import create_app
from qa.auth import service as auth_service
from qa.config import Settings
from qa.db import session_scope
from tests.coaching_ui.seed import Seeded
from tests.qa.api.conftest import World
from tests.qa.builders import PASSWORD

TOKEN = "/api/auth/token"


def _login(client: TestClient, username: str, password: str) -> int:
    return client.post(TOKEN, data={"username": username, "password": password}).status_code


def test_a_user_is_locked_after_five_wrong_passwords(client: TestClient, world: World) -> None:
    assert [_login(client, "sam", f"guess-{n}") for n in range(5)] == [401] * 5
    answer = client.post(TOKEN, data={"username": "sam", "password": "guess-6"})
    assert answer.status_code == 429
    assert 1 <= int(answer.headers["Retry-After"]) <= auth_service.FAILURE_WINDOW_SECONDS
    # Locked means locked: the right password does not get in either until the window passes.
    assert _login(client, "sam", PASSWORD) == 429
    assert _login(client, "SAM", "guess-7") == 429  # case does not open a second counter
    assert _login(client, "mona", PASSWORD) == 200  # other users are not affected


def test_the_lock_ends_when_the_window_passes(settings: Settings, world: World) -> None:
    with session_scope(settings.database_url) as session:
        for n in range(5):
            auth_service.log_in(
                session=session, username="sam", password=f"g{n}", address=None, now=1000.0 + n
            )
    with session_scope(settings.database_url) as session:
        locked = auth_service.log_in(
            session=session, username="sam", password=PASSWORD, address=None, now=1010.0
        )
        assert locked.principal is None and locked.retry_after == 1000 + 900 - 1010
        later = 1000.0 + auth_service.FAILURE_WINDOW_SECONDS + 1
        assert auth_service.log_in(
            session=session, username="sam", password=PASSWORD, address=None, now=later
        ).principal


def test_unknown_names_are_limited_and_answer_like_known_ones(client: TestClient, world: World) -> None:
    """No enumeration: an unknown name gets the same 401, then the same 429."""
    known = client.post(TOKEN, data={"username": "sam", "password": "nope-nope"})
    unknown = client.post(TOKEN, data={"username": "nobody", "password": "nope-nope"})
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    for n in range(4):
        _login(client, "nobody", f"guess-{n}")
    assert _login(client, "nobody", "guess-x") == 429


def test_an_unknown_name_costs_one_password_hash_check(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The timing leak (3 ms vs 104 ms): an unknown user must run argon2 like a known one."""
    calls: list[str] = []
    real = security._hasher

    class Counting:
        def verify(self, hash_: str, password: str) -> bool:
            calls.append(hash_)
            return real.verify(hash_, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(security, "_hasher", Counting())
    _login(client, "nobody-at-all", "whatever-1")
    _login(client, "sam", "whatever-1")
    assert len(calls) == 2 and all(h.startswith("$argon2") for h in calls)


def test_one_address_is_limited_across_usernames(client: TestClient, world: World) -> None:
    for n in range(auth_service.MAX_FAILURES_PER_ADDRESS):
        assert _login(client, f"spray-{n}", "password-1") == 401
    answer = client.post(TOKEN, data={"username": "mona", "password": PASSWORD})
    assert answer.status_code == 429 and "Retry-After" in answer.headers


def test_the_limit_holds_across_worker_processes(settings: Settings, world: World) -> None:
    """Two app instances (as two uvicorn workers) share the count, which lives in the database."""
    first, second = TestClient(create_app()), TestClient(create_app())
    for n in range(3):
        assert _login(first, "sue", f"a-{n}") == 401
    for n in range(2):
        assert _login(second, "sue", f"b-{n}") == 401
    assert _login(first, "sue", "c-0") == 429 and _login(second, "sue", "c-1") == 429


def test_a_good_login_clears_the_user_count(client: TestClient, world: World) -> None:
    for n in range(4):
        _login(client, "sam", f"guess-{n}")
    assert _login(client, "sam", PASSWORD) == 200
    assert [_login(client, "sam", f"again-{n}") for n in range(4)] == [401] * 4


def test_the_coaching_view_login_is_limited_too(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as(None)
    for n in range(5):
        at.text_input[0].input("sam")
        at.text_input[1].input(f"wrong-{n}")
        at.button[0].click().run()
        assert at.error[0].value == "Unknown username or wrong password."
    at.text_input[1].input("still-wrong")
    at.button[0].click().run()
    assert at.error[0].value.startswith("Too many failed logins; try again in")
    assert "principal" not in at.session_state
