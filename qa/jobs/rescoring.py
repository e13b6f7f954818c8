"""Re-scoring stored interactions with the current version of a rubric, keeping the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from qa.config import Settings
from qa.db import session_scope
from qa.interactions import repository as interaction_repository
from qa.jobs import service as job_service
from qa.jobs import steps
from qa.jobs.ml_models import rubric_named, rubric_targets
from qa.jobs.runner import NoProgress, ProgressSink
from qa.models import JobKind


@dataclass(slots=True)
class RescoreReport:
    version: str
    done: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _ids_to_rescore(session: Session, settings: Settings, rubric_id: str, since: date | None) -> list[int]:
    channels, queues = rubric_targets(settings, rubric_id)
    start = datetime.combine(since, datetime.min.time(), UTC) if since is not None else None
    return interaction_repository.processed_ids(session, channels=channels, queues=queues, since=start)


def rescore(
    *, settings: Settings, rubric_id: str, since: date | None, progress: ProgressSink | None = None
) -> RescoreReport:
    """Score again every processed interaction that this rubric applies to."""
    progress = progress or NoProgress()
    report = RescoreReport(version=rubric_named(settings, rubric_id)[0].version)
    with session_scope(settings.database_url) as session:
        ids = _ids_to_rescore(session, settings, rubric_id, since)
    progress.set_total(len(ids))
    for interaction_id in ids:
        try:
            with session_scope(settings.database_url) as session:
                steps.analyze_step(session, interaction_id, settings)
            report.done += 1
        except Exception as exc:  # noqa: BLE001 - reported per interaction, the rest go on
            report.failed += 1
            report.errors.append(f"interaction {interaction_id}: {exc}")
        progress.advance()
    return report


def queue_rescore(*, session: Session, settings: Settings, rubric_id: str, since: date | None) -> list[int]:
    """The same interactions as rescore(), as queued analysis jobs in the caller's transaction (run in
    process or by the workers once it commits); returns the job ids. Each job scores with the rubric on
    disk when it runs."""
    return [
        job_service.enqueue(session=session, kind=JobKind.ANALYZE, interaction_id=interaction_id).id
        for interaction_id in _ids_to_rescore(session, settings, rubric_id, since)
    ]
