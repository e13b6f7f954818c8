"""The coaching view in a real browser: `streamlit run` on a seeded database, driven by headless Chromium.

Logs in as each role, opens each of its pages from the sidebar, checks the heading and that no Streamlit
exception box is shown, and saves a screenshot per page to `.screenshots/` (gitignored). Chromium comes from
Debian (`make test` installs it through `make system-deps`); Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, expect, sync_playwright

from qa import config as qa_config
from qa.db import get_engine, migrate, session_scope
from qa.evaluations import repository as evaluation_repository
from qa.jobs import steps
from scoring.rubric import load_rubric
from tests.coaching_ui.seed import PASSWORD, Seeded, seed_small
from tests.qa.builders import add_interaction
from tests.qa.rubrics.scorecards import CALL_RUBRIC, CHAT_RUBRIC

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
APP = ROOT / "coaching_ui" / "streamlit_app.py"
SCREENSHOTS = ROOT / ".screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES_BY_USER = {
    "sam": [
        "Review queue",
        "Interaction",
        "Calibration",
        "Upload interactions",
        "Scorecards",
        "Jobs",
        "Inbox",
    ],
    "maria": ["My performance", "Interaction", "Inbox"],
    "mgr": [
        "Performance review",
        "Team dashboard",
        "Reports and export",
        "Machine agreement",
        "Review queue",
        "Interaction",
        "Calibration",
        "Upload interactions",
        "Scorecards",
        "Audit log",
        "Jobs",
        "Inbox",
    ],
    "root": [
        "Performance review",
        "Team dashboard",
        "Reports and export",
        "Machine agreement",
        "Review queue",
        "Interaction",
        "Calibration",
        "Upload interactions",
        "Scorecards",
        "Audit log",
        "Jobs",
        "Users and teams",
        "Inbox",
    ],
}
FIRST_PAGE = {
    "sam": "Review queue",
    "maria": "My performance",
    "mgr": "Performance review",
    "root": "Performance review",
}


def _without_count(title: str) -> str:
    """A menu title without its unread count ("Inbox (2 new)" -> "Inbox")."""
    return re.sub(r" \(\d+ new\)$", "", title)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(
    url: str, process: subprocess.Popen[bytes], seconds: float = 60, health: str = "/_stcore/health"
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}{health}", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _outside_requests(context: BrowserContext) -> list[str]:
    """Every request the context's pages make to a host other than 127.0.0.1 (refused, so none hangs)."""
    outside: list[str] = []

    def refuse_outside(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1" or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_outside)
    return outside


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Seeded]:
    """Filled by `server`: what the seed made (ids of the interactions)."""
    return {}


