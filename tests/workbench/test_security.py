"""Security: headers, cookies, CSRF, the upload cap, concurrent uploads that never lose a version."""

from __future__ import annotations

import threading
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.workbench.conftest import client_for


def test_security_headers_on_every_page(world):
    response = client_for(world.clerk_a).get(f"/d/{world.da.pk}/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_session_and_csrf_cookies_are_secure_and_http_only(world):
    from tests.workbench.conftest import make_user

    make_user("clerk_c", "填报人", world.a, password="a long enough passphrase")
    client = Client()
    page = client.get("/login/")
    assert page.cookies["csrftoken"]["httponly"] and page.cookies["csrftoken"]["samesite"] == "Strict"
    response = client.post("/login/", {"username": "clerk_c", "password": "a long enough passphrase"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"


def test_a_post_without_the_csrf_token_is_refused(world, commerce_xlsx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.clerk_a)
    response = client.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("a.xlsx", commerce_xlsx)})
    assert response.status_code == 403 and "请求已过期" in response.content.decode()
    assert world.da.versions.count() == 0


def test_uploads_over_the_cli_limit_are_refused(world):
    big = b"PK" + b"\0" * (20 * 1024 * 1024 + 10)
    response = client_for(world.clerk_a).post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("a.xlsx", big)})
    assert response.status_code in (302, 400, 413)
    assert world.da.versions.count() == 0 and world.da.failed_uploads.count() == 0


def test_concurrent_uploads_never_lose_a_version(world, commerce_xlsx):
    """Eight uploads to one disclosure at once: eight versions, numbered 1 to 8."""
    from django.db import connection

    from generator.workbench.models import Version

    files = [commerce_xlsx] * 8
    errors: list[BaseException] = []

    def one(content: bytes, n: int) -> None:
        try:
            response = client_for(world.clerk_a).post(
                f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile(f"{n}.xlsx", content)})
            assert response.status_code == 302
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(content, n)) for n, content in enumerate(files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = sorted(Version.objects.filter(disclosure=world.da).values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    assert sorted(Version.objects.filter(disclosure=world.da).values_list("filename", flat=True)) == \
        sorted(f"{n}.xlsx" for n in range(8))


def crash(raw: bytes, filename: str) -> dict:
    """A worker-side function that kills its process, as a hostile file might."""
    import os

    os._exit(9)


def test_a_worker_that_dies_fails_only_its_upload(world, commerce_xlsx, monkeypatch):
    """A file that kills its worker process is kept as a failed upload; the next upload works."""
    from generator.workbench import work

    monkeypatch.setattr(work, "check", crash)
    clerk = client_for(world.clerk_a)
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("hostile.xlsx", b"PK hostile")})
    assert world.da.failed_uploads.get().messages[0][1].startswith("处理该文件时进程退出、超时或内存不足")
    monkeypatch.undo()
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("good.xlsx", commerce_xlsx)})
    assert world.da.versions.get().filename == "good.xlsx"


def test_the_tests_run_on_the_database_asked_for():
    import os

    from django.db import connection

    assert connection.vendor == ("postgresql" if os.environ.get("BUDGETGEN_TEST_PG") else "sqlite")


def swell(raw: bytes, filename: str) -> dict:
    """A worker-side function that wants more memory than a worker may have."""
    return {"size": len(bytearray(6 * 1024**3))}  # above the 4 GiB cap, below the machine's memory


def test_a_file_that_swells_in_memory_fails_its_worker_not_the_server(world, commerce_xlsx, monkeypatch):
    from generator.workbench import work

    monkeypatch.setattr(work, "check", swell)
    clerk = client_for(world.clerk_a)
    assert clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("big.xlsx", b"PK")}).status_code == 302
    assert "内存不足" in world.da.failed_uploads.get().messages[0][1]
    monkeypatch.undo()
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("good.xlsx", commerce_xlsx)})
    assert world.da.versions.get().filename == "good.xlsx"


