"""Test data built on the fly: audio in every supported format, transcripts, metadata."""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any

import av
import numpy as np

SAMPLE_RATE = 8000


def tone(seconds: float, frequency: float = 440.0, rate: int = SAMPLE_RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def write_wav(path: Path, channels: list[np.ndarray], rate: int = SAMPLE_RATE) -> Path:
    """A 16-bit PCM WAV with one array per channel."""
    frames = np.stack(channels, axis=1) if len(channels) > 1 else channels[0][:, None]
    pcm = (np.clip(frames, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(len(channels))
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())
    return path


def write_encoded(path: Path, seconds: float = 1.5, stereo: bool = True) -> Path:
    """Encode a short tone in the format named by `path`'s suffix (mp3, flac, ogg, m4a) with PyAV."""
    codec, container_format, rate = {
        ".mp3": ("libmp3lame", "mp3", 16000),
        ".flac": ("flac", "flac", SAMPLE_RATE),
        ".ogg": ("libopus", "ogg", 16000),
        ".m4a": ("aac", "ipod", 16000),
    }[path.suffix]
    samples = tone(seconds, rate=rate)
    layout = "stereo" if stereo else "mono"
    data = np.stack([samples, samples * 0.5]) if stereo else samples[None, :]
    with av.open(str(path), "w", format=container_format) as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        assert isinstance(stream, av.AudioStream)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format="fltp", layout=layout)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def conversation(external_id: str = "chat-1042", agent: str = "maria.g", **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "external_id": external_id,
        "channel": "chat",
        "agent": agent,
        "started_at": "2026-03-02T10:15:00Z",
        "metadata": {"queue": "solid_waste", "csat": 4, "customer_ref": "555-0100"},
        "turns": [
            {"speaker": "customer", "text": "Hi, my bins were not picked up.", "at": "2026-03-02T10:15:03Z"},
            {"speaker": "agent", "text": "I'm sorry to hear that.", "offset": 12.5},
            {"speaker": "agent", "text": "Which address?", "start": 15.0, "end": 17.5},
            {"speaker": "customer", "text": "12 Oak Street."},
        ],
    }
    data.update(overrides)
    return data


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def tiny_sentiment_model(folder: Path, id2label: dict[int, str]) -> Path:
    """A tiny random BERT classifier and its tokenizer saved to `folder` (tests the loading path)."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "bin", "was", "great", "bad", "thanks"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]"
    )
    config = BertConfig(
        vocab_size=len(words),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder
