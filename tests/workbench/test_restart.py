"""Kill the server (SIGKILL, with its workers) while it renders, start it again: nothing acknowledged is
lost, the interrupted render is done after the restart, and every stored file is whole."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.workbench.session import Browser

BUDGETGEN = Path(sys.executable).with_name("budgetgen")
WAIT_SECONDS = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data: Path, port: int, *extra: str) -> tuple[subprocess.Popen, list[str]]:
    env = {k: v for k, v in os.environ.items() if k != "BUDGETGEN_DB"}  # SQLite in `data`, read below
    env["BUDGETGEN_WORKERS"] = "1"
    server = subprocess.Popen([str(BUDGETGEN), "serve", "--data", str(data), "--port", str(port), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                              start_new_session=True)
    lines = []
    for line in server.stdout:  # up to "workbench: http://…", printed as it starts listening
        lines.append(line)
        if "workbench:" in line:
            break
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, lines
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server never listened: " + "".join(lines))


def kill(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # the server and its worker processes, at once
    server.wait(timeout=30)


def query(data: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(data / "workbench.sqlite3", timeout=30) as db:
        return db.execute(sql).fetchall()


def wait_for(data: Path, sql: str, expected: object) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if query(data, sql) == expected:
            return
        time.sleep(0.05)
    raise AssertionError(f"{sql} never gave {expected}: {query(data, sql)}")


def test_a_killed_server_loses_nothing_acknowledged(tmp_path, commerce_xlsx):
    port = free_port()
    server, lines = start(tmp_path, port, "--demo")
    try:
        password = next(re.search(r"clerk1\s+填报人\s+密码 password: (\S+)", line)
                        for line in lines if "clerk1" in line).group(1)
        clerk = Browser(port)
        clerk.login("clerk1", password)
        home = clerk.request("GET", "/")[1].decode()  # a row per budget year of the demo (2023–2025)
        disclosure = int(re.search(r"2024年度</td>.*?/d/(\d+)/", home, re.S).group(1))  # the workbook's year
        assert clerk.upload(disclosure, "商务局.xlsx", commerce_xlsx) == 302  # acknowledged
        version = query(tmp_path, f"select max(id) from workbench_version where disclosure_id = {disclosure}")[0][0]
        assert clerk.post(f"/v/{version}/render", {}) == 302
        wait_for(tmp_path, "select status from workbench_job", [("渲染中",)])
    finally:
        kill(server)
    assert query(tmp_path, f"select number from workbench_version where disclosure_id = {disclosure}") == [(1,), (2,)]
    assert query(tmp_path, "select count(*) from workbench_artifact") == [(0,)]

    server, _ = start(tmp_path, port)
    try:
        wait_for(tmp_path, "select status from workbench_job", [("已完成",)])
    finally:
        kill(server)
    formats = {f for (f,) in query(tmp_path, f"select format from workbench_artifact where version_id = {version}")}
    assert {"docx", "pdf", "xlsx", "json"} <= formats
    for path in (tmp_path / "files").glob("*/*"):
        if not path.name.startswith(".tmp-"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name  # every stored file is whole
