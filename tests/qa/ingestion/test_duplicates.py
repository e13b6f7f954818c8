"""Re-ingesting any kind of input reports duplicates and stores nothing twice, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from qa.config import Settings
from qa.db import session_scope
from qa.ingestion import service as ingestion
from qa.models import Interaction, Job, Turn
from tests.factories import conversation, write_json


def ingest(settings: Settings, path: Path, **options: object) -> ingestion.FileOutcome:
    with session_scope(settings.database_url) as session:
        return ingestion.ingest_file(
            session=session,
            path=path,
            settings=settings,
            options=ingestion.options_from_settings(settings, **options),
        )


def count(settings: Settings, model: type) -> int:
    with session_scope(settings.database_url) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_call_transcript_ingested_twice_is_a_duplicate(settings: Settings, tmp_path: Path) -> None:
    # The bug: the check looked under source "call", the insert stored source "phone".
    path = write_json(tmp_path / "call.json", conversation("call-transcript-1", channel="call"))
    first = ingest(settings, path)
    again = ingest(settings, path)
    assert len(first.ingested) == 1 and again.ingested == [] and again.duplicates == first.ingested
    with session_scope(settings.database_url) as session:
        stored = session.scalars(select(Interaction)).one()
        assert (stored.channel, stored.source) == ("call", "phone")
    assert count(settings, Interaction) == 1 and count(settings, Job) == 1
