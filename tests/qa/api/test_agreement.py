"""Machine against people: the agreement report, criterion trust and routing untrusted criteria to people."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from qa.config import Settings
from qa.db import session_scope
from tests.qa.api.conftest import World
from tests.qa.builders import CriterionSpec, add_interaction

Auth = Callable[[str], dict[str, str]]

# machine \ human   pass  fail
#   pass              20     5
#   fail              10    15      n = 50
# po = 35/50 = 0.7; machine marginals .5/.5, human .6/.4; pe = .5*.6 + .5*.4 = .5; kappa = (.7-.5)/.5 = 0.4.
# Analytic variance (Fleiss, Cohen & Everitt 1969) = .2016 / (50 * .25) = .016128, se = .127;
# 95 % interval .4 -+ 1.96 * .127 = [0.1511, 0.6489] (worked out in tests/scoring/test_agreement.py).
TONE_TABLE = {("pass", "pass"): 20, ("pass", "fail"): 5, ("fail", "pass"): 10, ("fail", "fail"): 15}


def _settle(settings: Settings) -> int:
    """50 finalized North reviews: `tone` as in TONE_TABLE, `greeting` always confirmed (kappa 1)."""
    with session_scope(settings.database_url) as session:
        n = 0
        for (machine, human), count in TONE_TABLE.items():
            for _ in range(count):
                greeting = "pass" if n % 2 else "fail"
                add_interaction(
                    session,
                    agent="li.w" if n % 3 else "maria.g",
                    review_status="final",
                    criteria=[
                        CriterionSpec("greeting", greeting),
                        CriterionSpec("tone", human, machine_result=machine if machine != human else None),
                    ],
                )
                n += 1
        # Not settled by a person: never counted. Its id is returned.
        return add_interaction(
            session,
            agent="maria.g",
            review_status="reviewed",
            criteria=[CriterionSpec("tone", "pass", machine_result="fail")],
        ).id


def test_agreement_report_matches_the_hand_computed_kappa(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    _settle(settings)
    rows = client.get("/api/reports/agreement?rubric=public_works_chat", headers=auth("mona"))
    assert rows.status_code == 200, rows.text
    tone = next(r for r in rows.json() if r["criterion_id"] == "tone")
    assert tone["n"] == 50 and tone["agreement"] == 0.7
    assert tone["kappa"] == pytest.approx(0.4)
    assert tone["kappa_low"] == pytest.approx(0.1511, abs=1e-4)
    assert tone["kappa_high"] == pytest.approx(0.6489, abs=1e-4)
    assert tone["confusion"]["pass/pass"] == 20 and tone["confusion"]["pass/fail"] == 5
    assert tone["confusion"]["fail/pass"] == 10 and tone["confusion"]["fail/fail"] == 15
    greeting = next(r for r in rows.json() if r["criterion_id"] == "greeting")
    assert greeting["n"] == 50 and greeting["kappa"] == 1.0

    # Scope: the North supervisor sees the same; South's sees nothing; agents may not read it.
    assert client.get("/api/reports/agreement", headers=auth("sam")).json() == rows.json()
    assert client.get("/api/reports/agreement", headers=auth("sue")).json() == []
    assert client.get("/api/reports/agreement", headers=auth("maria")).status_code == 403
    assert client.get("/api/reports/agreement?rubric=other", headers=auth("mona")).json() == []
    assert client.get("/api/reports/agreement?since=2030-01-01", headers=auth("mona")).json() == []
    trend = client.get("/api/reports/agreement/trend", headers=auth("mona")).json()
    assert {(p["criterion_id"], p["n"]) for p in trend} == {("greeting", 50), ("tone", 50)}


def test_poorly_agreeing_criterion_needs_a_person_and_comes_first(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    in_review = _settle(settings)
    with session_scope(settings.database_url) as session:
        unsure = add_interaction(
            session,
            agent="maria.g",
            criteria=[CriterionSpec("greeting", "pass"), CriterionSpec("tone", "pass")],
        ).id
    assert client.post("/api/reports/trust/refresh", headers=auth("sam")).status_code == 403
    refreshed = client.post("/api/reports/trust/refresh", headers=auth("mona"))
    assert refreshed.status_code == 200, refreshed.text
    trust = {r["criterion_id"]: r for r in client.get("/api/reports/trust", headers=auth("sam")).json()}
    # tone: kappa 0.4, interval low 0.15 < 0.6 over 50 answers; greeting: kappa 1 over 50.
    assert trust["tone"]["status"] == "needs_human" and trust["tone"]["n"] == 50
    assert trust["greeting"]["status"] == "trusted"
    assert client.get("/api/reports/trust", headers=auth("maria")).status_code == 403

    # The queue puts them first (before maria's auto-fail), the filter finds them, the answer is a suggestion.
    queue = client.get("/api/interactions?sort=priority&review_status=pending", headers=auth("sam")).json()
    assert queue["items"][0]["id"] == unsure
    assert queue["items"][1]["id"] == world.interactions["maria_fail"]
    reviewed = client.get(
        "/api/interactions?sort=priority&review_status=reviewed", headers=auth("sam")
    ).json()
    assert reviewed["items"][0]["id"] == in_review
    only = client.get("/api/interactions?needs_human=true", headers=auth("sam")).json()
    assert {i["id"] for i in only["items"]} == {unsure, in_review} and only["total"] == 2
    assert client.get("/api/interactions?needs_human=true", headers=auth("mona")).json()["total"] == 2
    assert client.get("/api/interactions?needs_human=true", headers=auth("sue")).json()["total"] == 0
    detail = client.get(f"/api/interactions/{unsure}", headers=auth("sam")).json()
    assert detail["needs_human_criteria"] == ["tone"]
    # Once a person finalizes it, it leaves the needs-human list.
    assert client.post(f"/api/interactions/{unsure}/review/finalize", headers=auth("sam")).status_code == 200
    assert client.get("/api/interactions?needs_human=true", headers=auth("sam")).json()["total"] == 1
    audit = client.get("/api/audit?entity=criterion_trust", headers=auth("mona")).json()
    assert (
        audit[0]["action"] == "refresh_trust"
        and "public_works_chat@test:tone" in audit[0]["after"]["needs_human"]
    )


def test_calibration_expert_answers_count_as_settled(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]  # machine: empathy fail
    cid = client.post(
        "/api/calibrations", headers=auth("sam"), json={"interaction_ids": [chat], "reviewers": ["mona"]}
    ).json()["id"]
    client.post(f"/api/calibrations/{cid}/close", headers=auth("sam"))
    client.post(
        f"/api/calibrations/{cid}/expert",
        headers=auth("sam"),
        json={"interaction_id": chat, "answers": {"empathy": "pass", "greeting": "pass"}},
    )
    rows = {r["criterion_id"]: r for r in client.get("/api/reports/agreement", headers=auth("sam")).json()}
    assert set(rows) == {"empathy", "greeting"}
    assert rows["empathy"]["n"] == 1 and rows["empathy"]["confusion"]["fail/pass"] == 1
    assert rows["greeting"]["agreement"] == 1.0


def test_resolved_disputes_count_as_settled(client: TestClient, world: World, auth: Auth) -> None:
    chat = world.interactions["maria_chat"]  # machine: empathy fail
    assert client.get("/api/reports/agreement", headers=auth("sam")).json() == []
    opened = client.post(
        f"/api/interactions/{chat}/disputes",
        headers=auth("maria"),
        json={"criterion_id": "empathy", "reason": "I did say sorry."},
    )
    assert opened.status_code == 201, opened.text
    # An open dispute settles nothing yet.
    assert client.get("/api/reports/agreement", headers=auth("sam")).json() == []
    resolved = client.post(
        f"/api/disputes/{opened.json()['id']}/resolve",
        headers=auth("sam"),
        json={"decision": "upheld", "comment": "Yes, she apologised."},
    )
    assert resolved.status_code == 200, resolved.text
    rows = {r["criterion_id"]: r for r in client.get("/api/reports/agreement", headers=auth("sam")).json()}
    assert set(rows) == {"empathy"}
    assert rows["empathy"]["n"] == 1 and rows["empathy"]["confusion"]["fail/pass"] == 1
