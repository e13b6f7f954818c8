"""/api/users and /api/teams: admins only, the last admin stays, weak passwords and odd names refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.qa.api.conftest import World
from tests.qa.builders import PASSWORD

Auth = Callable[[str], dict[str, str]]
STRONG = "Quiet-Harbor-Lantern-5"


def _token(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    answer = client.post("/api/auth/token", data={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _user(client: TestClient, headers: dict[str, str], name: str) -> dict[str, object]:
    return next(u for u in client.get("/api/users", headers=headers).json() if u["name"] == name)


def test_admin_creates_an_agent_login_that_works_and_is_audited(
    client: TestClient, world: World, auth: Auth
) -> None:
    body = {"name": "nina", "role": "agent", "agent": "li.w", "password": STRONG}
    answer = client.post("/api/users", headers=auth("ada"), json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json() == {
        "name": "nina",
        "role": "agent",
        "team": "North",
        "agent": "li.w",
        "active": True,
    }
    assert _user(client, auth("ada"), "nina")["agent"] == "li.w"
    # The new login sees li.w's interaction only.
    mine = client.get("/api/interactions", headers=_token(client, "nina", STRONG)).json()
    assert [i["id"] for i in mine["items"]] == [world.interactions["li_chat"]]
    entry = client.get("/api/audit", headers=auth("ada"), params={"entity": "user"}).json()[0]
    assert (entry["action"], entry["username"], entry["before"]) == ("create_user", "ada", None)
    assert entry["after"]["name"] == "nina" and "password" not in str(entry["after"]).lower()
    again = client.post("/api/users", headers=auth("ada"), json=body)
    assert again.status_code == 409 and "already exists" in again.json()["detail"]


@pytest.mark.parametrize("username", ["maria", "sam", "mona"])
def test_only_admins_manage_users_and_teams(
    client: TestClient, world: World, auth: Auth, username: str
) -> None:
    headers = auth(username)
    new_user = {"name": "mallory", "role": "admin", "password": STRONG}
    assert client.post("/api/users", headers=headers, json=new_user).status_code == 403
    assert client.get("/api/users", headers=headers).status_code == 403
    assert client.patch("/api/users/maria", headers=headers, json={"role": "admin"}).status_code == 403
    assert client.post("/api/teams", headers=headers, json={"name": "East"}).status_code == 403
    assert client.get("/api/teams", headers=headers).status_code == 403
    names = {u["name"] for u in client.get("/api/users", headers=auth("ada")).json()}
    assert "mallory" not in names and _user(client, auth("ada"), "maria")["role"] == "agent"
    assert "East" not in {t["name"] for t in client.get("/api/teams", headers=auth("ada")).json()}


def test_a_supervisor_cannot_escalate_themselves(client: TestClient, world: World, auth: Auth) -> None:
    sam = _token(client, "sam")
    for change in ({"role": "admin"}, {"role": "manager"}, {"team": "South"}):
        refused = client.patch("/api/users/sam", headers=sam, json=change)
        assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    assert _user(client, auth("ada"), "sam") == {
        "name": "sam",
        "role": "supervisor",
        "team": "North",
        "agent": None,
        "active": True,
    }
    # An unknown field is refused, not ignored (no smuggled "is_admin").
    assert client.patch("/api/users/sam", headers=auth("ada"), json={"is_admin": True}).status_code == 422


def test_the_last_active_admin_stays(client: TestClient, world: World, auth: Auth) -> None:
    ada = auth("ada")
    for change in ({"active": False}, {"role": "manager"}):
        refused = client.patch("/api/users/ada", headers=ada, json=change)
        assert refused.status_code == 409 and "last active admin" in refused.json()["detail"]
    assert _user(client, ada, "ada")["active"] is True
    promoted = client.patch("/api/users/mona", headers=ada, json={"role": "admin"})
    assert promoted.status_code == 200 and promoted.json()["role"] == "admin"
    assert client.patch("/api/users/ada", headers=ada, json={"active": False}).json()["active"] is False
    # Now mona is the last one.
    last = client.patch("/api/users/mona", headers=auth("mona"), json={"active": False})
    assert last.status_code == 409


def test_weak_passwords_are_refused(client: TestClient, world: World, auth: Auth) -> None:
    ada = auth("ada")
    sam = _token(client, "sam")
    for weak in ("short1", "password123", "sam-sam-sam-1", "aaaaaaaaaaaa"):
        answer = client.patch("/api/users/sam", headers=ada, json={"password": weak})
        assert answer.status_code == 409, weak
        # The same rules for a new login ("nora" in her own password).
        new = {"name": "nora", "role": "manager", "password": weak.replace("sam", "nora")}
        assert client.post("/api/users", headers=ada, json=new).status_code == 409, weak
    # Nothing changed: sam's session goes on.
    assert client.get("/api/interactions", headers=sam).status_code == 200
    huge = client.patch("/api/users/sam", headers=ada, json={"password": "x" * 10_000})
    assert huge.status_code == 422


def test_deactivation_and_a_password_reset_end_sessions_at_once(
    client: TestClient, world: World, auth: Auth
) -> None:
    ada, sam, mona = auth("ada"), _token(client, "sam"), _token(client, "mona")
    assert client.patch("/api/users/sam", headers=ada, json={"active": False}).json()["active"] is False
    assert client.get("/api/interactions", headers=sam).status_code == 401
    assert client.post("/api/auth/token", data={"username": "sam", "password": PASSWORD}).status_code == 401
    assert client.patch("/api/users/mona", headers=ada, json={"password": STRONG}).status_code == 200
    assert client.get("/api/interactions", headers=mona).status_code == 401
    assert client.get("/api/interactions", headers=_token(client, "mona", STRONG)).status_code == 200
    actions = [e["action"] for e in client.get("/api/audit", headers=ada, params={"entity": "user"}).json()]
    assert actions == ["update_user", "update_user"]


def test_names_with_markup_are_refused_and_stored_text_comes_back_as_text(
    client: TestClient, world: World, auth: Auth
) -> None:
    ada = auth("ada")
    for name in ("<script>alert(1)</script>", "two words", "tab\there", ""):
        body = {"name": name, "role": "manager", "password": STRONG}
        assert client.post("/api/users", headers=ada, json=body).status_code == 422, name
    team = "<img src=x onerror=alert(1)>"
    created = client.post("/api/teams", headers=ada, json={"name": team})
    assert created.status_code == 201
    assert created.headers["content-type"] == "application/json" and created.json()["name"] == team


def test_teams_with_their_supervisors(client: TestClient, world: World, auth: Auth) -> None:
    ada = auth("ada")
    teams = {t["name"]: t for t in client.get("/api/teams", headers=ada).json()}
    assert teams["North"] == {"name": "North", "supervisors": ["sam"], "agents": 2}
    assert teams["South"] == {"name": "South", "supervisors": ["sue"], "agents": 1}
    created = client.post("/api/teams", headers=ada, json={"name": "East", "supervisors": ["sam"]})
    assert created.status_code == 201 and created.json() == {
        "name": "East",
        "supervisors": ["sam"],
        "agents": 0,
    }
    # sam reviews East now: North's interactions are out of his scope at once.
    assert client.get("/api/interactions", headers=auth("sam")).json()["total"] == 0
    assert client.post("/api/teams", headers=ada, json={"name": "East"}).status_code == 409
    not_supervisor = client.post("/api/teams", headers=ada, json={"name": "West", "supervisors": ["maria"]})
    assert not_supervisor.status_code == 409 and "not a supervisor" in not_supervisor.json()["detail"]
    assert "West" not in {t["name"] for t in client.get("/api/teams", headers=ada).json()}


def test_moving_an_agent_user_moves_their_work_to_the_new_supervisor(
    client: TestClient, world: World, auth: Auth
) -> None:
    ada = auth("ada")
    moved = client.patch("/api/users/maria", headers=ada, json={"team": "South"})
    assert moved.status_code == 200 and moved.json()["team"] == "South"
    seen_by_sue = {i["id"] for i in client.get("/api/interactions", headers=auth("sue")).json()["items"]}
    assert world.interactions["maria_chat"] in seen_by_sue
    unknown = client.patch("/api/users/maria", headers=ada, json={"agent": "nobody.x"})
    assert unknown.status_code == 404 and "nobody.x" in unknown.json()["detail"]
    # Linking a manager login to an agent account, then making it an agent login.
    linked = client.patch("/api/users/mona", headers=ada, json={"agent": "ahmed.k", "role": "agent"})
    assert linked.status_code == 200 and linked.json()["agent"] == "ahmed.k"
    needs_agent = client.post(
        "/api/users", headers=ada, json={"name": "ed", "role": "agent", "password": STRONG}
    )
    assert needs_agent.status_code == 409
    assert client.patch("/api/users/nobody", headers=ada, json={"active": False}).status_code == 404
