"""Attack: user text that looks like rich markup (`[/x]`, `[red]`) in speakers, file and folder names.

Every console line escapes it (qa.cli.common.plain): the text is shown as written, no MarkupError stops a
command, and one bad file never costs the others in a batch.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from qa.cli import app
from qa.config import Settings
from tests.factories import conversation, write_json

runner = CliRunner()


def test_markup_in_a_batch_is_printed_as_written_and_the_rest_goes_in(
    settings: Settings, tmp_path: Path
) -> None:
    folder = tmp_path / "[red]batch"
    folder.mkdir()
    write_json(folder / "a.json", conversation("mk-a"))
    bad = conversation("mk-b")
    bad["turns"][0]["speaker"] = "[/x]"
    write_json(folder / "b[/bold].json".replace("/", "_"), bad)
    (folder / "c.txt").write_text("Agent: hello [/x] there\nCustomer: [bold]ok\\\n", encoding="utf-8")
    backslashed = write_json(folder / "d\\[x].json", conversation("mk-d"))

    result = runner.invoke(app, ["ingest", str(folder)], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "ingested 3, duplicates 0, failed 1" in result.stdout
    assert (
        f"failed: {folder / 'b[_bold].json'}: conversation 1, turn 1: unknown speaker label '[/x]'"
        in result.stderr
    )

    again = runner.invoke(app, ["ingest", str(folder)], catch_exceptions=False)
    assert f"duplicate: {backslashed} (already stored" in again.stderr


def test_error_lines_escape_the_path(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "["
    folder.mkdir()
    missing = folder / "x].json"  # the path reads ".../[/x].json"
    result = runner.invoke(app, ["analyze", str(missing)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {missing}: no such file"

    rubric = folder / "x]bad.yaml"
    rubric.write_text(json.dumps({"id": "[/x]"}), encoding="utf-8")
    result = runner.invoke(app, ["rubric", "validate", str(rubric)], catch_exceptions=False)
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {rubric}")
