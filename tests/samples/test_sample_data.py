"""Consistency checks for the bundled sample data in samples/ (no audio decoding beyond the WAV sample)."""

from __future__ import annotations

import csv
import json
import wave
from array import array
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
import yaml

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CALLS = SAMPLES / "calls"
TRANSCRIPTS = SAMPLES / "transcripts"
CRITERIA = {
    "greeting",
    "agent_name",
    "empathy",
    "verification",
    "hold_etiquette",
    "resolution_summary",
    "offer_further_help",
    "closing",
    "prohibited_language",
}
TOPICS = {
    "solid_waste",
    "street_sweeping",
    "parking_enforcement",
    "micro_mobility",
    "traffic_safety",
    "infrastructure",
    "other",
}
CALL_SCRIPTS = sorted((SAMPLES / "scripts" / "calls").glob("*.yaml"))


def load_transcripts() -> dict[str, dict]:
    """Parse every transcript file into {external_id: {"channel", "agent", "turns": [(speaker, text)]}}."""
    found: dict[str, dict] = {}
    txt_sidecars = {p.with_suffix(".json") for p in TRANSCRIPTS.glob("*.txt")}
    for path in sorted(TRANSCRIPTS.iterdir()):
        if path.suffix == ".json" and path not in txt_sidecars:
            data = json.loads(path.read_text(encoding="utf-8"))
            for conv in data if isinstance(data, list) else [data]:
                found[conv["external_id"]] = conv
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                conv = json.loads(line)
                found[conv["external_id"]] = conv
        elif path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    conv = found.setdefault(
                        row["conversation_id"],
                        {
                            "external_id": row["conversation_id"],
                            "channel": row["channel"],
                            "agent": row["agent"],
                            "turns": [],
                        },
                    )
                    conv["turns"].append(
                        {"speaker": row["speaker"], "text": row["text"], "at": row["timestamp"]}
                    )
        elif path.suffix == ".txt":
            conv = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            conv["turns"] = []
            for line in path.read_text(encoding="utf-8").splitlines():
                speaker, _, text = line.partition(": ")
                assert speaker in ("Agent", "Customer"), line
                conv["turns"].append({"speaker": speaker.lower(), "text": text})
            found[conv["external_id"]] = conv
    return found


def test_transcripts_parse_and_are_varied() -> None:
    transcripts = load_transcripts()
    assert len(transcripts) >= 30
    assert {conv["channel"] for conv in transcripts.values()} == {"chat", "email"}
    for conv in transcripts.values():
        assert conv["turns"], conv["external_id"]
        assert {turn["speaker"] for turn in conv["turns"]} <= {"agent", "customer"}


@pytest.mark.parametrize("script_path", CALL_SCRIPTS, ids=lambda p: p.stem)
def test_call_outputs_match_script(script_path: Path) -> None:
    script = yaml.safe_load(script_path.read_text(encoding="utf-8"))
    timing = json.loads((CALLS / f"{script_path.stem}.script.json").read_text(encoding="utf-8"))
    meta = json.loads((CALLS / f"{script_path.stem}.json").read_text(encoding="utf-8"))
    audio = CALLS / timing["audio_file"]
    assert audio.exists() and audio.suffix == f".{script.get('format', 'flac')}"
    assert meta["external_id"] == script["external_id"]
    spoken = [
        (key, " ".join(str(item[key]).split()))
        for item in script["turns"]
        for key in ("agent", "customer")
        if key in item
    ]
    assert [(turn["speaker"], turn["text"]) for turn in timing["turns"]] == spoken
    for turn in timing["turns"]:
        assert 0 <= turn["start"] < turn["end"] <= timing["duration"]
    assert 30 <= timing["duration"] <= 90


