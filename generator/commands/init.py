"""`budgetgen init [--kind 部门|单位] [--year YYYY] [-o FILE]`: a commented starter file."""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2

from generator.compose.phrasing import templates_dir
from generator.errors import UsageError
from generator.output import write_atomic


def starter(kind: str, year: int) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates_dir() / "common"),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    edition = 2023 if year <= 2023 else 2024
    return env.get_template("starter.yaml.j2").render(kind=kind, year=year, edition=edition)


def run(kind: str, year: int, output: Path | None, *, force: bool = False) -> int:
    text = starter(kind, year)
    if output is None:
        sys.stdout.write(text)
        return 0
    if output.exists() and not force:
        raise UsageError(f"文件已存在：{output}（用 --force 覆盖）",
                         f"{output} exists (use --force to overwrite)")
    write_atomic(output, text.encode("utf-8"))
    print(output)
    return 0
