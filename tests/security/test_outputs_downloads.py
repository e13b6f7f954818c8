"""Items 6 and 9: hostile text in every field that reaches a download is shown, never run or evaluated.

The printable performance review and period report are built by the same calls the pages make, from a
database whose agent, team, topic, criterion question, coaching note and note author are attacks; then
Chromium opens each file and we check that no script ran and nothing was fetched. The CSV export (API
and coaching view share period_report_csv) must neutralise cells that spreadsheets run as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from playwright.sync_api import Browser, Dialog, Request, sync_playwright
from pypdf import PdfReader
from sqlalchemy.orm import Session

from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.config import Settings
from qa.db import session_scope
from qa.models import Role
from qa.printouts import exports
from qa.printouts import service as printout_service
from qa.printouts.document import Document
from qa.printouts.html import document_html
from qa.printouts.pdf import document_pdf
from qa.reports.schemas import csv_cell
from tests.qa.builders import CriterionSpec, add_interaction, add_user

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMAGE = "<img src=x onerror=\"window.__pwned='onerror'\">"
BREAKOUT = "\"'><svg onload=\"window.__pwned='svg'\">"
AGENT = f"agent{IMAGE}"[:120]
TEAM = f"team{BREAKOUT}"[:120]
TOPIC = f"topic{SCRIPT}"[:120]
QUESTION = f"Greeting?{SCRIPT}{IMAGE}"
NOTE = f"Watch this {SCRIPT} and ![pixel](http://tracker.invalid/p.png) {IMAGE}"
FORMULAS = ['=HYPERLINK("http://evil.invalid","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]
DAY = date(2026, 3, 2)
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def hostile(settings: Settings) -> Iterator[Settings]:
    """A manager, a supervisor named like an attack, and an agent whose every text is one."""
    with session_scope(settings.database_url) as session:
        add_user(session, "mona", Role.MANAGER)
        add_user(session, f"sup{IMAGE}"[:120], Role.SUPERVISOR, team=TEAM)
        interaction = add_interaction(
            session,
            agent=AGENT,
            team=TEAM,
            topic=TOPIC,
            queue=f"queue{SCRIPT}"[:64],
            criteria=[CriterionSpec("greeting", "pass", question=QUESTION)],
        )
        author = principal_for(session=session, username=f"sup{IMAGE}"[:120])
        assert author is not None
        coaching_service.create_note(
            session=session, principal=author, interaction_id=interaction.id, text=NOTE
        )
    yield settings


def printouts(session: Session) -> dict[str, Document]:
    """The performance review and the period report, as the pages and the CLI build them."""
    mona = principal_for(session=session, username="mona")
    assert mona is not None
    start, end = date(2026, 1, 1), date.today()  # the note was written today: the period holds it
    return {
        "review": printout_service.review_document(
            session=session, principal=mona, agent=AGENT, start=start, end=end
        ),
        "report": printout_service.period_document(session=session, principal=mona, start=start, end=end),
    }


def _downloads(session: Session) -> dict[str, str]:
    """Both printable pages."""
    return {name: document_html(document) for name, document in printouts(session).items()}


def test_no_markup_from_user_text_survives_in_the_html(hostile: Settings) -> None:
    with session_scope(hostile.database_url) as session:
        pages = _downloads(session)
    for name, page in pages.items():
        lowered = page.lower()
        # the only images are the charts, inline SVG that an <img> never runs
        assert lowered.count("<img") == lowered.count(
            "<img class='chart' alt='chart' src='data:image/svg+xml;"
        )
        for tag in ("<script", "<img src=x", "<svg", 'onerror="', 'onload="'):
            assert tag not in lowered, (name, tag)
    assert "&lt;script&gt;" in pages["review"] and "tracker.invalid" in pages["review"]  # shown as text
    assert "&lt;img" in pages["report"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        yield chromium
        chromium.close()


def _dismiss_into(seen: list[str]) -> Callable[[Dialog], None]:
    def handle(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.dismiss()

    return handle


def _url_into(seen: list[str]) -> Callable[[Request], None]:
    def handle(request: Request) -> None:
        seen.append(request.url)

    return handle


@pytest.mark.browser
def test_the_downloads_run_nothing_in_a_browser(hostile: Settings, browser: Browser) -> None:
    with session_scope(hostile.database_url) as session:
        pages = _downloads(session)
    for name, html in pages.items():
        page = browser.new_page()
        dialogs: list[str] = []
        requests: list[str] = []
        page.on("dialog", _dismiss_into(dialogs))
        page.on("request", _url_into(requests))
        page.set_content(html, wait_until="load")
        page.wait_for_timeout(200)
        assert page.evaluate("window.__pwned") is None, name
        assert dialogs == [] and [u for u in requests if not u.startswith("data:")] == [], (name, requests)
        # The attack is visible as text, which is what a reader of the review needs to see.
        assert "window.__pwned" in page.inner_text("body"), name
        page.close()


def test_csv_export_neutralises_formulas(
    settings: Settings, client: TestClient, auth: Callable[[str], dict[str, str]]
) -> None:
    with session_scope(settings.database_url) as session:
        add_user(session, "mona", Role.MANAGER)
        for formula in FORMULAS:
            add_interaction(session, agent=formula[:120], team=f"{formula}-team"[:120])
    answer = client.get(
        "/api/reports/period",
        params={"start": "2026-01-01", "end": "2026-06-30", "format": "csv"},
        headers=auth("mona"),
    )
    assert answer.status_code == 200
    rows = list(csv.reader(io.StringIO(answer.text)))
    header, body = rows[0], rows[1:]
    texts = [row[header.index("agent")] for row in body] + [row[header.index("team")] for row in body]
    assert len(texts) == 2 * len(FORMULAS)
    for cell in texts:
        assert cell.startswith("'") and cell[1:2] in "=+-@", cell
    # Numbers stay numbers: a negative figure is not text to neutralise.
    assert csv_cell(-2.5) == "-2.5" and csv_cell("-2.5") == "'-2.5" and csv_cell(None) == ""


def _pdf_text(data: bytes) -> str:
    """The PDF's text without whitespace (extraction splits lines and doubles spaces)."""
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _squeezed(text: str) -> str:
    return "".join(text.split())


