"""`callcoach report review|period`: the printable performance review and period report as PDF or HTML
files, as the user given with --as may see them (the same role and scope checks as the API)."""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from qa.access import Principal
from qa.auth import service as auth_service
from qa.cli.common import domain_errors, fail, open_database
from qa.db import session_scope
from qa.printouts import service as printout_service
from qa.printouts.document import Document
from qa.printouts.html import document_html
from qa.printouts.pdf import document_pdf

report_app = typer.Typer(help="Printable reports (PDF or HTML files).", no_args_is_help=True)

AS_USER = Annotated[str, typer.Option("--as", help="The manager or admin account the report is made for.")]
PERIOD = Annotated[str, typer.Option(help="A month (2026-03) or two days (2026-03-01..2026-03-31).")]
PDF = Annotated[Path | None, typer.Option("--pdf", help="Write the PDF here.", dir_okay=False)]
HTML = Annotated[
    Path | None, typer.Option("--html", help="Write the printable HTML page here.", dir_okay=False)
]


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


def parse_period(text: str) -> tuple[date, date]:
    """`2026-03` (the whole month) or `2026-03-01..2026-03-31`; ValueError with the reason otherwise."""
    month = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    try:
        if month:
            year, number = int(month[1]), int(month[2])
            return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
        first, separator, last = text.strip().partition("..")
        if separator:
            return date.fromisoformat(first), date.fromisoformat(last)
    except ValueError as exc:
        raise ValueError(f"{text!r}: {exc}") from None
    raise ValueError(f"{text!r} is neither a month (2026-03) nor two days (2026-03-01..2026-03-31)")


def _period(text: str) -> tuple[date, date]:
    try:
        return parse_period(text)
    except ValueError as exc:
        raise fail(f"--period {exc}") from None


def _write(document: Document, pdf: Path | None, html: Path | None) -> None:
    if pdf is None and html is None:
        raise fail("give --pdf FILE or --html FILE (or both)")
    try:
        if pdf is not None:
            pdf.write_bytes(document_pdf(document))
            typer.echo(f"wrote {pdf}")
        if html is not None:
            html.write_text(document_html(document), encoding="utf-8")
            typer.echo(f"wrote {html}")
    except OSError as exc:
        raise fail(f"{exc.filename or pdf or html}: {exc.strerror}") from None


def _principal(session: Session, user: str) -> Principal:
    principal = auth_service.principal_for(session=session, username=user)
    if principal is None:
        raise fail(f"--as: no active user '{user}'")
    return principal


@report_app.command("review")
def review(agent: Annotated[str, typer.Option(help="The agent's name.")], period: PERIOD, user: AS_USER,
           pdf: PDF = None, html: HTML = None) -> None:  # fmt: skip
    """One agent's performance review over a period."""
    start, end = _period(period)
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        principal = _principal(session, user)
        document = printout_service.review_document(
            session=session, principal=principal, agent=agent, start=start, end=end
        )
    _write(document, pdf, html)


@report_app.command("period")
def period_report(period: PERIOD, user: AS_USER, pdf: PDF = None, html: HTML = None) -> None:
    """The period report: every agent in the user's scope and the contact drivers."""
    start, end = _period(period)
    settings = open_database()
    with domain_errors(), session_scope(settings.database_url) as session:
        principal = _principal(session, user)
        document = printout_service.period_document(
            session=session, principal=principal, start=start, end=end
        )
    _write(document, pdf, html)
