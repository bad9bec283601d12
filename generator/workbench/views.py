"""The pages of a disclosure: status, findings, versions, preview, diff, downloads, submit, review."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from itertools import groupby
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from generator.workbench import pool, services, store, work
from generator.workbench.access import ANYONE, BUREAU, disclosure_for, note_download, role, roles, version_for
from generator.workbench.models import (
    ADMIN,
    CLERK,
    EDITABLE,
    FORMATS,
    REVIEWER,
    Artifact,
    BudgetYear,
    Disclosure,
    FailedUpload,
    Job,
    Version,
)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf", "json": "application/json", "yaml": "text/plain; charset=utf-8",
    "png": "image/png", "zip": "application/zip",
}


def download(content: bytes, filename: str, inline: bool = False) -> HttpResponse:
    kind = filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
    disposition = "inline" if inline else "attachment"
    ascii_name = "".join(c if (c.isascii() and c.isalnum()) or c in ".-_" else "_" for c in filename)
    response["Content-Disposition"] = f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


@roles(*ANYONE)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if role(request.user) != CLERK:
        year = BudgetYear.objects.values_list("year", flat=True).first() or datetime.date.today().year
        return redirect("dashboard", year=year)
    department = request.user.profile.department
    for year in BudgetYear.objects.values_list("year", flat=True):
        services.ensure_disclosures(year)
    disclosures = Disclosure.objects.filter(department=department).order_by("-year")
    return render(request, "workbench/home.html", {"department": department, "disclosures": disclosures})


@roles(*ANYONE)
@require_GET
def disclosure_page(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)
    versions = list(disclosure.versions.select_related("created_by"))
    current = versions[0] if versions else None
    if "version" in request.GET and versions:
        current = next((v for v in versions if str(v.pk) == request.GET["version"]), current)
    findings = list(current.findings.all()) if current else []
    groups = [(sheet, list(items)) for sheet, items in groupby(sorted(findings, key=lambda f: f.sheet),
                                                                key=lambda f: f.sheet)]
    artifacts = {a.format: a for a in current.artifacts.all()} if current else {}
    job = Job.objects.filter(kind="render", version=current).order_by("-id").first() if current else None
    return render(request, "workbench/disclosure.html", {
        "d": disclosure, "versions": versions, "current": current, "groups": groups,
        "artifacts": artifacts, "formats": FORMATS, "job": job, "downloads": [f for f in FORMATS if f in artifacts],
        "pages": [artifacts[k] for k in sorted(artifacts) if k.startswith("p") and k[1:].isdigit()],
        "failed": disclosure.failed_uploads.all()[:5], "reviews": disclosure.reviews.select_related("user")[:20],
        "editable": disclosure.status in EDITABLE, "role": role(request.user), "is_clerk": role(request.user) == CLERK,
        "is_bureau": role(request.user) in (REVIEWER, ADMIN),
        "carried_over": _last_year(disclosure) is not None,
    })


def _clerk_of(request: HttpRequest, pk: int) -> Disclosure:
    """Only the department's own clerk changes its data."""
    disclosure = disclosure_for(request, pk)
    if role(request.user) != CLERK:
        raise PermissionDenied
    return disclosure


@roles(CLERK)
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _clerk_of(request, pk)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, "请选择要上传的工作簿（.xlsx）或 YAML 文件")
        return redirect("disclosure", pk=pk)
    if file.size > settings.MAX_UPLOAD_BYTES:
        messages.error(request, "文件超过 20 MB 的上限，未被接受")
        return redirect("disclosure", pk=pk)
    name = file.name or "upload.xlsx"
    if not name.lower().endswith((".xlsx", ".yaml", ".yml")):
        messages.error(request, "只接受 .xlsx 工作簿或 .yaml 文件")
        return redirect("disclosure", pk=pk)
    return _new_version(request, pk, lambda: services.add_version(request, disclosure, name, file.read()),
                        "", "文件无法读取，未形成新版本：")


def _new_version(request: HttpRequest, pk: int, make: Callable[[], Version | FailedUpload], refused_prefix: str,
                 failed_prefix: str) -> HttpResponse:
    """Make a version (upload or edit) and say on the page what became of it."""
    try:
        result = make()
    except services.Refused as refused:
        messages.error(request, f"{refused_prefix}{refused}")
        return redirect("disclosure", pk=pk)
    if isinstance(result, Version):
        messages.success(request, f"已保存为第{result.number}版：错误 {result.errors} 个，警告 {result.warnings} 个")
    else:
        messages.error(request, failed_prefix + "；".join(m[1] for m in result.messages[:3]))
    return redirect("disclosure", pk=pk)


@roles(CLERK)
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _clerk_of(request, pk)
    version = get_object_or_404(Version, pk=request.POST.get("version", "0") or "0", disclosure=disclosure)
    path, value = request.POST.get("path", ""), request.POST.get("value", "")
    if not path:
        messages.error(request, "没有指定要修改的位置")
        return redirect("disclosure", pk=pk)
    return _new_version(request, pk, lambda: services.edit_version(request, version, path, value),
                        "修改未保存：", "修改后的文件无法读取：")


