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
