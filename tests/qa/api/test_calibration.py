"""Calibration sessions end to end: blind answers, closing, kappa with the machine as a rater, expert
answers, grading the graders, scope and audit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.qa.api.conftest import World

Auth = Callable[[str], dict[str, str]]

# maria_chat (machine): greeting pass, verify_address pass, empathy fail, no_personal_data pass
# maria_fail (machine): greeting pass, no_personal_data fail
ANSWERS = {
    "sam": {
        "maria_chat": {
            "greeting": "pass",
            "verify_address": "pass",
            "empathy": "pass",
            "no_personal_data": "pass",
        },
        "maria_fail": {"greeting": "pass", "no_personal_data": "fail"},
    },
    "mona": {
        "maria_chat": {
            "greeting": "pass",
            "verify_address": "fail",
            "empathy": "pass",
            "no_personal_data": "pass",
        },
        "maria_fail": {"greeting": "fail", "no_personal_data": "fail"},
    },
    "ada": {
        "maria_chat": {
            "greeting": "pass",
            "verify_address": "pass",
            "empathy": "fail",
            "no_personal_data": "pass",
        },
        "maria_fail": {"greeting": "pass", "no_personal_data": "fail"},
    },
}


def _create(client: TestClient, auth: Auth, world: World, organizer: str = "sam", **body: object):  # type: ignore[no-untyped-def]
    payload = {
        "interaction_ids": [world.interactions["maria_chat"], world.interactions["maria_fail"]],
        "reviewers": ["sam", "mona", "ada"],
        "title": "March <b>calibration</b>",
    } | body
    return client.post("/api/calibrations", headers=auth(organizer), json=payload)


def _answer(
    client: TestClient, auth: Auth, calibration: int, who: str, interaction: int, answers: dict[str, str]
):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/calibrations/{calibration}/answers",
        headers=auth(who),
        json={"interaction_id": interaction, "answers": answers},
    )


def test_three_reviewers_calibrate_blind_then_see_kappa(client: TestClient, world: World, auth: Auth) -> None:
    created = _create(client, auth, world)
    assert created.status_code == 201, created.text
    calibration = created.json()
    cid = calibration["id"]
    assert calibration["status"] == "open" and calibration["title"] == "March <b>calibration</b>"
    assert [r["username"] for r in calibration["reviewers"]] == ["sam", "mona", "ada"]
    questions = calibration["items"][0]["criteria"]
    assert [q["criterion_id"] for q in questions] == [
        "greeting",
        "verify_address",
        "empathy",
        "no_personal_data",
    ]
    assert "result" not in questions[0]  # no machine answer while scoring blind

    ids = world.interactions
    for name in ("maria_chat", "maria_fail"):
        assert _answer(client, auth, cid, "sam", ids[name], ANSWERS["sam"][name]).status_code == 200
    # Answered once only.
    again = _answer(client, auth, cid, "sam", ids["maria_chat"], ANSWERS["sam"]["maria_chat"])
    assert again.status_code == 409
    # Blind: mona sees her (empty) answers and sam's progress, never sam's answers or the machine's.
    seen_by_mona = client.get(f"/api/calibrations/{cid}", headers=auth("mona")).json()
    assert seen_by_mona["criteria"] == []
    assert all(item["my_answers"] == {} for item in seen_by_mona["items"])
    assert seen_by_mona["reviewers"][0] == {
        "username": "sam",
        "answered": 2,
        "submitted": True,
        "compared": 0,
        "deviations": 0,
    }
    # Her own row counts what she answered (nothing yet), not the interactions she was asked about.
    not_yet = [(r["answered"], r["submitted"]) for r in seen_by_mona["reviewers"][1:]]
    assert not_yet == [(0, False), (0, False)]
    assert "pass" not in str(seen_by_mona["items"])
    # Nor through the interaction itself until she has answered it; sam, who answered, sees it again.
    hidden = client.get(f"/api/interactions/{ids['maria_chat']}", headers=auth("mona")).json()
    assert hidden["calibration_blind"] is True and hidden["evaluation"] is None
    # Nor through the agent's self-evaluation, which lists the current answers beside hers.
    beside = client.get(f"/api/interactions/{ids['maria_chat']}/self-evaluation", headers=auth("mona"))
    assert beside.status_code == 409 and "pass" not in beside.text and "fail" not in beside.text
    shown = client.get(f"/api/interactions/{ids['maria_chat']}", headers=auth("sam")).json()
    assert shown["calibration_blind"] is False and shown["evaluation"]["criteria"]
    seen_by_sam = client.get(f"/api/calibrations/{cid}", headers=auth("sam")).json()
    assert seen_by_sam["items"][0]["my_answers"] == ANSWERS["sam"]["maria_chat"]

    for who in ("mona", "ada"):
        for name in ("maria_chat", "maria_fail"):
            answer = _answer(client, auth, cid, who, ids[name], ANSWERS[who][name])
            assert answer.status_code == 200, answer.text
    closed = answer.json()
    assert closed["status"] == "closed" and closed["closed_at"]  # the last answer closed it
    by_criterion = {c["criterion_id"]: c for c in closed["criteria"]}
    greeting = by_criterion["greeting"]
    # greeting, raters sam, mona, ada, machine: chat pass pass pass pass; fail-email pass fail pass pass.
    # Pairwise agreement: (1 + 6/12) / 2 = 0.75. Fleiss: p(pass) = 7/8, p(fail) = 1/8,
    # chance = 49/64 + 1/64 = 0.78125, kappa = (0.75 - 0.78125) / (1 - 0.78125) = -1/7.
    assert greeting["statistic"] == "fleiss_kappa" and greeting["units"] == 2
    assert greeting["agreement"] == 0.75
    assert greeting["kappa"] == pytest.approx(-1 / 7, abs=1e-4)
    assert greeting["answers"][str(ids["maria_fail"])] == {"sam": "pass", "mona": "fail", "ada": "pass"}
    assert greeting["machine"] == {str(ids["maria_chat"]): "pass", str(ids["maria_fail"]): "pass"}
    # no_personal_data: all four say pass on one, fail on the other: chance 0.5, kappa 1.
    assert by_criterion["no_personal_data"]["kappa"] == 1.0
    assert by_criterion["no_personal_data"]["agreement"] == 1.0
    # verify_address on one interaction: pass fail pass pass: agreement 0.5, chance 10/16, kappa -1/3.
    assert by_criterion["verify_address"]["kappa"] == pytest.approx(-1 / 3, abs=1e-4)
    # Among people only (no machine) on empathy: pass pass fail -> agreement 1/3.
    assert by_criterion["empathy"]["people_agreement"] == pytest.approx(1 / 3, abs=1e-4)
    assert _answer(client, auth, cid, "ada", ids["maria_chat"], {"greeting": "pass"}).status_code == 409

    # The organizer's expert answer, then grade the graders.
    expert = {"greeting": "pass", "verify_address": "pass", "empathy": "pass", "no_personal_data": "pass"}
    graded = client.post(
        f"/api/calibrations/{cid}/expert",
        headers=auth("sam"),
        json={"interaction_id": ids["maria_chat"], "answers": expert},
    )
    assert graded.status_code == 200, graded.text
    reviewers = {r["username"]: (r["compared"], r["deviations"]) for r in graded.json()["reviewers"]}
    assert reviewers == {"sam": (4, 0), "mona": (4, 1), "ada": (4, 1)}
    assert {c["criterion_id"]: c["expert"] for c in graded.json()["criteria"]}["empathy"] == {
        str(ids["maria_chat"]): "pass"
    }
    graders = client.get("/api/calibrations/graders", headers=auth("mona")).json()
    assert {g["rater"]: (g["compared"], g["deviations"]) for g in graders} == {
        "sam": (4, 0),
        "mona": (4, 1),
        "ada": (4, 1),
        "machine": (4, 1),  # the machine failed empathy
    }
    assert graders[0]["deviation_rate"] is not None
    own = client.get("/api/calibrations/graders", headers=auth("sam")).json()
    assert {g["rater"] for g in own} == {"sam", "machine"}  # a supervisor sees only themselves

    audit = client.get(f"/api/audit?entity=calibration_session&entity_id={cid}", headers=auth("mona")).json()
    actions = [e["action"] for e in reversed(audit)]
    assert actions == ["create_calibration"] + ["answer_calibration"] * 6 + [
        "close_calibration",
        "expert_answer_calibration",
    ]
    assert audit[0]["username"] == "sam" and audit[0]["after"]["answers"] == expert


def test_closing_early_uses_krippendorffs_alpha_for_missing_answers(
    client: TestClient, world: World, auth: Auth
) -> None:
    cid = _create(client, auth, world).json()["id"]
    ids = world.interactions
    _answer(client, auth, cid, "sam", ids["maria_chat"], ANSWERS["sam"]["maria_chat"])
    _answer(client, auth, cid, "mona", ids["maria_chat"], {"greeting": "pass", "empathy": "fail"})
    assert (
        client.post(
            f"/api/calibrations/{cid}/expert",
            headers=auth("sam"),
            json={"interaction_id": ids["maria_chat"], "answers": {"greeting": "pass"}},
        ).status_code
        == 409
    )
    assert client.post(f"/api/calibrations/{cid}/close", headers=auth("ada")).status_code == 200  # an admin
    result = client.get(f"/api/calibrations/{cid}", headers=auth("sam")).json()
    assert result["status"] == "closed"
    empathy = next(c for c in result["criteria"] if c["criterion_id"] == "empathy")
    # chat: sam pass, mona fail, ada -, machine fail; fail-email: nobody answered, only the machine.
    assert empathy["statistic"] == "krippendorff_alpha" and empathy["units"] == 1
    assert empathy["answers"][str(ids["maria_chat"])] == {"sam": "pass", "mona": "fail"}
    assert empathy["agreement"] == pytest.approx(1 / 3, abs=1e-4)
    assert client.post(f"/api/calibrations/{cid}/close", headers=auth("sam")).status_code == 409


def test_calibration_roles_and_scope(client: TestClient, world: World, auth: Auth) -> None:
    ids = world.interactions
    # Agents cannot organise; a supervisor cannot pick another team's interaction (it does not exist).
    assert _create(client, auth, world, organizer="maria").status_code == 403
    assert _create(client, auth, world, interaction_ids=[ids["ahmed_call"]]).status_code == 404
    # Reviewers must be able to see every interaction, and be reviewers at all.
    assert _create(client, auth, world, reviewers=["sue"]).status_code == 409
    assert _create(client, auth, world, reviewers=["li"]).status_code == 409
    assert _create(client, auth, world, reviewers=["nobody"]).status_code == 404
    assert _create(client, auth, world, interaction_ids=[]).status_code == 422
    assert _create(client, auth, world, reviewers=["x" * 121]).status_code == 422
    assert _create(client, auth, world, interaction_ids=list(range(1, 52))).status_code == 422
    cid = _create(client, auth, world, reviewers=["mona"]).json()["id"]
    # Outside the session: 404 for an agent and for a supervisor who is neither organizer nor invited.
    for outsider in ("maria", "sue"):
        assert client.get(f"/api/calibrations/{cid}", headers=auth(outsider)).status_code == 404
        assert (
            _answer(client, auth, cid, outsider, ids["maria_chat"], {"greeting": "pass"}).status_code == 404
        )
    assert client.get("/api/calibrations", headers=auth("maria")).status_code == 403
    assert [c["id"] for c in client.get("/api/calibrations", headers=auth("sue")).json()] == []
    assert [c["id"] for c in client.get("/api/calibrations", headers=auth("ada")).json()] == [cid]
    # The organizer is not an invited reviewer here: may close, may not answer; the reviewer may not close.
    assert _answer(client, auth, cid, "sam", ids["maria_chat"], {"greeting": "pass"}).status_code == 403
    bad = _answer(client, auth, cid, "mona", ids["maria_chat"], {"made_up": "pass"})
    assert bad.status_code == 404 and "made_up" in bad.json()["detail"]
    assert _answer(client, auth, cid, "mona", ids["li_chat"], {"greeting": "pass"}).status_code == 404
    assert _answer(client, auth, cid, "mona", ids["maria_chat"], {"greeting": "maybe"}).status_code == 422
    assert _answer(client, auth, cid, "mona", ids["maria_chat"], {"g" * 121: "pass"}).status_code == 422
    assert client.post(f"/api/calibrations/{cid}/close", headers=auth("sue")).status_code == 404
    assert client.get("/api/calibrations/graders", headers=auth("maria")).status_code == 403


def test_every_trust_route_needs_a_valid_token(client: TestClient, world: World) -> None:
    prefixes = ("/api/calibrations", "/api/reports/agreement", "/api/reports/trust", "/api/assignments")
    paths = client.get("/openapi.json").json()["paths"]
    routes = [
        (method, path.replace("{calibration_id}", "1"))
        for path, operations in paths.items()
        if path.startswith(prefixes) or path == "/api/reports/outcomes"
        for method in operations
    ]
    assert len(routes) == 14  # calibrations 7, agreement 2, trust 2, assignments 2, outcomes 1
    for method, path in routes:
        assert client.request(method, path).status_code == 401, path
        assert client.request(method, path, headers={"Authorization": "Bearer nope"}).status_code == 401, path
