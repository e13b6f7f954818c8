"""Item 1: a fresh install never signs with a published key; weak keys are refused outside development."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from fastapi.testclient import TestClient

from qa import config as qa_config
from qa.api.app import create_app
from qa.config import DEVELOPMENT_SECRET, Settings
from qa.db import get_engine, migrate, session_scope
from qa.models import Role
from qa.models.base import utcnow
from tests.qa.builders import add_user


@pytest.fixture
def fresh_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A working folder with nothing configured: no CALLCOACH_* variables, no .env."""
    for name in list(os.environ):
        if name.startswith("CALLCOACH_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    qa_config.get_settings.cache_clear()
    yield tmp_path
    qa_config.get_settings.cache_clear()


def _forged(secret: str, **claims: object) -> str:
    payload = {"sub": "admin", "ver": 0, "exp": utcnow() + timedelta(hours=1), **claims}
    return jwt.encode(payload, secret, algorithm="HS256")


def test_fresh_install_refuses_a_token_signed_with_the_published_key(
    fresh_install: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{fresh_install / 'var.db'}"
    monkeypatch.setenv("CALLCOACH_DATABASE_URL", url)
    migrate(url)
    with session_scope(url) as session:
        add_user(session, "admin", Role.ADMIN)
    client = TestClient(create_app())
    for secret in (DEVELOPMENT_SECRET, "change-me", "secret", ""):
        answer = client.get("/api/audit", headers={"Authorization": f"Bearer {_forged(secret or 'x' * 32)}"})
        assert answer.status_code == 401, secret
    # The key in use is the generated one, kept owner-only under the data folder.
    key_file = fresh_install / "var" / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert qa_config.get_settings().secret_key == key_file.read_text().strip() != DEVELOPMENT_SECRET
    genuine = _forged(key_file.read_text().strip())
    assert client.get("/api/audit", headers={"Authorization": f"Bearer {genuine}"}).status_code == 200
    get_engine(url).dispose()


def test_the_generated_key_is_random_and_kept(fresh_install: Path) -> None:
    first = Settings().secret_key
    assert len(first) >= 32 and Settings().secret_key == first
    other = Settings(secret_key_file=fresh_install / "elsewhere" / "key").secret_key
    assert other != first


def test_a_key_file_others_can_read_is_refused(fresh_install: Path) -> None:
    Settings()
    (fresh_install / "var" / "secret_key").chmod(0o644)
    with pytest.raises(ValueError, match="readable by others"):
        Settings()


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("", "not set"),
        (DEVELOPMENT_SECRET, "placeholder"),
        ("Change-Me", "placeholder"),
        ("s3cr3t-key", "too weak"),  # short
        ("ab" * 24, "too weak"),  # long but two characters
        ("0123456789" * 4, "too weak"),  # ten different characters
    ],
)
def test_production_refuses_missing_placeholder_and_weak_keys(
    fresh_install: Path, secret: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        Settings(environment="production", secret_key=secret)


def test_production_takes_a_strong_key_and_writes_no_file(fresh_install: Path) -> None:
    strong = "k7Qv9mZ2xR4pL8wN3tY6bH1cJ5dF0gS-aE_u"
    assert Settings(environment="production", secret_key=strong).secret_key == strong
    assert not (fresh_install / "var").exists()


def test_a_published_key_is_refused_in_development_too(fresh_install: Path) -> None:
    with pytest.raises(ValueError, match="placeholder"):
        Settings(secret_key=DEVELOPMENT_SECRET)
