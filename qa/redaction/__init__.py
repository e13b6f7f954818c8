"""Redaction of personal and payment data in stored interactions (the library: transcription.redaction)."""
