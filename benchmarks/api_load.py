"""API load: 100 concurrent clients listing, uploading and sending bad input; 100,000 interactions.

Builds a PostgreSQL database (`callcoach_bench_api`, dropped and made again) with 40 agents in 4 teams and
`--interactions` scored interactions (1,000 through the ORM test builders, the rest copied in SQL with shifted
times, scores and review states), starts the API under uvicorn (`--api-workers` processes), logs in as a
supervisor, a manager and an agent and has `--clients` concurrent clients send `--requests` requests each,
cycling through a mix (`PROBES`): the coaching view's list queries, valid uploads (a chat transcript and a
short recording, each new) and bad input that must be refused with its own 4xx: corrupt audio, an empty file,
malformed JSON, a body over the upload limit (with Content-Length, and chunked without one), a non-finite
number, too many turns, no token, a forged token, reads and writes outside the caller's scope, bad query
parameters. Any 5xx, any other status than the expected one and any broken connection is a failure.

Uploads go to a Redis queue (`CALLCOACH_QUEUE_URL`, keys under their own prefix, removed at the end), as in a
deployment: without a queue the API would run their jobs (transcription, scoring) in its own process after
answering. No worker consumes the queue here, so the jobs stay queued and the API does only its own work.

While the API runs, the resident memory (RSS, from /proc) of the uvicorn process and its workers is sampled;
the peak total must stay under `--rss-bound-mb` (default: 600 MB per API worker).

Prints per kind of request p50/p95/max latency and the status codes, 5xx and mismatch counts, the peak RSS
per process against the bound, the jobs the uploads queued, and the PostgreSQL plan of each list query
(EXPLAIN ANALYZE, summarized to the scans it uses) against the same queries on an empty database as the
baseline. Exits non-zero when a request failed or the memory passed the bound.

    .venv/bin/python benchmarks/api_load.py [--interactions 100000] [--clients 100] [--requests 20]
        [--api-workers 2] [--rss-bound-mb 1200]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import itertools
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402

from qa import config as qa_config  # noqa: E402
from qa.auth.service import principal_for  # noqa: E402
from qa.db import get_engine, migrate, session_scope  # noqa: E402
from qa.interactions import service as interaction_service  # noqa: E402
from qa.security import create_access_token  # noqa: E402
from tests.coaching_ui.seed import AGENTS, TEAMS, seed_large  # noqa: E402
from tests.qa.builders import PASSWORD  # noqa: E402

ADMIN_URL = os.environ.get("CALLCOACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DB_NAME = "callcoach_bench_api"
SEEDED_BY_ORM = 1_000
# Uploads are queued here for workers that never come: the API publishes, nobody transcribes.
QUEUE_URL = os.environ.get("CALLCOACH_BENCH_QUEUE_URL", "redis://127.0.0.1:6379/14")
QUEUE_PREFIX = "callcoach-bench-api-load:"
# A small upload limit, so that bodies over it cost the clients little; the server's rule is the same.
MAX_UPLOAD_BYTES = 1024 * 1024
# Per API worker process: 1.5 times the measured peak of 389 MB (2 workers, 20,000 interactions, 100
# clients, 3,000 requests; docs/security.md, "Load"), rounded up; the supervisor's 40 MB fit in the margin.
RSS_BOUND_PER_WORKER_MB = 600
SAMPLES = ROOT / "samples"
# sam supervises team North; uploads name an agent of North, the scope probes read an interaction of South.
SAM_TEAM = "North"
UPLOAD_AGENT = next(a for n, a in enumerate(AGENTS) if TEAMS[n % len(TEAMS)] == SAM_TEAM and n)
OTHER_TEAM_AGENT = next(a for n, a in enumerate(AGENTS) if TEAMS[n % len(TEAMS)] != SAM_TEAM)
USERS = ("sam", "mgr", "maria")  # supervisor, manager, agent

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


def configure_server(media_dir: Path) -> None:
    """The settings of the API under test, in this process's environment, which the server inherits."""
    os.environ.update(
        CALLCOACH_ENVIRONMENT="test",
        CALLCOACH_SECRET_KEY="benchmark-secret-key-not-a-placeholder",
        CALLCOACH_QUEUE_URL=QUEUE_URL,
        CALLCOACH_QUEUE_KEY_PREFIX=QUEUE_PREFIX,
        CALLCOACH_MEDIA_DIR=str(media_dir),
        CALLCOACH_MAX_UPLOAD_BYTES=str(MAX_UPLOAD_BYTES),
    )
    qa_config.get_settings.cache_clear()


