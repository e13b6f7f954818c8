"""Stopping `callcoach ui` or `callcoach demo --serve` stops the servers they started (real processes)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # state, ppid, ...


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """Every live process below `pid`."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return {p for p in found if alive(p)}


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "CALLCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'cc.db'}",
        "CALLCOACH_MEDIA_DIR": str(tmp_path / "media"),
        "HF_HUB_OFFLINE": "1",
    }


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:  # a failed test must not leave servers behind either
        for pid in descendants(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.kill()
        process.wait()


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_stopping_callcoach_ui_stops_streamlit(
    stop_with: signal.Signals, env: dict[str, str], tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    port = free_port()
    command = [sys.executable, "-m", "qa.cli.main", "ui", "--port", str(port)]
    parent = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started.append(parent)
    wait_for(lambda: port_open(port), 120, "the coaching view to listen")
    children = descendants(parent.pid)
    assert any("streamlit" in command_line(pid) for pid in children)

    parent.send_signal(stop_with)
    parent.wait(timeout=30)
    wait_for(lambda: not any(alive(pid) for pid in children), 30, "streamlit to stop")
    wait_for(lambda: not port_open(port), 30, "the port to close")


def test_stopping_the_demo_stops_the_api_and_the_view(
    env: dict[str, str], tmp_path: Path, started: list[subprocess.Popen[bytes]]
) -> None:
    samples = tmp_path / "samples"
    (samples / "calls").mkdir(parents=True)
    (samples / "transcripts").mkdir()
    # One chat by maria.g, the agent the demo's agent user is tied to.
    shutil.copy(REPO / "samples" / "transcripts" / "chat-1001.json", samples / "transcripts")
    # demo --serve uses the fixed ports 8000 and 8501: skip nothing, but fail clearly when they are taken.
    assert not port_open(8000) and not port_open(8501), "ports 8000/8501 are in use on this machine"
    command = [sys.executable, "-m", "qa.cli.main", "demo", "--serve", "--samples", str(samples)]
    parent = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    started.append(parent)
    wait_for(lambda: port_open(8000) and port_open(8501), 180, "the API and the coaching view to listen")
    children = descendants(parent.pid)
    assert len(children) >= 3  # serve, ui and ui's streamlit

    parent.send_signal(signal.SIGINT)  # Ctrl-C
    assert parent.wait(timeout=30) == 130
    wait_for(lambda: not any(alive(pid) for pid in children), 30, "every server to stop")
    assert not port_open(8000) and not port_open(8501)
