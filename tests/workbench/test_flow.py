"""The clerk → reviewer story through Django's test client: versions, findings, the gate,
in-page edits, review, frozen documents, publication, the audit log, the dashboard."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workbench.conftest import COMMERCE, client_for


def upload(client, disclosure, name: str, content: bytes):
    return client.post(f"/d/{disclosure.pk}/upload", {"file": SimpleUploadedFile(name, content)})


def actions(disclosure) -> list[str]:
    from generator.workbench.models import AuditEntry

    return list(AuditEntry.objects.filter(disclosure=disclosure).order_by("id").values_list("action", flat=True))


def test_an_upload_with_errors_is_a_version_with_located_findings(world, broken_xlsx):
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.xlsx", broken_xlsx)
    world.da.refresh_from_db()
    version = world.da.versions.get()
    assert (version.number, version.errors, world.da.status) == (1, 4, "有错误")
    finding = version.findings.filter(check_id="E-CODE-CATEGORY").get()
    assert (finding.sheet, finding.place, finding.value) == ("支出", "支出!A3 9990101", "9990101")
    assert "不属于 30 个支出功能分类类级科目" in finding.zh
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert "支出!A3 9990101" in page and "不属于 30 个支出功能分类类级科目" in page
    assert actions(world.da) == ["上传"]
    # the gate: a version with errors is not submitted
    clerk.post(f"/d/{world.da.pk}/submit")
    world.da.refresh_from_db()
    assert world.da.status == "有错误" and world.da.submitted is None


def test_a_file_that_cannot_be_read_is_kept_as_a_failed_upload(world):
    from generator.workbench import store

    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "坏文件.xlsx", b"PK\x03\x04 this is not a workbook")
    failed = world.da.failed_uploads.get()
    assert failed.messages and store.get(failed.sha256) == b"PK\x03\x04 this is not a workbook"
    assert world.da.versions.count() == 0
    assert actions(world.da) == ["上传失败"]
    assert "坏文件.xlsx" in clerk.get(f"/d/{world.da.pk}/").content.decode()


@pytest.mark.parametrize(("text", "replaced"), [
    ("承办市人民政府交办的其他事项。", "【待填写】"),  # W-PLACEHOLDER
    ('supervisor_code: "084"', 'supervisor_code: "000"'),  # W-DEFAULT: the starter's code nobody chose
])
def test_what_blocks_render_blocks_submission(world, text, replaced):
    """The gate is `render`'s (Report.blocking): a placeholder or an unchosen default, not only errors."""
    content = COMMERCE.read_text(encoding="utf-8").replace(text, replaced)
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.yaml", content.encode("utf-8"))
    version = world.da.versions.get()
    assert (version.errors, version.blocking) == (0, 1)
    assert version.findings.get(check_id__in=("W-PLACEHOLDER", "W-DEFAULT")).blocks
    clerk.post(f"/d/{world.da.pk}/submit")
    world.da.refresh_from_db()
    assert world.da.status == "填报中"
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert "不能提交" in page and "不能发布 1 处" in page and 'id="submit"' not in page
    assert page.count('<strong class="blocks">不能发布</strong>') == 1  # the warning that blocks, marked


