"""The whole story in a real browser: Debian's Chromium driven by Playwright (nothing downloaded).

clerk uploads a workbook with errors → fixes it in the page → submits → the reviewer returns it →
the clerk fixes a paragraph and submits again → approve (documents rendered by the job runner,
frozen with their SHA-256) → publish; another department's clerk opening A's pages by URL is
refused; a broken workbook upload is kept as a failed upload. With BUDGETGEN_SCREENSHOTS=DIR the
test saves the README's screenshots there (docs/images).
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--lang=zh-CN"]
TIMEOUT_MS = 120_000


@pytest.fixture
def server(world):
    """The workbench on a free loopback port (waitress), with its job runner."""
    from waitress import create_server

    from generator.workbench import jobs
    from generator.workbench.wsgi import application

    httpd = create_server(application, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    stop = jobs.start_runner()
    yield f"http://localhost:{httpd.effective_port}"
    stop.set()
    httpd.close()


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database calls are
    # still synchronous and never concurrent with it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def shot(page, name: str, selector: str | None = None) -> None:
    """A screenshot of the window (or of one element) for the README, when asked for."""
    folder = os.environ.get("BUDGETGEN_SCREENSHOTS")
    if folder:
        path = str(Path(folder) / f"workbench-{name}.png")
        (page.locator(selector).first if selector else page).screenshot(path=path)


def login(browser, base: str, username: str, password: str):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/(d/\d+/|dashboard/\d+/)?$"))
    return page


def test_the_whole_story_in_the_browser(world, server, browser, broken_xlsx):
    from playwright.sync_api import expect

    from tests.workbench.conftest import make_user

    make_user("zhang", "填报人", world.a, password="clerk passphrase 1")
    make_user("li", "填报人", world.b, password="clerk passphrase 2")
    make_user("wang", "审核人", password="reviewer passphrase")
    clerk = login(browser, server, "zhang", "clerk passphrase 1")
    expect(clerk.locator("h1")).to_have_text("大同市商务局")
    clerk.click("text=打开")
    disclosure_url = clerk.url
    clerk.set_input_files("input[type=file]", {"name": "商务局-2024.xlsx", "mimeType": "application/octet-stream",
                                                "buffer": broken_xlsx})
    clerk.click("text=上传并检查")
    expect(clerk.locator(".messages")).to_contain_text("已保存为第1版：错误 4 个")
    expect(clerk.locator("#status")).to_have_text("有错误")
    expect(clerk.locator("table.findings").first).to_contain_text("支出!A3 9990101")
    expect(clerk.locator("#submit")).to_have_count(0)  # the gate
    shot(clerk, "findings")
    # fix the value the finding names, in the page
    fix = clerk.locator("form.fix").first
    fix.locator("input[name=value]").fill("2011301")
    fix.locator("button").click()
    expect(clerk.locator(".messages")).to_contain_text("已保存为第2版：错误 0 个")
    clerk.click("#submit")
    expect(clerk.locator("#status")).to_have_text("待审核")

    from generator.workbench.models import BudgetYear, Department

    BudgetYear.objects.filter(year=2024).update(due_date="2024-02-28")  # past: the ledger flags what is late
    for n, name in enumerate(("大同市商务综合服务中心", "大同市混凝土发展中心"), 1):
        Department.objects.create(code=f"084{n:03d}", name=name, kind="单位", parent=world.a)
    reviewer = login(browser, server, "wang", "reviewer passphrase")
    expect(reviewer.locator("tr.overdue")).to_have_count(4)
    expect(reviewer.locator("h1")).to_contain_text("2024年度预算公开进度")
    shot(reviewer, "dashboard")
    reviewer.click("text=大同市商务局")
    reviewer.fill("textarea[name=comment]", "表3 的项目名称请与项目库一致")
    reviewer.click("#return")
    expect(reviewer.locator("#status")).to_have_text("已退回")

    clerk.goto(disclosure_url)
    expect(clerk.locator(".history")).to_contain_text("表3 的项目名称请与项目库一致")
    clerk.click("text=修改文字段落")
    paragraph = clerk.locator("form.paragraph").first
    paragraph.locator("textarea").fill("贯彻执行国家国内外贸易和国际经济合作的发展战略、方针、政策。")
    paragraph.locator("button").click()
    expect(clerk.locator(".messages")).to_contain_text("已保存为第3版")
    clerk.click("#submit")
    expect(clerk.locator("#status")).to_have_text("待审核")

    reviewer.reload()
    reviewer.fill("textarea[name=comment]", "同意公开")
    reviewer.click("#approve")
    expect(reviewer.locator("#status")).to_have_text("已批准")
    expect(reviewer.locator(".sha")).to_contain_text("SHA-256", timeout=TIMEOUT_MS)  # the page reloads itself
    expect(reviewer.locator(".pages img").first).to_be_visible()
    shot(reviewer, "approved")
    shot(reviewer, "preview", "section.card:has(.pages)")
    reviewer.fill("input[name=date]", "2024-02-20")
    reviewer.fill("input[name=url]", "https://www.dt.gov.cn/zwgk/yusuan/084.html")
    reviewer.click("#publish")
    expect(reviewer.locator("#status")).to_have_text("已公开")

    # another department's clerk: A's pages and files by URL are refused
    other = login(browser, server, "li", "clerk passphrase 2")
    version = world.da.versions.get(number=3)
    for path in (disclosure_url, f"{server}/v/{version.pk}/file", f"{server}/v/{version.pk}/out/pdf"):
        response = other.goto(path)
        assert response.status == 403
        expect(other.locator("h1")).to_have_text("无权访问")
    # a broken workbook: kept as a failed upload with its message, no version
    other.goto(f"{server}/d/{world.db.pk}/")
    other.set_input_files("input[type=file]", {"name": "损坏.xlsx", "mimeType": "application/octet-stream",
                                                "buffer": b"PK\x03\x04 broken"})
    other.click("text=上传并检查")
    expect(other.locator(".messages")).to_contain_text("文件未被接受，未形成新版本")
    expect(other.locator(".failed")).to_contain_text("损坏.xlsx")
    shot(other, "failed-upload")
    assert world.db.versions.count() == 0
