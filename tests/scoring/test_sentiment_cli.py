"""`callcoach sentiment`: one JSON object per non-empty stdin line."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from qa.cli import sentiment


def _app() -> typer.Typer:
    app = typer.Typer()
    sentiment.register(app)
    app.command("noop")(lambda: None)  # a second command keeps `sentiment` as a subcommand
    return app


def test_json_lines_per_input_line() -> None:
    stdin = "I love the new bins, thank you!\n\nThis is awful, nobody came.\n"
    result = CliRunner().invoke(_app(), ["sentiment", "--backend", "vader", "--json"], input=stdin)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in rows] == ["I love the new bins, thank you!", "This is awful, nobody came."]
    assert [r["label"] for r in rows] == ["positive", "negative"]
    assert all(-1 <= r["score"] <= 1 for r in rows)


def test_unknown_backend_fails_cleanly() -> None:
    result = CliRunner().invoke(_app(), ["sentiment", "--backend", "nope"], input="hi\n")
    assert result.exit_code == 1
