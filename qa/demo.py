"""`callcoach demo`: the bundled samples loaded, processed, and one demo user per role."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from qa.cli.common import say
from qa.config import Settings
from qa.db import session_scope
from qa.errors import Conflict, PermissionDenied
from qa.ingestion import service as ingestion
from qa.ingestion.metadata import read_manifest
from qa.jobs import runner
from qa.models import Role
from qa.users import service as user_service

console = Console(highlight=False)

# Demo credentials are printed on purpose: this is sample data on a local machine.
DEMO_USERS = (
    ("admin", Role.ADMIN, None, None, "admin-demo-pw"),
    ("manager", Role.MANAGER, None, None, "manager-demo-pw"),
    ("supervisor", Role.SUPERVISOR, None, "north", "supervisor-demo-pw"),
    ("maria", Role.AGENT, "maria.g", None, "agent-demo-pw"),
)


def check_allowed(settings: Settings) -> None:
    """Refuse (PermissionDenied) outside development: the demo users have published passwords."""
    if settings.environment != "development":
        raise PermissionDenied(
            f"callcoach demo creates users with published passwords (admin / admin-demo-pw); it runs only "
            f"with CALLCOACH_ENVIRONMENT=development, not {settings.environment}"
        )


def run(*, settings: Settings, samples: Path, progress: runner.ProgressSink | None = None) -> None:
    """Ingest, process and set up users; safe to run again (nothing is duplicated). Development only."""
    check_allowed(settings)
    calls, transcripts = samples / "calls", samples / "transcripts"
    options = ingestion.options_from_settings(settings)
    manifest = calls / "manifest.csv"
    if manifest.exists():
        options.manifest = read_manifest(manifest)
    files = list(ingestion.discover_files([calls, transcripts], exclude=[manifest]))
    new = duplicates = 0
    with console.status("ingesting samples"):
        for path in files:
            outcome = ingestion.ingest_one(settings=settings, path=path, options=options)
            if outcome.failure is not None:
                say(console, outcome.error, label="failed:", style="red")
            new += len(outcome.ingested)
            duplicates += len(outcome.duplicates)
    console.print(f"samples: {new} ingested, {duplicates} already there")
    report = runner.run_queued(settings=settings, progress=progress)
    console.print(f"processed {report.done} jobs, failed {report.failed}")
    for message in report.errors:
        say(console, message, label="failed:", style="red")
    _ensure_users(settings)


def _ensure_users(settings: Settings) -> None:
    console.print("\ndemo users (username / password):")
    for username, role, agent, team, password in DEMO_USERS:
        try:
            with session_scope(settings.database_url) as session:
                user_service.create_user(
                    session=session, username=username, password=password, role=role, agent=agent, team=team
                )
        except Conflict:
            pass
        console.print(f"  {role.value:<10} {username:<11} {password}")
