"""Django for the workbench tests: a fresh data folder, SQLite (or PostgreSQL when
BUDGETGEN_TEST_PG holds a DSN), migrated once; every test starts from empty tables."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMMERCE = ROOT / "inputs" / "datong-commerce-2024.yaml"


DATA = Path(tempfile.mkdtemp(prefix="budgetgen-workbench-"))


def pytest_configure(config) -> None:
    data = DATA
    os.environ["BUDGETGEN_WORKERS"] = "2"
    os.environ["BUDGETGEN_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    from generator.workbench.server import configure

    configure(data, os.environ.get("BUDGETGEN_TEST_PG") or None)
    from django.db import connection

    if connection.vendor == "postgresql":  # a throwaway database: start from an empty schema
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    from generator.workbench.server import migrate

    migrate()


def pytest_unconfigure(config) -> None:
    import shutil

    from generator.workbench import pool

    pool.shutdown()
    shutil.rmtree(DATA, ignore_errors=True)


@dataclass
class World:
    a: object  # Department
    b: object
    clerk_a: object  # users
    clerk_b: object
    reviewer: object
    admin: object
    da: object  # Disclosure of A, 2024
    db: object


def make_user(username: str, role: str, department=None, password: str | None = None):
    from django.contrib.auth import get_user_model

    from generator.workbench.models import ADMIN, Profile

    user = get_user_model().objects.create(username=username, is_staff=role == ADMIN, is_superuser=role == ADMIN)
    if password:
        user.set_password(password)
        user.save()
    Profile.objects.create(user=user, role=role, department=department)
    return user


@pytest.fixture
def world() -> World:
    from django.core.management import call_command

    from generator.workbench.models import ADMIN, CLERK, REVIEWER, BudgetYear, Department, Disclosure
    from generator.workbench.services import ensure_disclosures

    call_command("flush", interactive=False, verbosity=0)
    a = Department.objects.create(code="084", name="大同市商务局")
    b = Department.objects.create(code="085", name="大同市外事办")
    BudgetYear.objects.create(year=2024)
    ensure_disclosures(2024)
    return World(a, b, make_user("clerk_a", CLERK, a), make_user("clerk_b", CLERK, b),
                 make_user("reviewer", REVIEWER), make_user("admin", ADMIN),
                 Disclosure.objects.get(department=a, year=2024), Disclosure.objects.get(department=b, year=2024))


@pytest.fixture(scope="session")
def commerce_xlsx() -> bytes:
    from generator.pipeline import read_source
    from generator.workbook.writer import write_workbook

    return write_workbook(read_source(COMMERCE))


@pytest.fixture(scope="session")
def broken_xlsx(commerce_xlsx: bytes) -> bytes:
    """The commerce workbook with a function code outside the 30 classes (four errors)."""
    from generator.workbench import work

    return work.edit(commerce_xlsx, "commerce.xlsx", "expenditure[0].code", "9990101")["content"]


def client_for(user=None):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client