def clear_queue() -> None:
    queue = redis.Redis.from_url(QUEUE_URL)
    for key in queue.scan_iter(match=QUEUE_PREFIX + "*"):
        queue.delete(key)


@contextmanager
def api_server(url: str, workers: int) -> Iterator[tuple[str, int]]:
    """The API under uvicorn: its base URL and the pid of the uvicorn process."""
    port = free_port()
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
    env = {**os.environ, "CALLCOACH_DATABASE_URL": url}
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
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(20)


# --- memory ----------------------------------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants (uvicorn's workers, multiprocessing's helpers), from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children[pid])
    return tree


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process (VmRSS), None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def process_label(pid: int, root: int) -> str:
    if pid == root:
        return "uvicorn (supervisor)"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    return "resource tracker" if "resource_tracker" in command else "API worker"


class RssSampler(threading.Thread):
    """Samples the RSS of a process tree every `every` seconds: the peak per process and of the sum."""

    def __init__(self, root: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.root, self.every = root, every
        self.stopped = threading.Event()
        self.peak: dict[int, float] = {}
        self.first: dict[int, float] = {}
        self.labels: dict[int, str] = {}
        self.peak_total = 0.0
        self.totals: list[float] = []
        self._tree: list[int] = []
        self._tree_at = 0.0

    def sample(self) -> float:
        """Sample now; returns the total MB."""
        if time.monotonic() - self._tree_at > 1:  # new workers (a restart) show up within a second
            self._tree, self._tree_at = process_tree(self.root), time.monotonic()
        total = 0.0
        for pid in self._tree:
            size = rss_mb(pid)
            if size is None:
                continue
            if pid not in self.labels:
                self.labels[pid] = process_label(pid, self.root)
                self.first[pid] = size
            self.peak[pid] = max(self.peak.get(pid, 0.0), size)
            total += size
        self.peak_total = max(self.peak_total, total)
        self.totals.append(total)
        return total

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self.stopped.set()
        self.join()


# --- the requests: what each kind sends and the statuses it must get --------------------------------------


@dataclass(slots=True)
class Fixtures:
    """What the probes need: tokens, an interaction outside sam's team, the limits the server applies."""

    tokens: dict[str, str]
    other_team_interaction: int
    max_upload_bytes: int
    max_turns: int
    uploads: Iterator[int] = field(default_factory=itertools.count)

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}


Send = Callable[[httpx.AsyncClient, Fixtures], Awaitable[httpx.Response]]


@dataclass(frozen=True, slots=True)
class Probe:
    """One kind of request: how to send it, the status it must get and the JSON key its answer carries."""

    kind: str
    send: Send
    expected: int
    key: str


def query_probe(name: str, user: str, params: dict[str, Any]) -> Probe:
    def send(http: httpx.AsyncClient, fx: Fixtures) -> Awaitable[httpx.Response]:
        return http.get("/api/interactions", params={**params, "limit": 50}, headers=fx.auth(user))

    return Probe(name, send, 200, "items")


def chat_transcript(external_id: str, **changes: Any) -> dict[str, Any]:
    """A sample chat, made new (its own external id) and given to an agent of sam's team."""
    chat = json.loads((SAMPLES / "transcripts" / "chat-1001.json").read_text(encoding="utf-8"))
    chat.pop("team")
    return {**chat, "external_id": external_id, "agent": UPLOAD_AGENT, **changes}


@cache
def short_recording() -> bytes:
    """The first 3 s of a sample call (8 kHz stereo WAV, 94 KB)."""
    with wave.open(str(SAMPLES / "calls" / "call_07_pothole_repeat.wav"), "rb") as source:
        params = source.getparams()
        frames = source.readframes(3 * params.framerate)
    out = io.BytesIO()
    with wave.open(out, "wb") as target:
        target.setparams(params)
        target.writeframes(frames)
    return out.getvalue()


def upload(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    name: str,
    content: bytes,
    metadata: dict[str, Any] | None = None,
) -> Awaitable[httpx.Response]:
    data = {"metadata": json.dumps(metadata)} if metadata else None
    return http.post("/api/interactions", files={"file": (name, content)}, data=data, headers=headers)


def upload_chat(http: httpx.AsyncClient, fx: Fixtures) -> Awaitable[httpx.Response]:
    number = next(fx.uploads)
    content = json.dumps(chat_transcript(f"load-chat-{number}")).encode()
    return upload(http, fx.auth("sam"), f"load-chat-{number}.json", content)


