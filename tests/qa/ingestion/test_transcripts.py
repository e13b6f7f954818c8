"""Transcript readers: every format, every timing form, every malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.errors import InputError
from qa.ingestion.transcripts import SpeakerLabels, read_transcript_file
from tests.factories import conversation, write_json

LABELS = SpeakerLabels(agent=("Agent", "Rep"), customer=("Customer", "Caller"))


def test_json_object_with_each_timing_form(tmp_path: Path) -> None:
    [parsed] = read_transcript_file(write_json(tmp_path / "c.json", conversation()), LABELS)
    assert parsed.metadata.external_id == "chat-1042"
    assert parsed.metadata.queue == "solid_waste" and parsed.metadata.csat == 4
    assert [t.speaker for t in parsed.turns] == ["customer", "agent", "agent", "customer"]
    assert parsed.turns[0].start == pytest.approx(3.0)  # "at" relative to started_at
    assert parsed.turns[1].start == pytest.approx(12.5)  # "offset"
    assert (parsed.turns[2].start, parsed.turns[2].end) == (15.0, 17.5)
    assert parsed.turns[3].start is None  # order only


def test_started_at_defaults_to_first_timestamp(tmp_path: Path) -> None:
    data = conversation()
    del data["started_at"]
    [parsed] = read_transcript_file(write_json(tmp_path / "c.json", data), LABELS)
    assert parsed.metadata.started_at is not None and parsed.metadata.started_at.minute == 15
    assert parsed.turns[0].start == 0.0


def test_json_list_and_json_lines(tmp_path: Path) -> None:
    items = [conversation("a"), conversation("b", channel="email")]
    listed = read_transcript_file(write_json(tmp_path / "list.json", items), LABELS)
    assert [c.metadata.external_id for c in listed] == ["a", "b"]
    lines = tmp_path / "many.jsonl"
    lines.write_text("\n".join(json.dumps(i) for i in items) + "\n\n", encoding="utf-8")
    parsed = read_transcript_file(lines, LABELS)
    assert [c.metadata.channel for c in parsed] == ["chat", "email"]


def test_csv_groups_messages_by_conversation(tmp_path: Path) -> None:
    path = tmp_path / "messages.csv"
    path.write_text(
        "conversation_id,timestamp,speaker,text,agent,channel\n"
        "c1,2026-03-01T10:00:00Z,Customer,My street was not swept,james.t,chat\n"
        "c2,2026-03-01T11:00:00Z,customer,Pothole on 5th,priya.k,email\n"
        "c1,2026-03-01T10:00:30Z,agent,Which street is it?,james.t,chat\n",
        encoding="utf-8",
    )
    first, second = read_transcript_file(path, LABELS)
    assert first.metadata.external_id == "c1" and first.metadata.agent == "james.t"
    assert [t.start for t in first.turns] == [0.0, 30.0]
    assert second.metadata.channel == "email"


def test_plain_text_with_configured_labels_and_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "call-77.txt"
    path.write_text("Rep: Public Works, Dave speaking.\nCaller: There is a pothole\non Main Street.\n")
    write_json(tmp_path / "call-77.json", {"agent": "dave.r", "channel": "email"})
    [parsed] = read_transcript_file(path, LABELS)
    assert parsed.metadata.external_id == "call-77" and parsed.metadata.agent == "dave.r"
    assert parsed.metadata.channel == "email"
    assert parsed.turns[1].text == "There is a pothole on Main Street."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", '{"turns": [', "malformed JSON (line 1"),
        ("empty.json", "", "file is empty"),
        ("noturns.json", json.dumps({"external_id": "x", "turns": []}), "'turns' must be a non-empty list"),
        (
            "speaker.json",
            json.dumps(conversation(turns=[{"speaker": "bob", "text": "hi"}])),
            "turn 1: unknown speaker label 'bob'",
        ),
        (
            "notext.json",
            json.dumps(conversation(turns=[{"speaker": "agent", "text": "  "}])),
            "turn 1: missing text",
        ),
        ("csat.json", json.dumps(conversation(metadata={"csat": 9})), "bad metadata field 'csat'"),
        (
            "time.json",
            json.dumps(conversation(turns=[{"speaker": "agent", "text": "hi", "at": "yesterday"}])),
            "bad timestamp 'yesterday'",
        ),
        ("lines.jsonl", '{"external_id": "a"\n', "malformed JSON on line 1"),
        ("cols.csv", "id,who,what\n1,agent,hi\n", "CSV lacks column(s) conversation_id, speaker, text"),
        ("label.txt", "Agent: hello\nManager: hi\n", "line 2: unknown speaker label 'Manager'"),
        ("nolabel.txt", "hello there\n", "line 1: expected 'Agent:' or 'Customer:'"),
        ("binary.json", "\udcff", "not UTF-8"),
    ],
)
def test_malformed_transcripts_name_file_and_problem(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(InputError) as caught:
        read_transcript_file(path, LABELS)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
