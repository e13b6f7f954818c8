"""`callcoach jobs` and `callcoach process`: see, retry and run background work."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from qa.cli.common import domain_errors, open_database, progress_bar, safe_url
from qa.db import session_scope
from qa.jobs import service as job_service
from qa.models import JobStatus

jobs_app = typer.Typer(help="List jobs and retry failed ones.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(jobs_app, name="jobs")
    app.command("process")(process)


@jobs_app.command("list")
def list_jobs(
    status: Annotated[list[JobStatus] | None, typer.Option(help="Only jobs with this status.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per job.")] = False,
) -> None:
    """List jobs, oldest first."""
    settings = open_database()
    with session_scope(settings.database_url) as session:
        jobs = [job_service.to_dict(j) for j in job_service.list_jobs(session=session, statuses=status or ())]
    for job in jobs:
        if as_json:
            typer.echo(json.dumps(job))
        else:
            target = f"interaction {job['interaction']}" if job["interaction"] else job["file"]
            error = f"  {job['error']}" if job["error"] else ""
            typer.echo(
                f"{job['id']:>5} {job['kind']:<10} {job['status']:<8} x{job['attempts']} {target}{error}"
            )


@jobs_app.command("retry")
def retry(
    job_ids: Annotated[list[int] | None, typer.Argument(help="Job ids; none means every failed job.")] = None,
) -> None:
    """Retry failed jobs: ingest jobs re-read their file, others go back in the queue."""
    from qa.jobs import runner

    settings = open_database()
    with domain_errors():
        report = runner.retry_failed(settings=settings, job_ids=job_ids or [])
    typer.echo(f"requeued {report.requeued}, re-ingested {report.reingested}, still failing {report.failed}")
    for message in report.errors:
        typer.echo(f"failed: {message}", err=True)
    if report.failed:
        raise typer.Exit(1)


def process(
    limit: Annotated[int | None, typer.Option(help="Stop after this many jobs.")] = None,
) -> None:
    """Run queued jobs: transcribe calls, then sentiment, topic and rubric scoring."""
    from qa.jobs import runner

    settings = open_database()
    with progress_bar("process") as bar:
        report = runner.run_queued(settings=settings, limit=limit, progress=bar)
    if settings.queue_url:
        typer.echo(f"published {report.dispatched} jobs to the workers at {safe_url(settings.queue_url)}")
    else:
        typer.echo(f"processed {report.done}, failed {report.failed}")
    for message in report.errors:
        typer.echo(f"failed: {message}", err=True)
    if report.failed:
        raise typer.Exit(1)
