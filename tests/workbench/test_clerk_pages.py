"""The clerk's page, as a clerk on an office PC reads it: every message says where and what to do,
the findings come in the workbook's order, only what can be corrected in the page is offered for it."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workbench.conftest import client_for


def upload(client, disclosure, name: str, content: bytes, follow: bool = True):
    return client.post(f"/d/{disclosure.pk}/upload", {"file": SimpleUploadedFile(name, content)}, follow=follow)


def slipped(workbook: bytes, change) -> bytes:
    """The workbook with a clerk's everyday slip made in Excel (openpyxl)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(workbook))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def messages(page: str) -> str:
    return page[page.index('<ul class="messages">'):page.index("</ul>", page.index('<ul class="messages">'))]


def test_an_unreadable_upload_says_where_in_the_message(world, commerce_xlsx):
    """Text in an amount cell: the message at the top of the page names the cell, not only the rule
    (the details were at the bottom of a long page)."""
    def text_in_amount(wb):
        wb["支出"]["C3"] = "四百二十五万"

    page = upload(client_for(world.clerk_a), world.da, "商务局.xlsx", slipped(commerce_xlsx, text_in_amount)).content.decode()
    said = messages(page)
    assert "文件未被接受" in said and "支出!C3" in said and "四百二十五万" in said


def test_a_renamed_sheet_is_named_without_a_dangling_mark(world, commerce_xlsx):
    def rename(wb):
        wb["三公"].title = "三公经费"

    page = upload(client_for(world.clerk_a), world.da, "商务局.xlsx", slipped(commerce_xlsx, rename)).content.decode()
    assert "缺少工作表「三公」" in messages(page)
    assert "三公!" not in page


def test_a_saved_version_that_cannot_be_submitted_is_not_said_as_plain_success(world, commerce_xlsx):
    """A wrong total: saved as a version, but the green 已保存 read as done; it says what is left."""
    def wrong_total(wb):
        wb["项目"]["E3"] = "598900"

    page = upload(client_for(world.clerk_a), world.da, "商务局.xlsx", slipped(commerce_xlsx, wrong_total)).content.decode()
    said = messages(page)
    assert '<li class="warning">' in said and "已保存为第1版：错误 1 个" in said
    assert "不能提交" in said
    clean = upload(client_for(world.clerk_a), world.da, "商务局.xlsx", commerce_xlsx).content.decode()
    assert '<li class="success">' in messages(clean)


def test_only_a_single_value_is_offered_for_correction_in_the_page(world, commerce_xlsx):
    """A finding about a whole table (项目 against 支出) or a group of values (车辆) had a 保存修改 box
    that could only answer 找不到要修改的位置."""
    def wrong_total(wb):
        wb["项目"]["E3"] = "598900"
        wb["文字"]["D2"] = "【待填写】"

    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.xlsx", slipped(commerce_xlsx, wrong_total))
    version = world.da.versions.get()
    whole = version.findings.get(check_id="E-I18")
    vehicles = version.findings.get(check_id="W-VEHICLES")
    placeholder = version.findings.get(check_id="W-PLACEHOLDER")
    assert (whole.editable, vehicles.editable, placeholder.editable) == (False, False, True)
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert f'name="path" value="{placeholder.path}"' in page
    assert f'name="path" value="{whole.path}"' not in page and f'name="path" value="{vehicles.path}"' not in page
    assert "在工作簿中改正后重新上传" in page


def test_findings_come_in_the_order_of_the_workbook(world, commerce_xlsx):
    """Sheets as the workbook has them (基本信息 first, 绩效表10 after 绩效表9), rows top to bottom."""
    def slips(wb):
        wb["项目"]["E3"] = "598900"
        wb["文字"]["D2"] = "【待填写】"

    page = upload(client_for(world.clerk_a), world.da, "商务局.xlsx", slipped(commerce_xlsx, slips)).content.decode()
    headings = [page.index(f">{sheet}</h4>") for sheet in ("基本信息", "文字", "项目", "绩效表8", "绩效表9")]
    assert headings == sorted(headings)
    # a long list of findings opens with where they are, each sheet a link to its part
    assert '<a href="#sheet-1">基本信息（1）</a>' in page and '<h4 id="sheet-1">基本信息</h4>' in page
    rows = [page.index(cell) for cell in ("绩效表9!E24", "绩效表9!E25", "绩效表9!E27")]
    assert rows == sorted(rows)


def test_the_file_of_an_edited_version_is_not_called_the_uploaded_original(world, commerce_xlsx):
    """After a correction in the page the clerk's own copy is out of date: the page says so and offers
    this version's file under a name of its own."""
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.xlsx", slipped(commerce_xlsx, lambda wb: wb["文字"].__setitem__("D2", "【待填写】")))
    first = world.da.versions.get()
    path = first.findings.get(check_id="W-PLACEHOLDER").path
    page = clerk.post(f"/d/{world.da.pk}/edit", {"version": first.pk, "path": path, "value": "贯彻执行方针政策。"},
                      follow=True).content.decode()
    second = world.da.versions.get(number=2)
    assert "已保存为第2版" in messages(page) and "下载本版文件" in messages(page)
    assert "下载上传的原文件" not in page and "下载本版文件（含页面修改）" in page
    response = clerk.get(f"/v/{second.pk}/file")
    assert "%E5%95%86%E5%8A%A1%E5%B1%80-%E7%AC%AC2%E7%89%88.xlsx" in response["Content-Disposition"]  # 商务局-第2版.xlsx
    assert "filename*=UTF-8''%E5%95%86%E5%8A%A1%E5%B1%80.xlsx" in clerk.get(f"/v/{first.pk}/file")["Content-Disposition"]


