"""Item 16: common, short and name-like passwords are refused; errors never show server paths."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from qa.cli.main import app as cli
from qa.config import Settings
from qa.models import Role
from qa.users import service as user_service
from qa.users.service import WeakPassword
from tests.qa.api.conftest import World


@pytest.mark.parametrize(
    "password",
    [
        "short",
        "1234567",
        "password123",
        "Password1",
        "qwerty123",
        "aaaaaaaaaaaa",
        "ababababab",
        "my-nora-pass",
    ],
)
def test_weak_passwords_are_refused(session: Session, password: str) -> None:
    with pytest.raises(WeakPassword):
        user_service.create_user(session=session, username="nora", password=password, role=Role.MANAGER)


def test_a_reasonable_password_is_taken(session: Session) -> None:
    user = user_service.create_user(
        session=session, username="nora", password="Lamp-Orbit-42", role=Role.MANAGER
    )
    assert user.password_hash.startswith("$argon2")


def test_set_password_applies_the_same_rule(session: Session) -> None:
    user_service.create_user(session=session, username="nora", password="Lamp-Orbit-42", role=Role.MANAGER)
    with pytest.raises(WeakPassword):
        user_service.set_password(session=session, username="nora", password="letmein123")


def test_the_cli_refuses_a_common_password_with_one_line(settings: Settings) -> None:
    result = CliRunner().invoke(
        cli, ["users", "create", "nora", "--role", "manager", "--password", "password1"]
    )
    assert result.exit_code == 1 and "too common" in result.stderr and "Traceback" not in result.output


def test_a_bad_upload_names_the_file_not_the_server_folder(
    client: TestClient, world: World, auth: Callable[[str], dict[str, str]], settings: Settings
) -> None:
    answer = client.post(
        "/api/interactions", headers=auth("sam"), files={"file": ("call.wav", b"RIFF not really a wav file")}
    )
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail.startswith("call.wav: ")
    for secret_place in (str(settings.media_dir), "/tmp", "uploads/"):
        assert secret_place not in detail
