"""What the workbench does to its data: versions, the gate, review, publication.

Every change runs in a transaction that locks its disclosure row, so two clerks uploading at
once get two versions with consecutive numbers; the unique (disclosure, number) constraint and
a retry are the second line of defence.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from generator.workbench import audit, pool, store, work
from generator.workbench.models import (
    APPROVED,
    DRAFTING,
    EDITABLE,
    HAS_ERRORS,
    PUBLISHED,
    RETURNED,
    SUBMITTED,
    BudgetYear,
    Department,
    Disclosure,
    FailedUpload,
    Finding,
    Job,
    Publication,
    Review,
    Version,
)

RETRIES = 20


class Refused(Exception):
    """An action the disclosure's state does not allow; the message is for the page."""


def ensure_disclosures(year: int) -> None:
    """A disclosure for every department and unit in a budget year (the ledger of what is due)."""
    BudgetYear.objects.get_or_create(year=year)
    have = set(Disclosure.objects.filter(year=year).values_list("department_id", flat=True))
    Disclosure.objects.bulk_create([Disclosure(department=d, year=year)
                                    for d in Department.objects.exclude(pk__in=have)], ignore_conflicts=True)


def _check(content: bytes, filename: str) -> dict:
    try:
        return pool.run(work.check, content, filename)
    except pool.WorkerFailed:
        return {"ok": False, "messages": [["（文件）", "处理该文件时进程退出、超时或内存不足，文件未被接受",
                                           "the worker died, timed out or ran out of memory on this file"]]}


def add_version(request: HttpRequest, disclosure: Disclosure, filename: str, content: bytes,
                origin: str = "上传", note: str = "") -> Version | FailedUpload:
    """Check a file in a worker; keep it as a new version, or as a failed upload with its messages."""
    if disclosure.status not in EDITABLE:
        raise Refused(f"当前状态为“{disclosure.status}”，不能再上传或修改")
    result = _check(content, filename)
    sha256 = store.put(content)
    if not result["ok"]:
        failed = FailedUpload.objects.create(disclosure=disclosure, filename=filename, sha256=sha256,
                                             size=len(content), messages=result["messages"],
                                             created_by=request.user)
        audit.record(request, "上传失败", disclosure, f"{filename}：{result['messages'][0][1]}")
        return failed
    if result["year"] != disclosure.year:
        failed = FailedUpload.objects.create(
            disclosure=disclosure, filename=filename, sha256=sha256, size=len(content),
            messages=[["document.year", f"文件的预算年度为 {result['year']}，而本公开是 {disclosure.year} 年度",
                       f"the file is for {result['year']}, this disclosure for {disclosure.year}"]],
            created_by=request.user)
        audit.record(request, "上传失败", disclosure, f"{filename}：年度不符")
        return failed
    for _ in range(RETRIES):
        try:
            version = _new_version(request, disclosure.pk, filename, content, sha256, origin, note, result)
            break
        except IntegrityError:
            continue
    else:
        raise Refused("同时提交的版本过多，请重试")
    audit.record(request, "修改" if origin != "上传" else "上传", disclosure,
                 f"第{version.number}版 {filename}（错误 {version.errors}，警告 {version.warnings}）{note}")
    return version


