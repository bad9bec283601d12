"""A form sent after the session ended (8 hours: a page left open overnight): the clerk logs in
again and lands on the page the form was on, told to send it again, not on a blank 405."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.workbench.conftest import COMMERCE, make_user


def test_an_upload_after_the_session_ended_leads_back_to_the_page(world):
    make_user("zhou", "填报人", world.a, password="a long passphrase 1")
    browser = Client()
    sent = browser.post(f"/d/{world.da.pk}/upload", {"file": SimpleUploadedFile("商务局.yaml", COMMERCE.read_bytes())})
    assert sent.status_code == 302 and "/login/" in sent["Location"]
    login = browser.get(sent["Location"])
    assert "登录已过期" in login.content.decode()
    after = browser.post(sent["Location"], {"username": "zhou", "password": "a long passphrase 1",
                                            "next": f"/d/{world.da.pk}/upload"}, follow=True)
    assert after.status_code == 200
    page = after.content.decode()
    assert after.redirect_chain[-1][0] == f"/d/{world.da.pk}/"
    assert "未保存" in page and "请重新" in page
    assert world.da.versions.count() == 0


def test_every_form_address_opened_directly_leads_to_its_page(world):
    from tests.workbench.conftest import client_for

    clerk, reviewer = client_for(world.clerk_a), client_for(world.reviewer)
    for client, path, page in ((clerk, f"/d/{world.da.pk}/edit", f"/d/{world.da.pk}/"),
                               (clerk, f"/d/{world.da.pk}/submit", f"/d/{world.da.pk}/"),
                               (reviewer, f"/d/{world.da.pk}/review", f"/d/{world.da.pk}/"),
                               (reviewer, f"/d/{world.da.pk}/publish", f"/d/{world.da.pk}/"),
                               (reviewer, "/dashboard/2024/batch", "/dashboard/2024/")):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, page), path
    # still only for those who may: another department's clerk is refused, not redirected
    assert client_for(world.clerk_b).get(f"/d/{world.da.pk}/upload").status_code == 403
