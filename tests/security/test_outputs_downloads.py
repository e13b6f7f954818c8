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
from playwright.sync_api import Browser, Dialog, Request, sync_playwright
from sqlalchemy.orm import Session

from coaching_ui import figures, printable
from qa.auth.service import principal_for
from qa.coaching import service as coaching_service
from qa.config import Settings
from qa.db import session_scope
from qa.models import Role
from qa.reports import service as report_service
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


def _downloads(session: Session) -> dict[str, str]:
    """Both printable pages, built as the performance review and reports pages build them."""
    mona = principal_for(session=session, username="mona")
    assert mona is not None
    start, end = date(2026, 1, 1), date(2026, 6, 30)
    review = report_service.performance_review(
        session=session, principal=mona, agent=AGENT, start=start, end=end
    )
    contacts = report_service.contact_figures(
        session=session, principal=mona, start=start, end=end, agent=AGENT
    )
    effects = report_service.coaching_history(session=session, principal=mona, agent=AGENT)
    report = report_service.period_report(session=session, principal=mona, start=start, end=end)
    return {
        "review": printable.performance_review_html(
            review, contacts.totals, figures.coaching_history(effects)
        ),
        "report": printable.period_report_html(report),
    }


def test_no_markup_from_user_text_survives_in_the_html(hostile: Settings) -> None:
    with session_scope(hostile.database_url) as session:
        pages = _downloads(session)
    for name, page in pages.items():
        lowered = page.lower()
        for tag in ("<script", "<img", "<svg", 'onerror="', 'onload="'):
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
