"""`callcoach ingest`: load recordings and transcripts.

Large batches stream: one file per transaction, nothing kept per file but its new ids, a progress bar with
rate and ETA. Interrupted and started again, files already stored are recognized (by content hash or
external id) and skipped as duplicates. With CALLCOACH_QUEUE_URL set, each file's jobs are published to the
workers as soon as it is stored, so processing starts while the batch is still being read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from qa.cli.common import err_console, fail, open_database, say
from qa.config import Settings
from qa.errors import InputError
from qa.ingestion import service as ingestion
from qa.ingestion.metadata import read_manifest
from qa.jobs.executors import Executor, get_executor


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


@dataclass(slots=True)
class BatchTally:
    ingested: list[int] = field(default_factory=list)
    duplicates: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    files_done: int = 0


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    manifest: Annotated[
        Path | None, typer.Option(help="CSV of call metadata: file, external_id, agent, started_at, ...")
    ] = None,
    strict_agents: Annotated[bool, typer.Option(help="Refuse files whose agent is not known yet.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of lines.")] = False,
) -> None:
    """Ingest call recordings (wav, mp3, flac, ogg, m4a) and transcripts (json, jsonl, csv, txt)."""
    settings = open_database()
    options = ingestion.options_from_settings(settings, strict_agents=strict_agents)
    if manifest is not None:
        try:
            options.manifest = read_manifest(manifest)
        except InputError as exc:
            fail(str(exc))
    # Paths only (a few hundred bytes each): the files themselves are read one at a time.
    files = list(ingestion.discover_files(paths, exclude=[manifest] if manifest else []))
    if not files:
        fail("no supported files found in " + ", ".join(str(p) for p in paths))
    tally = BatchTally()
    executor = get_executor(settings)
    columns = (
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=err_console, transient=True, disable=as_json) as progress:
            task = progress.add_task("ingest", total=len(files))
            for path in files:
                _ingest_one(path, settings, options, executor, tally, progress, as_json)
                progress.advance(task)
    except KeyboardInterrupt:
        say(
            err_console,
            f"interrupted after {tally.files_done} of {len(files)} files ({len(tally.ingested)} ingested); "
            "run the same command again to go on: files already stored are skipped as duplicates",
        )
        raise typer.Exit(130) from None
    if as_json:
        summary = {
            "ingested": len(tally.ingested),
            "duplicates": tally.duplicates,
            "failed": tally.failed,
            "interactions": tally.ingested,
        }
        typer.echo(json.dumps(summary))
    else:
        counts = f"ingested {len(tally.ingested)}, duplicates {tally.duplicates}, failed {len(tally.failed)}"
        typer.echo(counts)
    if tally.failed:
        raise typer.Exit(1)


def _ingest_one(
    path: Path,
    settings: Settings,
    options: ingestion.IngestOptions,
    executor: Executor,
    tally: BatchTally,
    progress: Progress,
    as_json: bool,
) -> None:
    """Ingest one file in its own transaction, then hand its new jobs to the executor."""
    outcome = ingestion.ingest_one(settings=settings, path=path, options=options)
    if outcome.failure is not None:
        tally.failed.append({"file": str(path), "error": outcome.error})
        if not as_json:
            say(progress.console, outcome.error, label="failed:", style="red")
    else:
        tally.ingested.extend(outcome.ingested)
        tally.duplicates += len(outcome.duplicates)
        if outcome.duplicates and not as_json:
            ids = ", ".join(str(i) for i in outcome.duplicates)
            say(progress.console, f"duplicate: {path} (already stored as interaction {ids})")
        if executor.remote and outcome.ingested:
            from qa.jobs import runner

            runner.hand_over_interactions(settings, outcome.ingested)
    tally.files_done += 1
