"""Kill the server (SIGKILL, with its workers) while it renders, start it again: nothing acknowledged is
lost, the interrupted render is done after the restart, and every stored file is whole. On SQLite in
the test's data folder, or on the PostgreSQL of BUDGETGEN_TEST_PG (emptied first)."""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import time
from pathlib import Path

from tests.workbench.session import WAIT_SECONDS, Browser, free_port, kill, start

PG = os.environ.get("BUDGETGEN_TEST_PG")


def query(data: Path, sql: str) -> list[tuple]:
    """What the server committed, read by a connection of its own."""
    if PG:
        import psycopg

        with psycopg.connect(PG) as db:
            return db.execute(sql).fetchall()
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
    database = ("--db", PG) if PG else ()
    if PG:
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)  # the demo on an empty database
    port = free_port()
    server, lines = start(tmp_path, port, "--demo", *database, workers=1)
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

    server, _ = start(tmp_path, port, *database, workers=1)
    try:
        wait_for(tmp_path, "select status from workbench_job", [("已完成",)])
    finally:
        kill(server)
    formats = {f for (f,) in query(tmp_path, f"select format from workbench_artifact where version_id = {version}")}
    assert {"docx", "pdf", "xlsx", "json"} <= formats
    for path in (tmp_path / "files").glob("*/*"):
        if not path.name.startswith(".tmp-"):
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name  # every stored file is whole
