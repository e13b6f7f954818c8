"""A seeded SQLite database for the coaching view, and AppTest runs logged in as a given user."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from qa import config as qa_config
from qa.auth.service import principal_for
from qa.db import get_engine, migrate, session_scope
from tests.coaching_ui.seed import Seeded, seed_small

APP = Path(__file__).parents[2] / "coaching_ui" / "streamlit_app.py"
TIMEOUT = 30


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    """A migrated, seeded SQLite file built once; each test gets a copy."""
    path = tmp_path_factory.mktemp("ui") / "template.db"
    url = f"sqlite:///{path}"
    migrate(url)
    with session_scope(url) as db:
        seeded = seed_small(db)
    get_engine(url).dispose()
    return path, seeded


@pytest.fixture
def ui_db(
    seeded_template: tuple[Path, Seeded], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Seeded]:
    """A fresh copy of the seeded database, configured through CALLCOACH_DATABASE_URL."""
    template, seeded = seeded_template
    path = tmp_path / "callcoach.db"
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("CALLCOACH_DATABASE_URL", url)
    monkeypatch.setenv("CALLCOACH_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("CALLCOACH_ENVIRONMENT", "test")
    monkeypatch.setenv("CALLCOACH_SECRET_KEY", "test-secret-key-not-a-placeholder")
    qa_config.get_settings.cache_clear()
    yield seeded
    qa_config.get_settings.cache_clear()
    get_engine(url).dispose()


@pytest.fixture
def app_as(ui_db: Seeded) -> Callable[..., AppTest]:
    """`app_as("sam")`: the app run once with `sam` logged in (or nobody, with None)."""

    def run(username: str | None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if username is not None:
            with session_scope(qa_config.get_settings().database_url) as db:
                at.session_state["principal"] = principal_for(session=db, username=username)
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return run
