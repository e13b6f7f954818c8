"""Item 11: `callcoach demo` creates users with published passwords, so it runs in development only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from qa import config as qa_config
from qa import demo
from qa.cli.main import app as cli
from qa.config import Settings
from qa.errors import PermissionDenied
from qa.users import service as user_service

SAMPLES = Path(__file__).parents[2] / "samples"


@pytest.mark.parametrize("environment", ["production", "test"])
def test_demo_is_refused_outside_development(
    settings: Settings, session: Session, monkeypatch: pytest.MonkeyPatch, environment: str
) -> None:
    monkeypatch.setenv("CALLCOACH_ENVIRONMENT", environment)
    monkeypatch.setenv("CALLCOACH_SECRET_KEY", "k7Qv9mZ2xR4pL8wN3tY6bH1cJ5dF0gS-aE_u")
    qa_config.get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["demo", "--samples", str(SAMPLES)])
    assert result.exit_code == 1
    assert "development" in result.stderr and "Traceback" not in result.output
    assert user_service.get_by_username(session=session, username="admin") is None
    with pytest.raises(PermissionDenied):
        demo.run(settings=qa_config.get_settings(), samples=SAMPLES)
