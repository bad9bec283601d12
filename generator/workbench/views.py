"""The pages of a disclosure: status, findings, versions, preview, diff, downloads, submit, review."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from itertools import groupby
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from generator.workbench import pool, services, store, wording, work
from generator.workbench.access import (
    ANYONE,
    BUREAU,
    disclosure_for,
    form_of,
    note_download,
    page_of_disclosure,
    page_of_version,
    role,
    roles,
    version_for,
)
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
    Finding,
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
        year = BudgetYear.objects.values_list("year", flat=True).first()
        if year is None:
            from generator.workbench.bureau import no_year

            return no_year(request)
        return redirect("dashboard", year=year)
    department = request.user.profile.department
    years = list(BudgetYear.objects.values_list("year", flat=True))
    for year in years:
        services.ensure_disclosures(year)
    # the budget years there are: one the admin removed is not due any more
    disclosures = Disclosure.objects.filter(department=department, year__in=years).order_by("-year")
    return render(request, "workbench/home.html", {"department": department, "disclosures": disclosures})


@roles(*ANYONE)
@require_GET
def disclosure_page(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)
    versions = list(disclosure.versions.select_related("created_by"))
    current = versions[0] if versions else None
    if "version" in request.GET and versions:
        current = next((v for v in versions if str(v.pk) == request.GET["version"]), current)
    findings = sorted(current.findings.all(), key=_in_workbook_order) if current else []
    for f in findings:  # the correction's box: a bare placeholder is its hint, not text to type over
        f.prefill = "" if _PLACEHOLDER.fullmatch(f.value) else f.value
    groups = [(sheet, list(items)) for sheet, items in groupby(findings, key=lambda f: f.sheet)]
    failed = list(disclosure.failed_uploads.select_related("created_by")[:10])
    since = versions[0].created_at if versions else None  # refused after the newest version: news
    artifacts = {a.format: a for a in current.artifacts.all()} if current else {}
    job = Job.objects.filter(kind="render", version=current).order_by("-id").first() if current else None
    return render(request, "workbench/disclosure.html", {
        "d": disclosure, "versions": versions, "current": current, "groups": groups,
        "artifacts": artifacts, "formats": FORMATS, "job": job, "downloads": [f for f in FORMATS if f in artifacts],
        "pages": [artifacts[k] for k in sorted(artifacts) if k.startswith("p") and k[1:].isdigit()],
        "failed": [u for u in failed if since is None or u.created_at > since],
        "older_failed": [u for u in failed if since is not None and u.created_at <= since],
        "reviews": list(disclosure.reviews.select_related("user", "version")[:20]),
        "editable": disclosure.status in EDITABLE, "role": role(request.user), "is_clerk": role(request.user) == CLERK,
        "is_bureau": role(request.user) in (REVIEWER, ADMIN),
        "carried_over": _last_year(disclosure) is not None,
        "figures": [(_ENGLISH.sub("", label), value) for label, value in current.figures] if current else [],
    })


_ENGLISH = re.compile(r"\s+[A-Za-z][A-Za-z ]*$")  # `check`'s bilingual labels (收支总计 total): the page is Chinese
_PLACEHOLDER = re.compile(r"【待填写[^】]*】")
_SHEETS: dict[str, int] = {}
_CELL = re.compile(r"!\$?([A-Z]{1,3})\$?(\d+)")
_LINE = re.compile(r"^第(\d+)行")


def _in_workbook_order(finding: Finding) -> tuple:
    """The findings of the file as a whole first, then sheet by sheet as the workbook has them
    (绩效表1, 绩效表2 … 绩效表10 after the others), each top to bottom."""
    from generator.workbook.schema import PERF_PREFIX, SHEETS, FormSheet, GridSheet, TableSheet, TextSheet

    if not _SHEETS:
        _SHEETS.update({sheet.title: n for n, sheet in enumerate(SHEETS, 1)
                        if isinstance(sheet, (FormSheet, GridSheet, TableSheet, TextSheet))})
    sheet = finding.sheet
    if sheet in _SHEETS:
        order = (_SHEETS[sheet], 0)
    elif sheet.startswith(PERF_PREFIX) and sheet[len(PERF_PREFIX):].isdigit():
        order = (len(_SHEETS) + 1, int(sheet[len(PERF_PREFIX):]))
    elif sheet == wording.WHOLE_FILE:
        order = (0, 0)
    else:
        order = (len(_SHEETS) + 2, 0)
    cell, line = _CELL.search(finding.place), _LINE.match(finding.place)
    row = int(cell.group(2)) if cell else int(line.group(1)) if line else 0
    column = (len(cell.group(1)), cell.group(1)) if cell else (0, "")
    return (*order, sheet, row, column, finding.pk)


def _clerk_of(request: HttpRequest, pk: int) -> Disclosure:
    """Only the department's own clerk changes its data."""
    disclosure = disclosure_for(request, pk)
    if role(request.user) != CLERK:
        raise PermissionDenied
    return disclosure


@roles(CLERK)
@form_of(page_of_disclosure)
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _clerk_of(request, pk)
    file = request.FILES.get("file")
    name = (file.name if file is not None else "") or "upload.xlsx"
    return _answer(request, pk, lambda: _saved(
        services.add_version(request, disclosure, name, _upload_content(file, name)), wording.UNREADABLE_UPLOAD))


