"""What the clerk has not filled in yet: placeholders, defaults nobody chose, last year's text.

`W-PLACEHOLDER` and `W-DEFAULT` block `render` (see `findings.UNFILLED`); `W-STALE-YEAR`
lists texts that still name a past budget year after a rollover.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.checks.findings import Report
from generator.model.schema import PLACEHOLDER, BudgetInput
from generator.model.yamlsource import PathKey, Source

IDS = {
    "W-PLACEHOLDER": "a 【待填写】 placeholder of the starter file left unfilled",
    "W-DEFAULT": "a default of the starter file nobody chose (主管部门代码 000, the sample 支出 row)",
    "W-STALE-YEAR": "a text naming a past budget year as the current one (left over from an earlier file)",
    "W-TEMPLATE-TEXT": "a text still holding a template's blank (XX, ××, 某某) copied from another file",
    "W-YEAR-AHEAD": "a text naming a later year's budget (2025年部门预算 in a 2024 file): the year not updated?",
}
DEFAULT_SUPERVISOR = "000"
# Where naming the previous year is right: the asset date, names (a project started then),
# the history a performance table tells, and the date it was filled in.
_DATED: tuple[PathKey, ...] = (("assets", "as_of"), ("document",))
_DATED_LEAF = ("filled_on", "name", "project", "overview", "basis")
# 比2024年、较2024年、与2024年相比、截至2024年: a comparison or a date, not a stale text.
_COMPARED = "比较与同上至"
# An older year named as a budget's own year (not its 执行数 or 决算, which name past years rightly).
_BUDGET_YEAR = re.compile(rf"(?<![\d{_COMPARED}])((?:19|20)\d\d)年度?(?:部门|单位)?预算(?!执行|数执行)")


def check_placeholders(source: Source | None, report: Report) -> None:
    if source is not None and source.cells:  # a workbook: the values, located by cell
        for path, value in strings(source.data, ()):
            if PLACEHOLDER in value:
                report.warning("W-PLACEHOLDER", path, "还有未填写的内容：" + value.strip(),
                               "a placeholder is still unfilled: " + value.strip())
        return
    for number, line in enumerate(source.text.splitlines() if source else [], 1):
        if PLACEHOLDER in line.split("#", 1)[0]:
            report.at_line("W-PLACEHOLDER", "warning", number, "还有未填写的内容：" + line.strip(),
                           "a placeholder is still unfilled: " + line.strip())


def strings(value: object, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, (*path, i))
    elif isinstance(value, str):
        yield path, value


# The blanks of a template copied from another file or a circular: 大同市XX局, 完成××项, 某某单位.
_BLANK = re.compile(r"[XＸ×]{2,}|某某")


def check_template_texts(source: Source | None, report: Report) -> None:
    """W-TEMPLATE-TEXT: a text that still holds a template's blank is printed as it is."""
    for path, value in strings(source.data if source else {}, ()):
        found = _BLANK.search(value) if PLACEHOLDER not in value else None  # W-PLACEHOLDER's
        if found:
            shown = value[max(0, found.start() - 8):found.end() + 8].strip()
            report.warning("W-TEMPLATE-TEXT", path,
                           f"文字中还有模板的空白「{found[0]}」：…{shown}…。请换成实际内容",
                           f"a text still holds a template's blank {found[0]!r}: …{shown}… (fill it in)")


def check_defaults(data: BudgetInput, report: Report) -> None:
    """The starter's values that stand for "not chosen yet": they block `render` too."""
    if data.document.supervisor_code == DEFAULT_SUPERVISOR:
        report.warning("W-DEFAULT", ("document", "supervisor_code"),
                       "主管部门代码仍是空白模板的 000：请填写本部门的三位主管部门代码",
                       "the 主管部门代码 is still the starter's 000: enter the real 3-digit code")
    for i, row in enumerate(data.expenditure):
        amounts = (row.basic.total, row.project.total, row.carryover_basic.total, row.carryover_project.total)
        if not any(amounts):
            report.warning("W-DEFAULT", ("expenditure", i, "code"),
                           f"支出科目 {row.code} 的金额全部为 0（空白模板的示例行？）：请填写金额或删除此行",
                           f"every amount of expenditure row {row.code} is 0 (the starter's sample "
                           "row?): enter its amounts or delete the row")


def check_stale_years(data: BudgetInput, source: Source | None, report: Report) -> None:
    """Every text naming a past budget year as the current one, except dates that should name it."""
    if source is None:
        return
    year = data.document.year
    for path, value in strings(source.data, ()):
        found = stale_year(path, value, year)
        if found is not None:
            named = value[found:found + 4]
            shown = value[max(0, found - 8):found + 13].strip()
            past = "上一年度" if int(named) == year - 1 else "往年"
            report.warning("W-STALE-YEAR", path,
                           f"文字中仍是{past}「{named}年」：…{shown}…。请核对是否应为 {year}年",
                           f"a text still names the past year {named}: …{shown}… (should it be {year}?)")


def check_years_ahead(data: BudgetInput, source: Source | None, report: Report) -> None:
    """A text naming a later year's budget as its own: the texts were updated for the new
    year and 预算年度 was not (the cover, every title and table would print the old year)."""
    if source is None:
        return
    year = data.document.year
    for path, value in strings(source.data, ()):
        if any(path[:len(p)] == p for p in _DATED) or (path and path[-1] in _DATED_LEAF):
            continue
        found = next((m for m in _BUDGET_YEAR.finditer(value) if int(m[1]) > year), None)
        if found is not None:
            report.warning("W-YEAR-AHEAD", path,
                           f"文字中写的是「{found[0]}」，预算年度却是 {year}：预算年度是否还没有改？"
                           "（封面、标题和各表都按预算年度印出）",
                           f"a text names {found[0]!r} but the budget year is {year}: was the year "
                           "not updated? (the cover, titles and tables print the budget year)")


def stale_year(path: PathKey, text: str, year: int) -> int | None:
    """Where `text` (at `path`) names a past year as if it were the current one: the year
    before `year` anywhere, an older year only as a budget's year (2023年部门预算, a file
    carried over twice); a sentence that also names `year` compares, and is left alone."""
    if any(path[:len(p)] == p for p in _DATED) or (path and path[-1] in _DATED_LEAF):
        return None
    previous = [m.start() for m in re.finditer(rf"(?<![\d{_COMPARED}]){year - 1}年", text)]
    older = [m.start() for m in _BUDGET_YEAR.finditer(text) if int(m[1]) < year - 1]
    return next((at for at in sorted(previous + older) if f"{year}年" not in _sentence(text, at)), None)


def _sentence(text: str, at: int) -> str:
    """The sentence around offset `at` (a comparison names both years in one sentence)."""
    start = max(text.rfind(end, 0, at) for end in "。；\n") + 1
    ends = [i for i in (text.find(end, at) for end in "。；\n") if i >= 0]
    return text[start:min(ends, default=len(text))]
