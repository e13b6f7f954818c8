"""Agent trends, pass rates, dashboards and period reports (JSON and CSV), scoped like everything else."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from qa.config import Settings
from qa.db import session_scope
from qa.models import Interaction
from tests.qa.api.conftest import World
from tests.qa.builders import CriterionSpec, add_interaction

Auth = Callable[[str], dict[str, str]]


def test_agent_trend_by_week(client: TestClient, world: World, auth: Auth, settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        add_interaction(
            session,
            agent="maria.g",
            started_at=datetime(2026, 3, 11, 9, 0, tzinfo=UTC),
            criteria=[CriterionSpec("greeting", "pass"), CriterionSpec("empathy", "fail")],
        )
    answer = client.get("/api/agents/maria.g/trend", headers=auth("maria"))
    assert answer.status_code == 200
    assert answer.json() == [
        {"week": "2026-03-02", "score": 37.5, "count": 2},  # 75 and an auto-fail 0
        {"week": "2026-03-09", "score": 50.0, "count": 1},
    ]
    bounded = client.get("/api/agents/maria.g/trend?start=2026-03-09", headers=auth("sam")).json()
    assert [p["week"] for p in bounded] == ["2026-03-09"]
    assert client.get("/api/agents/maria.g/trend", headers=auth("li")).status_code == 404
    assert client.get("/api/agents/maria.g/trend", headers=auth("sue")).status_code == 404
    assert client.get("/api/agents/nobody/trend", headers=auth("mona")).status_code == 404


def test_period_report_json_and_csv(client: TestClient, world: World, auth: Auth) -> None:
    query = "/api/reports/period?start=2026-03-01&end=2026-03-31"
    report = client.get(query, headers=auth("mona")).json()
    rows = {r["agent"]: r for r in report["agents"]}
    assert set(rows) == {"maria.g", "li.w", "ahmed.k"}
    assert rows["maria.g"]["interactions"] == 2 and rows["maria.g"]["auto_fails"] == 1
    assert rows["maria.g"]["average_score"] == 37.5 and rows["maria.g"]["team"] == "North"
    assert rows["maria.g"]["average_csat"] == 4.0
    assert {t["topic"] for t in report["topics"]} == {
        "missed_pickup",
        "street_sweeping",
        "pothole",
        "parking",
    }

    north = client.get(query, headers=auth("sam")).json()
    assert {r["agent"] for r in north["agents"]} == {"maria.g", "li.w"}
    own = client.get(query, headers=auth("ahmed")).json()
    assert [r["agent"] for r in own["agents"]] == ["ahmed.k"]

    exported = client.get(query + "&format=csv", headers=auth("mona"))
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert {r["agent"] for r in table} == {"maria.g", "li.w", "ahmed.k"}
    assert next(r for r in table if r["agent"] == "li.w")["average_score"] == "75.0"

    assert (
        client.get("/api/reports/period?start=2026-03-31&end=2026-03-01", headers=auth("mona")).status_code
        == 409
    )
    assert client.get("/api/reports/period?start=2026-03-01", headers=auth("mona")).status_code == 422
    empty = client.get("/api/reports/period?start=2025-01-01&end=2025-01-31", headers=auth("mona")).json()
    assert empty["agents"] == []


def test_pass_rates_dashboard_and_performance_review(client: TestClient, world: World, auth: Auth) -> None:
    rates = client.get("/api/reports/criteria?agent=maria.g", headers=auth("sam")).json()
    greeting = next(r for r in rates if r["criterion_id"] == "greeting")
    assert greeting["agent_pass_rate"] == 1.0 and greeting["team_pass_rate"] == 1.0
    privacy = next(r for r in rates if r["criterion_id"] == "no_personal_data")
    assert privacy["agent_pass_rate"] == 0.5 and privacy["team_pass_rate"] == round(2 / 3, 4)
    own = client.get("/api/reports/criteria", headers=auth("maria")).json()
    assert next(r for r in own if r["criterion_id"] == "no_personal_data")["agent_scored"] == 2

    dashboard = client.get("/api/reports/dashboard", headers=auth("sue")).json()
    assert [a["agent"] for a in dashboard["agents"]] == ["ahmed.k"] and dashboard["interactions"] == 1

    review = client.get(
        "/api/agents/maria.g/review?start=2026-03-01&end=2026-03-31", headers=auth("mona")
    ).json()
    assert review["summary"]["interactions"] == 2 and review["team"] == "North"
    assert review["trend"][0]["count"] == 2 and review["coaching_notes"] == 0
    assert (
        client.get(
            "/api/agents/li.w/review?start=2026-03-01&end=2026-03-31", headers=auth("maria")
        ).status_code
        == 404
    )


def test_contact_figures_and_visible_agents_are_scoped(client: TestClient, world: World, auth: Auth) -> None:
    everything = client.get("/api/reports/contacts", headers=auth("mona")).json()
    assert everything["totals"]["interactions"] == 4 and everything["totals"]["auto_fails"] == 1
    assert {c["channel"]: c["count"] for c in everything["channels"]} == {"chat": 2, "email": 1, "call": 1}
    north = client.get("/api/reports/contacts", headers=auth("sam")).json()
    assert north["totals"]["interactions"] == 3 and "call" not in {c["channel"] for c in north["channels"]}
    own = client.get("/api/reports/contacts", headers=auth("ahmed")).json()
    assert own["totals"]["interactions"] == 1 and sum(b["count"] for b in own["score_bands"]) == 1
    for username in ("sam", "maria"):
        response = client.get("/api/reports/contacts?agent=ahmed.k", headers=auth(username))
        assert response.status_code == 404
        assert client.get("/api/agents/ahmed.k/coaching-history", headers=auth(username)).status_code == 404
    assert client.get("/api/agents/maria.g/coaching-history", headers=auth("sam")).json() == []
    assert (
        client.get("/api/reports/contacts?start=2026-03-31&end=2026-03-01", headers=auth("mona")).status_code
        == 409
    )

    assert [a["name"] for a in client.get("/api/agents", headers=auth("mona")).json()] == [
        "ahmed.k",
        "li.w",
        "maria.g",
    ]
    assert [a["name"] for a in client.get("/api/agents", headers=auth("sam")).json()] == ["li.w", "maria.g"]
    assert [a["name"] for a in client.get("/api/agents", headers=auth("li")).json()] == ["li.w"]


def test_repeat_contacts_and_coaching_topics_are_for_reviewers_in_scope(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    with session_scope(settings.database_url) as session:
        # maria's chat customer calls again at once about the same program, and ahmed.k (South) answers.
        for name in ("maria_chat", "ahmed_call"):
            interaction = session.get(Interaction, world.interactions[name])
            assert interaction is not None
            interaction.customer_hash = "c1"
    route = "/api/reports/repeat-contacts?start=2026-03-01&end=2026-03-31"
    (everyone,) = client.get(route, headers=auth("mona")).json()
    assert everyone["interaction_id"] == world.interactions["maria_chat"]
    assert (everyone["next_interaction_id"], everyone["next_agent"]) == (
        world.interactions["ahmed_call"],
        "ahmed.k",
    )
    (north,) = client.get(route, headers=auth("sam")).json()
    assert (north["next_interaction_id"], north["next_agent"], north["next_channel"]) == (None, None, "call")
    assert client.get(route, headers=auth("sue")).json() == []
    assert client.get(route + "&agent=maria.g", headers=auth("sue")).status_code == 404
    for agent_user in ("maria", "ahmed"):
        assert client.get(route, headers=auth(agent_user)).status_code == 403
        assert client.get("/api/reports/coaching-topics", headers=auth(agent_user)).status_code == 403
    assert client.get("/api/reports/coaching-topics", headers=auth("sam")).json() == []
    assert client.get("/api/reports/repeat-contacts").status_code == 401
    history = client.get(
        "/api/agents/maria.g/coaching-history?start=2026-03-01&end=2026-03-31", headers=auth("sam")
    )
    assert history.status_code == 200 and history.json() == []
    figures = client.get("/api/reports/contacts", headers=auth("mona")).json()
    assert figures["totals"]["repeat_contacts"] == 1 and "same program" in figures["totals"]["repeat_rule"]
    speed = next(lv for lv in figures["service_levels"] if lv["measure"] == "speed of answer")
    assert (speed["channel"], speed["target"]) == ("call", "60 s")