def _upload_content(file, name: str) -> bytes:
    if file is None:
        raise services.Refused(wording.CHOOSE_FILE)
    if file.size > settings.MAX_UPLOAD_BYTES:
        raise services.Refused(wording.TOO_LARGE.format(mb=settings.MAX_UPLOAD_BYTES // (1024 * 1024)))
    if not name.lower().endswith((".xlsx", ".yaml", ".yml")):
        raise services.Refused(wording.WRONG_KIND)
    return file.read()


class Left(str):
    """Done, with something left to do before the next step: said as a warning, not a success."""


def _answer(request: HttpRequest, pk: int, act: Callable[[], str]) -> HttpResponse:
    """Do one change of a disclosure; say on its page what became of it, or why it was refused."""
    try:
        said = act()
        (messages.warning if isinstance(said, Left) else messages.success)(request, said)
    except services.Refused as refused:
        messages.error(request, str(refused))
    return redirect("disclosure", pk=pk)


def _saved(result: Version | FailedUpload, unreadable: str) -> str:
    """What became of an upload or edit: a version, or a file that could not be read (kept, not a
    version, each of its first problems with the place it is at)."""
    if isinstance(result, FailedUpload):
        raise services.Refused(unreadable + "；".join(f"{place}：{zh}" if place else zh
                                                      for place, zh, *_ in result.messages[:3]))
    said = wording.SAVED.format(version=result, errors=result.errors, warnings=result.warnings)
    if result.origin == wording.EDITED_IN_PAGE:
        said += wording.EDITED_HINT
    if not result.submittable:
        return Left(said + wording.SAVED_BLOCKED.format(blocking=result.blocking))
    return said


@roles(CLERK)
@form_of(page_of_disclosure)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _clerk_of(request, pk)
    version = get_object_or_404(Version, pk=request.POST.get("version", "0") or "0", disclosure=disclosure)
    path, value = request.POST.get("path", ""), request.POST.get("value", "")

    def edit_one() -> str:
        if not path:
            raise services.Refused(wording.NO_PLACE)
        return _saved(services.edit_version(request, version, path, value), wording.UNREADABLE_EDIT)
    return _answer(request, pk, edit_one)


@roles(CLERK)
@form_of(page_of_disclosure)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = _clerk_of(request, pk)
    seen = request.POST.get("version")
    return _answer(request, pk, lambda: wording.SUBMITTED.format(version=services.submit(request, disclosure, seen)))


@roles(*BUREAU)
@form_of(page_of_disclosure)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)
    action, comment = request.POST.get("action"), request.POST.get("comment", "").strip()
    decisions = {"approve": (services.approve, wording.APPROVED), "return": (services.send_back, wording.RETURNED)}
    if action not in decisions:
        return HttpResponse(wording.UNKNOWN_ACTION, status=400)
    decide, said = decisions[action]

    def decided() -> str:
        decide(request, disclosure, comment, request.POST.get("version"))
        return said
    return _answer(request, pk, decided)


@roles(*BUREAU)
@form_of(page_of_disclosure)
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)

    def record() -> str:
        url = request.POST.get("url", "").strip()
        try:
            date = datetime.date.fromisoformat(request.POST.get("date", ""))
            URLValidator(schemes=["http", "https"])(url)
        except (ValueError, ValidationError):
            raise services.Refused(wording.PUBLICATION_FORM) from None
        services.publish(request, disclosure, date, url)
        return wording.PUBLISHED
    return _answer(request, pk, record)


@roles(*ANYONE)
@require_GET
def blank(request: HttpRequest, pk: int) -> HttpResponse:
    disclosure = disclosure_for(request, pk)
    content = pool.run(work.blank_workbook, disclosure.department.kind, disclosure.year)
    return download(content, wording.BLANK_NAME.format(code=disclosure.department.code, year=disclosure.year))


@roles(*ANYONE)
@require_GET
def next_year(request: HttpRequest, pk: int) -> HttpResponse:
    """This year's workbook carried over from last year's approved version (`init --from`)."""
    disclosure = disclosure_for(request, pk)
    version = _last_year(disclosure)
    if version is None:
        raise Http404(wording.NO_LAST_YEAR)
    try:
        content = pool.run(work.next_year_workbook, store.get(version.sha256), version.filename, disclosure.year)
    except pool.WorkerFailed:
        return HttpResponse(wording.RETRY, status=503)
    note_download(request, disclosure, wording.CARRIED_AUDIT.format(year=disclosure.year))
    return download(content, wording.CARRIED_NAME.format(code=disclosure.department.code, year=disclosure.year))


@roles(*ANYONE)
@require_GET
def version_file(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    note_download(request, version.disclosure, wording.ORIGINAL_AUDIT.format(version=version, filename=version.filename))
    name = version.filename
    if version.origin != wording.UPLOAD:  # not the file the clerk has: a name of its own
        stem, dot, suffix = name.rpartition(".")
        name = wording.EDITED_NAME.format(stem=stem or suffix, version=version.number,
                                          suffix=f".{suffix}" if stem and dot else "")
    return download(store.get(version.sha256), name)


@roles(*ANYONE)
@require_GET
def version_output(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    version = version_for(request, pk)
    artifact = get_object_or_404(Artifact, version=version, format=fmt)
    page = fmt.startswith("p") and fmt[1:].isdigit()
    if not page:
        note_download(request, version.disclosure, wording.OUTPUT_AUDIT.format(version=version, format=fmt.upper()))
    d = version.disclosure
    name = f"{d.department.code}-{d.year}-v{version.number}." + ("png" if page else fmt)
    return download(store.get(artifact.sha256), name, inline=page or fmt == "pdf")


@roles(*ANYONE)
@form_of(page_of_version)
def version_render(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk)
    if version.errors:
        messages.error(request, wording.NO_RENDER_WITH_ERRORS)
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
