"""Call transcription: audio decoding, faster-whisper engine, speaker turns and call metrics.

Framework-free: imports neither qa, web, database nor UI code.
"""

from transcription.audio import SAMPLE_RATE, AudioWindow, decode_channels, iter_audio_windows, probe_audio
from transcription.diarization import (
    VoiceWindows,
    assign_speakers,
    region_features,
    speech_regions,
    voice_windows,
)
from transcription.engine import SpeechRecognizer, embedded_model_path, load_model
from transcription.errors import (
    AudioError,
    AudioTooLong,
    AudioTooShort,
    CorruptAudio,
    EmptyAudio,
    MissingAudio,
    ModelUnavailable,
    TranscriptionError,
    UnsupportedAudio,
)
from transcription.metrics import METRIC_KEYS, compute_metrics
from transcription.options import EMBEDDED_MODEL, EngineOptions, VadSettings
from transcription.speaker_embedding import SpeakerEncoder
from transcription.transcriber import Transcriber, get_transcriber, transcribe_file
from transcription.transcript import Speaker, Transcript, TranscriptTurn, Word
from transcription.turns import merge_words_into_turns

__all__ = [
    "EMBEDDED_MODEL",
    "METRIC_KEYS",
    "SAMPLE_RATE",
    "AudioError",
    "AudioTooLong",
    "AudioTooShort",
    "AudioWindow",
    "CorruptAudio",
    "EmptyAudio",
    "EngineOptions",
    "MissingAudio",
    "ModelUnavailable",
    "Speaker",
    "SpeakerEncoder",
    "SpeechRecognizer",
    "Transcriber",
    "Transcript",
    "TranscriptTurn",
    "TranscriptionError",
    "UnsupportedAudio",
    "VadSettings",
    "VoiceWindows",
    "Word",
    "assign_speakers",
    "compute_metrics",
    "decode_channels",
    "embedded_model_path",
    "get_transcriber",
    "iter_audio_windows",
    "load_model",
    "merge_words_into_turns",
    "probe_audio",
    "region_features",
    "speech_regions",
    "transcribe_file",
    "voice_windows",
]