def test_the_whole_story(world, broken_xlsx):
    from generator.workbench import jobs, store
    from generator.workbench.models import Job

    clerk, reviewer = client_for(world.clerk_a), client_for(world.reviewer)
    upload(clerk, world.da, "商务局.xlsx", broken_xlsx)
    first = world.da.versions.get()
    # correct the value a finding names, in the page: a new version, checked again
    clerk.post(f"/d/{world.da.pk}/edit", {"version": first.pk, "path": "expenditure[0].code", "value": "2011301"})
    second = world.da.versions.get(number=2)
    assert (second.origin, second.errors, second.filename) == ("页面修改", 0, "商务局.xlsx")
    assert store.get(first.sha256) != store.get(second.sha256)  # the first version is unchanged
    assert "收支总计" in clerk.get(f"/d/{world.da.pk}/").content.decode()  # the key figures
    diff = clerk.get(f"/v/{second.pk}/diff?against=previous").content.decode()
    assert "有错误的版本无法生成文件" in diff  # the first version cannot be composed
    clerk.post(f"/d/{world.da.pk}/submit")
    world.da.refresh_from_db()
    assert (world.da.status, world.da.submitted) == ("待审核", second)
    # a clerk cannot approve; the reviewer returns it with a comment
    assert clerk.post(f"/d/{world.da.pk}/review", {"action": "approve"}).status_code == 403
    reviewer.post(f"/d/{world.da.pk}/review", {"action": "return", "comment": "请核对<b>项目</b>支出"})
    world.da.refresh_from_db()
    assert world.da.status == "已退回"
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert "请核对&lt;b&gt;项目&lt;/b&gt;支出" in page  # escaped
    # fix a paragraph, submit again, approve: the documents are rendered and frozen
    clerk.post(f"/d/{world.da.pk}/edit", {"version": second.pk, "path": "overview.duties[17]",
                                         "value": "承办市人民政府交办的其他事项（修订）。"})
    third = world.da.versions.get(number=3)
    assert third.errors == 0
    diff = clerk.get(f"/v/{third.pk}/diff?against=previous").content.decode()
    assert "文字（1 处变化）" in diff and "承办市人民政府交办的其他事项（修订）。" in diff
    clerk.post(f"/d/{world.da.pk}/submit")
    reviewer.post(f"/d/{world.da.pk}/review", {"action": "approve", "comment": "同意"})
    world.da.refresh_from_db()
    assert (world.da.status, world.da.approved) == ("已批准", third)
    assert jobs.run_pending() == 1
    job = Job.objects.get(kind="render", version=third)
    assert job.status == Job.DONE, job.message
    artifacts = {a.format: a for a in third.artifacts.all()}
    assert {"docx", "pdf", "xlsx", "json"} <= set(artifacts)
    pdf = reviewer.get(f"/v/{third.pk}/out/pdf")
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert body.startswith(b"%PDF") and hashlib.sha256(body).hexdigest() == artifacts["pdf"].sha256
    assert artifacts["pdf"].sha256 in reviewer.get(f"/d/{world.da.pk}/").content.decode()
    # publish with date and URL
    reviewer.post(f"/d/{world.da.pk}/publish", {"date": "2024-02-20", "url": "https://www.dt.gov.cn/yusuan/084"})
    world.da.refresh_from_db()
    assert world.da.status == "已公开" and world.da.publication.url.endswith("/084")
    assert actions(world.da) == ["上传", "修改", "提交", "退回", "修改", "提交", "批准", "下载", "公开"]
    # the dashboard, its xlsx, the batch zip
    dashboard = reviewer.get("/dashboard/2024/").content.decode()
    assert "大同市商务局" in dashboard and "已公开" in dashboard and "大同市外事办" in dashboard
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(reviewer.get("/dashboard/2024.xlsx").content)).active
    assert [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["已公开", "未开始"]
    reviewer.post("/dashboard/2024/batch")
    assert jobs.run_pending() == 1
    batch = Job.objects.get(kind="batch")
    archive = zipfile.ZipFile(io.BytesIO(reviewer.get(f"/jobs/{batch.pk}/zip").getvalue()))
    assert sorted(archive.namelist()) == ["084-大同市商务局-2024.docx", "084-大同市商务局-2024.pdf"]


def test_failed_logins_are_audited_and_rate_limited(world):
    from django.test import Client

    from generator.workbench.models import AuditEntry
    from tests.workbench.conftest import make_user

    make_user("clerk_pw", "填报人", world.a, password="correct horse battery")
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "clerk_pw", "password": "wrong password"})
    locked = client.post("/login/", {"username": "clerk_pw", "password": "correct horse battery"})
    assert locked.status_code == 429 or "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="登录失败", username="clerk_pw").count() >= 5
    other = Client()
    other.post("/login/", {"username": "admin_pw_missing", "password": "x"})
    make_user("reviewer_pw", "审核人", password="another good passphrase")
    response = other.post("/login/", {"username": "reviewer_pw", "password": "another good passphrase"})
    assert response.status_code == 302 and AuditEntry.objects.filter(action="登录", username="reviewer_pw").exists()


