"""The admin's pages (Django's admin, in Chinese): what a finance bureau's administrator does there
is kept sound and goes into the workbench's own audit log."""

from __future__ import annotations

from tests.workbench.conftest import client_for


def inline(prefix: str = "profile", **fields) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "1",
            f"{prefix}-MAX_NUM_FORMS": "1"}
    data.update({f"{prefix}-0-{k}": v for k, v in fields.items()})
    return data


def test_a_disclosure_is_not_added_by_hand(world):
    """The ledger makes one per department and year; the admin's 增加 page saved one with no
    department (an internal error)."""
    admin = client_for(world.admin)
    assert admin.get("/admin/workbench/disclosure/add/").status_code == 403
    assert "/admin/workbench/disclosure/add/" not in admin.get("/admin/").content.decode()
    assert admin.get(f"/admin/workbench/disclosure/{world.da.pk}/change/").status_code == 200  # its due date


def test_a_user_is_added_with_role_and_department_in_one_form(world):
    from django.contrib.auth import get_user_model

    admin = client_for(world.admin)
    page = admin.get("/admin/auth/user/add/").content.decode()
    assert "角色" in page and "所属部门" in page
    response = admin.post("/admin/auth/user/add/", {
        "username": "zhao", "password1": "a long passphrase 7", "password2": "a long passphrase 7",
        "usable_password": "true", **inline(role="填报人", department=str(world.a.pk))})
    assert response.status_code == 302, response.content.decode()[:3000]
    user = get_user_model().objects.get(username="zhao")
    assert (user.profile.role, user.profile.department) == ("填报人", world.a)
    assert client_for(user).get(f"/d/{world.da.pk}/").status_code == 200


def test_a_clerk_needs_a_department(world):
    from django.contrib.auth import get_user_model

    admin = client_for(world.admin)
    response = admin.post("/admin/auth/user/add/", {
        "username": "qian", "password1": "a long passphrase 7", "password2": "a long passphrase 7",
        "usable_password": "true", **inline(role="填报人", department="")})
    assert response.status_code == 200 and "填报人必须指定所属部门" in response.content.decode()
    assert not get_user_model().objects.filter(username="qian").exists()
    # the same on the roles' own list
    response = admin.post(f"/admin/workbench/profile/{world.clerk_a.profile.pk}/change/",
                          {"user": str(world.clerk_a.pk), "role": "填报人", "department": ""})
    assert response.status_code == 200 and "填报人必须指定所属部门" in response.content.decode()
    world.clerk_a.profile.refresh_from_db()
    assert world.clerk_a.profile.department == world.a


def test_an_admin_made_in_the_admin_can_use_the_admin(world):
    """The role 管理员 is what the workbench's pages check, Django's admin checks is_staff: a 管理员
    made or changed in the admin had the link 部门与用户管理 and was refused there."""
    from django.contrib.auth import get_user_model

    admin = client_for(world.admin)
    admin.post("/admin/auth/user/add/", {
        "username": "sun", "password1": "a long passphrase 7", "password2": "a long passphrase 7",
        "usable_password": "true", **inline(role="管理员", department="")})
    sun = get_user_model().objects.get(username="sun")
    assert sun.is_staff and sun.is_superuser
    assert client_for(sun).get("/admin/").status_code == 200
    # made a reviewer on the roles' list: no longer the admin's
    admin.post(f"/admin/workbench/profile/{sun.profile.pk}/change/", {"user": str(sun.pk), "role": "审核人"})
    sun.refresh_from_db()
    assert sun.profile.role == "审核人" and not sun.is_staff and not sun.is_superuser


def test_what_the_admin_changes_is_in_the_audit_log(world):
    """Roles, departments, due dates, passwords: who changed them, and to what."""
    from generator.workbench.models import AuditEntry

    admin = client_for(world.admin)
    admin.post(f"/admin/workbench/profile/{world.clerk_b.profile.pk}/change/",
               {"user": str(world.clerk_b.pk), "role": "填报人", "department": str(world.a.pk)})
    admin.post(f"/admin/workbench/disclosure/{world.da.pk}/change/", {"due_date": "2024-03-15"})
    admin.post(f"/admin/auth/user/{world.clerk_a.pk}/password/",
               {"password1": "a new long passphrase", "password2": "a new long passphrase",
                "usable_password": "true"})
    entries = list(AuditEntry.objects.filter(username="admin", action__startswith="后台").order_by("id")
                   .values_list("action", "detail", "disclosure"))
    assert len(entries) == 3, entries
    assert entries[0][0] == "后台修改" and "clerk_b" in entries[0][1] and "084 大同市商务局" in entries[0][1]
    assert entries[1][2] == world.da.pk and "2024-03-15" in entries[1][1]
    assert "clerk_a" in entries[2][1] and "密码" in entries[2][1]
    page = admin.get("/audit/").content.decode()
    assert "后台修改" in page


def test_an_account_without_a_role_is_told_so(world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="a long passphrase 9")
    response = client_for(user).get("/")
    assert response.status_code == 403 and "尚未分配角色" in response.content.decode()
