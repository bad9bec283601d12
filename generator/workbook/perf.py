"""One 项目支出绩效目标表 per sheet, in its printed shape (columns A–I).

Rows are found again by their labels in column A, so a clerk may insert indicator rows
anywhere in the indicator block.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.model.yamlsource import PathKey, Problem
from generator.workbook.cells import from_cell
from generator.workbook.schema import (
    FIRST_LEVEL,
    FUNDING,
    PERF,
    PERF_CONTACTS,
    PERF_TEXTS,
    Field,
    plain_label,
)
from generator.workbook.sheet_stream import Sheet
from generator.workbook.style import BORDER, CENTRE, TEXT_FORMAT, WRAP, header, input_cell, validate, width

Put = Callable[[Worksheet, int, int, Field, object, PathKey], None]
TITLE = PERF["title"]
TEMPLATE = "绩效表模板"  # an empty 绩效表 to copy (复制本表新增); itself never read
FUNDS_LABEL, GOALS_LABEL, INDICATORS_LABEL = PERF["funds"], PERF["goals"], PERF["indicators"]
HEAD_FIELDS = PERF_TEXTS[:5]  # 名称 … 项目期, above the funds
BODY_FIELDS = PERF_TEXTS[5:]  # 项目概况 … 实施计划
SIDES = (("period", "实施期"), ("annual", "年度"))
GOALS = (Field(("period_goal",), PERF["period_goal"]),
         Field(("annual_goal",), PERF["annual_goal"], help="不填与实施期相同"))
LEVELS = tuple(PERF["indicator_header"])  # first level, second, third, value
SECOND = Field(("second",), LEVELS[1], "choice", "数量指标、质量指标…", tuple(FIRST_LEVEL))
INDICATOR = Field(("name",), LEVELS[2])
VALUE = Field(("value",), LEVELS[3], help="如 ≥90%；不要重复粘贴")
SPARE_INDICATORS = 6
FUNDS_NOTE = "资金总额按下列各项相加；两列都不填时，年度为项目金额（全部为市县资金），实施期同年度"
_SIDE_COLUMN = {"period": 2, "annual": 6}  # first column (the first level) of each side


def _merge_right(ws: Worksheet, row: int, first: int, last: int = 9) -> None:
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def write(ws: Worksheet, table: dict, put: Put, path: PathKey) -> None:
    for column, chars in enumerate((22, 14, 16, 16, 22, 14, 16, 16, 22), 1):
        width(ws, column, chars)
    header(ws, 1, 1, TITLE)
    _merge_right(ws, 1, 1)
    row = 2
    for field in HEAD_FIELDS:
        row = _text_row(ws, row, field, table, put, path)
    row = _funds(ws, row, table, put, path)
    for field in BODY_FIELDS:
        row = _text_row(ws, row, field, table, put, path)
    header(ws, row, 1, GOALS_LABEL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
    for field, first in zip(GOALS, (2, 6), strict=True):
        header(ws, row, first, field.label)
        _merge_right(ws, row, first, first + 3)
        put(ws, row + 1, first, field, table.get(field.key[0]), (*path, *field.key))
        _merge_right(ws, row + 1, first, first + 3)
    ws.row_dimensions[row + 1].height = 60
    row = _indicators(ws, row + 2, table, put, path)
    for i, field in enumerate(PERF_CONTACTS):
        header(ws, row, 1 + 2 * i, field.label)
        put(ws, row, 2 + 2 * i, field, table.get(field.key[0]), (*path, *field.key))
    _merge_right(ws, row, 8)


def _text_row(ws: Worksheet, row: int, field: Field, table: dict, put: Put, path: PathKey) -> int:
    header(ws, row, 1, field.label)
    put(ws, row, 2, field, table.get(field.key[0]), (*path, *field.key))
    _merge_right(ws, row, 2)
    validate(ws, field, f"B{row}")
    return row + 1


def _funds(ws: Worksheet, row: int, table: dict, put: Put, path: PathKey) -> int:
    header(ws, row, 1, FUNDS_LABEL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row + len(FUNDING) + 1, end_column=1)
    for column, label in enumerate(("资金来源", plain_label(PERF["period_total"]), plain_label(PERF["annual_total"])), 2):
        header(ws, row, column, label)
    header(ws, row + 1, 2, "资金总额")
    ws.cell(row + 1, 3, FUNDS_NOTE).alignment = WRAP
    _merge_right(ws, row + 1, 3)
    for offset, (key, label) in enumerate(FUNDING, 2):
        header(ws, row + offset, 2, label)
        for column, (side, _) in enumerate(SIDES, 3):
            field = Field((key,), label, "amount", "不填：年度为项目金额（市县资金），实施期同年度")
            funding = table.get(f"{side}_funding") or {}
            put(ws, row + offset, column, field, funding.get(key), (*path, f"{side}_funding", key))
            validate(ws, field, ws.cell(row + offset, column).coordinate)
    return row + len(FUNDING) + 2


def _indicators(ws: Worksheet, row: int, table: dict, put: Put, path: PathKey) -> int:
    header(ws, row, 1, INDICATORS_LABEL)
    sides = {side: _flat(table.get(f"{side}_indicators")) for side, _ in SIDES}
    count = max(len(v) for v in sides.values()) + SPARE_INDICATORS
    ws.merge_cells(start_row=row, start_column=1, end_row=row + 1 + count, end_column=1)
    for side, label in SIDES:
        first = _SIDE_COLUMN[side]
        header(ws, row, first, f"{label}指标")
        _merge_right(ws, row, first, first + 3)
        for offset, text in enumerate(LEVELS):
            header(ws, row + 1, first + offset, text)
        for j, (second, n, name, value) in enumerate(sides[side]):
            r = row + 2 + j
            ws.cell(r, first, FIRST_LEVEL.get(second, "")).border = BORDER
            where = (*path, f"{side}_indicators", second, n)
            put(ws, r, first + 1, SECOND, second, where)
            put(ws, r, first + 2, INDICATOR, name, where)
            put(ws, r, first + 3, VALUE, value, (*where, name))
        for offset, field in ((1, SECOND), (2, INDICATOR), (3, VALUE)):
            column = get_column_letter(first + offset)
            validate(ws, field, f"{column}{row + 2}:{column}{row + 1 + count}")
            for spare in range(row + 2 + len(sides[side]), row + 2 + count):  # typed text stays text
                ws.cell(spare, first + offset).number_format = TEXT_FORMAT
                input_cell(ws.cell(spare, first + offset))
    ws.cell(row + 2, 1).alignment = CENTRE
    return row + 2 + count


def _flat(indicators: dict | None) -> list[tuple[str, int, str, str]]:
    """(二级指标, index within it, 三级指标, 指标值) in the input's order."""
    out = []
    for second, rows in (indicators or {}).items():
        for n, pair in enumerate(rows or []):
            for name, value in pair.items():
                out.append((second, n, name, value))
    return out


