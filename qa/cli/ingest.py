"""`callcoach ingest`: load recordings and transcripts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from qa.cli.common import err_console, fail, open_database
from qa.db import session_scope
from qa.errors import InputError
from qa.ingestion import service as ingestion
from qa.ingestion.metadata import read_manifest
from qa.jobs import service as job_service


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)


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
    files = list(ingestion.discover_files(paths, exclude=[manifest] if manifest else []))
    if not files:
        fail("no supported files found in " + ", ".join(str(p) for p in paths))
    ingested: list[int] = []
    duplicates = 0
    failed: list[dict[str, str]] = []
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console, transient=True, disable=as_json) as progress:
        task = progress.add_task("ingest", total=len(files))
        for path in files:
            try:
                with session_scope(settings.database_url) as session:
                    outcome = ingestion.ingest_file(
                        session=session, path=path, settings=settings, options=options
                    )
            except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
                message = str(exc) if isinstance(exc, InputError) else f"{path}: {type(exc).__name__}: {exc}"
                failed.append({"file": str(path), "error": message})
                with session_scope(settings.database_url) as session:
                    job_service.record_failed_ingest(
                        session=session, source_path=str(path.resolve()), error=message
                    )
                if not as_json:
                    progress.console.print(f"[red]failed:[/red] {message}", soft_wrap=True)
            else:
                ingested.extend(outcome.ingested)
                duplicates += len(outcome.duplicates)
                if outcome.duplicates and not as_json:
                    ids = ", ".join(str(i) for i in outcome.duplicates)
                    progress.console.print(f"duplicate: {path} (already stored as interaction {ids})")
            progress.advance(task)
    if as_json:
        summary = {
            "ingested": len(ingested),
            "duplicates": duplicates,
            "failed": failed,
            "interactions": ingested,
        }
        typer.echo(json.dumps(summary))
    else:
        typer.echo(f"ingested {len(ingested)}, duplicates {duplicates}, failed {len(failed)}")
    if failed:
        raise typer.Exit(1)
