"""`callcoach sentiment`: score one text per line from stdin with the configured (or given) backend."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Annotated

import typer

from qa.cli.common import fail
from qa.config import get_settings

_BATCH = 256


def register(app: typer.Typer) -> None:
    app.command("sentiment")(sentiment)


def _batches(lines: Iterator[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        batch.append(text)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def sentiment(
    backend: Annotated[
        str | None, typer.Option(help="embedded, transformers or vader; default: the configured one.")
    ] = None,
    model: Annotated[
        str | None, typer.Option(help="transformers: model folder or hub name; embedded: head weights file.")
    ] = None,
    labels: Annotated[
        str | None,
        typer.Option(help='transformers: class labels in id order, e.g. "negative,neutral,positive".'),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Read one text per line on stdin; print its sentiment score in [-1, 1] and label."""
    from qa.jobs import ml_models
    from scoring.sentiment import BACKEND_NAMES, UnknownSentimentBackend

    settings = get_settings()
    name = backend or settings.sentiment_backend
    if name not in BACKEND_NAMES:
        fail(f"unknown sentiment backend {name!r}; choose one of {', '.join(BACKEND_NAMES)}")
    try:
        # The backend (and, for the embedded one, the encoder) the pipeline scores with.
        scorer = ml_models.sentiment_backend(settings, name, model, labels)
    except (UnknownSentimentBackend, OSError) as exc:
        fail(f"sentiment backend {name}: {exc}")
    for batch in _batches(iter(sys.stdin)):
        for text, result in zip(batch, scorer.score(batch), strict=True):
            if as_json:
                typer.echo(json.dumps({"text": text, "score": round(result.score, 4), "label": result.label}))
            else:
                typer.echo(f"{result.score:+.2f}\t{result.label:<8}\t{text}")
        sys.stdout.flush()
