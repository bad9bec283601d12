"""The workbench's migrations on the database the tests run on (SQLite, or PostgreSQL in CI):
forward from the first schema with data in it, the kept versions carried over."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

FIRST = [("workbench", "0001_initial")]


def migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_versions_kept_before_the_gate_followed_render_count_what_blocks(world):
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("workbench")
    try:
        apps = migrate(FIRST)
        user = apps.get_model("auth", "User").objects.get(username="clerk_a")
        disclosure = apps.get_model("workbench", "Disclosure").objects.get(pk=world.da.pk)
        Version, Finding = apps.get_model("workbench", "Version"), apps.get_model("workbench", "Finding")
        numbers = {}
        for number, findings in enumerate([[("W-DEFAULT", "warning"), ("W-LONG-WORD", "warning")],
                                           [("E-TOTAL", "error"), ("W-PLACEHOLDER", "warning")], []], 1):
            version = Version.objects.create(disclosure=disclosure, number=number, filename="a.yaml", sha256="0" * 64,
                                             size=1, origin="上传", placeholders=0, created_by=user,
                                             errors=sum(s == "error" for _, s in findings))
            Finding.objects.bulk_create([Finding(version=version, check_id=c, severity=s, zh="…", en="…")
                                         for c, s in findings])
            numbers[number] = version.pk
    finally:
        migrate(latest)
    from generator.workbench.models import Version

    blocking = {v.number: (v.blocking, v.submittable) for v in Version.objects.filter(pk__in=numbers.values())}
    assert blocking == {1: (1, False), 2: (2, False), 3: (0, True)}


def test_the_migrations_match_the_models():
    from django.core.management import call_command

    call_command("makemigrations", "workbench", "--check", "--dry-run", verbosity=0)  # exits 1 if they differ
