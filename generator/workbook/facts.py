"""What the reader notices about a workbook's sheets, as located messages for the clerk.

Missing or renamed sheets, sheets nobody expects, hidden sheets and rows, merged cells
where data is read, formulas without a saved value and numbers that are not finite. A
sheet here is the reader's view of a worksheet: `title`, `state` (visible, hidden,
veryHidden), `hidden_rows`, `merged` ranges, `unsaved_formulas` and `values` by (row, column).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from openpyxl.utils import get_column_letter, range_boundaries

from generator.model.text import refused
from generator.model.yamlsource import Problem
from generator.workbook.schema import Field

IDS = {
    "W-SHEET-UNKNOWN": "a sheet of the workbook that budgetgen does not read",
    "W-SHEET-HIDDEN": "a hidden (or very hidden) sheet, read like the others",
    "W-ROW-HIDDEN": "hidden rows of a sheet, read like the others",
    "W-SUBTOTAL": "a 合计 or 类/款 row of a pasted export, or a 绩效表's 资金总额, that is not the sum of its "
                  "rows (it is not read)",
}
GUIDE = "填写说明"  # the first sheet: how to fill the workbook; never read
UNSAVED = ("公式未计算：请在 Excel/WPS 中打开并保存（保存后公式的结果才写入文件）",
           "a formula without a calculated value: open the workbook in Excel/WPS and save it")


class SheetView(Protocol):
    title: str
    state: str
    hidden_rows: set[int]
    merged: list[str]
    unsaved_formulas: set[tuple[int, int]]
    values: dict[tuple[int, int], object]


def cell_name(sheet: SheetView, row: int, column: int) -> str:
    return f"{sheet.title}!{get_column_letter(column)}{row}"


def missing_sheets(expected: list[str], found: list[str]) -> list[Problem]:
    """An error for each expected sheet that is not there, listing the sheets found."""
    listed = "、".join(found) or "无"
    return [Problem((), f"缺少工作表「{title}」（工作簿中有：{listed}）。工作表名称不要修改；"
                        "改过名的请改回原名",
                    f"the sheet {title!r} is missing (found: {', '.join(found)}); do not rename sheets",
                    cell=f"{title}!") for title in expected if title not in found]


def unknown_sheets(found: list[str], known: set[str], prefix: str) -> list[tuple[str, Problem]]:
    return [("W-SHEET-UNKNOWN", Problem((), f"工作表「{title}」不是输入工作簿的表，其内容不会读取",
                                        f"the sheet {title!r} is not part of the input workbook: not read",
                                        cell=f"{title}!A1"))
            for title in found if title not in known and title != GUIDE and not title.startswith(prefix)]


def hidden(sheet: SheetView) -> list[tuple[str, Problem]]:
    """Warnings: a hidden sheet, and hidden rows holding values (both are read and published)."""
    out = []
    if sheet.state != "visible":
        how = "深度隐藏" if sheet.state == "veryHidden" else "隐藏"
        out.append(("W-SHEET-HIDDEN", Problem((), f"工作表「{sheet.title}」是{how}的，其内容照常读取并公开。"
                                                   "请取消隐藏并核对",
                                              f"the sheet {sheet.title!r} is {sheet.state}: it is read and "
                                              "published like the others; unhide it and review it",
                                              cell=f"{sheet.title}!A1")))
    rows = sorted(r for r in sheet.hidden_rows if any(row == r for row, _ in sheet.values))
    if rows:
        shown = "、".join(str(r) for r in rows[:10]) + ("等" if len(rows) > 10 else "")
        out.append(("W-ROW-HIDDEN", Problem((), f"工作表「{sheet.title}」第 {shown} 行是隐藏的，其内容照常读取并公开。"
                                                 "请取消隐藏并核对",
                                            f"rows {shown} of sheet {sheet.title!r} are hidden: they are read "
                                            "and published like the others; unhide them and review them",
                                            cell=f"{sheet.title}!A{rows[0]}")))
    return out


def cell_errors(sheet: SheetView, data_from: int | None) -> list[Problem]:
    """Errors: formulas without a value, non-finite numbers, control characters (written as
    _x0001_ in the file), merged cells below row `data_from`."""
    problems = [Problem((), UNSAVED[0], UNSAVED[1], cell=cell_name(sheet, row, column))
                for row, column in sorted(sheet.unsaved_formulas)]
    for (row, column), value in sorted(sheet.values.items()):
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem((), f"不是有效的数字：{value}（请填写数字）",
                                    f"not a valid number: {value}", cell=cell_name(sheet, row, column)))
        elif isinstance(value, str) and (at := refused(value)) is not None:
            code = f"U+{ord(value[at]):04X}"
            shown = value[max(0, at - 10):at]
            problems.append(Problem((), f"文字含有不能打印的控制字符 {code}（在「{shown}」之后；多为从其他系统复制而来）：请删除",
                                    f"the text holds the control character {code} (after {shown!r}), "
                                    "which cannot be printed: delete it", cell=cell_name(sheet, row, column)))
    if data_from is not None:
        for ref in sheet.merged:
            try:
                first_column, first_row, _, last_row = range_boundaries(ref)
            except ValueError:  # not a range at all (a hand-made file): as if it reached the data too
                first_column = first_row = last_row = None
            # A whole-column range ("A:B", no rows) reaches the data; a whole-row one starts at column A.
            if last_row is None or (first_row or 1) >= data_from:
                value = sheet.values.get((first_row or 1, first_column or 1))
                problems.append(Problem((), f"数据区有合并单元格 {ref}（值：{value if value is not None else '空'}）："
                                            "合并后只有左上角的值被读取，请取消合并，每格填一个值",
                                        f"merged cells {ref} in the data area (value: {value}): only the "
                                        "top-left value is read; unmerge them", cell=f"{sheet.title}!{ref}"))
    return problems


def subtotal(sheet: SheetView, row: int, values: list[object], details: list[list[object]],
             columns: list[int], fields: Sequence[Field]) -> list[tuple[str, Problem]]:
    """A warning for each amount of a skipped 合计 (or 类/款) row of a pasted export that is
    not the sum of the rows it covers: budgetgen computes the totals, so a row left out or
    pasted twice would otherwise change the published totals without a word."""
    key = str(values[0] or "").replace("合计", "").strip()  # 201 (类), 20113 (款), a unit's 合计, or none
    if key.isdigit():
        covered = [d for d in details if str(d[0] or "").startswith(key)]
    else:
        covered = [d for d in details if str(d[0] or "") == key] if key else details
    label = " ".join(str(v) for v in values[:2] if v is not None)
    out = []
    for i, (column, field) in enumerate(zip(columns, fields, strict=True)):
        given = values[i]
        if field.kind != "amount" or not isinstance(given, Decimal):
            continue
        parts = [part for d in covered if isinstance(part := d[i], Decimal)]
        total = sum(parts, Decimal(0))
        if abs(total - given) > Decimal("0.01") * max(1, len(parts)):  # per-row rounding of a 万元 export
            header = f"{field.group}·{field.label}" if field.group else field.label
            out.append(("W-SUBTOTAL", Problem(
                (), f"「{label}」行的{header}为 {given:,}，而它所含各行之和为 {total:,}：合计行不读取（由各行计算），"
                    "请核对是否漏了或多粘贴了一行",
                f"the {label!r} row gives {header} as {given:,} but its rows add up to {total:,}: the "
                "total is computed from the rows, not read; look for a row left out or pasted twice",
                cell=f"{cell_name(sheet, row, column)} {label}")))
    return out