@pytest.fixture(scope="module")
def server_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's database, media and rubrics folder (a published scorecard goes there, not to rubrics/)."""
    folder = tmp_path_factory.mktemp("browser")
    (folder / "rubrics").mkdir()
    (folder / "rubrics" / "public_works_chat.yaml").write_text(CHAT_RUBRIC, encoding="utf-8")
    (folder / "rubrics" / "public_works_call.yaml").write_text(CALL_RUBRIC, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(server_folder: Path, seeded: dict[str, Seeded]) -> Iterator[str]:
    """`streamlit run` of the coaching view on a free port, against a freshly seeded SQLite database."""
    folder = server_folder
    url = f"sqlite:///{folder / 'callcoach.db'}"
    migrate(url)
    with session_scope(url) as db:
        seeded["small"] = seed_small(db)
    get_engine(url).dispose()
    port = _free_port()
    env = {
        **os.environ,
        "CALLCOACH_DATABASE_URL": url,
        "CALLCOACH_MEDIA_DIR": str(folder / "media"),
        "CALLCOACH_ENVIRONMENT": "test",
        "CALLCOACH_SECRET_KEY": "browser-test-secret-not-a-placeholder",
        "CALLCOACH_RUBRICS_DIR": str(folder / "rubrics"),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    log = (folder / "streamlit.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process)
        yield base
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API (`uvicorn qa.api.app:app`) on a free port, on its own SQLite database."""
    folder = tmp_path_factory.mktemp("api")
    port = _free_port()
    env = {
        **os.environ,
        "CALLCOACH_DATABASE_URL": f"sqlite:///{folder / 'callcoach.db'}",
        "CALLCOACH_MEDIA_DIR": str(folder / "media"),
        "CALLCOACH_ENVIRONMENT": "test",
        "CALLCOACH_SECRET_KEY": "browser-test-secret-not-a-placeholder",
    }
    command = [sys.executable, "-m", "uvicorn", "qa.api.app:app", "--host", "127.0.0.1", "--port", str(port)]
    log = (folder / "api.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process, health="/api/health")
        yield base
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _settle(page: Page) -> None:
    """Wait until Streamlit has finished running the script and has replaced every element of the last run.

    The app root carries the run state (what Streamlit's own browser tests wait on); the "Running..." status
    widget only appears after half a second of running, so its absence proves nothing.
    """
    page.wait_for_timeout(300)  # the rerun a click asked for reaches the run state
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=30_000
    )
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
    page.wait_for_timeout(300)  # let Vega draw


def _heading(page: Page, title: str) -> None:
    expect(page.locator("h1").filter(has_text=title).first).to_be_visible(timeout=20_000)


def _check(page: Page, name: str) -> None:
    _settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0, f"exception on {name}"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base)
    _heading(page, "Callcoach")
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    _heading(page, FIRST_PAGE[username])


@pytest.mark.parametrize("username", sorted(PAGES_BY_USER))
def test_each_role_opens_its_pages_without_errors(server: str, browser: Browser, username: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    outside = _outside_requests(context)
    page = context.new_page()
    try:
        _log_in(page, server, username)
        nav = page.get_by_test_id("stSidebarNav")
        titles = PAGES_BY_USER[username]
        if len(titles) == 1:  # Streamlit shows no navigation menu for a single page
            expect(nav).to_have_count(0)
        else:
            links = [text.strip().splitlines()[-1] for text in nav.get_by_role("link").all_inner_texts()]
            assert sorted(_without_count(link) for link in links) == sorted(titles)
        for title in titles:
            if title != FIRST_PAGE[username]:
                nav.get_by_role("link", name=re.compile(rf"^{re.escape(title)}( \(\d+ new\))?$")).click()
            _heading(page, title)
            _check(page, f"{username}-{title.lower().replace(' ', '_')}")
        page.get_by_role("button", name="Log out").click()
        _heading(page, "Callcoach")
        assert outside == [], "the product runs offline; these went outside"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_render_offline(api_server: str, browser: Browser, path: str) -> None:
    """Swagger UI and ReDoc come from the API itself: they render with every outside host refused."""
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    outside = _outside_requests(context)
    page = context.new_page()
    try:
        page.goto(f"{api_server}{path}")
        # an operation of the reports API, drawn by the docs' JavaScript from /openapi.json
        expect(page.get_by_text("/api/reports/", exact=False).first).to_be_visible(timeout=20_000)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"api{path.replace('/', '_')}.png"))
        assert outside == [], "the product runs offline; these went outside"
    finally:
        context.close()


def test_wrong_password_shows_a_message(server: str, browser: Browser) -> None:
    page = browser.new_page()
    try:
        page.goto(server)
        page.get_by_role("textbox", name="Username").fill("sam")
        page.get_by_role("textbox", name="Password").fill("wrong-password")
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_text("Unknown username or wrong password.")).to_be_visible(timeout=20_000)
    finally:
        page.close()


def test_evidence_click_highlights_the_moment(server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    page = context.new_page()
    try:
        _log_in(page, server, "sam")
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Interaction", exact=True).click()
        _heading(page, "Interaction")
        _settle(page)  # the priority order opens the auto-fail first
        page.get_by_role("button", name="social security number").first.click()
        _settle(page)
        moment = page.locator(".turn.moment")
        expect(moment).to_contain_text("social security number", timeout=20_000)
        expect(moment).to_be_in_viewport()
        expect(page.get_by_test_id("stAlertContentInfo")).to_contain_text("no_personal_data")
        _check(page, "sam-interaction_moment")
    finally:
        context.close()


def test_performance_review_shows_coaching_history(server: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    page = context.new_page()
    try:
        _log_in(page, server, "mgr")
        _settle(page)
        page.get_by_test_id("stSelectbox").filter(has_text="Agent").click()
        page.get_by_role("option", name="maria.g").click()
        _settle(page)
        expect(page.get_by_text("1 note in the period")).to_be_visible(timeout=20_000)
        _check(page, "mgr-performance_review_maria")
    finally:
        context.close()


def test_dispute_round_trip(server: str, browser: Browser, seeded: dict[str, Seeded]) -> None:
    """Maria follows a link to her interaction, disputes a criterion, reloads (still logged in); Sam upholds
    it from the review queue; Maria sees the outcome and her new score."""
    interaction_id = seeded["small"].maria_low_id
    agent = browser.new_context(viewport={"width": 1400, "height": 2600})
    supervisor = browser.new_context(viewport={"width": 1400, "height": 2600})
    try:
        maria = agent.new_page()
        maria.goto(f"{server}/interaction?id={interaction_id}")
        _heading(maria, "Callcoach")
        maria.get_by_role("textbox", name="Username").fill("maria")
        maria.get_by_role("textbox", name="Password").fill(PASSWORD)
        maria.get_by_role("button", name="Log in").click()
        _heading(maria, "Interaction")  # the link asked for before logging in is followed
        _settle(maria)
        picker = maria.get_by_role("combobox", name="Interaction")
        expect(picker).to_have_value(re.compile(rf"^#{interaction_id} maria.g"), timeout=20_000)
        score_before = picker.input_value()
        maria.get_by_text("Dispute this answer").first.click()
        maria.get_by_role("textbox", name="Why is this answer wrong?").first.fill("I gave my name at once.")
        maria.get_by_role("button", name="Send dispute").first.click()
        _settle(maria)
        expect(maria.get_by_text("Disputed by maria").first).to_be_visible(timeout=20_000)

        maria.reload()  # the login survives a reload
        _settle(maria)
        assert maria.locator("h1").filter(has_text="Callcoach").count() == 0
        _check(maria, "maria-dispute_open")

        sam = supervisor.new_page()
        _log_in(sam, server, "sam")
        _settle(sam)
        sam.get_by_text("Open disputes (1)").click()
        _settle(sam)
        sam.get_by_test_id("stBaseButton-secondaryFormSubmit").filter(has_text="Open").click()
        _heading(sam, "Interaction")
        _settle(sam)
        sam.get_by_text("Uphold (change the answer)").click()
        sam.get_by_role("textbox", name="Comment for the agent").fill("Right, the name is there.")
        sam.get_by_role("button", name="Resolve dispute").click()
        _settle(sam)
        _check(sam, "sam-dispute_resolved")

        maria.reload()
        _settle(maria)
        expect(maria.get_by_text("Dispute upheld by sam").first).to_be_visible(timeout=20_000)
        expect(maria.get_by_text("reviewed by sam").first).to_be_visible()
        assert maria.get_by_role("combobox", name="Interaction").input_value() != score_before  # new total
        _check(maria, "maria-dispute_upheld")
    finally:
        agent.close()
        supervisor.close()


def test_a_scorecard_edited_previewed_and_published_scores_the_next_interaction(
    server: str, server_folder: Path, browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manager changes the greeting's phrases in the form, previews the impact on the stored chats,
    publishes with a reason; the next chat the pipeline scores uses the new version."""
    context = browser.new_context(viewport={"width": 1400, "height": 2600})
    page = context.new_page()
    try:
        _log_in(page, server, "mgr")
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Scorecards").click()
        _heading(page, "Scorecards")
        _settle(page)
        page.get_by_test_id("stSelectbox").filter(has_text="Scorecard").first.click()
        page.get_by_role("option", name=re.compile("public_works_chat")).click()
        _settle(page)
        page.get_by_role("button", name="Start a draft").click()
        _settle(page)
        phrases = page.get_by_role("textbox", name="Phrases (one a line)")
        phrases.fill("welcome to the city")
        phrases.press("Control+Enter")
        _settle(page)
        page.get_by_role("button", name="Apply to the draft").click()
        _settle(page)
        yaml_side = page.get_by_role("textbox", name="YAML", exact=True)
        expect(yaml_side).to_have_value(re.compile("welcome to the city"), timeout=20_000)
        _check(page, "mgr-scorecard_draft")

        page.get_by_role("tab", name="Impact preview").click()
        page.get_by_role("button", name="Preview impact").click()
        _settle(page)
        deadline = time.monotonic() + 90
        while page.get_by_text("Answers that would change, per criterion").count() == 0:
            assert time.monotonic() < deadline, "the preview did not finish"
            refresh = page.get_by_role("button", name="Refresh")
            if refresh.count():
                refresh.click()
            _settle(page)
        expect(page.get_by_text("Mean with the draft")).to_be_visible()
        _check(page, "mgr-scorecard_preview")
        page.get_by_role("textbox", name="Why (kept in the audit log)").fill("the new greeting script")
        page.get_by_role("button", name="Publish").click()
        _settle(page)
        expect(page.get_by_text("Published version")).to_be_visible(timeout=20_000)
        _check(page, "mgr-scorecard_published")
    finally:
        context.close()

    published = load_rubric(server_folder / "rubrics" / "public_works_chat.yaml")
    assert "welcome to the city" in published.spec.model_dump_json()
    # The next chat, scored by the pipeline's own step with the server's settings.
    url = f"sqlite:///{server_folder / 'callcoach.db'}"
    monkeypatch.setenv("CALLCOACH_DATABASE_URL", url)
    monkeypatch.setenv("CALLCOACH_RUBRICS_DIR", str(server_folder / "rubrics"))
    monkeypatch.setenv("CALLCOACH_ENVIRONMENT", "test")
    monkeypatch.setenv("CALLCOACH_SECRET_KEY", "browser-test-secret-not-a-placeholder")
    qa_config.get_settings.cache_clear()
    try:
        settings = qa_config.get_settings()
        with session_scope(url) as db:
            chat = add_interaction(
                db, criteria=None, turns=(("agent", "Welcome to the city, this is Ana."), ("customer", "Hi."))
            )
            steps.analyze_step(db, chat.id, settings)
            chat_id = chat.id
        with session_scope(url) as db:
            evaluation = evaluation_repository.current_for(db, chat_id)
            assert evaluation is not None
            assert evaluation.rubric_version.version == published.version
            answers = {c.criterion_id: c.result for c in evaluation.criteria}
            assert answers["greeting"] == "pass"
    finally:
        qa_config.get_settings.cache_clear()


def _grid_rows(frame: Locator) -> list[dict[str, str]]:
    """A dataframe's rows as text: Streamlit draws it on a canvas, with an accessible table inside."""
    rows: list[dict[str, str]] = frame.locator("table[role=grid]").evaluate(
        """table => {
            const head = [...table.querySelectorAll("thead th")].map(cell => cell.textContent);
            return [...table.querySelectorAll("tbody tr")].map(row => Object.fromEntries(
                [...row.querySelectorAll("td")].map((cell, n) => [head[n], cell.textContent])));
        }"""
    )
    return rows


def _answer_blind(page: Page, answers: dict[str, str]) -> None:
    """Answer each question of the one open interaction (question text -> pass/fail/na) and submit."""
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Submit my answers"))
    expect(form.get_by_role("radiogroup")).to_have_count(len(answers), timeout=20_000)
    expect(form.get_by_role("radio", checked=True)).to_have_count(0)  # nothing filled in by anyone else
    for question, answer in answers.items():
        form.get_by_role("radiogroup", name=question).get_by_text(answer, exact=True).click()
    form.get_by_role("button", name="Submit my answers").click()
    _settle(page)


def _open_calibration(page: Page) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Calibration", exact=True).click()
    _heading(page, "Calibration")
    _settle(page)


def _expand(page: Page, label: str) -> None:
    """Open an expander and wait until it has grown to full height.

    While it grows it clips its content and scrolls it to keep the focused field in view, and a dropdown
    list inside closes on any scroll: picking an option during those 0.4 s now and then found no option.
    """
    expander = page.get_by_test_id("stExpander").filter(has_text=label)
    expander.get_by_text(label, exact=True).click()
    page.wait_for_function(
        "details => details.open && details.getAnimations({subtree: true}).length === 0"
        " && details.scrollHeight <= details.clientHeight",
        arg=expander.locator("details").element_handle(),
    )


def _pick(page: Page, field: str, option: str) -> None:
    """Choose one option of a multiselect; the chosen option shows as a tag in the field."""
    page.get_by_role("combobox", name=field).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")  # close the list; the form keeps the choice until it is submitted
    expect(page.get_by_test_id("stMultiSelect").filter(has_text=field)).to_contain_text(option)


def test_calibration_is_blind_until_everyone_answered(
    server: str, browser: Browser, seeded: dict[str, Seeded]
) -> None:
    """sam opens a session on one of maria's chats for himself and mgr and answers without seeing anyone
    else's answers; mgr, in a browser of his own, cannot see sam's either until his own are in, and then
    the page shows the agreement per criterion."""
    chat = seeded["small"].maria_ids[-1]  # the machine passed greeting, verify_address and empathy
    questions = {
        "greeting": "Did the agent greet the caller and give their name?",
        "verify_address": "Did the agent verify the service address?",
        "empathy": "Did the agent acknowledge the problem?",
    }
    hidden = ["Agreement per criterion", "Answers side by side"]
    context = browser.new_context(viewport={"width": 1400, "height": 2600})
    try:
        page = context.new_page()
        _log_in(page, server, "sam")
        _open_calibration(page)
        _expand(page, "New calibration session")
        page.get_by_role("textbox", name="Title").fill("Greeting check")
        _pick(page, "Interactions", f"#{chat} · maria.g · chat · missed_pickup")
        for reviewer in ("sam", "mgr"):
            _pick(page, "Reviewers", reviewer)
        page.get_by_role("button", name="Open session").click()
        _settle(page)
        header = page.locator("h2").filter(has_text=re.compile(r"^Session \d+ · open$"))
        expect(header).to_be_visible(timeout=20_000)
        session_title = header.inner_text()
        expect(page.get_by_role("heading", name=f"Interaction {chat}")).to_be_visible()
        for title in hidden:
            expect(page.get_by_text(title)).to_have_count(0)
        expect(page.locator("th", has_text="machine")).to_have_count(0)  # nor the machine's answers
        _answer_blind(page, dict.fromkeys(questions.values(), "pass"))
        expect(page.get_by_text("You have answered every interaction")).to_be_visible(timeout=20_000)
        for title in hidden:  # mgr has not answered: still nothing to compare
            expect(page.get_by_text(title)).to_have_count(0)
        _check(page, "sam-calibration_answered")
        page.get_by_role("button", name="Log out").click()
        _heading(page, "Callcoach")
        context.close()

        context = browser.new_context(viewport={"width": 1400, "height": 2600})
        page = context.new_page()
        _log_in(page, server, "mgr")
        _open_calibration(page)
        expect(page.locator("h2").filter(has_text=session_title)).to_be_visible(timeout=20_000)
        progress = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="answered"))
        answered = {row["reviewer"]: row["answered"] for row in _grid_rows(progress)}
        assert answered == {"sam": "1 of 1", "mgr": "0 of 1"}  # mgr sees that sam answered, not what
        for title in hidden:
            expect(page.get_by_text(title)).to_have_count(0)
        expect(page.locator("th", has_text="machine")).to_have_count(0)  # no answers table anywhere
        _answer_blind(
            page,
            {
                questions["greeting"]: "pass",
                questions["verify_address"]: "fail",
                questions["empathy"]: "fail",
            },
        )
        closed = session_title.replace("open", "closed")
        expect(page.locator("h2").filter(has_text=closed)).to_be_visible(timeout=20_000)
        expect(page.get_by_role("heading", name="Agreement per criterion")).to_be_visible()
        _check(page, "mgr-calibration_closed")
        agreement = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="people kappa"))
        rows = {row["criterion"]: row for row in _grid_rows(agreement)}
        assert list(rows) == list(questions)  # every criterion, in the scorecard's order
        assert [rows[c]["question"] for c in questions] == list(questions.values())
        # greeting: sam, mgr and the machine passed. The others: mgr alone failed, so 1 of the 3 pairs
        # agrees (Fleiss' kappa -0.5) and the two people disagree (kappa -1); all agreeing leaves no kappa.
        figures = ["agreement", "kappa", "people agreement", "people kappa"]
        assert [[rows[c][f] for f in figures] for c in questions] == [
            ["1", "", "1", ""],
            ["0.33", "-0.5", "0", "-1"],
            ["0.33", "-0.5", "0", "-1"],
        ]
        side_by_side = page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="machine"))
        answers = {row["criterion"]: row for row in _grid_rows(side_by_side)}
        assert [answers["verify_address"][rater] for rater in ("sam", "mgr", "machine")] == [
            "pass",
            "fail",
            "pass",
        ]
    finally:
        context.close()
