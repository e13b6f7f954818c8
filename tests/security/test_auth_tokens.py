"""Item 15: tokens need an expiry and die with a password change or deactivation, as do UI sessions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import jwt
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.config import Settings
from qa.db import session_scope
from qa.models.base import utcnow
from qa.security import create_access_token
from qa.users import service as user_service
from tests.coaching_ui.seed import PASSWORD as UI_PASSWORD
from tests.coaching_ui.seed import Seeded
from tests.qa.api.conftest import World
from tests.qa.builders import PASSWORD

ME = "/api/interactions"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_without_expiry_or_version_is_refused(
    client: TestClient, settings: Settings, world: World
) -> None:
    forever = jwt.encode({"sub": "mona", "ver": 0}, settings.secret_key, algorithm="HS256")
    assert client.get(ME, headers=_bearer(forever)).status_code == 401
    unversioned = jwt.encode(
        {"sub": "mona", "exp": utcnow() + timedelta(minutes=5)}, settings.secret_key, algorithm="HS256"
    )
    assert client.get(ME, headers=_bearer(unversioned)).status_code == 401
    expired = create_access_token(subject="mona", secret=settings.secret_key, minutes=-1)
    assert client.get(ME, headers=_bearer(expired)).status_code == 401
    good = create_access_token(subject="mona", secret=settings.secret_key, minutes=5)
    assert client.get(ME, headers=_bearer(good)).status_code == 200


def test_a_password_change_revokes_earlier_tokens(
    client: TestClient, settings: Settings, world: World
) -> None:
    old = client.post("/api/auth/token", data={"username": "mona", "password": PASSWORD}).json()[
        "access_token"
    ]
    assert client.get(ME, headers=_bearer(old)).status_code == 200
    with session_scope(settings.database_url) as session:
        user_service.set_password(session=session, username="mona", password="Fresh-Quarter-Moon-7")
    assert client.get(ME, headers=_bearer(old)).status_code == 401
    new = client.post("/api/auth/token", data={"username": "mona", "password": "Fresh-Quarter-Moon-7"})
    assert client.get(ME, headers=_bearer(new.json()["access_token"])).status_code == 200


def test_deactivation_revokes_tokens_and_reactivation_does_not_revive_them(
    client: TestClient, settings: Settings, world: World
) -> None:
    token = client.post("/api/auth/token", data={"username": "sam", "password": PASSWORD}).json()[
        "access_token"
    ]
    with session_scope(settings.database_url) as session:
        user_service.set_active(session=session, username="sam", active=False)
    assert client.get(ME, headers=_bearer(token)).status_code == 401
    with session_scope(settings.database_url) as session:
        user_service.set_active(session=session, username="sam", active=True)
    assert client.get(ME, headers=_bearer(token)).status_code == 401


def test_a_deactivated_user_loses_the_coaching_view_session(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as(None)
    at.text_input[0].input("sam")
    at.text_input[1].input(UI_PASSWORD)
    at.button[0].click().run()
    assert at.title[0].value == "Review queue"
    with session_scope(qa_config.get_settings().database_url) as session:
        user_service.set_active(session=session, username="sam", active=False)
    at.run()
    assert "principal" not in at.session_state
    assert at.title[0].value == "Callcoach"


def test_a_password_change_ends_the_coaching_view_session(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as(None)
    at.text_input[0].input("sam")
    at.text_input[1].input(UI_PASSWORD)
    at.button[0].click().run()
    with session_scope(qa_config.get_settings().database_url) as session:
        user_service.set_password(session=session, username="sam", password="Another-Long-Phrase-9")
    at.run()
    assert "principal" not in at.session_state
