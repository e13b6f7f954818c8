"""Weekly assignments: stratified, evenly spread, exactly once per week; CLI, API and the beat entry."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from qa.api.app import create_app
from qa.assignments import repository, service, tasks
from qa.cli import app as cli_app
from qa.config import Settings
from qa.db import session_scope
from qa.jobs import tasks as job_tasks
from qa.models import ReviewAssignment, Role
from qa.security import create_access_token
from scoring.agreement import TrustRule
from scoring.sampling import parse_plan
from tests.qa.builders import CriterionSpec, add_interaction, add_user

W10 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday of 2026-W10
PLAN = "team: North\nper_agent_per_week: 5\nstratify_by: [channel, topic]\ndue_days: 7\n"
RULE = TrustRule()
runner = CliRunner()


def _week_of_work(session: Session) -> dict[str, int]:
    """North: supervisors sam and tia, agents ann and bob with 10 ordinary contacts each in 2026-W10 (6 chats
    about bins, 3 calls about potholes, 1 email) plus one auto-fail (ann) and one angry customer (bob);
    work outside the week or the team is never picked."""
    add_user(session, "sam", Role.SUPERVISOR, team="North")
    add_user(session, "tia", Role.SUPERVISOR, team="North")
    add_user(session, "sue", Role.SUPERVISOR, team="South")
    add_user(session, "mona", Role.MANAGER)
    add_user(session, "ann", Role.AGENT, agent="ann", team="North")
    n = 0
    for agent in ("ann", "bob"):
        for channel, topic, count in (("chat", "bins", 6), ("call", "pothole", 3), ("email", None, 1)):
            for _ in range(count):
                n += 1
                add_interaction(
                    session,
                    agent=agent,
                    team="North",
                    channel=channel,
                    topic=topic,
                    started_at=W10 + timedelta(hours=n),
                )
    special = {
        "auto_fail": add_interaction(
            session,
            agent="ann",
            team="North",
            started_at=W10 + timedelta(days=2),
            criteria=[CriterionSpec("privacy", "fail", critical=True)],
        ).id,
        "angry": add_interaction(
            session,
            agent="bob",
            team="North",
            started_at=W10 + timedelta(days=3),
            customer_sentiment_end=-0.9,
        ).id,
        "next_week": add_interaction(
            session, agent="ann", team="North", started_at=W10 + timedelta(days=7)
        ).id,
        "south": add_interaction(session, agent="cid", team="South", started_at=W10).id,
    }
    return special


def test_plan_makes_stratified_even_assignments_exactly_once(session: Session) -> None:
    special = _week_of_work(session)
    plan = parse_plan(PLAN, "north.yaml")
    [run] = service.run_week(session=session, plans=[plan], week="2026-W10", rule=RULE)
    # 5 random per agent (chat 3, call 2, email 0 by largest remainder of 3 / 1.5 / 0.5) + 2 always-review.
    assert run.created == 12 and run.already == 0
    assert run.by_reason == {"auto_fail": 1, "negative_sentiment": 1, "sample": 10}
    assert run.by_reviewer == {"sam": 6, "tia": 6}
    assert str(run.due_on) == "2026-03-15"
    team_id = repository.users_named(session, ["sam"])["sam"].team_id
    assert team_id is not None
    rows = repository.of_team_week(session, team_id, "2026-W10")
    strata = Counter(r.stratum for r in rows if r.reason == "sample")
    assert strata == {"chat/bins": 6, "call/pothole": 4}
    picked = {r.interaction_id for r in rows}
    assert special["auto_fail"] in picked and special["angry"] in picked
    assert special["next_week"] not in picked and special["south"] not in picked

    # Again: nothing new. A late auto-fail: exactly that one, to the reviewer with fewer.
    [again] = service.run_week(session=session, plans=[plan], week="2026-W10", rule=RULE)
    assert (again.created, again.already) == (0, 12)
    late = add_interaction(
        session,
        agent="bob",
        team="North",
        started_at=W10 + timedelta(days=4),
        criteria=[CriterionSpec("privacy", "fail", critical=True)],
    ).id
    [third] = service.run_week(session=session, plans=[plan], week="2026-W10", rule=RULE)
    assert (third.created, third.by_reason) == (1, {"auto_fail": 1})
    count = session.scalar(select(ReviewAssignment.id).where(ReviewAssignment.interaction_id == late))
    assert count is not None
    # The unique constraint backs the check.
    duplicate = ReviewAssignment(
        week="2026-W10",
        team_id=rows[0].team_id,
        interaction_id=late,
        reviewer_id=None,
        reviewer_name="x",
        reason="sample",
        due_on=rows[0].due_on,
    )
    assert repository.add_once(session, duplicate) is False


def test_plan_errors_name_the_file_and_field(session: Session) -> None:
    _week_of_work(session)
    with pytest.raises(service.PlanError, match=r"^east\.yaml: team: no team called 'East'$"):
        service.run_plan(
            session=session,
            plan=parse_plan("team: East\nper_agent_per_week: 1\n", "east.yaml"),
            week="2026-W10",
        )
    bad_reviewer = parse_plan("team: North\nper_agent_per_week: 1\nreviewers: [sam, ghost]\n", "n.yaml")
    with pytest.raises(service.PlanError, match=r"^n\.yaml: reviewers: no active user called 'ghost'$"):
        service.run_plan(session=session, plan=bad_reviewer, week="2026-W10")
    with pytest.raises(service.PlanError, match="ISO week like 2026-W10"):
        service.run_plan(session=session, plan=parse_plan(PLAN, "n.yaml"), week="2026-10")


def _client_headers(settings: Settings, username: str) -> dict[str, str]:
    token = create_access_token(subject=username, secret=settings.secret_key, minutes=5)
    return {"Authorization": f"Bearer {token}"}


def test_cli_then_queue_and_workload(settings: Settings, tmp_path: Path) -> None:
    with session_scope(settings.database_url) as session:
        _week_of_work(session)
    plans = tmp_path / "sampling"
    plans.mkdir()
    (plans / "north.yaml").write_text(PLAN)
    first = runner.invoke(cli_app, ["assign", "--week", "2026-W10", "--plans", str(plans), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)[0]["created"] == 12
    second = runner.invoke(cli_app, ["assign", "--week", "2026-W10", "--plans", str(plans)])
    assert second.exit_code == 0 and "North 2026-W10: 0 new assignments (12 already there)" in second.output

    (plans / "broken.yaml").write_text("team: North\nper_agent_per_week: many\n")
    broken = runner.invoke(cli_app, ["assign", "--week", "2026-W10", "--plans", str(plans)])
    assert broken.exit_code == 1
    assert f"{plans / 'broken.yaml'}: per_agent_per_week: Input should be a valid integer" in broken.output
    assert runner.invoke(cli_app, ["assign", "--week", "week ten", "--plans", str(plans)]).exit_code == 1

    client = TestClient(create_app())
    mine = client.get("/api/assignments", headers=_client_headers(settings, "sam")).json()
    assert mine["total"] == 6 and mine["done"] == 0 and mine["next_due"] == "2026-03-15"
    assert mine["overdue"] == 6  # 2026-03-15 has passed
    first_id = mine["items"][0]["interaction_id"]
    queue = client.get(
        "/api/interactions?assigned_to_me=true", headers=_client_headers(settings, "sam")
    ).json()
    assert queue["total"] == 6 and first_id in {i["id"] for i in queue["items"]}
    assert (
        client.get("/api/assignments?week=2026-W11", headers=_client_headers(settings, "sam")).json()["total"]
        == 0
    )
    assert (
        client.get("/api/assignments?week=bad", headers=_client_headers(settings, "sam")).status_code == 422
    )
    assert client.get("/api/assignments", headers=_client_headers(settings, "ann")).status_code == 403

    done = client.post(
        f"/api/interactions/{first_id}/review/finalize", headers=_client_headers(settings, "sam")
    )
    assert done.status_code == 200
    workload = client.get("/api/assignments/workload", headers=_client_headers(settings, "mona")).json()
    assert {(w["reviewer"], w["assigned"], w["completed"]) for w in workload} == {
        ("sam", 6, 1),
        ("tia", 6, 0),
    }
    assert client.get("/api/assignments/workload", headers=_client_headers(settings, "sue")).json() == []
    assert len(client.get("/api/assignments/workload", headers=_client_headers(settings, "tia")).json()) == 2
    assert (
        client.get("/api/assignments/workload", headers=_client_headers(settings, "ann")).status_code == 403
    )


def test_beat_runs_last_weeks_plans(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule = job_tasks.get_app(settings).conf.beat_schedule
    entry = schedule[tasks.SCHEDULE_NAME]
    assert entry["task"] == tasks.ASSIGN_TASK and entry["options"] == {"queue": job_tasks.SCORE_QUEUE}
    assert entry["schedule"].day_of_week == {1} and entry["schedule"].hour == {settings.assign_hour}
    last_week = datetime.now(UTC) - timedelta(days=7)
    with session_scope(settings.database_url) as session:
        add_user(session, "sam", Role.SUPERVISOR, team="North")
        add_interaction(session, agent="ann", team="North", started_at=last_week)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "north.yaml").write_text(PLAN)
    monkeypatch.setattr(settings, "sampling_dir", plans)
    week = service.previous_week(datetime.now(UTC).date())
    assert tasks.assign_last_week() == f"{week}: 1 new"
    assert tasks.assign_last_week() == f"{week}: 0 new"


def test_trust_command_shows_rubric_authors_where_the_machine_stands(settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        add_user(session, "sam", Role.SUPERVISOR, team="North")
        for n in range(20):  # 20 confirmed answers, half pass half fail: kappa 1
            add_interaction(
                session,
                agent="ann",
                review_status="final",
                criteria=[CriterionSpec("greeting", "pass" if n % 2 else "fail")],
            )
    empty = runner.invoke(cli_app, ["trust"])
    assert empty.exit_code == 0 and "no criterion trust computed yet" in empty.output
    shown = runner.invoke(cli_app, ["trust", "--refresh", "--json"])
    assert shown.exit_code == 0, shown.output
    [row] = json.loads(shown.output)
    assert (row["criterion_id"], row["status"], row["n"], row["kappa"]) == ("greeting", "trusted", 20, 1.0)
    table = runner.invoke(cli_app, ["trust", "--rubric", "public_works_chat"])
    assert "greeting" in table.output and "trusted" in table.output and "n=20" in table.output
