"""Renders outside the request: a job table, worked through by a thread of the server.

A job is claimed by one conditional UPDATE; its outputs go to the file store (each written
whole, then renamed) before the job is marked done, so a server killed halfway leaves the job
pending: `recover()` at start puts it back in the queue, and no broken file is ever listed.
"""

from __future__ import annotations

import shutil
import threading
import zipfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone

from generator.workbench import pool, store, work
from generator.workbench.models import FORMATS, Artifact, Disclosure, Job, Version

POLL_SECONDS = 0.5


def recover() -> None:
    """Jobs a stopped server was working on go back into the queue; its half-written files go."""
    Job.objects.filter(status=Job.RUNNING).update(status=Job.PENDING)
    store.remove_temporaries()


def _keep(version: Version, files: dict[str, bytes], pages: list[bytes]) -> None:
    outputs = {**files, **{f"p{n}": png for n, png in enumerate(pages, 1)}}
    with transaction.atomic():
        for fmt, content in outputs.items():
            Artifact.objects.get_or_create(version=version, format=fmt,
                                           defaults={"sha256": store.put(content), "size": len(content)})


def rendered(version: Version) -> bool:
    return version.artifacts.filter(format__in=FORMATS).count() == len(FORMATS)


def _render(job: Job) -> str:
    version = job.version
    if rendered(version):
        return ""
    # a version the gate holds back (a 【待填写】, a default nobody chose) is previewed as a draft:
    # it can never be submitted, so never approved, so its documents are never the published ones
    result = pool.run(work.render, store.get(version.sha256), version.filename, settings.PDF_ENGINE,
                      not version.submittable, timeout=pool.RENDER_SECONDS)
    if not result["ok"]:
        raise RuntimeError(result["message"])
    _keep(version, result["files"], result["pages"])
    return ""


def _batch(job: Job) -> str:
    """Every approved disclosure of a year through the CLI's parallel (or Dask) path, then one zip."""
    from generator.commands.render import FORMATS as ALL
    from generator.commands.render import Job as RenderJob
    from generator.commands.render import Options, results

    disclosures = list(Disclosure.objects.filter(year=job.year, approved__isnull=False)
                       .select_related("approved", "department"))
    todo = {f"{d.approved.pk}-{d.approved.filename}": d.approved for d in disclosures if not rendered(d.approved)}
    jobs = [RenderJob(key, store.get(v.sha256), key) for key, v in todo.items()]  # the suffix tells the kind
    failed = []
    if jobs:
        workers = max(2, settings.WORKERS)  # never in the server process itself
        for render_job, (outcome, produced) in results(jobs, Options(output=Path("."), formats=ALL, engine=settings.PDF_ENGINE),
                                                      workers, settings.DASK_SCHEDULER):
            if outcome.ok:
                _keep(todo[render_job.file], produced, [])
            else:
                failed.append(outcome.first_error)
    job.result_sha256 = store.put_written(lambda out: _zip(out, disclosures))
    return f"{len(disclosures)} 份已批准的公开文件" + (f"，{len(failed)} 份失败" if failed else "")


def _zip(out: BinaryIO, disclosures: list[Disclosure]) -> None:
    """The DOCX and PDF of each approved disclosure, one at a time from the store into the zip."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for d in disclosures:
            for artifact in d.approved.artifacts.filter(format__in=("docx", "pdf")):
                info = zipfile.ZipInfo(f"{d.department.code}-{d.department.name}-{d.year}.{artifact.format}",
                                       date_time=(d.year, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w") as member, store.path_of(artifact.sha256).open("rb") as stored:
                    shutil.copyfileobj(stored, member, 1 << 20)


def run_one(job: Job) -> None:
    if not Job.objects.filter(pk=job.pk, status=Job.PENDING).update(status=Job.RUNNING):
        return  # another runner took it
    try:
        job.message = _batch(job) if job.kind == "batch" else _render(job)
        job.status = Job.DONE
    except (pool.WorkerFailed, RuntimeError, OSError) as error:
        job.status, job.message = Job.FAILED, str(error)[:2000] or "渲染进程意外退出"
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "result_sha256", "finished_at"])


def run_pending() -> int:
    """Work through the queue once; the number of jobs done."""
    done = 0
    for job in Job.objects.filter(status=Job.PENDING).order_by("id"):
        run_one(job)
        done += 1
    return done


def start_runner() -> threading.Event:
    """The runner thread of a server; set the returned event to stop it."""
    stop = threading.Event()
    recover()

    def loop() -> None:
        while not stop.is_set():
            close_old_connections()
            if not run_pending():
                stop.wait(POLL_SECONDS)
        close_old_connections()

    threading.Thread(target=loop, name="budgetgen-jobs", daemon=True).start()
    return stop
