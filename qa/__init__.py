"""Callcoach application layer: configuration, storage, ingestion, pipeline, API and CLI."""