@roles(CLERK)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _clerk_of(request, pk)
    try:
        version = services.submit(request, disclosure)
        messages.success(request, f"第{version.number}版已提交审核")
    except services.Refused as refused:
        messages.error(request, f"不能提交：{refused}")
    return redirect("disclosure", pk=pk)


@roles(*BUREAU)
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)
    action, comment = request.POST.get("action"), request.POST.get("comment", "").strip()
    try:
        if action == "approve":
            services.approve(request, disclosure, comment)
            messages.success(request, "已批准，正在生成并封存公开文件")
        elif action == "return":
            services.send_back(request, disclosure, comment)
            messages.success(request, "已退回填报人")
        else:
            return HttpResponse("未知操作", status=400)
    except services.Refused as refused:
        messages.error(request, str(refused))
    return redirect("disclosure", pk=pk)


@roles(*BUREAU)
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)
    url = request.POST.get("url", "").strip()
    try:
        date = datetime.date.fromisoformat(request.POST.get("date", ""))
        URLValidator(schemes=["http", "https"])(url)
    except (ValueError, ValidationError):
        messages.error(request, "请填写公开日期（年-月-日）和以 http(s):// 开头的公开网址")
        return redirect("disclosure", pk=pk)
    try:
        services.publish(request, disclosure, date, url)
        messages.success(request, "已记录公开日期与网址")
    except services.Refused as refused:
        messages.error(request, str(refused))
    return redirect("disclosure", pk=pk)


@roles(*ANYONE)
@require_GET
def blank(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)
    content = pool.run(work.blank_workbook, disclosure.department.kind, disclosure.year)
    return download(content, f"{disclosure.department.code}-{disclosure.year}-空白.xlsx")


@roles(*ANYONE)
@require_GET
def next_year(request: HttpRequest, pk: int) -> HttpResponse:
    """This year's workbook carried over from last year's approved version (`init --from`)."""
    disclosure = disclosure_for(request, pk)
    version = _last_year(disclosure)
    if version is None:
        raise Http404("上年没有已批准的版本")
    try:
        content = pool.run(work.next_year_workbook, store.get(version.sha256), version.filename, disclosure.year)
    except pool.WorkerFailed:
        return HttpResponse("生成失败，请重试", status=503)
    note_download(request, disclosure, f"{disclosure.year}年度结转工作簿")
    return download(content, f"{disclosure.department.code}-{disclosure.year}-结转.xlsx")


@roles(*ANYONE)
@require_GET
def version_file(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    note_download(request, version.disclosure, f"第{version.number}版原文件 {version.filename}")
    return download(store.get(version.sha256), version.filename)


@roles(*ANYONE)
@require_GET
def version_output(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version = version_for(request, pk)
    artifact = get_object_or_404(Artifact, version=version, format=fmt)
    page = fmt.startswith("p") and fmt[1:].isdigit()
    if not page:
        note_download(request, version.disclosure, f"第{version.number}版 {fmt.upper()}")
    d = version.disclosure
    name = f"{d.department.code}-{d.year}-v{version.number}." + ("png" if page else fmt)
    return download(store.get(artifact.sha256), name, inline=page or fmt == "pdf")


@roles(*ANYONE)
@require_POST
def version_render(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    if version.errors:
        messages.error(request, "有错误的版本不能生成文件")
    else:
        services.request_render(request, version)
    return redirect(f"/d/{version.disclosure_id}/?version={version.pk}")


def _last_year(disclosure: Disclosure) -> Version | None:
    """The same department's approved version of the year before."""
    last = Disclosure.objects.filter(department=disclosure.department, year=disclosure.year - 1,
                                     approved__isnull=False).select_related("approved").first()
    return last.approved if last else None


@roles(*ANYONE)
@require_GET
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    disclosure = version.disclosure
    against = request.GET.get("against", "previous")
    if against == "approved":
        other = disclosure.approved or _last_year(disclosure)
    else:
        other = disclosure.versions.filter(number__lt=version.number).order_by("-number").first()
    result = None
    if other is not None:
        try:
            result = pool.run(work.diff, (store.get(other.sha256), other.filename),
                              (store.get(version.sha256), version.filename))
        except pool.WorkerFailed:
            result = {"ok": False}
    return render(request, "workbench/diff.html", {"d": disclosure, "version": version, "other": other,
                                                   "against": against, "result": result})


@roles(*ANYONE)
@require_GET
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = get_object_or_404(Job, pk=pk)
    if job.kind == "batch":
        if role(request.user) == CLERK:
            raise PermissionDenied
    else:
        version_for(request, job.version_id)
    return JsonResponse({"status": job.status, "done": job.status in (Job.DONE, Job.FAILED),
                         "message": job.message})
