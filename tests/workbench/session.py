"""A real `budgetgen serve` in another process, and a browser's session with it over plain HTTP on
loopback: cookies, the CSRF token, a multipart upload.

Used where a real server runs in another process (the restart test, benchmarks/serve.py).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
# this checkout's CLI with this interpreter (never whichever `budgetgen` script an environment holds)
BUDGETGEN = [sys.executable, "-m", "generator"]
WAIT_SECONDS = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data: Path, port: int, *extra: str, workers: int) -> tuple[subprocess.Popen, list[str]]:
    """`budgetgen serve --data DATA --port PORT EXTRA…` in a session of its own; returns once it listens,
    with what it printed until then. Without `--db` in `extra` its database is SQLite in `data`."""
    env = {k: v for k, v in os.environ.items() if k != "BUDGETGEN_DB"}
    env["BUDGETGEN_WORKERS"] = str(workers)
    server = subprocess.Popen([*BUDGETGEN, "serve", "--data", str(data), "--port", str(port), *extra],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT,
                              start_new_session=True)
    lines = []
    for line in server.stdout:  # up to "workbench: http://…", printed as it starts listening
        lines.append(line)
        if "workbench:" in line:
            break
    # what it prints later is read too (into `lines`), so a full pipe never stops it
    threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True).start()
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


class Browser:
    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": f"http://127.0.0.1:{self.port}/"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value
        connection.close()
        return response.status, data

    def post(self, path: str, fields: dict[str, str]) -> int:
        body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})[0]

    def login(self, username: str, password: str) -> None:
        self.request("GET", "/login/")
        status = self.post("/login/", {"username": username, "password": password})
        assert status == 302, status

    def upload(self, disclosure: int, filename: str, content: bytes) -> int:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n"
                f"{self.cookies['csrftoken']}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode() + content + \
            f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", f"/d/{disclosure}/upload", body,
                            {"Content-Type": f"multipart/form-data; boundary={boundary}"})[0]
