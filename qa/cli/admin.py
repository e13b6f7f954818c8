"""`callcoach serve`, `ui` and `demo`."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from qa.cli.common import domain_errors, fail, open_database, progress_bar
from qa.config import get_settings

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
        "--client.showErrorDetails", "none",
    ]  # fmt: skip
    raise typer.Exit(run_children([command]))


def demo(
    samples: Annotated[Path, typer.Option(help="The bundled sample data folder.")] = Path("samples"),
    serve_too: Annotated[
        bool, typer.Option("--serve", help="Then serve the API on :8000 and the coaching view on :8501.")
    ] = False,
) -> None:
    """Load the bundled samples, process them and create one demo user per role."""
    from qa import demo as demo_setup

    try:
        configured = get_settings()
    except ValueError as exc:
        fail(f"configuration: {exc}")
    with domain_errors():
        demo_setup.check_allowed(configured)  # before migrating: a production database is left untouched
    settings = open_database()
    with progress_bar("process") as bar:
        demo_setup.run(settings=settings, samples=samples, progress=bar)
    if not serve_too:
        return
    callcoach = [sys.executable, "-m", "qa.cli.main"]
    typer.echo("\nAPI:           http://127.0.0.1:8000/docs")
    typer.echo("coaching view: http://127.0.0.1:8501   (Ctrl-C stops both)")
    servers = [[*callcoach, "serve", "--port", "8000"], [*callcoach, "ui", "--port", "8501"]]
    raise typer.Exit(run_children(servers))


class _Stop(Exception):
    def __init__(self, signum: int) -> None:
        self.signum = signum


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM it when its parent dies, even by SIGKILL (Linux prctl)."""
    # Not Linux: no prctl, but run_children's signal handlers still stop the children on SIGINT/SIGTERM.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def run_children(commands: list[list[str]], grace_seconds: float = 10) -> int:
    """Run these servers until one ends or this process gets SIGINT/SIGTERM; then stop them all.

    Returns the exit code of the child that ended, or 128 + the signal that stopped us.
    """

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise _Stop(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    children: list[subprocess.Popen[bytes]] = []
    code = 0
    try:
        for command in commands:
            children.append(subprocess.Popen(command, preexec_fn=_die_with_parent))
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
        code = next(child.returncode for child in children if child.returncode is not None)
    except _Stop as stopped:
        code = 128 + stopped.signum
    finally:
        # Ignore a second Ctrl-C while the children shut down, so none is left behind.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + grace_seconds
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code
