"""The bureau's pages over many departments: the dashboard of a year, its links, the audit log."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workbench.conftest import COMMERCE, client_for


def test_a_year_nobody_set_up_is_not_created_by_opening_its_dashboard(world):
    """A typo in the address (/dashboard/1999/) made 1999 a budget year with a disclosure due from
    every department, listed on every clerk's page from then on."""
    from generator.workbench.models import BudgetYear, Disclosure

    reviewer = client_for(world.reviewer)
    for response in (reviewer.get("/dashboard/1999/"), reviewer.get("/dashboard/1999.xlsx"),
                     reviewer.post("/dashboard/1999/batch")):
        assert response.status_code == 404
    assert "没有 1999 年度" in reviewer.get("/dashboard/1999/").content.decode()
    assert not BudgetYear.objects.filter(year=1999).exists()
    assert not Disclosure.objects.filter(year=1999).exists()
    assert "1999" not in client_for(world.clerk_a).get("/").content.decode()


def test_with_no_budget_year_the_bureau_is_told_to_set_one_up(world):
    from generator.workbench.models import BudgetYear, Disclosure

    Disclosure.objects.all().delete()
    BudgetYear.objects.all().delete()
    page = client_for(world.admin).get("/", follow=True)
    assert page.status_code == 200 and "尚未设置预算年度" in page.content.decode()
    assert not BudgetYear.objects.exists() and not Disclosure.objects.exists()


def test_the_other_years_say_what_waits_for_review(world):
    """The bureau opens the newest year; a submission waiting in another year is said beside its link."""
    from generator.workbench.models import BudgetYear
    from generator.workbench.services import ensure_disclosures

    clerk = client_for(world.clerk_a)
    clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("商务局.yaml", COMMERCE.read_bytes())})
    clerk.post(f"/d/{world.da.pk}/submit")
    BudgetYear.objects.create(year=2025)
    ensure_disclosures(2025)
    response = client_for(world.reviewer).get("/", follow=True)
    page = response.content.decode()
    assert "2025年度预算公开进度" in page
    assert "2024年度（待审核 1）" in page


def test_the_last_change_of_a_disclosure_nobody_started_is_not_the_day_the_ledger_was_made(world):
    from django.utils import timezone

    page = client_for(world.reviewer).get("/dashboard/2024/").content.decode()
    row = page[page.index("大同市外事办"):]
    row = row[:row.index("</tr>")]
    assert timezone.localtime(world.db.updated_at).strftime("%Y-%m-%d") not in row


def test_the_audit_log_keeps_its_filters_from_page_to_page(world):
    """Page 2 of one clerk's entries was page 2 of everybody's."""
    from generator.workbench.audit import record

    for n in range(150):
        record(None, "上传", world.da, f"第{n}次", username="clerk_a")
    for n in range(150):
        record(None, "下载", world.db, f"第{n}次", username="reviewer")
    admin = client_for(world.admin)
    first = admin.get("/audit/?user=clerk_a").content.decode()
    assert "第1/2页" in first and 'href="?user=clerk_a&amp;page=2"' in first
    second = admin.get("/audit/?user=clerk_a&page=2").content.decode()
    assert "第2/2页" in second and "reviewer" not in second.split("<tbody>")[1]


def test_the_audit_log_is_filtered_by_action_from_a_list_and_by_department(world):
    """The action was a free text box that matched only the exact word (上传失败, 后台修改 …)."""
    from generator.workbench.audit import record

    record(None, "上传失败", world.da, "坏.xlsx", username="clerk_a")
    record(None, "上传", world.db, "外事办.xlsx", username="clerk_b")
    admin = client_for(world.admin)
    page = admin.get("/audit/").content.decode()
    assert '<select name="action">' in page and '<option value="上传失败">' in page
    assert '<option value="后台修改">' in page
    by_department = admin.get("/audit/?q=外事").content.decode().split("<tbody>")[1]
    assert "外事办.xlsx" in by_department and "坏.xlsx" not in by_department
    by_code = admin.get("/audit/?q=084").content.decode().split("<tbody>")[1]
    assert "坏.xlsx" in by_code and "外事办.xlsx" not in by_code


def test_a_budget_year_the_admin_removes_leaves_the_clerks_pages(world):
    """One made by mistake (before, by opening /dashboard/1999/): removed in the admin, its empty
    disclosures stayed on every clerk's page."""
    from generator.workbench.models import BudgetYear
    from generator.workbench.services import ensure_disclosures

    ensure_disclosures(1999)
    clerk = client_for(world.clerk_a)
    assert "1999年度" in clerk.get("/").content.decode()
    BudgetYear.objects.filter(year=1999).delete()
    page = clerk.get("/").content.decode()
    assert "1999年度" not in page and "2024年度" in page


def test_the_counts_of_the_dashboard_lead_to_their_departments(world):
    """With 300 departments, 待审核 3 is where the reviewer goes: each count is the status filter."""
    from urllib.parse import quote

    page = client_for(world.reviewer).get("/dashboard/2024/").content.decode()
    assert f'<a class="badge s-待审核" href="?status={quote("待审核")}">待审核 0</a>' in page
    assert f'<a class="badge s-未开始" href="?status={quote("未开始")}">未开始 2</a>' in page


def test_the_version_list_says_which_was_submitted_and_approved(world):
    clerk, reviewer = client_for(world.clerk_a), client_for(world.reviewer)
    for _ in range(2):
        clerk.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("商务局.yaml", COMMERCE.read_bytes())})
    clerk.post(f"/d/{world.da.pk}/submit")
    page = reviewer.get(f"/d/{world.da.pk}/").content.decode()
    versions = page[page.index('<table class="grid versions">'):]
    versions = versions[:versions.index("</table>")]
    assert versions.count("已提交") == 1 and "第2版</a> <small class=\"mark\">已提交" in versions
    reviewer.post(f"/d/{world.da.pk}/review", {"action": "approve"})
    page = reviewer.get(f"/d/{world.da.pk}/").content.decode()
    assert "第2版</a> <small class=\"mark\">已批准" in page
