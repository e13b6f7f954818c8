"""API load: 100 concurrent clients listing and filtering interactions on PostgreSQL with 100,000 of them.

Builds a PostgreSQL database (`callcoach_bench_api`, dropped and made again) with 40 agents in 4 teams and
`--interactions` scored interactions (1,000 through the ORM test builders, the rest copied in SQL with shifted
times, scores and review states), starts the API under uvicorn (`--api-workers` processes), logs in as a
supervisor and a manager and has `--clients` concurrent clients send `--requests` requests each, cycling
through the coaching view's list queries. Prints p50/p95/max latency per query and overall, the error count,
and the PostgreSQL plan of each query (EXPLAIN ANALYZE, summarized to the scans it uses) against the same
queries on an empty database as the baseline.

    .venv/bin/python benchmarks/api_load.py [--interactions 100000] [--clients 100] [--requests 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402

from qa import config as qa_config  # noqa: E402
from qa.auth.service import principal_for  # noqa: E402
from qa.db import get_engine, migrate, session_scope  # noqa: E402
from qa.interactions import service as interaction_service  # noqa: E402
from tests.coaching_ui.seed import seed_large  # noqa: E402
from tests.qa.builders import PASSWORD  # noqa: E402

ADMIN_URL = os.environ.get("CALLCOACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DB_NAME = "callcoach_bench_api"
SEEDED_BY_ORM = 1_000

# The coaching view's list queries: (name, user, query parameters).
QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("review queue (pending, priority)", "sam", {"review_status": "pending", "sort": "priority"}),
    ("newest, all interactions", "mgr", {"sort": "newest"}),
    ("one agent, 13 weeks", "mgr", {"agent": "agent07", "start": "2026-06-01", "end": "2026-08-31"}),
    ("topic, newest", "sam", {"topic": "potholes", "sort": "newest"}),
    ("calls ending negative", "mgr", {"channel": "call", "sentiment": "negative"}),
    ("low scores", "mgr", {"max_score": 60, "sort": "score"}),
    ("auto-fails", "sam", {"auto_fail": "true", "sort": "newest"}),
]

COPY_INTERACTIONS = """
INSERT INTO interaction (channel, source, external_id, agent_id, started_at, duration_seconds, queue, csat,
    raw_metadata, no_speech, topic, customer_sentiment_end, processed_at, created_at)
SELECT i.channel, i.source, i.external_id || '-' || k, i.agent_id,
    i.started_at + make_interval(mins => ((k * 7919 + i.id * 104729) % 262080) - 131040),
    i.duration_seconds, i.queue, i.csat, '{}'::jsonb, false, i.topic,
    round((random() * 2 - 1)::numeric, 2), i.processed_at, now()
FROM interaction i CROSS JOIN generate_series(1, :copies) AS k
WHERE i.id <= :base
"""
COPY_EVALUATIONS = """
INSERT INTO evaluation (interaction_id, rubric_version_id, total, auto_fail, is_current, review_status,
    sections, created_at)
SELECT i.id, (SELECT min(id) FROM rubric_version), round((35 + random() * 65)::numeric, 1),
    random() < 0.03, true, (ARRAY['pending', 'pending', 'reviewed'])[1 + floor(random() * 3)::int],
    '[]'::jsonb, now()
