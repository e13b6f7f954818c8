"""Shared fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from qa import config as qa_config
from qa.config import Settings
from qa.db import get_engine, make_engine, migrate, session_scope

POSTGRES_ADMIN_URL = os.environ.get(
    "CALLCOACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TEMPLATE_DB = f"callcoach_tpl_{os.getpid()}"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated template database; each test copies it (much faster than migrating)."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{TEMPLATE_DB}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{TEMPLATE_DB}"
    migrate(url)
    get_engine(url).dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)'))
    admin.dispose()


def _fresh_postgres(template_url: str) -> Iterator[str]:
    name = f"callcoach_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    get_engine(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database with the schema built by `alembic upgrade head`, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'callcoach.db'}"
        migrate(url)
        yield url
        get_engine(url).dispose()
    else:
        template = request.getfixturevalue("postgres_template")
        yield from _fresh_postgres(template)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings pointing at the test database, also seen by code that calls get_settings()."""
    monkeypatch.setenv("CALLCOACH_DATABASE_URL", database_url)
    monkeypatch.setenv("CALLCOACH_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("CALLCOACH_ENVIRONMENT", "test")
    monkeypatch.setenv("CALLCOACH_SECRET_KEY", "test-secret-key-not-a-placeholder")
    qa_config.get_settings.cache_clear()
    yield qa_config.get_settings()
    qa_config.get_settings.cache_clear()


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    """A session whose work is committed when the test body ends without error."""
    with session_scope(settings.database_url) as db_session:
        yield db_session


@pytest.fixture
def scratch_engine(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A throwaway SQLite engine for tests that poke at the raw schema."""
    engine = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
    yield engine
    engine.dispose()
