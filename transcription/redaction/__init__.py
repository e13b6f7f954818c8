"""Redaction of personal and payment data in transcripts and call audio.

Framework-free: `detect` finds entities in word-timed call turns or untimed chat turns, `redact_turns`
puts `[CARD]`-style placeholders in their place, `redact_audio` blanks their time spans.
"""

from transcription.redaction.answers import answer_spans
from transcription.redaction.audio import (
    AudioSpan,
    audio_spans,
    is_near_copy,
    redact_audio,
    redact_audio_file,
    write_audio,
)
from transcription.redaction.convert import turns_from_dict, turns_from_transcript
from transcription.redaction.detect import detect
from transcription.redaction.redact import placeholder, redact_turns
from transcription.redaction.types import (
    ENTITY_TYPES,
    Entity,
    EntityType,
    Placeholder,
    RedactedTurn,
    RedactedTurns,
    RedactionOptions,
    Turn,
    Word,
)

__all__ = [
    "ENTITY_TYPES",
    "AudioSpan",
    "Entity",
    "EntityType",
    "Placeholder",
    "RedactedTurn",
    "RedactedTurns",
    "RedactionOptions",
    "Turn",
    "Word",
    "answer_spans",
    "audio_spans",
    "detect",
    "is_near_copy",
    "placeholder",
    "redact_audio",
    "redact_audio_file",
    "redact_turns",
    "turns_from_dict",
    "turns_from_transcript",
    "write_audio",
]
