"""Coaching view render time: every page, as the role that sees it, with 10,000 interactions in the database.

Builds two temporary SQLite databases through the ORM test builders: the baseline holds only the users, the
other 10,000 scored interactions (40 agents, 4 teams, 26 weeks). Each page is rendered with Streamlit's
AppTest (the whole script run: services, pandas, Altair specs), once to warm up and then `--repeat` times;
the median is printed against the 2 s target and as a ratio to the same page on the baseline database.
Pages open on their default period (the 13 weeks before the newest interaction for the dashboards); the
team dashboard is also timed over all 26 weeks. AppTest times the server side (the script run), not the
browser drawing the charts.

    .venv/bin/python benchmarks/ui.py [--interactions 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from qa import config as qa_config  # noqa: E402
from qa.auth.service import principal_for  # noqa: E402
from qa.db import migrate, session_scope  # noqa: E402
from qa.interactions import service as interaction_service  # noqa: E402
from tests.coaching_ui.seed import seed_large  # noqa: E402

APP = ROOT / "coaching_ui" / "streamlit_app.py"
TARGET_SECONDS = 2.0
ALL_WEEKS: dict[str, object] = {
    "team_period": (date(2026, 3, 1), date(2026, 9, 1))
}  # every seeded interaction
PAGES: list[tuple[str, str, str, dict[str, object]]] = [
    ("supervisor", "sam", "app_pages/review_queue.py", {}),
    ("supervisor", "sam", "app_pages/interaction.py", {}),
    ("agent", "maria", "app_pages/my_performance.py", {}),
    ("manager", "mgr", "app_pages/performance_review.py", {}),
    ("manager", "mgr", "app_pages/team_dashboard.py", {}),
    ("manager", "mgr", "app_pages/team_dashboard.py", ALL_WEEKS),
    ("manager", "mgr", "app_pages/reports.py", {}),
    ("manager", "mgr", "app_pages/audit_log.py", {}),
    ("admin", "root", "app_pages/jobs.py", {}),
]


@dataclass
class Timing:
    seconds: float
    ok: bool


def use_database(url: str) -> None:
    os.environ["CALLCOACH_DATABASE_URL"] = url
    qa_config.get_settings.cache_clear()


def build(url: str, interactions: int) -> float:
    """Migrate and fill the database; returns the seconds it took."""
    started = time.perf_counter()
    migrate(url)
    with session_scope(url) as db:
        seed_large(db, interactions)
    return time.perf_counter() - started


def render(url: str, username: str, page: str, state: dict[str, object], repeat: int) -> Timing:
    """Median seconds of a full run of `page` logged in as `username` (after one warm-up run)."""
    use_database(url)
    with session_scope(url) as db:
        principal = principal_for(session=db, username=username)
        assert principal is not None, f"no user {username}"
        first = interaction_service.list_interactions(session=db, principal=principal, limit=1).items
    times = []
    ok = True
    for n in range(repeat + 1):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["principal"] = principal
        for key, value in state.items():
            at.session_state[key] = value
        if first:
            at.session_state["interaction_id"] = first[0].id
        at.run()
        at.switch_page(page)
        started = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - started
        ok = ok and not at.exception
        if n:  # the first run warms caches and imports
            times.append(elapsed)
    return Timing(statistics.median(times), ok)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("CALLCOACH_ENVIRONMENT", "test")
    os.environ.setdefault("CALLCOACH_SECRET_KEY", "benchmark-secret-not-a-placeholder")
    with tempfile.TemporaryDirectory(prefix="callcoach-ui-bench-") as folder:
        baseline_url = f"sqlite:///{Path(folder) / 'baseline.db'}"
        full_url = f"sqlite:///{Path(folder) / 'full.db'}"
        build(baseline_url, 0)
        seconds = build(full_url, args.interactions)
        print(f"built {args.interactions} interactions in {seconds:.1f} s (SQLite, ORM builders)")
        print(
            f"{'page':<32} {'role':<11} {'baseline s':>10} {'full s':>8} {'ratio':>6}"
            f"  target {TARGET_SECONDS} s"
        )
        worst = 0.0
        for role, username, page, state in PAGES:
            baseline = render(baseline_url, username, page, state, args.repeat)
            full = render(full_url, username, page, state, args.repeat)
            name = Path(page).stem + (" (26 weeks)" if state else "")
            worst = max(worst, full.seconds)
            verdict = "ok" if full.seconds <= TARGET_SECONDS and full.ok and baseline.ok else "OVER"
            if not (full.ok and baseline.ok):
                verdict = "ERROR"
            print(
                f"{name:<32} {role:<11} {baseline.seconds:>10.3f} {full.seconds:>8.3f} "
                f"{full.seconds / baseline.seconds:>6.1f}  {verdict}"
            )
        print(
            f"slowest page with {args.interactions} interactions: {worst:.2f} s (target {TARGET_SECONDS} s)"
        )


if __name__ == "__main__":
    main()
