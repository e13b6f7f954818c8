"""`callcoach transcribe`, `analyze` and `rescore`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from qa.cli.common import domain_errors, fail, open_database, progress_bar
from qa.config import get_settings


def register(app: typer.Typer) -> None:
    app.command("transcribe")(transcribe)
    app.command("analyze")(analyze)
    app.command("rescore")(rescore)


def transcribe(
    file: Annotated[Path, typer.Argument(help="A call recording (wav, mp3, flac, ogg, m4a).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object.")] = False,
) -> None:
    """Transcribe one recording into speaker turns with times and call metrics (nothing is stored)."""
    from qa.jobs.ml_models import engine_options
    from transcription import TranscriptionError, transcribe_file

    try:
        transcript = transcribe_file(file, engine_options(get_settings()))
    except TranscriptionError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(transcript.to_dict()))
        return
    for turn in transcript.turns:
        typer.echo(f"[{turn.start:7.2f}-{turn.end:7.2f}] {turn.speaker:<8} {turn.text}")
    if transcript.no_speech:
        typer.echo("(no speech found)")
    for key, value in transcript.metrics.items():
        typer.echo(f"{key:<28} {value:g}")


def analyze(
    path: Annotated[Path, typer.Argument(help="A recording or a transcript file (json, jsonl, csv, txt).")],
    rubric: Annotated[
        Path | None, typer.Option(help="Rubric YAML; default: the one configured for the channel.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object.")] = False,
) -> None:
    """Transcribe (if audio), then sentiment, topic and rubric score of one file; nothing is stored."""
    from qa.jobs import analysis

    with domain_errors():
        report = analysis.analyze_file(settings=get_settings(), path=path, rubric_path=rubric)
    if as_json:
        typer.echo(json.dumps(report))
        return
    score = report["score"]
    verdict = " (AUTO-FAIL)" if score["auto_fail"] else ""
    typer.echo(f"{path.name}: {report['channel']}, topic {report['topic']}, score {score['total']}{verdict}")
    typer.echo(f"rubric {score['rubric']} version {score['rubric_version']}")
    for criterion in score["criteria"]:
        evidence = criterion["evidence"][0]["text"] if criterion["evidence"] else ""
        typer.echo(f"  {criterion['id']:<22} {criterion['result']:<8} {criterion['points']:g}/"
                   f"{criterion['max_points']:g}  {evidence[:70]}")  # fmt: skip


def rescore(
    rubric: Annotated[str, typer.Option(help="Rubric id, e.g. public_works_call.")],
    since: Annotated[
        date | None, typer.Option(formats=["%Y-%m-%d"], help="Only interactions from this day.")
    ] = None,
) -> None:
    """Re-score stored interactions with the current version of a rubric; old evaluations stay as history."""
    from qa.jobs import rescoring

    settings = open_database()
    with domain_errors(), progress_bar("rescore") as bar:
        report = rescoring.rescore(settings=settings, rubric_id=rubric, since=since, progress=bar)
    typer.echo(f"re-scored {report.done} interactions with {rubric}@{report.version}, failed {report.failed}")
    for message in report.errors:
        typer.echo(f"failed: {message}", err=True)
    if report.failed:
        raise typer.Exit(1)