FROM interaction i
WHERE NOT EXISTS (SELECT 1 FROM evaluation e WHERE e.interaction_id = i.id)
"""


def database_url(name: str) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def fresh_database(name: str) -> str:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = database_url(name)
    migrate(url)
    return url


def use_database(url: str) -> None:
    os.environ["CALLCOACH_DATABASE_URL"] = url
    qa_config.get_settings.cache_clear()


def build(url: str, interactions: int) -> float:
    """Seed the database; returns the seconds it took."""
    started = time.perf_counter()
    use_database(url)
    base = min(SEEDED_BY_ORM, interactions)
    with session_scope(url) as session:
        seed_large(session, count=base)
    copies = (interactions - base) // base if base else 0
    with session_scope(url) as session:
        if copies:
            session.execute(text(COPY_INTERACTIONS), {"copies": copies, "base": base})
            session.execute(text(COPY_EVALUATIONS))
    with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def api_server(url: str, workers: int):  # type: ignore[no-untyped-def]
    port = free_port()
    env = {
        **os.environ,
        "CALLCOACH_DATABASE_URL": url,
        "CALLCOACH_ENVIRONMENT": "test",
        "CALLCOACH_SECRET_KEY": "benchmark-secret-key-not-a-placeholder",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "qa.api.app:app",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    command += ["--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the API did not start")
            time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(20)


async def run_load(base: str, clients: int, requests: int) -> tuple[dict[str, list[float]], int, float]:
    """Latencies (ms) per query name, the error count and the wall seconds."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        tokens: dict[str, str] = {}
        for user in {u for _, u, _ in QUERIES}:
            answer = await http.post("/api/auth/token", data={"username": user, "password": PASSWORD})
            answer.raise_for_status()
            tokens[user] = answer.json()["access_token"]
        latencies: dict[str, list[float]] = defaultdict(list)
        errors = 0

        async def client(number: int) -> None:
            nonlocal errors
            for n in range(requests):
                name, user, params = QUERIES[(number + n) % len(QUERIES)]
                started = time.perf_counter()
                try:
                    answer = await http.get(
                        "/api/interactions",
                        params={**params, "limit": 50},
                        headers={"Authorization": f"Bearer {tokens[user]}"},
                    )
                    ok = answer.status_code == 200 and "items" in answer.json()
                except httpx.HTTPError:
                    ok = False
                latencies[name].append((time.perf_counter() - started) * 1000)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(clients)))
        return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def explain(url: str) -> dict[str, tuple[str, float]]:
    """Per query: the scans of its main SELECT (EXPLAIN ANALYZE) and the execution time in ms."""
    use_database(url)
    engine = get_engine(url)
    captured: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):  # type: ignore[no-untyped-def]
        captured.append((statement, parameters))

    plans: dict[str, tuple[str, float]] = {}
    for name, user, params in QUERIES:
        filters = {k: v for k, v in params.items() if k != "sort"}
        if "auto_fail" in filters:
            filters["auto_fail"] = filters["auto_fail"] == "true"
        for key in ("start", "end"):
            if key in filters:
                filters[key] = date.fromisoformat(filters[key])
        captured.clear()
        event.listen(engine, "before_cursor_execute", capture)
        try:
            with session_scope(url) as session:
                principal = principal_for(session=session, username=user)
                assert principal is not None
                interaction_service.list_interactions(
                    session=session,
                    principal=principal,
                    filters=interaction_service.InteractionFilters(**filters),
                    sort=params.get("sort", "newest"),
                    limit=50,
                )
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statements = [(s, p) for s, p in captured if "FROM interaction" in s]
        summary, total_ms = [], 0.0
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement, parameters in statements:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                total_ms += float(re.search(r"Execution Time: ([\d.]+)", plan).group(1))  # type: ignore[union-attr]
                kind = "count" if "count(" in statement.lower() else "page"
                summary.append(f"{kind}: " + ", ".join(scans(plan)))
        finally:
            raw.close()
        plans[name] = ("; ".join(summary), total_ms)
    return plans


def scans(plan: str) -> list[str]:
    """The scan nodes of a plan: `index ix_interaction_started_at`, `seq interaction`, ..."""
    found = []
    for match in re.finditer(
        r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?"
        r"(?: using (\w+))?(?: on (\w+))?",
        plan,
    ):
        node, index, table = match.groups()
        label = {"Seq Scan": "seq", "Index Only Scan": "index-only", "Bitmap Index Scan": "bitmap"}.get(
            node, "index"
        )
        found.append(f"{label} {index or table}")
    return list(dict.fromkeys(found))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--api-workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    url = fresh_database(DB_NAME)
    seconds = build(url, args.interactions)
    with session_scope(url) as session:
        stored = session.scalar(text("SELECT count(*) FROM interaction"))
    print(f"database: {stored:,} interactions on PostgreSQL, built in {seconds:.0f} s")
    with api_server(url, args.api_workers) as base:
        asyncio.run(run_load(base, clients=10, requests=3))  # warm-up: connections, caches
        # Baseline: one client alone, so the service time shows apart from the queueing under load.
        alone, _, _ = asyncio.run(run_load(base, clients=1, requests=5 * len(QUERIES)))
        latencies, errors, wall = asyncio.run(run_load(base, args.clients, args.requests))
    everything = [ms for values in latencies.values() for ms in values]
    print(
        f"\n{args.clients} concurrent clients, {len(everything)} requests in {wall:.1f} s "
        f"({len(everything) / wall:.0f} requests/s), {args.api_workers} API worker processes"
    )
    header = (
        f"  {'query':36s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'1 client p50':>13s} {'ratio':>6s}"
    )
    print(header)
    for name, _, _ in QUERIES:
        values, single = latencies[name], percentile(alone[name], 0.5)
        p50 = percentile(values, 0.5)
        print(
            f"  {name:36s} {p50:8.0f} {percentile(values, 0.95):8.0f} {max(values):8.0f}"
            f" {single:13.0f} {p50 / single:6.1f}"
        )
    p50, p95 = percentile(everything, 0.5), percentile(everything, 0.95)
    single = percentile([ms for values in alone.values() for ms in values], 0.5)
    print(f"  {'all':36s} {p50:8.0f} {p95:8.0f} {max(everything):8.0f} {single:13.0f} {p50 / single:6.1f}")
    print(f"  errors: {errors}")

    print(
        "\nquery plans (EXPLAIN ANALYZE): execution ms of page + count, and on a database"
        " without interactions:"
    )
    plans = explain(url)
    empty = fresh_database(DB_NAME + "_empty")
    build(empty, 0)  # the users only
    baseline = explain(empty)
    for name, (summary, ms) in plans.items():
        print(f"  {name:36s} {ms:7.1f} ms (empty: {baseline[name][1]:.1f} ms)  {summary}")
    seq = [
        name
        for name, (summary, _) in plans.items()
        if "seq interaction" in summary or "seq evaluation" in summary
    ]
    print(f"  queries with a sequential scan of a large table: {', '.join(seq) or 'none'}")
    for name in (DB_NAME, DB_NAME + "_empty"):
        get_engine(database_url(name)).dispose()
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
