"""The finance bureau's pages: the dashboard of a year, its xlsx, the batch zip, the audit log."""

from __future__ import annotations

import contextlib
import datetime
import io
from functools import wraps

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from generator.workbench import audit, services, store, wording
from generator.workbench.access import BUREAU, form_of, page_of_dashboard, roles
from generator.workbench.models import (
    ADMIN,
    NOT_STARTED,
    PUBLISHED,
    STATUSES,
    SUBMITTED,
    AuditEntry,
    BudgetYear,
    Disclosure,
    Job,
    Version,
)
from generator.workbench.views import download


def rows(year: int, request: HttpRequest) -> list[dict]:
    """One row per department: status, findings of the newest version, due date, overdue flag."""
    services.ensure_disclosures(year)
    newest = Version.objects.filter(disclosure=OuterRef("pk")).order_by("-number")
    query = (Disclosure.objects.filter(year=year).select_related("department", "department__parent")
             .annotate(errors=Subquery(newest.values("errors")[:1]),
                       warnings=Subquery(newest.values("warnings")[:1]),
                       versions_count=Subquery(newest.values("number")[:1])))
    status, text = request.GET.get("status", ""), request.GET.get("q", "").strip()
    if status in STATUSES:
        query = query.filter(status=status)
    if text:
        query = query.filter(department__name__icontains=text) | query.filter(department__code__startswith=text)
    default_due = BudgetYear.objects.filter(year=year).values_list("due_date", flat=True).first()
    today = timezone.localdate()
    result = []
    for d in query.order_by("department__code"):
        due = d.due_date or default_due
        overdue = bool(due and today > due and d.status != PUBLISHED)
        if request.GET.get("overdue") and not overdue:
            continue
        result.append({"d": d, "due": due, "overdue": overdue, "errors": d.errors, "warnings": d.warnings,
                       "versions": d.versions_count or 0,
                       # nothing happened to it yet: its 最近变更 would be the day the ledger row was made
                       "started": bool(d.versions_count) or d.status != NOT_STARTED})
    return result


def no_year(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The page of a year that is not a budget year (or of none at all): it is not made one by
    being opened; the admin adds budget years."""
    return render(request, "workbench/no_year.html", {
        "year": year, "years": BudgetYear.objects.values_list("year", flat=True),
        "is_admin": request.user.profile.role == ADMIN}, status=200 if year is None else 404)


def _known(view):
    """The bureau's pages of a year answer only for a budget year the admin set up."""
    @wraps(view)
    def checked(request: HttpRequest, year: int) -> HttpResponse:
        if not BudgetYear.objects.filter(year=year).exists():
            return no_year(request, year)
        return view(request, year)
    return checked


@roles(*BUREAU)
@require_GET
@_known
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    table = rows(year, request)
    counts = {s: sum(r["d"].status == s for r in table) for s in STATUSES}
    batch = Job.objects.filter(kind="batch", year=year).order_by("-id").first()
    waiting = dict(Disclosure.objects.filter(status=SUBMITTED).values("year").annotate(n=Count("id"))
                   .values_list("year", "n"))
    return render(request, "workbench/dashboard.html", {
        "year": year, "rows": table, "counts": counts, "statuses": STATUSES, "batch": batch,
        "years": [(y, waiting.get(y, 0)) for y in BudgetYear.objects.values_list("year", flat=True)],
        "filters": request.GET, "is_admin": request.user.profile.role == ADMIN})


@roles(*BUREAU)
@require_GET
@_known
def dashboard_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = f"{year}年度"
    ws.append(["编码", "部门/单位", "上级部门", "状态", "错误", "警告", "版本数", "截止日期", "逾期", "最近变更"])
    for r in rows(year, request):
        d = r["d"]
        ws.append([d.department.code, d.department.name, d.department.parent.name if d.department.parent else "",
                   d.status, r["errors"] or 0, r["warnings"] or 0, r["versions"],
                   r["due"].isoformat() if r["due"] else "", "是" if r["overdue"] else "",
                   timezone.localtime(d.updated_at).strftime("%Y-%m-%d %H:%M") if r["started"] else ""])
    out = io.BytesIO()
    wb.save(out)
    return download(out.getvalue(), f"预算公开进度-{year}.xlsx")


@roles(*BUREAU)
@form_of(page_of_dashboard)
@_known
def batch(request: HttpRequest, year: int) -> HttpResponse:
    Job.objects.create(kind="batch", year=year, requested_by=request.user)
    audit.record(request, wording.BATCH, None, f"{year}年度已批准的公开文件")
    return redirect("dashboard", year=year)


@roles(*BUREAU)
@require_GET
def batch_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk, kind="batch", status=Job.DONE)
    audit.record(request, wording.DOWNLOAD, None, f"{job.year}年度批量文件")
    return FileResponse(store.path_of(job.result_sha256).open("rb"), as_attachment=True,
                        filename=f"预算公开-{job.year}.zip", content_type="application/zip")  # streamed: 300 documents


@roles(ADMIN)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.select_related("disclosure__department")
    if request.GET.get("user"):
        entries = entries.filter(username=request.GET["user"].strip())
    if request.GET.get("action"):
        entries = entries.filter(action=request.GET["action"])
    if request.GET.get("date"):
        with contextlib.suppress(ValueError):
            entries = entries.filter(at__date=datetime.date.fromisoformat(request.GET["date"]))
    if text := request.GET.get("q", "").strip():
        entries = entries.filter(Q(disclosure__department__name__icontains=text)
                                 | Q(disclosure__department__code__startswith=text))
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    kept = request.GET.copy()  # the filters, on every page's link
    kept.pop("page", None)
    return render(request, "workbench/audit.html", {"page": page, "filters": request.GET,
                                                    "actions": wording.ACTIONS, "kept": kept.urlencode()})