def test_workers_start_under_a_lower_memory_limit_of_the_server():
    """A server run under `ulimit -v` below the workers' cap: the workers take the server's limit (a
    worker may not raise it) instead of failing to start, which would fail every upload."""
    import subprocess
    import sys

    program = ("import resource\n"
               "from django.conf import settings\n"
               "G = 1024 ** 3\n"
               "settings.configure(WORKERS=1, WORKER_MEMORY=4 * G)\n"
               "resource.setrlimit(resource.RLIMIT_AS, (3 * G, 3 * G))\n"
               "from generator.workbench import pool\n"
               "print(pool.run(resource.getrlimit, resource.RLIMIT_AS) == (3 * G, 3 * G))\n"
               "pool.shutdown()\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr


def test_a_store_write_that_fails_halfway_leaves_no_file(world, monkeypatch):
    """Files are written to a temporary and renamed: a failure leaves neither a partial file nor litter."""
    import os

    import pytest

    from generator.workbench import store

    def fail(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        store.put(b"half a document")
    monkeypatch.undo()
    import hashlib

    from django.conf import settings

    target = store.path_of(hashlib.sha256(b"half a document").hexdigest())
    assert not target.exists() and not list(Path(settings.FILE_STORE).glob("*/.tmp-*"))


def refuse(raw: bytes, filename: str, engine: str, draft: bool = False) -> dict:
    """A worker-side render that fails as a render can (e.g. a missing glyph)."""
    return {"ok": False, "message": "无法生成：缺少字形 / missing glyph"}


def test_a_failed_render_is_reported_on_the_page(world, commerce_xlsx, monkeypatch):
    from generator.workbench import jobs, work
    from generator.workbench.models import Job

    clerk = client_for(world.clerk_a)
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("a.xlsx", commerce_xlsx)})
    version = world.da.versions.get()
    monkeypatch.setattr(work, "render", refuse)
    clerk.post(f"/v/{version.pk}/render")
    assert jobs.run_pending() == 1
    job = Job.objects.get(version=version)
    assert job.status == Job.FAILED and "缺少字形" in job.message
    assert not version.artifacts.exists()
    assert "上次生成失败：无法生成：缺少字形" in clerk.get(f"/d/{world.da.pk}/").content.decode()


def stall(raw: bytes, filename: str) -> dict:
    """A worker-side function that never finishes, as a file that loops the parser might."""
    import time

    time.sleep(600)
    return {}


def test_a_file_that_runs_too_long_is_stopped(world, commerce_xlsx, monkeypatch):
    from generator.workbench import pool, work

    monkeypatch.setattr(work, "check", stall)
    monkeypatch.setattr(pool, "CHECK_SECONDS", 2)
    clerk = client_for(world.clerk_a)
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("slow.xlsx", b"PK slow")})
    assert "超时" in world.da.failed_uploads.get().messages[0][1]
    monkeypatch.undo()
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("good.xlsx", commerce_xlsx)})
    assert world.da.versions.get().filename == "good.xlsx"  # a fresh pool: the stalled worker was killed


def stall_some(raw: bytes, filename: str) -> dict:
    """The real check (a worker imports `work` afresh, unpatched), except for files named slow…,
    which never finish."""
    import time

    from generator.workbench import work

    if filename.startswith("slow"):
        time.sleep(600)
    return work.check(raw, filename)


def test_a_file_queued_behind_stalled_ones_is_not_timed_out_for_them(world, commerce_xlsx, monkeypatch):
    """Both workers stall on two files; a good file waits for a worker, then has its own time limit:
    the two stalled files fail, the good one becomes a version."""
    import time

    from django.db import connection

    from generator.workbench import pool, work

    monkeypatch.setattr(work, "check", stall_some)
    monkeypatch.setattr(pool, "CHECK_SECONDS", 3)

    def upload(name: str, content: bytes) -> None:
        try:
            client_for(world.clerk_a).post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile(name, content)})
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(f"slow{n}.xlsx", b"PK slow")) for n in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # both workers taken
    threads.append(threading.Thread(target=upload, args=("good.xlsx", commerce_xlsx)))
    threads[-1].start()
    for t in threads:
        t.join()
    assert sorted(world.da.failed_uploads.values_list("filename", flat=True)) == ["slow0.xlsx", "slow1.xlsx"]
    assert world.da.versions.get().filename == "good.xlsx"


def test_a_call_waits_for_a_free_worker_before_its_time_limit_starts(world):
    """Three calls of 1.5 s on two workers, each allowed 2.5 s: the third waits 1.5 s for a worker
    and is not timed out for it (timed from the submission, it would have taken 3 s)."""
    import time

    from generator.workbench import pool

    pool.run(time.sleep, 0)  # the workers started
    errors: list[BaseException] = []

    def call() -> None:
        try:
            pool.run(time.sleep, 1.5, timeout=2.5)
        except pool.WorkerFailed as error:
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
