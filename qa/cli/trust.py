"""`callcoach trust`: which rubric criteria the machine is trusted on (for rubric authors)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from qa.agreement import service as agreement_service
from qa.cli.common import domain_errors, open_database
from qa.db import session_scope


def register(app: typer.Typer) -> None:
    app.command("trust")(trust)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def trust(
    rubric: Annotated[str | None, typer.Option(help="Only this rubric id.")] = None,
    refresh: Annotated[bool, typer.Option(help="Recompute from the settled human answers first.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON list.")] = False,
) -> None:
    """Per rubric version and criterion: trusted, needs a person, or not enough human answers yet."""
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        if refresh:
            agreement_service.refresh_trust(session=session, rule=agreement_service.trust_rule(settings))
        rows = agreement_service.trust_report_rows(session=session, rubric=rubric)
    if as_json:
        typer.echo(json.dumps([row.model_dump(mode="json") for row in rows]))
        return
    if not rows:
        typer.echo("no criterion trust computed yet (run with --refresh, or `callcoach assign`)")
        return
    for row in rows:
        interval = f"[{_number(row.kappa_low)}, {_number(row.kappa_high)}]"
        typer.echo(
            f"{row.rubric_id:<24} {row.version:<10} {row.criterion_id:<28} {row.status:<12} "
            f"n={row.n:<5} kappa={_number(row.kappa)} {interval}"
        )
