"""Workbench benchmark: a bureau of 300 units × 2 years, on loopback only.

    python benchmarks/serve.py [--units 300] [--clerks 10] [--uploads 3] [--batch 10] [--cli 20] [--db URL]

Prints: the dashboard's server time (Django's test client, in-process: no network), the time
of upload + check of the commerce workbook with N clerks uploading at once to a real `budgetgen
serve` in its own process on 127.0.0.1 (50th and 95th percentile), a batch render of approved
disclosures through the job runner (seconds per document), and for comparison the same
documents through the CLI's own parallel path at the same moment. Every loop is bounded.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.workbench.session import Browser, free_port, kill, start  # noqa: E402  (a server, a clerk's session)

COMMERCE = ROOT / "inputs" / "datong-commerce-2024.yaml"
PASSWORD = "benchmark passphrase"


def load(units: int, content: bytes, result: dict) -> None:
    """`units` departments; 2023 approved, 2024 in every state, each with one version."""
    from django.contrib.auth import get_user_model

    from generator.workbench import store
    from generator.workbench.models import (
        APPROVED,
        STATUSES,
        BudgetYear,
        Department,
        Disclosure,
        Finding,
        Profile,
        Version,
    )
    from generator.workbench.services import ensure_disclosures

    admin = get_user_model().objects.create(username="bench-admin")
    Profile.objects.create(user=admin, role="管理员")
    parents = Department.objects.bulk_create([Department(code=f"{n:03d}", name=f"部门{n}") for n in range(units // 10)])
    Department.objects.bulk_create([Department(code=f"{n // 10:03d}{n:04d}", name=f"单位{n}", kind="单位",
                                               parent=parents[n // 10]) for n in range(units - len(parents))])
    sha = store.put(content)
    for year in (2023, 2024):
        BudgetYear.objects.create(year=year, due_date=f"{year}-02-28")
        ensure_disclosures(year)
        disclosures = list(Disclosure.objects.filter(year=year))
        versions = Version.objects.bulk_create([
            Version(disclosure=d, number=1, filename="commerce.xlsx", sha256=sha, size=len(content), origin="上传",
                    errors=result["errors"], warnings=result["warnings"], blocking=result["blocking"],
                    figures=result["figures"], texts=result["texts"], created_by=admin) for d in disclosures])
        Finding.objects.bulk_create([Finding(version=v, **f) for v in versions for f in result["findings"]])
        for i, d in enumerate(disclosures):
            d.status = APPROVED if year == 2023 else STATUSES[i % len(STATUSES)]
        Disclosure.objects.bulk_update(disclosures, ["status"])


def dashboard_times(rounds: int) -> list[float]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-admin"))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get("/dashboard/2024/")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return times


def concurrent_uploads(clerks: int, uploads: int, content: bytes, data: Path, db: str | None) -> list[float]:
    """`clerks` clerks uploading at once to a real `budgetgen serve` in its own process (as in an
    office: the clients are not in the server's process), each `uploads` times in a row."""
    from django.conf import settings
    from django.db import connections

    from generator.workbench.accounts import add_user
    from generator.workbench.models import Disclosure, Version

    targets = list(Disclosure.objects.filter(year=2024, status__in=("未开始", "填报中", "有错误", "已退回"))
                   .select_related("department")[:clerks + 1])
    for n, d in enumerate(targets):
        add_user(f"clerk{n}", "填报人", PASSWORD, d.department.code)
    connections.close_all()
    port = free_port()
    server, said = start(data, port, *(["--db", db] if db else []), workers=settings.WORKERS)
    times: list[float] = []
    try:
        warm = Browser(port)  # the last clerk starts the server's workers before the timing
        warm.login(f"clerk{clerks}", PASSWORD)
        status = warm.upload(targets[clerks].pk, "commerce.xlsx", content)
        assert status == 302, (status, "".join(said))

        def clerk(n: int, disclosure: int) -> None:
            browser = Browser(port)
            browser.login(f"clerk{n}", PASSWORD)
            for _ in range(uploads):
                began = time.perf_counter()
                assert browser.upload(disclosure, "commerce.xlsx", content) == 302
                times.append(time.perf_counter() - began)

        threads = [threading.Thread(target=clerk, args=(n, d.pk)) for n, d in enumerate(targets[:clerks])]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        kill(server)
    made = Version.objects.filter(disclosure__in=targets[:clerks], number__gt=1).count()
    assert made == clerks * uploads, f"{made} of {clerks * uploads} uploads became versions"
    return times


def batch(count: int) -> float:
    from django.contrib.auth import get_user_model

    from generator.workbench import jobs
    from generator.workbench.models import Disclosure, Job

    approved = list(Disclosure.objects.filter(year=2023)[:count])
    for d in approved:
        d.approved = d.versions.get()
    Disclosure.objects.bulk_update(approved, ["approved"])
    Disclosure.objects.filter(year=2023).exclude(pk__in=[d.pk for d in approved]).update(approved=None)
    job = Job.objects.create(kind="batch", year=2023, requested_by=get_user_model().objects.get(username="bench-admin"))
    start = time.perf_counter()
    jobs.run_one(job)
    job.refresh_from_db()
    assert job.status == Job.DONE and "失败" not in job.message, job.message
    return time.perf_counter() - start


def cli_workers() -> int:
    from django.conf import settings

    return max(2, settings.WORKERS)  # as the batch job


def cli(content: bytes, count: int) -> float:
    """The same documents through `render`'s own parallel path, without the server: its throughput."""
    from django.conf import settings

    from generator.commands.render import FORMATS, Job, Options, results

    jobs = [Job(f"{n}-commerce.xlsx", content, f"{n}-commerce") for n in range(count)]
    began = time.perf_counter()
    for _, (outcome, _) in results(jobs, Options(output=Path("."), formats=FORMATS, engine=settings.PDF_ENGINE),
                                   cli_workers(), None):
        assert outcome.ok, outcome.message
    return time.perf_counter() - began


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--clerks", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=3, help="uploads per clerk")
    parser.add_argument("--batch", type=int, default=10,
                        help="approved disclosures rendered in the batch (at most --units)")
    parser.add_argument("--cli", type=int, default=20, metavar="N",
                        help="also render N of them through the CLI's path, for its throughput now (0: not)")
    parser.add_argument("--db", default=None, help="a PostgreSQL URL (default: SQLite in a temporary folder)")
    args = parser.parse_args()

    import os

    from generator.workbench.server import configure, migrate

    os.environ.setdefault("BUDGETGEN_ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("BUDGETGEN_SECURE_COOKIES", "0")  # plain http on loopback
    data = Path(tempfile.mkdtemp(prefix="budgetgen-bench-"))
    configure(data, args.db)
    migrate()
    from generator.pipeline import read_source
    from generator.workbench import pool, work
    from generator.workbook.writer import write_workbook

    content = write_workbook(read_source(COMMERCE))
    result = work.check(content, "commerce.xlsx")
    began = time.perf_counter()
    load(args.units, content, result)
    print(f"loaded {args.units} units × 2 years in {time.perf_counter() - began:.1f} s")
    times = dashboard_times(20)
    print(f"dashboard ({args.units} rows): median {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {percentile(times, 95) * 1000:.0f} ms server time")
    times = concurrent_uploads(args.clerks, args.uploads, content, data, args.db)
    print(f"upload + check of the commerce workbook, {args.clerks} clerks at once, {len(times)} uploads: "
          f"median {statistics.median(times):.2f} s, p95 {percentile(times, 95):.2f} s")
    seconds = batch(args.batch)
    print(f"batch render of {args.batch} approved disclosures (docx, pdf, xlsx, json) + zip: {seconds:.1f} s, "
          f"{seconds / args.batch:.2f} s per document")
    if args.cli:
        seconds = cli(content, args.cli)
        print(f"the CLI's path (render -j {cli_workers()}) for {args.cli} of them, now: {seconds:.1f} s, "
              f"{seconds / args.cli:.2f} s per document")
    pool.shutdown()
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
