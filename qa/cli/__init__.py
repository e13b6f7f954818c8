"""The `callcoach` command line."""

from __future__ import annotations

import typer

from qa.cli import (
    admin,
    analysis,
    assign,
    ingest,
    jobs,
    redact,
    report,
    rubric,
    sentiment,
    trust,
    users,
    worker,
)

app = typer.Typer(
    name="callcoach",
    help="Callcoach: QA scoring and coaching for contact-center calls, chats and emails.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    ingest,
    jobs,
    analysis,
    sentiment,
    rubric,
    redact,
    users,
    admin,
    worker,
    assign,
    trust,
    report,
):
    module.register(app)

__all__ = ["app"]
