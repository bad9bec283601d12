"""`budgetgen user add` and `budgetgen serve --demo`'s accounts: Argon2 hashes, clear refusals."""

from __future__ import annotations

import io

from generator.cli import main


def test_user_add_creates_an_account_with_an_argon2_hash(world, monkeypatch, tmp_path, capsys):
    from django.contrib.auth import get_user_model

    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase here\n"))
    assert main(["user", "add", "zhao", "--role", "填报人", "--dept", "084", "--password-stdin",
                 "--data", str(tmp_path)]) == 0
    user = get_user_model().objects.get(username="zhao")
    assert user.password.startswith("argon2$") and user.profile.department == world.a
    assert user.check_password("a long passphrase here")


def test_user_add_refuses_a_clerk_without_department_and_a_weak_password(world, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase here\n"))
    assert main(["user", "add", "qian", "--role", "填报人", "--password-stdin", "--data", str(tmp_path)]) == 2
    assert "填报人必须用 --dept 指定所属部门" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("12345\n"))
    assert main(["user", "add", "sun", "--role", "审核人", "--password-stdin", "--data", str(tmp_path)]) == 2
    assert "密码不符合要求" in capsys.readouterr().err


def test_demo_departments_are_uploaded_once_by_their_clerks(world):
    from generator.workbench.accounts import demo
    from generator.workbench.models import Version
    from tests.workbench.conftest import ROOT

    examples = len(list((ROOT / "inputs").glob("*.yaml")))
    created = demo(ROOT / "inputs")  # "reviewer" and "admin" exist already in this world
    assert [(name, role) for name, role, _ in created] == [(f"clerk{n}", "填报人") for n in range(1, examples + 1)]
    assert Version.objects.filter(errors=0).count() == examples
    assert demo(ROOT / "inputs") == []  # a second run adds nothing


def locked_out(world, username: str, password: str):
    """A clerk locked out by django-axes after five failed logins: the right password is refused too."""
    from django.test import Client

    from tests.workbench.conftest import make_user

    make_user(username, "填报人", world.a, password=password)
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": username, "password": "wrong password"})
    client.post("/login/", {"username": username, "password": password})
    assert "_auth_user_id" not in client.session
    return client


def logs_in(client, username: str, password: str) -> bool:
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_user_unlock_ends_a_login_lock_from_the_shell(world, tmp_path, capsys):
    from generator.workbench.models import AuditEntry

    client = locked_out(world, "clerk_pw", "correct horse battery")
    assert main(["user", "unlock", "clerk_pw", "--data", str(tmp_path)]) == 0
    assert "已解除 clerk_pw 的登录锁定，清除 6 次登录失败" in capsys.readouterr().out
    assert logs_in(client, "clerk_pw", "correct horse battery")
    entry = AuditEntry.objects.get(action="解除锁定")
    assert entry.username.startswith("命令行") and entry.detail == "clerk_pw：清除 6 次登录失败"
    assert main(["user", "unlock", "clerk_pw", "--data", str(tmp_path)]) == 0
    assert "没有登录失败记录" in capsys.readouterr().out


def test_the_admin_unlocks_users_in_the_app(world):
    from generator.workbench.models import AuditEntry
    from tests.workbench.conftest import client_for

    client = locked_out(world, "clerk_pw", "correct horse battery")
    admin = client_for(world.admin)
    users = admin.get("/admin/workbench/profile/").content.decode()
    assert "解除登录锁定" in users and "登录失败次数" in users
    profile = world.clerk_a.profile.__class__.objects.get(user__username="clerk_pw")
    response = admin.post("/admin/workbench/profile/", {"action": "unlock", "_selected_action": [profile.pk]}, follow=True)
    assert "已解除 1 个账号的登录锁定（清除 6 次登录失败）" in response.content.decode()
    assert logs_in(client, "clerk_pw", "correct horse battery")
    entry = AuditEntry.objects.get(action="解除锁定")
    assert (entry.username, entry.detail) == ("admin", "clerk_pw：清除 6 次登录失败")
    reviewer = client_for(world.reviewer).post("/admin/workbench/profile/",
                                               {"action": "unlock", "_selected_action": [profile.pk]})
    assert reviewer.status_code == 302 and "/admin/login/" in reviewer["Location"]  # not the reviewer's to do


def test_the_demo_data_is_the_examples_and_its_absence_is_said(world, monkeypatch, tmp_path, capsys):
    from generator.commands import serve
    from tests.workbench.conftest import ROOT

    assert sorted(p.read_bytes() for p in serve.EXAMPLES.glob("*.yaml")) == \
        sorted(p.read_bytes() for p in (ROOT / "inputs").glob("*.yaml"))
    monkeypatch.setattr(serve, "EXAMPLES", tmp_path / "demo")  # an installation without them
    assert main(["serve", "--demo", "--data", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert "找不到演示数据" in err and "reinstall budgetgen" in err
