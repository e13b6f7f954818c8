"""A stereo call whose agent greeting the recogniser heard badly: "this is Maria" as "this is a Marie."

The audio is real (two tone channels the transcriber splits, measures and merges into turns); what the
recogniser hears is scripted as real `transcription.Word`s with the probabilities tiny.en gives a
garbled name, flagged low-confidence by the engine's own threshold (EngineOptions).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.config import Settings
from qa.db import session_scope
from qa.ingestion import service as ingestion
from transcription import EngineOptions, Word
from transcription.engine import SpeechRecognizer

EXTERNAL_ID = "call-garbled-greeting"
# (text, start, probability): the greeting's "a" and "Marie." are what the recogniser was unsure of.
AGENT_WORDS = [
    (" Thank", 0.2, 0.97), (" you", 0.5, 0.98), (" for", 0.7, 0.96), (" calling", 0.9, 0.95),
    (" Public", 1.3, 0.93), (" Works,", 1.7, 0.92), (" this", 2.1, 0.9), (" is", 2.3, 0.91),
    (" a", 2.5, 0.31), (" Marie.", 2.7, 0.42), (" How", 3.2, 0.95), (" can", 3.4, 0.97),
    (" I", 3.6, 0.98), (" help?", 3.7, 0.96),
    (" I'm", 7.0, 0.95), (" sorry", 7.2, 0.94), (" about", 7.5, 0.95), (" that.", 7.7, 0.93),
]  # fmt: skip
CUSTOMER_WORDS = [
    (" My", 4.4, 0.96), (" bin", 4.6, 0.9), (" was", 4.9, 0.95), (" missed", 5.1, 0.93),
    (" again.", 5.5, 0.94),
]  # fmt: skip
UNCLEAR = {"a": 0.31, "Marie.": 0.42}


def _words(script: Sequence[tuple[str, float, float]], offset: float) -> list[Word]:
    threshold = EngineOptions().low_confidence_probability
    return [
        Word(text, start + offset, start + offset + 0.25, p, low_confidence=p < threshold)
        for text, start, p in script
    ]


def hear_garbled_greeting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the recogniser hear the script (agent channel first, as the transcriber asks)."""

    def recognize(
        self: SpeechRecognizer, channels: Sequence[object], offset: float = 0.0
    ) -> list[list[Word]]:
        assert len(channels) == 2, "the call should be split into its two speaker channels"
        return [_words(AGENT_WORDS, offset), _words(CUSTOMER_WORDS, offset)]

    monkeypatch.setattr(SpeechRecognizer, "recognize", recognize)


def write_call(folder: Path) -> Path:
    """The stereo recording (agent left, customer right) with its metadata sidecar."""
    from tests.factories import SAMPLE_RATE, tone, write_wav

    quiet = np.zeros(int(4 * SAMPLE_RATE), dtype=np.float32)
    left = np.concatenate([tone(4.0, 440.0), quiet])
    right = np.concatenate([quiet, tone(4.0, 660.0)])
    path = write_wav(folder / f"{EXTERNAL_ID}.wav", [left, right])
    meta = {"external_id": EXTERNAL_ID, "channel": "call", "agent": "maria.g", "team": "North"}
    path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
    return path


def ingest_garbled_call(settings: Settings, folder: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Ingest the call (its jobs queued, not run); the recogniser will hear the garbled greeting."""
    hear_garbled_greeting(monkeypatch)
    with session_scope(settings.database_url) as session:
        outcome = ingestion.ingest_file(
            session=session,
            path=write_call(folder),
            settings=settings,
            options=ingestion.options_from_settings(settings),
        )
    [interaction_id] = outcome.ingested
    return interaction_id
