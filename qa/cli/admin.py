"""`callcoach serve`, `ui` and `demo`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from qa.cli.common import open_database

UI_SCRIPT = Path(__file__).resolve().parents[2] / "coaching_ui" / "streamlit_app.py"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("ui")(ui)
    app.command("demo")(demo)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    open_database()
    uvicorn.run("qa.api.app:app", host=host, port=port, log_level="info")


def ui(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
) -> None:
    """Run the Streamlit coaching view."""
    open_database()
    command = [
        sys.executable, "-m", "streamlit", "run", str(UI_SCRIPT),
        "--server.address", host, "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer",
    ]  # fmt: skip
    raise typer.Exit(subprocess.call(command, env=os.environ.copy()))


def demo(
    samples: Annotated[Path, typer.Option(help="The bundled sample data folder.")] = Path("samples"),
    serve_too: Annotated[
        bool, typer.Option("--serve", help="Then serve the API on :8000 and the coaching view on :8501.")
    ] = False,
) -> None:
    """Load the bundled samples, process them and create one demo user per role."""
    from qa import demo as demo_setup

    settings = open_database()
    demo_setup.run(settings=settings, samples=samples)
    if not serve_too:
        return
    callcoach = [sys.executable, "-m", "qa.cli.main"]
    api = subprocess.Popen([*callcoach, "serve", "--port", "8000"])
    view = subprocess.Popen([*callcoach, "ui", "--port", "8501"])
    typer.echo("\nAPI:           http://127.0.0.1:8000/docs")
    typer.echo("coaching view: http://127.0.0.1:8501   (Ctrl-C stops both)")
    try:
        api.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (api, view):
            process.terminate()
