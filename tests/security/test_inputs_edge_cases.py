"""Items 7 and 13: inputs that used to answer 500 (or poison a page) get a clear 4xx at the edge."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from qa.config import Settings
from qa.errors import InputError
from qa.ingestion.upload import upload_name
from tests.factories import conversation
from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]


def _upload(client: TestClient, auth: Auth, name: str, content: bytes, **data: str):  # type: ignore[no-untyped-def]
    return client.post("/api/interactions", headers=auth("sam"), files={"file": (name, content)}, data=data)


def _chat(**turn: object) -> bytes:
    data = conversation("chat-edge", agent="maria.g")
    data["turns"][0].update(turn)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "offset",
    ["Infinity", "-Infinity", "NaN", "1e999", "1e12"],
    ids=["inf", "-inf", "nan", "overflow", "huge"],
)
def test_a_non_finite_or_absurd_offset_is_refused(
    client: TestClient, world: World, auth: Auth, offset: str
) -> None:
    content = _chat(offset=0).replace(b'"offset": 0', f'"offset": {offset}'.encode())
    assert f'"offset": {offset}'.encode() in content
    before = client.get("/api/interactions", headers=auth("sam")).json()["total"]
    answer = _upload(client, auth, "chat.json", content)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith("chat.json: ")
    # Nothing was stored, so the review queue has nothing that can break it.
    assert client.get("/api/interactions", headers=auth("sam")).json()["total"] == before


def test_non_finite_metadata_is_refused(client: TestClient, world: World, auth: Auth) -> None:
    answer = _upload(
        client, auth, "chat.txt", b"Agent: hello\nCustomer: hi\n", metadata='{"wait_seconds": Infinity}'
    )
    assert answer.status_code == 422 and "not finite" in answer.json()["detail"]
    assert answer.json()["detail"].startswith("chat.txt: ")


@pytest.mark.parametrize(
    ("filename", "status"),
    [
        ("..", 422),
        (".", 422),
        ("a" * 300 + ".json", 422),
        ("../../etc/passwd.json", None),
    ],
)
def test_hostile_file_names(
    client: TestClient, world: World, auth: Auth, filename: str, status: int | None
) -> None:
    answer = _upload(client, auth, filename, _chat())
    if status is None:  # a path is cut to its last part and stored under that name, inside the media folder
        assert answer.status_code == 201 and answer.json()["file"] == "passwd.json"
    else:
        assert answer.status_code == status, answer.text
        assert len(answer.json()["detail"]) < 200


@pytest.mark.parametrize(
    "name", ["x\x00.json", "a\nb.json", "\ud800.json", "x" * 201 + ".json", "..", "", "/"]
)
def test_upload_name_refuses_what_cannot_be_a_file_name(name: str) -> None:
    with pytest.raises(InputError):
        upload_name(name)


def test_json_nested_100000_deep_is_422(client: TestClient, world: World, auth: Auth) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    answer = _upload(client, auth, "chat.json", deep)
    assert answer.status_code == 422 and "nested too deeply" in answer.json()["detail"]
    body = '{"interaction_id": 1, "text": "x", "criterion_id": ' + "[" * 100_000 + "]" * 100_000 + "}"
    note = client.post(
        "/api/coaching-notes", headers={**auth("sam"), "Content-Type": "application/json"}, content=body
    )
    assert 400 <= note.status_code < 500


def test_a_csv_field_over_the_csv_limit_is_422(client: TestClient, world: World, auth: Auth) -> None:
    content = f"conversation_id,speaker,text\nc1,Agent,{'x' * 131_073}\n".encode()
    answer = _upload(client, auth, "chat.csv", content)
    assert answer.status_code == 422 and "malformed CSV" in answer.json()["detail"]


def test_a_lone_surrogate_is_422(client: TestClient, world: World, auth: Auth) -> None:
    content = _chat(text="hello").replace(b'"hello"', b'"hel\\ud800lo"')
    answer = _upload(client, auth, "chat.json", content)
    assert answer.status_code == 422 and "surrogate" in answer.json()["detail"]
    note = client.post(
        "/api/coaching-notes",
        headers={**auth("sam"), "Content-Type": "application/json"},
        content=b'{"interaction_id": %d, "text": "bad \\udc00 text"}' % world.interactions["maria_chat"],
    )
    assert note.status_code == 422 and "surrogate" in note.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/interactions/{id}",
        "/api/interactions/{id}/audio",
        "/api/jobs/{id}",
        "/api/interactions/{id}/review/finalize",
    ],
)
def test_an_id_of_10_to_the_25_is_a_4xx(client: TestClient, world: World, auth: Auth, path: str) -> None:
    url = path.format(id=10**25)
    answer = (
        client.post(url, headers=auth("ada")) if "finalize" in url else client.get(url, headers=auth("ada"))
    )
    assert 400 <= answer.status_code < 500, (url, answer.status_code, answer.text)
    assert "Traceback" not in answer.text


def test_a_non_finite_note_time_is_422(client: TestClient, world: World, auth: Auth) -> None:
    body = b'{"interaction_id": %d, "text": "t", "at_seconds": Infinity}' % world.interactions["maria_chat"]
    answer = client.post(
        "/api/coaching-notes", headers={**auth("sam"), "Content-Type": "application/json"}, content=body
    )
    assert answer.status_code == 422


def test_the_coaching_view_never_shows_a_traceback(settings: Settings) -> None:
    """Whatever a page raises, the browser gets a generic box: tracebacks carry code and server paths."""
    at = AppTest.from_file(
        str(Path(__file__).parents[2] / "coaching_ui" / "streamlit_app.py"), default_timeout=30
    )
    at.run()
    from streamlit import config

    assert config.get_option("client.showErrorDetails") == "none"
