"""Batch throughput through Celery workers: audio hours processed per wall-clock hour, 1 worker process vs 2.

For each worker count: a fresh PostgreSQL database (`callcoach_bench_tp`) and Redis database (15), the sample
calls ingested, one `callcoach worker --concurrency N` started and waited for until every process has loaded
its models, then every queued job published and the clock run until the last analysis is stored (transcribe
and score, exactly as in production). Each process gets cores/N recognizer threads. The 1-process run is the
baseline; the ratio is the speed-up of 2 processes on this machine.

    .venv/bin/python benchmarks/throughput.py [--workers 1 2] [--timeout 900]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from qa import config as qa_config  # noqa: E402
from qa.db import get_engine, migrate, session_scope  # noqa: E402
from qa.ingestion import service as ingestion  # noqa: E402
from qa.ingestion.metadata import read_manifest  # noqa: E402
from qa.jobs import runner  # noqa: E402
from qa.models import Job, JobStatus, Media  # noqa: E402

ADMIN_URL = os.environ.get("CALLCOACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DB_NAME = "callcoach_bench_tp"
QUEUE_URL = "redis://127.0.0.1:6379/15"
CALLS = ROOT / "samples" / "calls"
CALLCOACH = Path(sys.executable).parent / "callcoach"


def fresh_database() -> str:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
    migrate(url)
    return url


def configure(url: str, media: Path, threads: int) -> None:
    os.environ.update(
        CALLCOACH_DATABASE_URL=url,
        CALLCOACH_QUEUE_URL=QUEUE_URL,
        CALLCOACH_MEDIA_DIR=str(media),
        CALLCOACH_RUBRICS_DIR=str(ROOT / "rubrics"),
        CALLCOACH_WHISPER_THREADS=str(threads),
        HF_HUB_OFFLINE="1",
    )
    qa_config.get_settings.cache_clear()


def ingest_samples() -> float:
    """Ingest the sample calls; returns their audio seconds."""
    settings = qa_config.get_settings()
    options = ingestion.options_from_settings(settings)
    options.manifest = read_manifest(CALLS / "manifest.csv")
    for path in ingestion.discover_files([CALLS], exclude=[CALLS / "manifest.csv"]):
        with session_scope(settings.database_url) as session:
            ingestion.ingest_file(session=session, path=path, settings=settings, options=options)
    with session_scope(settings.database_url) as session:
        return float(session.scalar(select(func.sum(Media.duration_seconds))) or 0)


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


def open_jobs(url: str) -> int:
    with session_scope(url) as session:
        query = select(func.count()).select_from(Job)
        return session.scalar(query.where(Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))) or 0


def run(processes: int, timeout: float) -> tuple[float, float, int]:
    """Audio seconds, wall seconds, failed jobs for one run with `processes` worker processes."""
    url = fresh_database()
    redis.Redis.from_url(QUEUE_URL).flushdb()
    with tempfile.TemporaryDirectory() as scratch:
        configure(url, Path(scratch) / "media", threads=max(1, (os.cpu_count() or 1) // processes))
        audio = ingest_samples()
        log_path = Path(scratch) / "worker.log"
        with log_path.open("wb") as log:
            worker = subprocess.Popen(
                [str(CALLCOACH), "worker", f"--concurrency={processes}"],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            ready = "worker process ready"
            wait_for(lambda: log_path.read_text().count(ready) >= processes, 180, "models to load")
            started = time.perf_counter()
            runner.run_queued(settings=qa_config.get_settings())
            wait_for(lambda: open_jobs(url) == 0, timeout, "the batch")
            wall = time.perf_counter() - started
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        with session_scope(url) as session:
            failed = session.scalar(select(func.count()).where(Job.status == JobStatus.FAILED)) or 0
    get_engine(url).dispose()
    return audio, wall, failed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker process counts")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()

    rates: dict[int, float] = {}
    print(
        f"batch throughput through Celery + Redis + PostgreSQL on {os.cpu_count()} cores (transcribe + score)"
    )
    for processes in args.workers:
        load = os.getloadavg()[0]
        audio, wall, failed = run(processes, args.timeout)
        rates[processes] = audio / wall
        print(
            f"  {processes} worker process(es): {audio / 60:.1f} audio minutes in {wall:.1f} s = "
            f"{rates[processes]:.1f} audio hours per wall hour, {failed} failed jobs "
            f"(load average {load:.1f} before)"
        )
    if 1 in rates:
        for processes, rate in rates.items():
            if processes != 1:
                print(f"  ratio {processes} processes / 1 process: {rate / rates[1]:.2f}")


if __name__ == "__main__":
    main()
