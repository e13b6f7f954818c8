"""QA against outcomes: CSAT and first-contact resolution when a criterion passed against when it failed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from qa.config import Settings
from qa.db import session_scope
from tests.qa.api.conftest import World
from tests.qa.builders import CriterionSpec, add_interaction

Auth = Callable[[str], dict[str, str]]


def test_csat_and_fcr_difference_between_passed_and_failed(
    client: TestClient, world: World, auth: Auth, settings: Settings
) -> None:
    # (answer, csat, customer, day of April 2026)
    contacts = [
        ("pass", 5, "c1", 1),  # c1 comes back on the 3rd: not resolved at first contact
        ("pass", 4, "c2", 1),
        ("fail", 2, "c1", 3),
        ("fail", None, "c3", 5),
        ("fail", 1, None, 6),
    ]
    with session_scope(settings.database_url) as session:
        for answer, csat, customer, day in contacts:
            interaction = add_interaction(
                session,
                agent="maria.g",
                csat=csat,
                started_at=datetime(2026, 4, day, 10, tzinfo=UTC),
                criteria=[CriterionSpec("offered_resolution", answer)],
            )
            interaction.customer_hash = customer
    rows = client.get("/api/reports/outcomes?start=2026-04-01&end=2026-04-30", headers=auth("mona"))
    assert rows.status_code == 200, rows.text
    [row] = rows.json()
    # Passed: CSAT (5 + 4) / 2 = 4.5; failed: (2 + 1) / 2 = 1.5 (one without CSAT); difference 3.0.
    # First-contact resolution: passed 1 of 2 known customers (c1 came back), failed 2 of 2.
    assert row == {
        "criterion_id": "offered_resolution",
        "question": "offered resolution",
        "passed": 2,
        "failed": 3,
        "pass_rate": 0.4,
        "csat_passed": 4.5,
        "csat_failed": 1.5,
        "csat_passed_n": 2,
        "csat_failed_n": 2,
        "csat_difference": 3.0,
        "fcr_passed": 0.5,
        "fcr_failed": 1.0,
        "fcr_passed_n": 2,
        "fcr_failed_n": 2,
        "fcr_difference": -0.5,
    }
    # Scope: North's supervisor sees it, South's does not, agents may not read it.
    assert client.get("/api/reports/outcomes?start=2026-04-01", headers=auth("sam")).json() == rows.json()
    assert client.get("/api/reports/outcomes?start=2026-04-01", headers=auth("sue")).json() == []
    assert client.get("/api/reports/outcomes", headers=auth("maria")).status_code == 403
