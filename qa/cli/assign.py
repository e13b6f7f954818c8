"""`callcoach assign`: create a week's review assignments from the sampling plans."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from qa.agreement.service import trust_rule
from qa.assignments import service
from qa.cli.common import domain_errors, fail, open_database
from qa.db import session_scope
from scoring.sampling import PlanInvalid, parse_week


def register(app: typer.Typer) -> None:
    app.command("assign")(assign)


def assign(
    week: Annotated[
        str | None, typer.Option(help="ISO week YYYY-Www (e.g. 2026-W10); default: last week.")
    ] = None,
    plans: Annotated[
        Path | None, typer.Option(help="Folder of sampling plans (default: CALLCOACH_SAMPLING_DIR).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON list of team runs.")] = False,
) -> None:
    """Pick each team's interactions for the week and spread them evenly over its reviewers.

    Running a week again adds only what is missing, never a duplicate.
    """
    settings = open_database()
    label = week or service.previous_week(datetime.now(UTC).date())
    try:
        parse_week(label)
    except ValueError as exc:
        fail(str(exc))
    folder = plans or settings.sampling_dir
    try:
        team_plans = service.plans_in(folder)
    except PlanInvalid as exc:
        fail(str(exc))
    if not team_plans:
        fail(f"{folder}: no sampling plans (*.yaml) found")
    with domain_errors(), session_scope(settings.database_url) as session:
        runs = service.run_week(session=session, plans=team_plans, week=label, rule=trust_rule(settings))
    if as_json:
        typer.echo(json.dumps([run.model_dump(mode="json") for run in runs]))
        return
    for run in runs:
        spread = ", ".join(f"{name} {count}" for name, count in run.by_reviewer.items()) or "nobody"
        # Plain echo (no rich markup), so names are printed as they are.
        typer.echo(
            f"{run.team} {run.week}: {run.created} new assignments ({run.already} already there), "
            f"due {run.due_on}: {spread}"
        )