def test_the_audit_log_is_for_the_admin(world):
    from generator.workbench.audit import record

    record(None, "上传", world.da, "<script>alert(1)</script>", username="clerk_a")
    page = client_for(world.admin).get("/audit/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert client_for(world.reviewer).get("/audit/").status_code == 403


def test_the_batch_renders_approved_versions_not_yet_rendered(world):
    """The batch renders what is missing through the CLI's parallel path, then zips everything."""
    from generator.workbench import jobs
    from generator.workbench.models import Job

    clerk = client_for(world.clerk_b)
    upload(clerk, world.db, "外事办.yaml", COMMERCE.read_bytes())
    clerk.post(f"/d/{world.db.pk}/submit")
    world.db.refresh_from_db()
    reviewer = client_for(world.reviewer)
    reviewer.post(f"/d/{world.db.pk}/review", {"action": "approve"})
    Job.objects.filter(kind="render").delete()  # as if the server stopped before rendering it
    reviewer.post("/dashboard/2024/batch")
    assert jobs.run_pending() == 1
    batch = Job.objects.get(kind="batch")
    assert batch.status == Job.DONE and "失败" not in batch.message, batch.message
    archive = zipfile.ZipFile(io.BytesIO(reviewer.get(f"/jobs/{batch.pk}/zip").getvalue()))
    assert sorted(archive.namelist()) == ["085-大同市外事办-2024.docx", "085-大同市外事办-2024.pdf"]
    assert archive.read("085-大同市外事办-2024.pdf").startswith(b"%PDF")


def test_a_job_a_stopped_server_was_running_is_queued_again(world):
    from generator.workbench import jobs
    from generator.workbench.models import Job

    job = Job.objects.create(kind="batch", year=2024, requested_by=world.reviewer, status=Job.RUNNING)
    jobs.recover()
    job.refresh_from_db()
    assert job.status == Job.PENDING


def test_blank_and_next_year_workbooks(world):
    """The blank workbook (init --xlsx) and next year's, carried over from the approved version (init --from)."""
    from generator.workbench import work
    from generator.workbench.models import BudgetYear, Disclosure, Version
    from generator.workbench.services import ensure_disclosures

    clerk = client_for(world.clerk_a)
    blank = work.check(clerk.get(f"/d/{world.da.pk}/blank.xlsx").content, "blank.xlsx")
    assert blank["ok"] and blank["year"] == 2024 and blank["blocking"] > 0
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    Disclosure.objects.filter(pk=world.da.pk).update(status="已批准", approved=Version.objects.get(disclosure=world.da))
    BudgetYear.objects.create(year=2025)
    ensure_disclosures(2025)
    following = Disclosure.objects.get(department=world.a, year=2025)
    assert "下载由2024年度结转的工作簿" in clerk.get(f"/d/{following.pk}/").content.decode()
    carried = work.check(clerk.get(f"/d/{following.pk}/next-year.xlsx").content, "next.xlsx")
    assert carried["ok"] and carried["year"] == 2025 and carried["blocking"] > 0
    assert client_for(world.clerk_b).get(f"/d/{following.pk}/next-year.xlsx").status_code == 403


def test_a_version_the_gate_holds_back_previews_as_a_draft(world):
    """`render` would refuse it: its preview is `render --draft`'s, 草稿 on every page."""
    import subprocess

    from generator.workbench import jobs, store
    from generator.workbench.models import Job

    content = COMMERCE.read_text(encoding="utf-8").replace('supervisor_code: "084"', 'supervisor_code: "000"')
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.yaml", content.encode("utf-8"))
    version = world.da.versions.get()
    clerk.post(f"/v/{version.pk}/render")
    assert jobs.run_pending() == 1
    assert Job.objects.get(version=version).status == Job.DONE
    pdf = store.get(version.artifacts.get(format="pdf").sha256)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert text.count("草稿") >= text.count("\f") > 1


def test_an_edit_of_no_such_place_is_refused_and_saves_nothing(world, commerce_xlsx):
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.xlsx", commerce_xlsx)
    version = world.da.versions.get()
    page = clerk.post(f"/d/{world.da.pk}/edit", {"version": version.pk, "path": "document.nowhere[3]", "value": "1"},
                      follow=True).content.decode()
    assert "修改未保存：找不到要修改的位置" in page
    assert world.da.versions.count() == 1 and actions(world.da) == ["上传"]


def test_a_workbook_of_another_year_is_kept_as_a_failed_upload_that_says_where_it_belongs(world, commerce_xlsx):
    """The demo's pitfall: every department has a disclosure for each budget year, the newest listed
    first; a 2024 workbook uploaded to 2025 is not a version there, and the page says where it goes."""
    from generator.workbench.models import BudgetYear, Disclosure
    from generator.workbench.services import ensure_disclosures

    BudgetYear.objects.create(year=2025)
    ensure_disclosures(2025)
    following = Disclosure.objects.get(department=world.a, year=2025)
    clerk = client_for(world.clerk_a)
    page = clerk.post(f"/d/{following.pk}/upload", {"file": SimpleUploadedFile("商务局.xlsx", commerce_xlsx)},
                      follow=True).content.decode()
    assert "文件未被接受，未形成新版本：文件的预算年度为 2024，而本公开是 2025 年度：请在 2024 年度的页面上传" in page
    assert following.versions.count() == 0 and following.failed_uploads.get().filename == "商务局.xlsx"
    assert actions(following) == ["上传失败"]


def test_no_preview_where_the_temporary_folder_cannot_take_one(tmp_path, monkeypatch):
    """The files are made; only their preview pictures need a temporary folder."""
    import tempfile

    from generator.workbench.work import preview_pages

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    assert preview_pages(b"%PDF-1.7") == []
