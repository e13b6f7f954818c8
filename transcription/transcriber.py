"""The call transcription pipeline: decode, recognise per channel, attribute speakers, measure."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from transcription.audio import iter_audio_windows
from transcription.channels import speaker_channels
from transcription.diarization import VoiceWindows, assign_speakers, speech_regions, voice_windows
from transcription.engine import SpeechRecognizer
from transcription.metrics import compute_metrics
from transcription.options import AgentChannel, EngineOptions
from transcription.speaker_embedding import SpeakerEncoder
from transcription.transcript import Transcript, Word
from transcription.turns import merge_words_into_turns


class Transcriber:
    """Transcribes call recordings into speaker turns and metrics; holds the loaded model."""

    def __init__(
        self, options: EngineOptions | None = None, speaker_encoder: SpeakerEncoder | None = None
    ) -> None:
        self.options = options or EngineOptions()
        self.recognizer = SpeechRecognizer(self.options)
        self._speaker_encoder = speaker_encoder

    @property
    def speaker_encoder(self) -> SpeakerEncoder:
        """The voice encoder for mono calls, loaded on first use (stereo calls never need it)."""
        if self._speaker_encoder is None:
            self._speaker_encoder = SpeakerEncoder.load()
        return self._speaker_encoder

    def transcribe(self, path: str | Path, *, agent_channel: AgentChannel | None = None) -> Transcript:
        """Transcribe one file; `agent_channel` overrides the configured channel for this source."""
        o = self.options
        agent_index = 0 if (agent_channel or o.agent_channel) == "left" else 1
        words: list[Word] = []
        mono_voices: list[VoiceWindows] = []
        duration = 0.0
        use: list[int] = []  # channels carrying distinct speakers, decided on the first window
        for window in iter_audio_windows(
            path,
            window_seconds=o.window_seconds,
            max_duration=o.max_duration_seconds,
            min_duration=o.min_duration_seconds,
        ):
            duration = window.offset + window.duration
            if not use:
                use = speaker_channels(window.channels)
            if len(use) == 2:
                agent_words, customer_words = self.recognizer.recognize(
                    [window.channels[agent_index], window.channels[1 - agent_index]], window.offset
                )
                for w in customer_words:
                    w.speaker = "customer"
                words.extend(agent_words + customer_words)
            else:
                audio = window.channels[use[0]]
                (found,) = self.recognizer.recognize([audio], window.offset)
                regions = speech_regions(audio, window.offset)
                mono_voices.append(voice_windows(audio, regions, self.speaker_encoder, window.offset))
                words.extend(found)
            del window
        channels = len(use)
        if channels == 1 and words:
            for word, speaker in zip(
                words, assign_speakers(words, VoiceWindows.concat(mono_voices)), strict=False
            ):
                word.speaker = speaker
        words.sort(key=lambda w: (w.start, w.end))
        turns = merge_words_into_turns(words)
        return Transcript(
            duration=duration,
            channels=channels,
            language=o.language,
            turns=turns,
            metrics=compute_metrics(words, duration, o.hold_threshold_seconds),
            no_speech=not words,
        )


@lru_cache(maxsize=4)
def get_transcriber(options: EngineOptions | None = None) -> Transcriber:
    """The process-wide Transcriber for these options (the model is loaded once)."""
    return Transcriber(options or EngineOptions())


def transcribe_file(
    path: str | Path, options: EngineOptions | None = None, *, agent_channel: AgentChannel | None = None
) -> Transcript:
    """Transcribe a call recording with the cached transcriber for `options`."""
    return get_transcriber(options or EngineOptions()).transcribe(path, agent_channel=agent_channel)
