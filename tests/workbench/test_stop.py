"""`budgetgen serve` stopped with SIGTERM (`kill PID`, a service manager's stop): its worker
processes go with it. They stayed behind, each holding its memory, one set per restart."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.workbench.session import free_port, start

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        children = subprocess.run(["pgrep", "-P", str(parent)], capture_output=True, text=True).stdout.split()
        for child in map(int, children):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_stops_the_workers_too(tmp_path):
    server, _ = start(tmp_path, free_port(), "--demo", workers=1)  # the demo's uploads start the workers
    workers: set[int] = set()
    try:
        workers = descendants(server.pid)
        assert workers, "the demo's uploads ran in no worker process"
        os.kill(server.pid, signal.SIGTERM)  # the server alone, as `kill PID` does
        server.wait(timeout=60)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(alive(p) for p in workers):
            time.sleep(0.2)
        left = [p for p in workers if alive(p)]
        assert not left, f"left running after the server stopped: {left}"
    finally:
        for pid in descendants(server.pid) | workers | {server.pid}:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