Locate = Callable[[PathKey, int, int], None]


def read(ws: Sheet, path: PathKey, locate: Locate) -> dict:
    """The table's data; `locate(path, row, column)` records where each value was read."""
    rows = _label_rows(ws)
    table: dict = {}

    for field in PERF_TEXTS:
        if field.label in rows:
            _take(ws, table, field, rows[field.label], 2, (*path, field.key[0]), locate)
    if GOALS_LABEL in rows:
        for field, column in zip(GOALS, (2, 6), strict=True):
            _take(ws, table, field, rows[GOALS_LABEL] + 1, column, (*path, field.key[0]), locate)
    if FUNDS_LABEL in rows:
        _read_funds(ws, table, rows[FUNDS_LABEL], path, locate)
    end = rows.get(PERF_CONTACTS[0].label, ws.max_row + 1)
    if INDICATORS_LABEL in rows:
        for side, _ in SIDES:
            found = _read_side(ws, rows[INDICATORS_LABEL] + 2, end, side, (*path, f"{side}_indicators"),
                               locate)
            if found:
                table[f"{side}_indicators"] = found
    if end <= ws.max_row:
        for i, field in enumerate(PERF_CONTACTS):
            _take(ws, table, field, end, 2 + 2 * i, (*path, field.key[0]), locate)
    return table


def _take(ws: Sheet, into: dict, field: Field, row: int, column: int, where: PathKey,
          locate: Locate) -> None:
    locate(where, row, column)
    value = from_cell(field.kind, ws.cell(row, column).value)
    if value is not None:
        into[where[-1]] = value


