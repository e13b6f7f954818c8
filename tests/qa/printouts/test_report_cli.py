"""`callcoach report review|period`: PDF and HTML files with the review's figures, the API's role and scope
checks, and one-line errors with a non-zero exit."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from qa.cli import app
from qa.cli.report import parse_period
from qa.config import Settings
from qa.db import session_scope
from qa.models import Role
from tests.qa.builders import CriterionSpec, add_interaction, add_user

runner = CliRunner()


@pytest.fixture
def center(settings: Settings) -> Settings:
    """Two teams in March 2026: maria (North, three calls; the week of 9 March empty) and omar (South)."""
    with session_scope(settings.database_url) as session:
        add_user(session, "mona", Role.MANAGER)
        add_user(session, "sam", Role.SUPERVISOR, team="North")
        add_user(session, "maria", Role.AGENT, agent="maria.g", team="North")
        for day, result in ((2, "pass"), (3, "fail"), (17, "pass")):
            add_interaction(
                session,
                agent="maria.g",
                team="North",
                started_at=datetime(2026, 3, day, 10, tzinfo=UTC),
                criteria=[CriterionSpec("greeting", result, question="Did the agent greet the caller?")],
            )
        add_interaction(session, agent="omar.k", team="South", topic="parking_fine")
    return settings


def _text(path: Path) -> str:
    """The PDF's text without whitespace (extraction splits lines and doubles spaces)."""
    pages = PdfReader(io.BytesIO(path.read_bytes())).pages
    return "".join("".join(page.extract_text() for page in pages).split())


def test_review_pdf_holds_the_agents_figures(center: Settings, tmp_path: Path) -> None:
    pdf, page = tmp_path / "review.pdf", tmp_path / "review.html"
    result = runner.invoke(
        app,
        ["report", "review", "--agent", "maria.g", "--period", "2026-03", "--as", "mona",
         "--pdf", str(pdf), "--html", str(page)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    text = _text(pdf)
    for heading in ("Performance review: maria.g", "team North", "Quality score by week", "Volume by week",
                    "Criterion breakdown", "Coaching history", "Week by week"):  # fmt: skip
        assert "".join(heading.split()) in text, heading
    assert "3Interactions" in text  # the headline figure with its label
    assert "greeting" in text and "50.0" in text  # one of two greetings passed
    html = page.read_text()
    # The same sections in the HTML page, built from the same description.
    for heading in ("Quality score by week", "Volume by week", "Criterion breakdown", "Coaching history"):
        assert f"<h2>{heading}</h2>" in html
    images = sum(len(p.images) for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert html.count("<img class='chart'") == images >= 4  # the same charts in both


def test_period_pdf_lists_every_agent_in_scope(center: Settings, tmp_path: Path) -> None:
    pdf = tmp_path / "period.pdf"
    result = runner.invoke(app, ["report", "period", "--period", "2026-03-01..2026-03-31", "--as", "mona",
                                 "--pdf", str(pdf)])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _text(pdf)
    assert "maria.g" in text and "omar.k" in text and "parking_fine" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "--agent", "nobody", "--period", "2026-03", "--as", "mona"], "agent 'nobody' not found"),
        (["review", "--agent", "maria.g", "--period", "2026-13", "--as", "mona"], "--period '2026-13'"),
        (["review", "--agent", "maria.g", "--period", "March", "--as", "mona"], "neither a month"),
        (["review", "--agent", "maria.g", "--period", "2026-03", "--as", "ghost"], "no active user 'ghost'"),
        # an agent may read her review in the API, but printing is for managers, as in the coaching view
        (["review", "--agent", "maria.g", "--period", "2026-03", "--as", "maria"], "needs the role manager"),
        (["period", "--period", "2026-03", "--as", "sam"], "needs the role manager"),
        (["review", "--agent", "maria.g", "--period", "2026-03", "--as", "mona"], "give --pdf FILE"),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(
    center: Settings, tmp_path: Path, args: list[str], message: str
) -> None:
    out = [] if "give --pdf FILE" in message else ["--pdf", str(tmp_path / "x.pdf")]
    result = runner.invoke(app, ["report", *args, *out])
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_an_unwritable_file_is_one_line(center: Settings, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "r.pdf"
    result = runner.invoke(
        app, ["report", "period", "--period", "2026-03", "--as", "mona", "--pdf", str(target)]
    )
    assert result.exit_code == 1 and "No such file or directory" in result.stderr


def test_periods() -> None:
    assert parse_period("2024-02") == (datetime(2024, 2, 1).date(), datetime(2024, 2, 29).date())
    assert parse_period("2026-03-05..2026-03-09")[1] == datetime(2026, 3, 9).date()
    with pytest.raises(ValueError, match="neither"):
        parse_period("2026")
