"""A check's Chinese message as a workbook's clerk reads it: labels for YAML field names.

The checks name fields as the YAML file spells them (`three_public.reason`); for a workbook
each such name becomes the sheet and label the clerk sees (「三公」表的「增减原因」). The
words come from the sheet descriptions in `schema`, so they cannot drift from the workbook.
"""

from __future__ import annotations

import re
from functools import cache

from generator.workbook.schema import (
    PERF_PREFIX,
    PERF_TEXTS,
    SHEETS,
    FormSheet,
    GridSheet,
    TableSheet,
    TextSheet,
)

# Bare column names the checks use, and the sheet whose column they mean.
_COLUMNS = {"category": "项目", "gov": "表6经济科目", "name": "支出"}


@cache
def _labels() -> dict[str, str]:
    words: dict[str, str] = {}
    for sheet in SHEETS:
        if isinstance(sheet, FormSheet | TextSheet):
            for f in sheet.fields:
                words.setdefault(".".join(f.key), f"「{sheet.title}」表的「{f.label}」")
        elif isinstance(sheet, TableSheet):
            words.setdefault(".".join(sheet.path), f"「{sheet.title}」表")
            for f in sheet.columns:
                if _COLUMNS.get(f.key[0]) == sheet.title:
                    words[f.key[0]] = f"「{sheet.title}」表的「{f.label}」"
        elif isinstance(sheet, GridSheet):
            total = next(row for row in sheet.rows if len(row.path) == 1)  # the 合计 row: the reason only
            reason = sheet.columns[-1]
            words[".".join((*total.path, *reason.key))] = f"「{sheet.title}」表合计行的「{reason.label}」"
            words[reason.key[0]] = f"「{sheet.title}」表的「{reason.label}」"
    for f in PERF_TEXTS:
        words.setdefault(f.key[0], f"「{PERF_PREFIX}」的「{f.label}」")
    words.update({"period_funding": f"「{PERF_PREFIX}」的实施期资金", "annual_funding": f"「{PERF_PREFIX}」的年度资金"})
    return words


@cache
def _pattern() -> re.Pattern[str]:
    names = sorted(_labels(), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w.])", re.ASCII)


def for_workbook(zh: str) -> str:
    """`zh` with every YAML field name it mentions replaced by the workbook's sheet and label."""
    return _pattern().sub(lambda m: _labels()[m.group(1)], zh)
