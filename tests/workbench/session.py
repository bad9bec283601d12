"""A browser's session over plain HTTP on loopback: cookies, the CSRF token, a multipart upload.

Used where a real server runs in another process (the restart test, benchmarks/serve.py).
"""

from __future__ import annotations

import http.client
import uuid
from urllib.parse import urlencode


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