def test_manifest_matches_sidecars() -> None:
    with (CALLS / "manifest.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["external_id"]: row for row in csv.DictReader(handle)}
    assert len(rows) == len(CALL_SCRIPTS) >= 8
    for meta_path in CALLS.glob("*.json"):
        if meta_path.name.endswith(".script.json"):
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        row = rows[meta["external_id"]]
        assert (CALLS / row["file"]).stem == meta_path.stem
        assert row["queue"] == meta["queue"] and row["customer_ref"] == meta["customer_ref"]
        assert row["agent"] == meta["agent"] and row["started_at"] == meta["started_at"]
        assert int(row["handle_seconds"]) == meta["handle_seconds"]
        assert "metadata" not in meta  # recording sidecars are flat


def test_labels_cover_every_interaction() -> None:
    labels = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))
    call_ids = {yaml.safe_load(p.read_text(encoding="utf-8"))["external_id"] for p in CALL_SCRIPTS}
    assert set(labels) == set(load_transcripts()) | call_ids
    for label in labels.values():
        assert label["topic"] in TOPICS
        assert {label["customer_mood_start"], label["customer_mood_end"]} <= {
            "negative",
            "neutral",
            "positive",
        }
        assert set(label["criteria"]) == CRITERIA
        assert set(label["criteria"].values()) <= {"pass", "fail", "na"}


def _contacts() -> list[tuple[str, str, str, str]]:
    """(customer_ref, queue, started_at, external_id) of every sample with a customer and a queue."""
    found = []
    for conv in load_transcripts().values():
        meta = conv.get("metadata") or conv
        if meta.get("customer_ref") and meta.get("queue"):
            found.append((meta["customer_ref"], meta["queue"], conv["started_at"], conv["external_id"]))
    for meta_path in CALLS.glob("*.json"):
        if not meta_path.name.endswith(".script.json"):
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            found.append((meta["customer_ref"], meta["queue"], meta["started_at"], meta["external_id"]))
    return sorted(found)


def test_repeat_contacts_fall_inside_and_outside_the_default_window() -> None:
    # Same customer, same program: chat-1019 -> chat-1020 (1 day) and chat-1014 -> chat-1016 (4 days) are
    # repeats under the default 7 days; call-3005, chat-1001 and chat-1017 come back after 13 to 44 days.
    inside: set[str] = set()
    outside: set[str] = set()
    contacts = _contacts()
    for (ref, queue, at, ext), (next_ref, next_queue, next_at, _) in pairwise(contacts):
        if (ref, queue) == (next_ref, next_queue):
            gap = datetime.fromisoformat(next_at) - datetime.fromisoformat(at)
            (inside if gap <= timedelta(days=7) else outside).add(ext)
    assert inside == {"chat-1014", "chat-1019"}
    assert outside == {"call-3005", "chat-1001", "chat-1017"}


def test_emails_carry_a_resolution_time_no_shorter_than_the_reply() -> None:
    emails = [c for c in load_transcripts().values() if c["channel"] == "email"]
    assert emails
    for conv in emails:
        meta = conv.get("metadata") or conv
        assert meta["resolution_seconds"] >= meta["wait_seconds"], conv["external_id"]


def test_call_hold_labels_follow_scripts() -> None:
    labels = json.loads((SAMPLES / "labels.json").read_text(encoding="utf-8"))
    for path in CALL_SCRIPTS:
        script = yaml.safe_load(path.read_text(encoding="utf-8"))
        has_hold = any("hold" in item for item in script["turns"])
        assert (labels[script["external_id"]]["criteria"]["hold_etiquette"] != "na") == has_hold, path.stem


def test_wav_sample_keeps_speakers_on_their_own_channel() -> None:
    (wav_path,) = CALLS.glob("*.wav")
    timing = json.loads((CALLS / f"{wav_path.stem}.script.json").read_text(encoding="utf-8"))
    with wave.open(str(wav_path)) as handle:
        assert (handle.getnchannels(), handle.getframerate(), handle.getsampwidth()) == (2, 8000, 2)
        samples = array("h", handle.readframes(handle.getnframes()))
    left, right = samples[0::2], samples[1::2]
    for turn in timing["turns"]:
        start, end = int(turn["start"] * 8000), int(turn["end"] * 8000)
        own, other = (left, right) if turn["speaker"] == "agent" else (right, left)
        assert max(abs(v) for v in own[start:end]) > 1000
        overlapping = any(
            t["speaker"] != turn["speaker"] and t["start"] < turn["end"] and t["end"] > turn["start"]
            for t in timing["turns"]
        )
        if not overlapping:
            assert max(abs(v) for v in other[start:end]) == 0
