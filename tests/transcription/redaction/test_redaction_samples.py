"""The redaction samples agree with themselves, and a recognised sample call comes out silent where its
card number, security code and social security number were spoken."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from transcription import decode_channels
from transcription.audio import SAMPLE_RATE
from transcription.redaction import Turn, audio_spans, detect, redact_audio, turns_from_dict

CALLS = Path(__file__).resolve().parents[3] / "samples" / "redaction" / "calls"
NAMES = sorted(p.name[: -len(".labels.json")] for p in CALLS.glob("*.labels.json"))
SPEAKER_CHANNELS = {"agent": 0, "customer": 1}


def load(name: str) -> tuple[dict, list[Turn]]:
    labels = json.loads((CALLS / f"{name}.labels.json").read_text())
    transcript = json.loads((CALLS / f"{name}.transcript.json").read_text())
    return labels, turns_from_dict(transcript)


def test_there_are_sample_calls_with_every_entity_type() -> None:
    kinds = {e["type"] for name in NAMES for e in load(name)[0]["entities"]}
    assert len(NAMES) == 4
    assert kinds == {"CARD", "EXPIRY", "CVV", "SSN", "PHONE", "EMAIL", "DOB", "ADDRESS", "PLATE", "NAME"}


@pytest.mark.parametrize("name", NAMES)
def test_labels_lie_inside_their_turns(name: str) -> None:
    labels, _ = load(name)
    assert (CALLS / labels["audio_file"]).stat().st_size < 300_000
    for entity in labels["entities"]:
        turn = labels["turns"][entity["turn"]]
        assert turn["speaker"] == entity["speaker"]
        assert entity["text"] in turn["text"]
        assert turn["start"] - 1e-3 <= entity["start"] < entity["end"] <= turn["end"] + 1e-3  # 4 decimals


@pytest.mark.parametrize("name", ["red_01_citation_payment", "red_03_senior_discount"])
def test_recognised_call_is_silent_where_payment_and_ssn_were_spoken(name: str) -> None:
    labels, turns = load(name)
    channels = decode_channels(CALLS / labels["audio_file"])
    spans = audio_spans(turns, detect(turns))
    redacted = redact_audio(channels, SAMPLE_RATE, spans, speaker_channels=SPEAKER_CHANNELS)
    checked = 0
    for entity in labels["entities"]:
        if entity["type"] not in ("CARD", "CVV", "SSN"):
            continue
        a, b = int((entity["start"] + 0.3) * SAMPLE_RATE), int((entity["end"] - 0.3) * SAMPLE_RATE)
        channel = SPEAKER_CHANNELS[entity["speaker"]]
        assert np.max(np.abs(channels[channel][a:b])) > 0.01  # there was speech
        assert np.max(np.abs(redacted[channel][a:b])) == 0.0, entity["text"]
        checked += 1
    assert checked >= 1
    # The agent's channel keeps its speech: only the customer spoke the numbers.
    assert np.max(np.abs(redacted[0])) > 0.01
