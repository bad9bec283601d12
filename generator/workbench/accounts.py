"""Accounts from the shell (`budgetgen user add`, `user unlock`) and the demo data (`budgetgen serve --demo`)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from generator.errors import UsageError
from generator.workbench import audit, wording
from generator.workbench.models import ADMIN, CLERK, ROLES, Department, Profile


def add_user(username: str, role: str, password: str, department: str | None = None) -> None:
    if role not in ROLES:
        raise UsageError(f"角色必须是 {'、'.join(ROLES)} 之一", f"the role must be one of {', '.join(ROLES)}")
    dept = None
    if role == CLERK:
        if not department:
            raise UsageError("填报人必须用 --dept 指定所属部门", "a 填报人 needs --dept CODE")
        dept = Department.objects.filter(code=department).first()
        if dept is None:
            raise UsageError(f"没有编码为 {department} 的部门", f"no department with code {department}")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise UsageError(f"用户 {username} 已存在", f"user {username} already exists")
    try:
        validate_password(password, User(username=username))
    except ValidationError as error:
        raise UsageError("密码不符合要求：" + "；".join(error.messages), "the password is too weak") from None
    with transaction.atomic():
        user = User.objects.create_user(username, password=password, is_staff=role == ADMIN,
                                        is_superuser=role == ADMIN)
        Profile.objects.create(user=user, role=role, department=dept)


def unlock(username: str, request: HttpRequest | None = None, by: str | None = None) -> int:
    """End a login lock (django-axes) of a user name: its failed attempts are forgotten, and the
    unlock goes into the audit log (by the admin of `request`, or `by` from the shell).

    Returns how many failed logins were forgotten (0: the name had none).
    """
    from axes.models import AccessAttempt
    from axes.utils import reset

    failures = sum(AccessAttempt.objects.filter(username=username).values_list("failures_since_start", flat=True))
    reset(username=username)
    audit.record(request, wording.UNLOCK, detail=wording.UNLOCKED.format(username=username, failures=failures),
                 username=by)
    return failures


def demo(examples: Path) -> list[tuple[str, str, str]]:
    """Departments from the example inputs, each uploaded once by its clerk; a reviewer and an admin.

    Returns the accounts created, with their passwords.
    """
    import yaml

    from generator.workbench.models import BudgetYear
    from generator.workbench.services import ensure_disclosures

    accounts, uploads = [], []
    User = get_user_model()
    for n, path in enumerate(sorted(examples.glob("*.yaml")), 1):
        document = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("document", {})
        department, _ = Department.objects.get_or_create(
            code=f"D{n:03d}", defaults={"name": str(document.get("name", path.stem)),
                                        "kind": document.get("kind", "部门")})
        year = int(document.get("year", 2024))
        BudgetYear.objects.get_or_create(year=year)
        accounts.append((f"clerk{n}", CLERK, department.code))
        uploads.append((f"clerk{n}", department, year, path))
    accounts += [("reviewer", "审核人", ""), ("admin", ADMIN, "")]
    created = []
    for username, role, dept in accounts:
        if User.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(12)
        add_user(username, role, password, dept or None)
        created.append((username, role, password))
    for year in BudgetYear.objects.values_list("year", flat=True):
        ensure_disclosures(year)
    _upload(uploads)
    return created


def _upload(uploads: list) -> None:
    """Each example uploaded by its department's clerk, once (checked in the worker pool)."""
    from types import SimpleNamespace

    from generator.workbench.models import Disclosure
    from generator.workbench.services import add_version

    for username, department, year, path in uploads:
        disclosure = Disclosure.objects.get(department=department, year=year)
        if not disclosure.versions.exists():
            request = SimpleNamespace(user=get_user_model().objects.get(username=username), META={})
            add_version(request, disclosure, path.name, path.read_bytes())