def project_name(ws: Sheet) -> str:
    """The sheet's 项目名称, to name its cells in messages."""
    row = _label_rows(ws).get(PERF_TEXTS[0].label)
    return str(ws.cell(row, 2).value or "").strip() if row else ""


def _label_rows(ws: Sheet) -> dict[str, int]:
    rows: dict[str, int] = {}
    for row in range(1, ws.max_row + 1):
        label = ws.cell(row, 1).value
        if isinstance(label, str):
            rows.setdefault(label.strip(), row)
    return rows


def _read_funds(ws: Sheet, table: dict, first: int, path: PathKey, locate: Locate) -> None:
    labels = {label: key for key, label in FUNDING}
    for row in range(first + 1, first + len(FUNDING) + 2):
        key = labels.get(str(ws.cell(row, 2).value or "").strip())
        if key is None:
            continue
        for column, (side, _) in enumerate(SIDES, 3):
            funding = table.get(f"{side}_funding", {})
            field = Field((key,), "", "amount")
            _take(ws, funding, field, row, column, (*path, f"{side}_funding", key), locate)
            if funding:
                table[f"{side}_funding"] = funding
                locate((*path, f"{side}_funding"), row, column)


def total_row(ws: Sheet) -> list[tuple[str, Problem]]:
    """W-SUBTOTAL: a figure typed into the 资金总额 row (over its note, or into unmerged cells),
    which is not read (the total is the sum of the sources below), that is not that sum."""
    rows = _label_rows(ws)
    if FUNDS_LABEL not in rows:
        return []
    first = rows[FUNDS_LABEL]
    labels = {label for _, label in FUNDING}
    total_row = next((r for r in range(first, first + len(FUNDING) + 2)
                      if str(ws.cell(r, 2).value or "").strip() == "资金总额"), None)
    if total_row is None:
        return []
    sources = [r for r in range(first + 1, first + len(FUNDING) + 2) if str(ws.cell(r, 2).value or "").strip() in labels]
    out = []
    for column, (_, name) in enumerate(SIDES, 3):
        given = from_cell("amount", ws.cell(total_row, column).value)
        if not isinstance(given, Decimal):
            continue  # the note, or nothing
        parts = [part for r in sources if isinstance(part := from_cell("amount", ws.cell(r, column).value), Decimal)]
        added = sum(parts, Decimal(0))
        if added != given:
            where = f"{ws.title}!{get_column_letter(column)}{total_row} 资金总额"
            out.append(("W-SUBTOTAL", Problem(
                (), f"「资金总额」行的{name}资金为 {given:,}，而下列各资金来源之和为 {added:,}：资金总额不读取"
                    f"（由各项相加），请把金额填在各资金来源行（如 {FUNDING[2][1]}）"
                    + ("；各项都不填时，年度为项目金额，实施期同年度" if not parts else ""),
                f"the 资金总额 row gives {given:,} for {name} but the sources below add up to {added:,}: "
                f"the total is not read (it is their sum); enter the amounts in the source rows",
                cell=where)))
    return out


def percent_text(value: object) -> str:
    """A number shown as a percentage, as it is shown: 1 → 100%, 0.955 → 95.5%."""
    shown = (Decimal(repr(value)) * 100).normalize()
    return f"{shown:f}%"


def _read_side(ws: Sheet, first: int, end: int, side: str, path: PathKey, locate: Locate) -> dict:
    column = _SIDE_COLUMN[side]
    found: dict[str, list[dict[str, str]]] = {}
    for row in range(first, end):
        second, name, value = (ws.cell(row, column + k).value for k in (1, 2, 3))
        if all(v is None or not str(v).strip() for v in (second, name, value)):
            continue
        second = str(from_cell("choice", second) or "")
        name = str(from_cell("text", name) or "").strip()
        if (row, column + 3) in ws.percent:  # 100% typed into a General cell: Excel keeps 1
            value = percent_text(value)
        value = str(from_cell("text", value) or "").strip()
        rows = found.setdefault(second, [])
        locate((*path, second), row, column + 1)
        locate((*path, second, len(rows)), row, column + 2)
        locate((*path, second, len(rows), name), row, column + 3)
        rows.append({name: value})
    return found

