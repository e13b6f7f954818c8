"""`callcoach worker`: a Celery worker for transcription and/or scoring tasks."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from qa.cli.common import fail, open_database


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    queues: Annotated[
        str, typer.Option(help="Comma-separated queues: transcribe (GPU machines), score (CPU machines).")
    ] = "transcribe,score",
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: the number of cores).")
    ] = None,
    loglevel: Annotated[str, typer.Option(help="Celery log level.")] = "info",
    beat: Annotated[
        bool, typer.Option(help="Also run the schedule (weekly review assignments); on one worker only.")
    ] = False,
) -> None:
    """Run a Celery worker (needs CALLCOACH_QUEUE_URL); each process loads its models once."""
    from qa.jobs import tasks

    settings = open_database()
    if not settings.queue_url:
        fail("CALLCOACH_QUEUE_URL is empty: set it to redis://host:6379/0 to run workers")
    wanted = tuple(q.strip() for q in queues.split(",") if q.strip())
    unknown = [q for q in wanted if q not in tasks.QUEUES]
    if not wanted or unknown:
        fail(f"unknown queue(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(tasks.QUEUES)}")
    tasks.preload_queues = wanted
    argv = [
        "worker",
        f"--queues={','.join(wanted)}",
        f"--concurrency={concurrency or os.cpu_count() or 1}",
        f"--hostname=callcoach-{os.getpid()}@{socket.gethostname()}",
        f"--loglevel={loglevel}",
        # Workers find no use in talking to each other: the job table is the source of truth.
        "--without-gossip",
        "--without-mingle",
    ]
    if beat:
        argv += ["--beat", f"--schedule={settings.media_dir.parent / 'celerybeat-schedule'}"]
    tasks.get_app(settings).worker_main(argv)
