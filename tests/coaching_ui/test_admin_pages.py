"""Users and teams (admins) and uploads (supervisors and up): forms, role checks, escaping, sessions ended."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from coaching_ui import remembered_login
from qa import config as qa_config
from qa.audit import service as audit_service
from qa.auth.service import principal_for
from qa.db import session_scope
from qa.interactions import service as interaction_service
from qa.models import Role
from qa.security import create_access_token
from qa.users import service as user_service
from qa.users.schemas import UserRead, UserUpdate
from tests.coaching_ui.conftest import APP, TIMEOUT
from tests.coaching_ui.seed import PASSWORD, Seeded
from tests.factories import conversation

USERS = "app_pages/users.py"
UPLOADS = "app_pages/uploads.py"
STRONG = "Quiet-Harbor-Lantern-5"


def _users() -> dict[str, UserRead]:
    with session_scope(qa_config.get_settings().database_url) as db:
        return {u.name: u for u in user_service.list_user_reads(session=db)}


def _submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_admin_sees_users_and_teams(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("root", USERS)
    assert not at.exception
    assert at.title[0].value == "Users and teams"
    users = at.dataframe[0].value.set_index("user")
    assert set(users.index) == {"sam", "maria", "li", "omar", "mgr", "root"}
    assert (users.loc["maria", "team"], users.loc["maria", "agent"], users.loc["maria", "active"]) == (
        "North",
        "maria.g",
        True,
    )
    teams = at.dataframe[1].value.set_index("team")
    assert teams.loc["North", "supervisors"] == "sam" and teams.loc["North", "agents"] == 2


def test_admin_creates_a_supervisor_and_a_weak_password_is_refused(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("root", USERS)
    at.text_input(key="new_user_name").input("nina")
    at.selectbox(key="new_user_role").select("supervisor")
    at.selectbox(key="new_user_team").select("South")
    at.text_input(key="new_user_password").input("password123")
    _submit(at, "Create user")
    assert "too common" in at.error[0].value and "nina" not in _users()
    at.text_input(key="new_user_password").input(STRONG)
    _submit(at, "Create user")
    assert at.success[0].value == "Created user nina."
    assert _users()["nina"].team == "South" and _users()["nina"].role.value == "supervisor"
    assert "nina" in set(at.dataframe[0].value["user"])
    with session_scope(qa_config.get_settings().database_url) as db:
        root = principal_for(session=db, username="root")
        assert root is not None
        entry = audit_service.list_entries(session=db, principal=root, entity="user")[0]
    assert (entry.action, entry.username, entry.after and entry.after["name"]) == (
        "create_user",
        "root",
        "nina",
    )


def test_deactivating_a_user_ends_their_open_session(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    sam = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    sam.text_input[0].input("sam")
    sam.text_input[1].input(PASSWORD)
    sam.button[0].click().run()
    assert sam.title[0].value == "Review queue"
    at = app_as("root", USERS)
    at.selectbox(key="edit_user_name").select("sam").run()
    at.checkbox(key="edit_user_active").uncheck()
    _submit(at, "Save changes")
    assert at.success[0].value == "Saved sam."
    # Only what was changed: the form showed sam's own role and team, not the first user's.
    assert _users()["sam"].model_dump() == {
        "name": "sam",
        "role": Role.SUPERVISOR,
        "team": "North",
        "agent": None,
        "active": False,
    }
    sam.run()
    assert "principal" not in sam.session_state and sam.title[0].value == "Callcoach"


def test_the_last_admin_cannot_deactivate_themselves(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("root", USERS)
    at.selectbox(key="edit_user_name").select("root").run()
    at.checkbox(key="edit_user_active").uncheck()
    _submit(at, "Save changes")
    assert "last active admin" in at.error[0].value and _users()["root"].active is True


def test_a_new_team_with_a_supervisor_and_markup_in_its_name_shown_as_text(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("root", USERS)
    name = "East ![x](https://evil.example/p.png) **loud**"
    at.text_input(key="new_team_name").input(name)
    at.multiselect(key="new_team_supervisors").select("sam")
    _submit(at, "Create team")
    # The message escapes the markdown (no image, no bold); the table holds the name as written.
    assert at.success[0].value == r"Created team East \!\[x\]\(https\://evil.example/p.png\) \*\*loud\*\*."
    teams = at.dataframe[1].value.set_index("team")
    assert teams.loc[name, "supervisors"] == "sam"
    assert _users()["sam"].team == name


def test_password_reset_from_the_page(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("root", USERS)
    at.selectbox(key="edit_user_name").select("maria").run()
    at.text_input(key="edit_user_password").input("maria-2026-new")
    _submit(at, "Save changes")
    assert "contains the username" in at.error[0].value
    at.text_input(key="edit_user_password").input(STRONG)
    _submit(at, "Save changes")
    assert at.success[0].value == "Saved maria."
    with session_scope(qa_config.get_settings().database_url) as db:
        assert user_service.authenticate(session=db, username="maria", password=STRONG) is not None
    # Another user picked: the form holds their values, so saving it untouched changes nothing.
    at.selectbox(key="edit_user_name").select("mgr").run()
    assert at.selectbox(key="edit_user_role").value == "manager"
    _submit(at, "Save changes")
    assert at.success[0].value == "Nothing to change." and _users()["mgr"].role == Role.MANAGER


def _upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader(key="upload_files").set_value(
        [(name, data, "application/octet-stream") for name, data in files]
    )
    at.run()
    # Processing runs in the page (no queue configured): the first one loads the scoring models.
    at.button(key="upload").click().run(timeout=180)
    assert not at.exception, at.exception
    return at


def test_supervisor_uploads_for_own_team_only_with_the_cli_errors(
    app_as: Callable[..., AppTest], ui_db: Seeded
) -> None:
    at = app_as("sam", UPLOADS)
    assert not at.exception and at.title[0].value == "Upload interactions"
    own = json.dumps(conversation("ui-upload-1", agent="maria.g")).encode()
    other = json.dumps(conversation("ui-upload-2", agent="omar.k")).encode()
    _upload(at, ("mine.json", own), ("theirs.json", other), ("setup.exe", b"MZ\x90"))
    assert [p.proto.value for p in at.progress] == [100, 100, 100]
    errors = [e.value for e in at.error]
    assert len(errors) == 2
    assert "theirs.json" in errors[0] and "outside your team" in errors[0]
    assert "setup.exe" in errors[1] and "unsupported file type" in errors[1]
    links = [link.value for link in at.page_link]
    assert len(links) == 1 and links[0].startswith("New interaction ")
    new_id = int(links[0].rsplit(" ", 1)[1])
    # Processed before the link was shown: scored, for maria.g, and the interaction page opens it.
    with session_scope(qa_config.get_settings().database_url) as db:
        sam = principal_for(session=db, username="sam")
        assert sam is not None
        detail = interaction_service.get_interaction_detail(session=db, principal=sam, interaction_id=new_id)
    assert detail.agent == "maria.g" and detail.evaluation is not None and detail.evaluation.criteria
    at.switch_page("app_pages/interaction.py")
    at.query_params["id"] = str(new_id)
    at.run()
    assert not at.exception and at.title[0].value == "Interaction"
    # The same file again is recognized, not stored twice.
    at.switch_page(UPLOADS).run()
    _upload(at, ("mine.json", own))
    assert [link.value for link in at.page_link] == [f"Already stored as interaction {new_id}"]


def test_manifest_metadata_goes_with_a_text_transcript(app_as: Callable[..., AppTest], ui_db: Seeded) -> None:
    at = app_as("mgr", UPLOADS)
    at.file_uploader(key="upload_manifest").set_value(
        (
            "calls.csv",
            b"file,agent,external_id,queue\nnotes.txt,li.w,txt-9,potholes\nmissing.wav,li.w,w-1,x\n",
            "text/csv",
        )
    )
    _upload(at, ("notes.txt", b"Agent: Good morning, city services.\nCustomer: A pothole on Elm.\n"))
    assert "missing.wav" in at.warning[0].value
    links = [link.value for link in at.page_link]
    assert len(links) == 1, [e.value for e in at.error]
    bad = app_as("mgr", UPLOADS)
    bad.file_uploader(key="upload_manifest").set_value(("calls.csv", b"file,csat\nx.wav,9\n", "text/csv"))
    bad.run()
    # Shown escaped for markdown (":" as "\:"), as the CLI names it.
    assert "calls.csv: line 2: bad metadata field 'csat'" in bad.error[0].value.replace("\\", "")


@pytest.mark.parametrize(
    ("username", "page"), [("sam", USERS), ("mgr", USERS), ("maria", USERS), ("maria", UPLOADS)]
)
def test_pages_refuse_other_roles(app_as: Callable[..., AppTest], username: str, page: str) -> None:
    at = app_as(username)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)
    direct = AppTest.from_file(str(APP.parent / page), default_timeout=TIMEOUT)
    with session_scope(qa_config.get_settings().database_url) as db:
        direct.session_state["principal"] = principal_for(session=db, username=username)
    direct.run()
    assert direct.error[0].value == "This page is not available for your role."
    assert not direct.title and not direct.get("file_uploader") and not direct.dataframe


def test_deactivation_ends_the_remembered_login_cookie(
    ui_db: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reload with the login cookie finds sam until the admin deactivates him."""
    settings = qa_config.get_settings()
    with session_scope(settings.database_url) as db:
        root = principal_for(session=db, username="root")
        version = user_service.get_by_username(session=db, username="sam").token_version  # type: ignore[union-attr]
    cookie = create_access_token(subject="sam", secret=settings.secret_key, minutes=5, version=version)
    monkeypatch.setattr(
        remembered_login.st, "context", SimpleNamespace(cookies={remembered_login.COOKIE: cookie})
    )
    remembered = remembered_login.principal_from_cookie()
    assert remembered is not None and remembered[0].username == "sam"
    with session_scope(settings.database_url) as db:
        user_service.update_user(session=db, username="sam", changes=UserUpdate(active=False), by=root)
    assert remembered_login.principal_from_cookie() is None