def upload_recording(http: httpx.AsyncClient, fx: Fixtures) -> Awaitable[httpx.Response]:
    number = next(fx.uploads)
    # A different last sample each time: a new recording, not a duplicate (same sha256) of the first.
    content = short_recording()[:-4] + number.to_bytes(4, "little")
    metadata = {
        "agent": UPLOAD_AGENT,
        "external_id": f"load-call-{number}",
        "started_at": "2026-07-01T09:00Z",
    }
    return upload(http, fx.auth("sam"), f"load-call-{number}.wav", content, metadata)


def upload_chunked(http: httpx.AsyncClient, fx: Fixtures, total: int) -> Awaitable[httpx.Response]:
    """A multipart body of `total` bytes sent chunked, without Content-Length."""
    boundary = "callcoach-load-boundary"

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.json"\r\n'
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        chunk = b" " * (64 * 1024)
        for _ in range(total // len(chunk) + 1):
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {**fx.auth("sam"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    return http.post("/api/interactions", content=body(), headers=headers)


def too_many_turns(fx: Fixtures) -> bytes:
    turns = [{"speaker": "agent", "text": "hello", "offset": n} for n in range(fx.max_turns + 1)]
    return json.dumps(chat_transcript("load-too-long", turns=turns)).encode()


FORGED_TOKEN = create_access_token(subject="mgr", secret="not-the-server-key-" + "x" * 32, minutes=60)

PROBES: list[Probe] = [query_probe(*query) for query in QUERIES] + [
    Probe("upload: chat transcript", upload_chat, 201, "interactions"),
    Probe("upload: recording (wav)", upload_recording, 201, "interactions"),
    Probe(
        "bad: corrupt audio",
        lambda http, fx: upload(http, fx.auth("sam"), "corrupt.ogg", b"OggS" + os.urandom(4096)),
        422,
        "detail",
    ),
    Probe("bad: empty file", lambda http, fx: upload(http, fx.auth("sam"), "empty.json", b""), 422, "detail"),
    Probe(
        "bad: malformed JSON",
        lambda http, fx: upload(http, fx.auth("sam"), "broken.json", b'{"turns": [{"speaker": '),
        422,
        "detail",
    ),
    Probe(
        "bad: unsupported type",
        lambda http, fx: upload(http, fx.auth("sam"), "run.exe", b"MZ" + b"\0" * 64),
        415,
        "detail",
    ),
    Probe(
        "bad: over the limit (Content-Length)",
        lambda http, fx: upload(http, fx.auth("sam"), "huge.json", b" " * (fx.max_upload_bytes + 1)),
        413,
        "detail",
    ),
    Probe(
        "bad: over the limit (chunked)",
        lambda http, fx: upload_chunked(http, fx, 2 * fx.max_upload_bytes),
        413,
        "detail",
    ),
    Probe(
        "bad: offset Infinity",
        lambda http, fx: upload(
            http,
            fx.auth("sam"),
            "infinite.json",
            json.dumps(
                chat_transcript("load-infinite", turns=[{"speaker": "agent", "text": "hi", "offset": 1e999}])
            ).encode(),
        ),
        422,
        "detail",
    ),
    Probe(
        "bad: too many turns",
        lambda http, fx: upload(http, fx.auth("sam"), "long.json", too_many_turns(fx)),
        422,
        "detail",
    ),
    Probe("bad: no token", lambda http, fx: http.get("/api/interactions"), 401, "detail"),
    Probe(
        "bad: forged token (upload)",
        lambda http, fx: upload(http, {"Authorization": f"Bearer {FORGED_TOKEN}"}, "chat.json", b"{}"),
        401,
        "detail",
    ),
    Probe(
        "scope: other team's interaction",
        lambda http, fx: http.get(f"/api/interactions/{fx.other_team_interaction}", headers=fx.auth("sam")),
        404,
        "detail",
    ),
    Probe(
        "scope: agent reads the audit log",
        lambda http, fx: http.get("/api/audit", headers=fx.auth("maria")),
        403,
        "detail",
    ),
    Probe(
        "scope: agent uploads",
        lambda http, fx: upload(http, fx.auth("maria"), "chat.json", b"{}"),
        403,
        "detail",
    ),
    Probe(
        "bad params: limit=0, date",
        lambda http, fx: http.get(
            "/api/interactions", params={"limit": 0, "start": "yesterday"}, headers=fx.auth("mgr")
        ),
        422,
        "detail",
    ),
    Probe(
        "bad params: id 10^25",
        lambda http, fx: http.get(f"/api/interactions/{10**25}", headers=fx.auth("mgr")),
        422,
        "detail",
    ),
]


@dataclass(slots=True)
class LoadResult:
    """What a run got: latencies (ms) and status codes per kind, the failures, and the wall seconds."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    failures: Counter[str] = field(default_factory=Counter)
    stored: int = 0  # interactions the uploads stored
    wall: float = 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for counts in self.statuses.values() for code, n in counts.items() if code >= 500)


def problem(probe: Probe, answer: httpx.Response) -> str | None:
    """Why an answer is not the one the probe expects, or None."""
    if answer.status_code != probe.expected:
        return f"{answer.status_code} where {probe.expected} expected"
    try:
        body = answer.json()
    except ValueError:
        return "answer is not JSON"
    if not isinstance(body, dict) or probe.key not in body:
        return f"answer without '{probe.key}'"
    return None


async def log_in(http: httpx.AsyncClient) -> dict[str, str]:
    tokens = {}
    for user in USERS:
        answer = await http.post("/api/auth/token", data={"username": user, "password": PASSWORD})
        answer.raise_for_status()
        tokens[user] = answer.json()["access_token"]
    return tokens


async def run_load(base: str, fixtures: Fixtures, clients: int, requests: int) -> LoadResult:
    """`clients` concurrent clients sending `requests` requests each, cycling through PROBES."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    result = LoadResult()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:

        async def client(number: int) -> None:
            for n in range(requests):
                probe = PROBES[(number + n) % len(PROBES)]
                started = time.perf_counter()
                try:
                    answer = await probe.send(http, fixtures)
                except httpx.HTTPError as exc:
                    result.failures[f"{probe.kind}: {type(exc).__name__}"] += 1
                    continue
                finally:
                    result.latencies[probe.kind].append((time.perf_counter() - started) * 1000)
                result.statuses[probe.kind][answer.status_code] += 1
                why = problem(probe, answer)
                if why is not None:
                    result.failures[f"{probe.kind}: {why}"] += 1
                elif probe.key == "interactions":
                    result.stored += len(answer.json()["interactions"])

        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(clients)))
        result.wall = time.perf_counter() - started
    return result


def load_fixtures(base: str, url: str) -> Fixtures:
    async def tokens() -> dict[str, str]:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            return await log_in(http)

    with session_scope(url) as session:
        other = session.scalar(
            text(
                "SELECT i.id FROM interaction i JOIN agent a ON a.id = i.agent_id WHERE a.name = :name"
                " ORDER BY i.id LIMIT 1"
            ),
            {"name": OTHER_TEAM_AGENT},
        )
    settings = qa_config.get_settings()
    return Fixtures(
        tokens=asyncio.run(tokens()),
        other_team_interaction=int(other),
        max_upload_bytes=settings.max_upload_bytes,
        max_turns=settings.max_turns,
    )


def queued_work(url: str) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """Jobs by kind and status, and the length of each Redis queue the API published to."""
    with session_scope(url) as session:
        jobs = [
            (str(kind), str(status), int(n))
            for kind, status, n in session.execute(
                text("SELECT kind, status, count(*) FROM job GROUP BY kind, status ORDER BY kind, status")
            )
        ]
    queue = redis.Redis.from_url(QUEUE_URL)
    lengths = {name: int(queue.llen(QUEUE_PREFIX + name)) for name in ("transcribe", "score")}  # type: ignore[arg-type]
    return jobs, lengths


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
    parser.add_argument(
        "--rss-bound-mb",
        type=float,
        help="most resident memory the API processes may hold together"
        f" (default: {RSS_BOUND_PER_WORKER_MB} MB per API worker)",
    )
    args = parser.parse_args()
    bound_mb = args.rss_bound_mb or RSS_BOUND_PER_WORKER_MB * args.api_workers

    with tempfile.TemporaryDirectory(prefix="callcoach-api-load-") as media:
        configure_server(Path(media))
        clear_queue()
        url = fresh_database(DB_NAME)
        seconds = build(url, args.interactions)
        with session_scope(url) as session:
            stored = session.scalar(text("SELECT count(*) FROM interaction"))
        print(f"database: {stored:,} interactions on PostgreSQL, built in {seconds:.0f} s")
        with api_server(url, args.api_workers) as (base, pid):
            sampler = RssSampler(pid)
            sampler.start()
            fixtures = load_fixtures(base, url)
            asyncio.run(run_load(base, fixtures, clients=10, requests=3))  # warm-up: connections, caches
            # Baseline: one client alone, so the service time shows apart from the queueing under load.
            alone = asyncio.run(run_load(base, fixtures, clients=1, requests=2 * len(PROBES)))
            before_load = sampler.sample()
            result = asyncio.run(run_load(base, fixtures, args.clients, args.requests))
            after_load = sampler.sample()
            sampler.stop()
        jobs, queue_lengths = queued_work(url)
        clear_queue()
    failures = report_requests(args, result, alone)
    memory_ok = report_memory(sampler, before_load, after_load, bound_mb)
    report_jobs(jobs, queue_lengths)
    report_plans(url)
    if failures or not memory_ok:
        sys.exit(1)


def report_requests(args: argparse.Namespace, result: LoadResult, alone: LoadResult) -> int:
    """Prints latency and status codes per kind and the failures; returns how many requests failed."""
    everything = [ms for values in result.latencies.values() for ms in values]
    print(
        f"\n{args.clients} concurrent clients, {len(everything)} requests in {result.wall:.1f} s "
        f"({len(everything) / result.wall:.0f} requests/s), {args.api_workers} API worker processes"
    )
    print(
        f"  {'kind':38s} {'n':>4s} {'status':>12s} {'p50 ms':>7s} {'p95 ms':>7s} {'max ms':>7s}"
        f" {'1 client p50':>13s} {'ratio':>6s}"
    )
    for probe in PROBES:
        values, single = result.latencies[probe.kind], percentile(alone.latencies[probe.kind], 0.5)
        statuses = " ".join(f"{code}x{n}" for code, n in sorted(result.statuses[probe.kind].items()))
        p50 = percentile(values, 0.5)
        print(
            f"  {probe.kind:38s} {len(values):4d} {statuses:>12s} {p50:7.0f} {percentile(values, 0.95):7.0f}"
            f" {max(values):7.0f} {single:13.0f} {p50 / single:6.1f}"
        )
    queries = [ms for name, _, _ in QUERIES for ms in result.latencies[name]]
    for label, values in (("list queries", queries), ("all", everything)):
        print(
            f"  {label:38s} {len(values):4d} {'':>12s} {percentile(values, 0.5):7.0f}"
            f" {percentile(values, 0.95):7.0f} {max(values):7.0f}"
        )
    codes = Counter[int]()
    for counts in result.statuses.values():
        codes.update(counts)
    print("  status codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(codes.items())))
    print(f"  interactions stored by uploads: {result.stored}")
    mismatches = sum(result.failures.values())
    print(f"  5xx: {result.server_errors} (target 0)")
    print(f"  answers other than expected, or no answer: {mismatches} (target 0)")
    for why, n in result.failures.most_common():
        print(f"    {n:4d}  {why}")
    return mismatches + alone.server_errors + sum(alone.failures.values())


def report_memory(sampler: RssSampler, before_load: float, after_load: float, bound_mb: float) -> bool:
    """Prints the RSS per process and in total against the bound; True when the peak stayed under it."""
    print(f"\nresident memory of the API processes (RSS, sampled every {sampler.every} s):")
    print(f"  {'process':24s} {'pid':>8s} {'first MB':>9s} {'peak MB':>9s}")
    for pid, label in sampler.labels.items():
        print(f"  {label:24s} {pid:8d} {sampler.first[pid]:9.0f} {sampler.peak[pid]:9.0f}")
    ok = sampler.peak_total <= bound_mb
    print(
        f"  total: {sampler.totals[0]:.0f} MB at start, {before_load:.0f} MB before the load,"
        f" {after_load:.0f} MB after it, peak {sampler.peak_total:.0f} MB;"
        f" bound {bound_mb:.0f} MB: {'under' if ok else 'OVER'}"
    )
    workers = [pid for pid, label in sampler.labels.items() if label == "API worker"]
    print(f"  API worker processes seen: {len(workers)} (more than --api-workers means one was restarted)")
    return ok


def report_jobs(jobs: list[tuple[str, str, int]], queue_lengths: dict[str, int]) -> None:
    print("\njobs after the run (no worker consumes the queue, so the API ran none of them):")
    for kind, status, n in jobs:
        print(f"  {kind:12s} {status:8s} {n:6d}")
    print("  tasks waiting in Redis: " + ", ".join(f"{q}: {n}" for q, n in queue_lengths.items()))


def report_plans(url: str) -> None:
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


if __name__ == "__main__":
    main()
