"""`callcoach redact FILE`: what would be redacted, on the typer app of qa/cli/redact.py; nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa.cli.redact import app

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "redaction" / "calls"


def chat_file(tmp_path: Path, *texts: str) -> Path:
    path = tmp_path / "chat-9001.json"
    turns = [{"speaker": "customer" if i % 2 == 0 else "agent", "text": t} for i, t in enumerate(texts)]
    path.write_text(json.dumps({"external_id": "chat-9001", "channel": "chat", "turns": turns}))
    return path


def test_json_lists_placeholders_and_positions_but_no_values(tmp_path: Path) -> None:
    path = chat_file(
        tmp_path, "card 4111 1111 1111 1111 exp 09/28", "Thanks. Your email?", "rosa@example.org"
    )
    result = runner.invoke(app, [str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (conv,) = data["conversations"]
    assert conv["conversation"] == "chat-9001"
    assert conv["counts"] == {"CARD": 1, "EMAIL": 1, "EXPIRY": 1}
    assert [t["text"] for t in conv["turns"]] == [
        "card [CARD] exp [EXPIRY]",
        "Thanks. Your email?",
        "[EMAIL]",
    ]
    assert conv["entities"][0] | {"confidence": 0} == {
        "type": "CARD", "turn": 0, "start": 5, "end": 24, "words": [], "start_time": None, "end_time": None,
        "group": 1, "confidence": 0, "rule": "luhn",
    }  # fmt: skip
    assert "4111" not in result.output and "rosa@" not in result.output


def test_recognised_call_transcript_gives_times() -> None:
    result = runner.invoke(app, [str(SAMPLES / "red_03_senior_discount.transcript.json"), "--json"])
    assert result.exit_code == 0, result.output
    entities = json.loads(result.output)["conversations"][0]["entities"]
    assert entities and all(
        e["start_time"] is not None and e["end_time"] >= e["start_time"] for e in entities
    )


def test_console_output_escapes_markup_in_the_transcript(tmp_path: Path) -> None:
    path = chat_file(tmp_path, "[bold]hi[/bold] my phone is (555) 201-3344")
    result = runner.invoke(app, [str(path)])
    assert result.exit_code == 0, result.output
    assert "chat-9001: PHONE 1" in result.output
    assert "[bold]hi[/bold] my phone is [PHONE]" in result.output


def test_missing_and_malformed_files_are_one_line_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(tmp_path / "nope.json")])
    assert result.exit_code == 1 and "nope.json: no such file" in result.output
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = runner.invoke(app, [str(bad)])
    assert result.exit_code == 1 and "bad.json: malformed JSON" in result.output


@pytest.mark.slow
def test_recording_is_transcribed_and_its_entities_shown() -> None:
    result = runner.invoke(app, [str(SAMPLES / "red_03_senior_discount.ogg"), "--json"])
    assert result.exit_code == 0, result.output
    (conv,) = json.loads(result.output)["conversations"]
    assert {"DOB", "NAME"} <= set(conv["counts"])
    dob = next(e for e in conv["entities"] if e["type"] == "DOB")
    # spoken 17.7-20.5 s; tiny.en word times (beam 5, VAD 0.15) start up to about a second early
    assert 16.5 < dob["start_time"] < dob["end_time"] < 21.5
    assert conv["turns"][dob["turn"]]["text"].startswith("[DOB]")
