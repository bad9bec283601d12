"""A page left open while someone else changed the disclosure: what it shows is what is acted on.

Two clerks of one department, or one clerk with two tabs, or a reviewer whose page is an hour old:
an edit, a submission or an approval made from a page that shows an older version is refused with
a message that says to reload, never applied to a version the person has not seen.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workbench.conftest import COMMERCE, client_for


def upload(client, disclosure, name: str, content: bytes):
    return client.post(f"/d/{disclosure.pk}/upload", {"file": SimpleUploadedFile(name, content)})


def test_an_edit_from_a_page_showing_an_older_version_is_refused(world):
    """Editing version 1 after version 2 was uploaded would silently undo version 2's changes."""
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    first = world.da.versions.get()
    changed = COMMERCE.read_text(encoding="utf-8").replace("承办市人民政府交办的其他事项。", "承办交办事项。")
    upload(clerk, world.da, "商务局.yaml", changed.encode("utf-8"))  # another tab: version 2
    page = clerk.post(f"/d/{world.da.pk}/edit", {"version": first.pk, "path": "overview.duties[0]",
                                                 "value": "新的职责。"}, follow=True).content.decode()
    assert world.da.versions.count() == 2  # no version 3 made of version 1
    assert "第2版" in page and "刷新" in page and "修改未保存" in page


def test_a_submission_from_a_page_showing_an_older_version_is_refused(world):
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    first = world.da.versions.get()
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    page = clerk.post(f"/d/{world.da.pk}/submit", {"version": first.pk}, follow=True).content.decode()
    world.da.refresh_from_db()
    assert world.da.status == "填报中" and world.da.submitted is None
    assert "第2版" in page and "刷新" in page
    # from the page that shows version 2, it is submitted
    clerk.post(f"/d/{world.da.pk}/submit", {"version": world.da.versions.get(number=2).pk})
    world.da.refresh_from_db()
    assert world.da.status == "待审核" and world.da.submitted.number == 2


def test_the_submit_form_names_the_version_it_shows(world):
    clerk = client_for(world.clerk_a)
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    version = world.da.versions.get()
    page = clerk.get(f"/d/{world.da.pk}/").content.decode()
    form = page[page.index(f'action="/d/{world.da.pk}/submit"'):]
    form = form[:form.index("</form>")]
    assert f'name="version" value="{version.pk}"' in form


def test_an_approval_from_a_page_showing_an_earlier_submission_is_refused(world):
    """Returned, corrected and submitted again while the reviewer's page still showed the first
    submission: approving from that page would approve a version the reviewer has not seen."""
    clerk, reviewer = client_for(world.clerk_a), client_for(world.reviewer)
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    first = world.da.versions.get()
    clerk.post(f"/d/{world.da.pk}/submit", {"version": first.pk})
    page = reviewer.get(f"/d/{world.da.pk}/").content.decode()
    review = page[page.index(f'action="/d/{world.da.pk}/review"'):]
    assert f'name="version" value="{first.pk}"' in review[:review.index("</form>")]
    reviewer.post(f"/d/{world.da.pk}/review", {"action": "return", "comment": "请修改", "version": first.pk})
    upload(clerk, world.da, "商务局.yaml", COMMERCE.read_bytes())
    clerk.post(f"/d/{world.da.pk}/submit", {"version": world.da.versions.get(number=2).pk})
    # another reviewer's page, opened before the return, still shows version 1
    page = client_for(world.admin).post(f"/d/{world.da.pk}/review",
                                        {"action": "approve", "version": first.pk}, follow=True).content.decode()
    world.da.refresh_from_db()
    assert world.da.status == "待审核" and world.da.approved is None
    assert "第2版" in page and "刷新" in page
    reviewer.post(f"/d/{world.da.pk}/review", {"action": "approve", "version": world.da.submitted.pk})
    world.da.refresh_from_db()
    assert world.da.status == "已批准" and world.da.approved.number == 2