def test_hostile_text_prints_as_written_in_the_pdf(hostile: Settings) -> None:
    """The PDF has no markup to break out of: the attack text is printed, and no link or script is added."""
    with session_scope(hostile.database_url) as session:
        documents = printouts(session)
    review = document_pdf(documents["review"])
    assert review.startswith(b"%PDF")
    text = _pdf_text(review)
    assert _squeezed(f"Performance review: {AGENT}") in text
    assert _squeezed(NOTE) in text  # the coaching note, as the supervisor wrote it
    reader = PdfReader(io.BytesIO(review))
    assert all("/Annots" not in page for page in reader.pages)  # no link made from the note's "URL"
    assert "/JavaScript" not in str(reader.trailer["/Root"]) and b"/JS" not in review
    assert _squeezed(TOPIC) in _pdf_text(document_pdf(documents["report"]))


def test_xlsx_and_table_csv_neutralise_formulas(settings: Settings) -> None:
    """Every table export: a cell a spreadsheet would run (= + - @) is text starting with '."""
    with session_scope(settings.database_url) as session:
        add_user(session, "mona", Role.MANAGER)
        for formula in FORMULAS:
            add_interaction(session, agent=formula[:120], team=f"{formula}-team"[:120], topic=formula[:120])
        documents = printouts_of_period(session)
    tables = documents.tables()
    workbook = load_workbook(io.BytesIO(exports.tables_xlsx(tables)))
    assert workbook.sheetnames == [t.name for t in tables]
    texts = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and cell.value.lstrip("'")[:1] in ("=", "+", "-", "@")
    ]
    assert len(texts) >= 3 * len(FORMULAS)  # agent, team, topic
    assert all(t.startswith("'") for t in texts), texts
    assert not any(c.data_type == "f" for s in workbook.worksheets for r in s.iter_rows() for c in r)
    agents = next(t for t in tables if t.name == "Agents")
    rows = list(csv.reader(io.StringIO(exports.table_csv(agents))))
    assert {row[0] for row in rows[1:]} == {"'" + f for f in FORMULAS}
    assert rows[1][rows[0].index("Interactions")] == "1"  # numbers stay numbers


def printouts_of_period(session: Session) -> Document:
    mona = principal_for(session=session, username="mona")
    assert mona is not None
    return printout_service.period_document(
        session=session, principal=mona, start=date(2026, 1, 1), end=date(2026, 6, 30)
    )
