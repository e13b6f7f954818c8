"""Re-scoring stored interactions with the current version of a rubric, keeping the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from qa.config import Settings
from qa.db import session_scope
from qa.interactions import repository as interaction_repository
from qa.jobs import steps
from qa.jobs.ml_models import rubric_named
from qa.jobs.runner import NoProgress, ProgressSink


@dataclass(slots=True)
class RescoreReport:
    version: str
    done: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _channels_using(settings: Settings, rubric_id: str) -> list[str]:
    return [channel for channel, wanted in settings.rubric_for_channel.items() if wanted == rubric_id]


def rescore(
    *, settings: Settings, rubric_id: str, since: date | None, progress: ProgressSink | None = None
) -> RescoreReport:
    """Score again every processed interaction that this rubric applies to."""
    progress = progress or NoProgress()
    report = RescoreReport(version=rubric_named(settings, rubric_id)[0].version)
    channels = _channels_using(settings, rubric_id)
    queues = [queue for queue, wanted in settings.rubric_for_queue.items() if wanted == rubric_id]
    start = datetime.combine(since, datetime.min.time(), UTC) if since is not None else None
    with session_scope(settings.database_url) as session:
        ids = interaction_repository.processed_ids(session, channels=channels, queues=queues, since=start)
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
