"""`make bench`: run every benchmark script in this folder in turn, each with its default options.

One failing benchmark does not stop the others; the summary lists each script's exit code and duration, and
the exit code is non-zero if any failed.

    .venv/bin/python benchmarks/run_all.py [--only throughput api_load] [--skip ui]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def scripts() -> list[Path]:
    return sorted(
        p for p in HERE.glob("*.py") if p.name != Path(__file__).name and not p.name.startswith("_")
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="*", default=[], help="script names (without .py) to run")
    parser.add_argument("--skip", nargs="*", default=[], help="script names (without .py) to leave out")
    args = parser.parse_args()

    chosen = [p for p in scripts() if (not args.only or p.stem in args.only) and p.stem not in args.skip]
    results: list[tuple[str, int, float]] = []
    for script in chosen:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)], cwd=ROOT)
        results.append((script.stem, code, time.perf_counter() - started))
    print("\n=== summary ===")
    for name, code, seconds in results:
        print(f"  {name:24s} {'ok' if code == 0 else f'FAILED (exit {code})':18s} {seconds:7.0f} s")
    sys.exit(1 if any(code for _, code, _ in results) else 0)


if __name__ == "__main__":
    main()
