"""`budgetgen init [--kind 部门|单位] [--year YYYY] [--from FILE] [--xlsx] [-o FILE]`: a starter file.

The starter workbook is the starter YAML written as a workbook, so both hold the same
placeholders and defaults. `--from` starts from last year's input instead (see
`generator.model.next_year`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2

from generator.commands.workbook_files import check_suffix, write_new
from generator.errors import UsageError
from generator.model.schema import YEARS
from generator.model.yamlsource import Source, parse_yaml
from generator.packs import DEFAULT_FORMAT, find_pack


def starter(kind: str, year: int, format_name: str = DEFAULT_FORMAT) -> str:
    """The format pack's starter.yaml.j2 for `kind` and `year`."""
    pack = find_pack(format_name)
    edition = pack.default_edition(year)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(pack.form(edition).template_dirs(kind)),
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template("starter.yaml.j2").render(kind=kind, year=year, edition=edition)


def carried_over(last: Path, year: int | None) -> tuple[dict, int]:
    """Next year's plain data from a valid input of last year (a YAML file or a workbook)."""
    from generator.pipeline import read_source

    return carried_over_source(read_source(last), year)


def carried_over_source(source: Source, year: int | None) -> tuple[dict, int]:
    """The same from a parsed file (the workbench holds its files in memory)."""
    from generator.model.next_year import next_year
    from generator.pipeline import DataErrors, check_source

    checked = check_source(source)
    if checked.report.errors:
        raise DataErrors(checked)
    year = year or checked.data.document.year + 1
    return next_year(checked.data, year), year


def run(kind: str, year: int | None, output: Path | None, *, force: bool = False, xlsx: bool = False,
        last: Path | None = None, format_name: str = DEFAULT_FORMAT) -> int:
    from datetime import date

    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise UsageError(f"预算年度应在 {YEARS[0]}–{YEARS[1]} 之间：{year}", f"the year must be {YEARS[0]}–{YEARS[1]}: {year}")
    if output is not None:  # before any work: a wrong name is refused at once
        check_suffix(output, ".xlsx" if xlsx else ".yaml")
    if last is not None:
        from generator.workbook.yamlout import to_yaml

        data, year = carried_over(last, year)
        text = to_yaml(data, header=f"# {year}年度输入，由 {last.name} 结转；把所有【待填写】换成今年的数字。\n"
                                    f"# {year} input carried over from {last.name}: replace every 【待填写】.\n")
    else:
        year = year or date.today().year + 1
        text = starter(kind, year, format_name)
    if xlsx:
        from generator.workbook.writer import write_workbook

        source = Source(file="starter.yaml", data=data) if last is not None else \
            parse_yaml(text.encode("utf-8"), "starter.yaml")
        write_new(output or Path(f"budget-{year}.xlsx"), write_workbook(source), force=force, suffix=".xlsx",
                  source=last)
        return 0
    if output is None:  # the file's bytes, UTF-8 whatever the terminal's encoding
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return 0
    write_new(output, text.encode("utf-8"), force=force, suffix=".yaml", source=last)
    return 0
