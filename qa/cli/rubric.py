"""`callcoach rubric`: validate rubric files and run the test cases they carry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from qa.cli.common import fail, plain, say
from qa.config import get_settings
from scoring.rubric import Rubric, RubricInvalid, load_rubric, run_rubric_tests, shipped_rubric_paths

rubric_app = typer.Typer(help="Validate rubric files and run their test cases.", no_args_is_help=True)
console = Console(highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(rubric_app, name="rubric")


def _paths(path: Path | None) -> list[Path]:
    if path is None:
        from qa.jobs import ml_models

        return ml_models.rubric_paths(get_settings())
    if path.is_dir():
        return shipped_rubric_paths(path)
    return [path]


def _load(path: Path) -> Rubric:
    try:
        return load_rubric(path)
    except RubricInvalid as exc:
        raise fail(str(exc)) from None


@rubric_app.command("validate")
def validate(path: Annotated[Path, typer.Argument(help="A rubric YAML file.")]) -> None:
    """Check a rubric file against the schema; prints its id and version."""
    rubric = _load(path)
    spec = rubric.spec
    typer.echo(
        f"ok: {path}: {spec.id} version {rubric.version}, {len(spec.sections)} sections, "
        f"{len(spec.criteria())} criteria, {len(spec.tests)} test cases"
    )


@rubric_app.command("test")
def test(
    path: Annotated[
        Path | None,
        typer.Argument(help="A rubric file or folder (default: the configured rubrics folder)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show passing checks too.")] = False,
) -> None:
    """Run the test cases in rubric files; exits non-zero when an expectation fails."""
    from qa.jobs import ml_models

    settings = get_settings()
    paths = _paths(path)
    if not paths:
        raise fail(f"no rubric files at {path or ml_models.rubrics_folder(settings)}")
    encoder = ml_models.encoder(settings)  # the encoder the pipeline scores with (int8 by default)
    failed = 0
    for p in paths:
        report = run_rubric_tests(_load(p), encoder=encoder)
        table = Table(title=plain(f"{report.rubric} {report.version} ({p})"), title_justify="left")
        for column in ("", "case", "criterion", "expected", "actual", "conf.", "evidence"):
            table.add_column(column, overflow="fold")
        for check in report.checks:
            if check.ok and not verbose:
                continue
            mark = "[green]ok[/green]" if check.ok else "[red]FAIL[/red]"
            conf = "" if check.confidence is None else f"{check.confidence:.2f}"
            cells = (check.case, check.criterion, check.expected, check.actual, conf, check.evidence)
            table.add_row(mark, *(plain(str(c)) for c in cells))
        if table.row_count:
            console.print(table)
        passed = len(report.checks) - len(report.failures)
        colour = "green" if report.ok else "red"
        say(console, f"{report.rubric}: {passed} passed, {len(report.failures)} failed", style=colour)
        failed += len(report.failures)
    if failed:
        raise typer.Exit(1)