def _new_version(request: HttpRequest, disclosure_id: int, filename: str, content: bytes, sha256: str,
                 origin: str, note: str, result: dict) -> Version:
    with transaction.atomic():
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure_id)
        if disclosure.status not in EDITABLE:
            raise Refused(f"当前状态为“{disclosure.status}”，不能再上传或修改")
        number = (disclosure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = Version.objects.create(
            disclosure=disclosure, number=number, filename=filename, sha256=sha256, size=len(content),
            origin=origin, note=note[:500], errors=result["errors"], warnings=result["warnings"],
            blocking=result["blocking"], figures=result["figures"], texts=result["texts"],
            created_by=request.user)
        Finding.objects.bulk_create([Finding(version=version, **f) for f in result["findings"]])
        disclosure.status = HAS_ERRORS if version.errors else DRAFTING
        disclosure.updated_at = timezone.now()
        disclosure.save(update_fields=["status", "updated_at"])
    return version


def edit_version(request: HttpRequest, version: Version, path: str, value: str) -> Version | FailedUpload:
    """An in-page correction: the file with one value changed becomes a new version."""
    try:
        result = pool.run(work.edit, store.get(version.sha256), version.filename, path, value)
    except pool.WorkerFailed:
        raise Refused("处理进程意外退出，请重试") from None
    if not result["ok"]:
        raise Refused("；".join(m[1] for m in result["messages"][:3]))
    return add_version(request, version.disclosure, version.filename, result["content"], origin="页面修改",
                       note=f"{path} 改为 {value[:200]}")


def latest(disclosure: Disclosure) -> Version | None:
    return disclosure.versions.order_by("-number").first()


def _transition(disclosure_id: int, allowed: tuple[str, ...], action: str) -> Disclosure:
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure_id)
    if disclosure.status not in allowed:
        raise Refused(f"当前状态为“{disclosure.status}”，不能{action}")
    return disclosure


def submit(request: HttpRequest, disclosure: Disclosure) -> Version:
    """The gate: only the newest version, with no error and no 【待填写】, can be submitted."""
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (DRAFTING, RETURNED, HAS_ERRORS), "提交")
        version = latest(disclosure)
        if version is None:
            raise Refused("还没有上传任何版本")
        if not version.submittable:
            raise Refused(f"第{version.number}版还有 {version.blocking} 处不能发布的问题（错误、【待填写】或"
                          "未选择的默认值），不能提交")
        disclosure.status, disclosure.submitted, disclosure.updated_at = SUBMITTED, version, timezone.now()
        disclosure.save(update_fields=["status", "submitted", "updated_at"])
        Review.objects.create(disclosure=disclosure, version=version, action="提交", user=request.user)
    audit.record(request, "提交", disclosure, f"第{version.number}版")
    return version


def send_back(request: HttpRequest, disclosure: Disclosure, comment: str) -> None:
    if not comment.strip():
        raise Refused("退回时请写明意见")
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (SUBMITTED,), "退回")
        Review.objects.create(disclosure=disclosure, version=disclosure.submitted, action="退回",
                              comment=comment, user=request.user)
        disclosure.status, disclosure.updated_at = RETURNED, timezone.now()
        disclosure.save(update_fields=["status", "updated_at"])
    audit.record(request, "退回", disclosure, comment)


def approve(request: HttpRequest, disclosure: Disclosure, comment: str) -> Job:
    """Approve the submitted version; its documents are rendered and frozen by a job."""
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (SUBMITTED,), "批准")
        version = disclosure.submitted
        Review.objects.create(disclosure=disclosure, version=version, action="批准", comment=comment,
                              user=request.user)
        disclosure.status, disclosure.approved, disclosure.updated_at = APPROVED, version, timezone.now()
        disclosure.save(update_fields=["status", "approved", "updated_at"])
        job = request_render(request, version)
    audit.record(request, "批准", disclosure, f"第{version.number}版 {comment}")
    return job


def publish(request: HttpRequest, disclosure: Disclosure, date: datetime.date, url: str) -> None:
    with transaction.atomic():
        disclosure = _transition(disclosure.pk, (APPROVED,), "公开")
        Publication.objects.create(disclosure=disclosure, date=date, url=url, user=request.user)
        disclosure.status, disclosure.updated_at = PUBLISHED, timezone.now()
        disclosure.save(update_fields=["status", "updated_at"])
    audit.record(request, "公开", disclosure, f"{date} {url}")


def request_render(request: HttpRequest, version: Version) -> Job:
    """The pending or finished render of a version, or a new one."""
    existing = Job.objects.filter(kind="render", version=version).exclude(status=Job.FAILED).first()
    return existing or Job.objects.create(kind="render", version=version, requested_by=request.user)
