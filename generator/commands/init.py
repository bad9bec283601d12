"""`budgetgen init [--kind 部门|单位] [--year YYYY] [--xlsx] [-o FILE]`: a starter file.

The starter workbook is the starter YAML written as a workbook, so both hold the same
placeholders and defaults.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2

from generator.commands.workbook_files import write_new
from generator.compose.phrasing import templates_dir
from generator.model.yamlsource import parse_yaml


def starter(kind: str, year: int) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir() / "common"),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    edition = 2023 if year <= 2023 else 2024
    return env.get_template("starter.yaml.j2").render(kind=kind, year=year, edition=edition)


def starter_workbook(kind: str, year: int) -> bytes:
    from generator.workbook.writer import write_workbook

    return write_workbook(parse_yaml(starter(kind, year).encode("utf-8"), "starter.yaml"))


def run(kind: str, year: int, output: Path | None, *, force: bool = False, xlsx: bool = False) -> int:
    if xlsx:
        write_new(output or Path(f"budget-{year}.xlsx"), starter_workbook(kind, year), force=force)
        return 0
    text = starter(kind, year)
    if output is None:
        sys.stdout.write(text)
        return 0
    write_new(output, text.encode("utf-8"), force=force)
    return 0