def test_the_clerk_sees_the_due_date(world):
    from generator.workbench.models import BudgetYear, Disclosure

    BudgetYear.objects.filter(year=2024).update(due_date="2024-02-28")
    clerk = client_for(world.clerk_a)
    assert "2024-02-28" in clerk.get("/").content.decode()
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert "截止日期 2024-02-28" in page and "已逾期" in page
    Disclosure.objects.filter(pk=world.da.pk).update(due_date="2099-03-15")  # this department's own
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert "截止日期 2099-03-15" in page and "已逾期" not in page


def test_failed_uploads_before_the_current_version_are_not_shown_as_news(world, commerce_xlsx):
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "坏的.xlsx", b"PK\x03\x04 broken")
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert page.index("坏的.xlsx") < page.index("还没有上传任何版本")  # beside the upload form
    upload(clerk, world.da, "商务局.xlsx", commerce_xlsx)
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert "较早未被接受的上传（1）" in page
    assert page.index("坏的.xlsx") > page.index("检查结果")


def test_a_wrong_password_keeps_the_user_name(world):
    from django.test import Client

    page = Client().post("/login/", {"username": "clerk_a", "password": "wrong"}).content.decode()
    assert "用户名或密码不正确" in page and 'value="clerk_a"' in page


def test_the_key_figures_are_in_chinese(world, commerce_xlsx):
    """`check` prints them for both languages (收支总计 total); the clerk's page is Chinese."""
    page = upload(client_for(world.clerk_a), world.da, "商务局.xlsx", commerce_xlsx).content.decode()
    figures = page[page.index('<table class="figures">'):]
    figures = figures[:figures.index("</table>")]
    assert "<th>收支总计</th>" in figures and "<th>  比上年</th>" in figures
    assert not any(word in figures for word in ("total", "prior year", "projects"))


def test_a_clerk_is_told_why_there_is_no_upload_form(world):
    """Submitted: the 填报 card is gone; the page says why and what to do."""
    from tests.workbench.conftest import COMMERCE

    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    clerk.post(f"/d/{world.da.pk}/submit")
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    assert "第1版已提交审核" in page and "请联系审核人退回" in page
    # a form from a page opened before: refused with the same advice
    refused = upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes()).content.decode()
    assert "请联系审核人退回" in messages(refused)


def test_a_placeholder_is_not_typed_over(world):
    """The box for a 【待填写：…】 starts empty, the placeholder shown as its hint: the clerk typed
    after it, or had to select it first."""
    clerk = client_for(world.clerk_a)
    blank = clerk.get(f"/d/{world.da.pk}/blank.xlsx").content
    page = upload(clerk, world.da, "空白.xlsx", blank).content.decode()
    assert 'name="value" value="" placeholder="【待填写：' in page
    assert 'name="value" value="【待填写' not in page


def test_an_old_excel_file_is_refused_with_what_to_do(world):
    """WPS and older Excel save .xls or .et: the refusal says how to make an .xlsx of it."""
    for name in ("商务局.xls", "商务局.et"):
        page = upload(client_for(world.clerk_a), world.da, name, b"\xd0\xcf\x11\xe0 old").content.decode()
        assert "另存为" in messages(page) and ".xlsx" in messages(page)
    assert world.da.versions.count() == 0


def test_a_return_is_said_at_the_top_of_the_clerks_page(world):
    """The reviewer's comment was only in 审核记录, below 主要数据, out of sight at 1366×768."""
    from tests.workbench.conftest import COMMERCE

    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    clerk.post(f"/d/{world.da.pk}/submit")
    client_for(world.reviewer).post(f"/d/{world.da.pk}/review", {"action": "return", "comment": "表3 项目名称请与项目库一致"})
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    notice = page.index('class="returned-notice')
    assert notice < page.index("<h2>填报</h2>")
    assert "表3 项目名称请与项目库一致" in page[notice:page.index("<h2>填报</h2>")]


def test_a_version_with_a_placeholder_is_compared_like_any_other(world):
    """A 【待填写】 is no error: the diff said 有错误的版本无法生成文件 for it (it composed only what
    `render` would publish); it compares what `render --draft` composes."""
    from tests.workbench.conftest import COMMERCE

    clerk = client_for(world.clerk_a)
    text = COMMERCE.read_text(encoding="utf-8")
    upload(clerk, world.da, "商务局.yaml", text.replace("承办市人民政府交办的其他事项。", "【待填写】").encode("utf-8"))
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    second = world.da.versions.get(number=2)
    page = clerk.get(f"/v/{second.pk}/diff?against=previous").content.decode()
    assert "有错误" not in page
    assert "文字（1 处变化）" in page and "承办市人民政府交办的其他事项。" in page
