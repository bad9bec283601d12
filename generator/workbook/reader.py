"""The input workbook → the same plain data the YAML file gives, each value located by sheet!cell.

Validation and checks then run unchanged; their messages name `支出!C12 2010301 行政运行`
where a YAML file's would name `line 40:5`.
"""

from __future__ import annotations

from collections.abc import Callable

from openpyxl.utils import get_column_letter

from generator.model.schema import BudgetInput
from generator.model.yamlsource import InputError, PathKey, Problem, Source
from generator.workbook import perf
from generator.workbook.cells import from_cell
from generator.workbook.container import Workbook
from generator.workbook.schema import (
    PERF_PREFIX,
    SHEETS,
    FormSheet,
    GridSheet,
    Key,
    TableSheet,
    TextSheet,
)
from generator.workbook.sheet_stream import Sheet as Worksheet


def put(data: dict, key: Key, value: object) -> None:
    for part in key[:-1]:
        data = data.setdefault(part, {})
    data[key[-1]] = value


class _Reader:
    def __init__(self, file: str) -> None:
        self.file = file
        self.cells: dict[PathKey, str] = {}
        self.problems: list[Problem] = []

    def locate(self, path: PathKey, ws: Worksheet, row: int, column: int, label: str = "") -> None:
        place = f"{ws.title}!{get_column_letter(column)}{row}" + (f" {label}" if label else "")
        for end in range(len(path), 0, -1):  # ancestors too, so a missing field has a place
            self.cells.setdefault(tuple(path[:end]), place)

    def form(self, ws: Worksheet, sheet: FormSheet, data: dict) -> None:
        fields = {".".join(f.key): f for f in sheet.fields}
        for row in range(2, ws.max_row + 1):
            key = ws.cell(row, 2).value
            if key is None or not str(key).strip():
                continue
            field = fields.get(str(key).strip())
            if field is None:
                self.problems.append(Problem((), f"未知字段 {key}（第 B 列不要修改）",
                                             f"unknown field {key} (leave column B as it is)",
                                             cell=f"{ws.title}!B{row}"))
                continue
            self.locate(field.key, ws, row, 3, field.label)
            value = from_cell(field.kind, ws.cell(row, 3).value)
            if value is not None:
                put(data, field.key, value)

    def table(self, ws: Worksheet, sheet: TableSheet, data: dict) -> None:
        rows = sheet.header_rows
        for column, field in enumerate(sheet.columns, 1):
            found = str(ws.cell(rows if field.group else 1, column).value or "").strip()
            if found != field.label:
                self.problems.append(Problem(sheet.path, f"表头不符：此列应为「{field.label}」，现为「{found}」",
                                             f"unexpected header: this column should be {field.label!r}",
                                             cell=f"{ws.title}!{get_column_letter(column)}{rows}"))
                return
        records: list[dict] = []
        self.locate(sheet.path, ws, rows + 1, 1)
        for row in range(rows + 1, ws.max_row + 1):
            values = [from_cell(f.kind, ws.cell(row, c).value) for c, f in enumerate(sheet.columns, 1)]
            if all(v is None for v in values) or (sheet.skip_subtotals and _subtotal(values)):
                continue
            label = " ".join(str(values[i]) for i in sheet.label if values[i] is not None)
            if sheet.mapping:
                code = str(values[0] or "")
                self.locate((*sheet.path, code), ws, row, 2, label)
                put(data, (*sheet.path, code), values[1])
                continue
            record: dict = {}
            where = (*sheet.path, len(records))
            self.locate(where, ws, row, 1, label)
            for column, (field, value) in enumerate(zip(sheet.columns, values, strict=True), 1):
                self.locate((*where, *field.key), ws, row, column, label)
                if value is not None:
                    put(record, field.key, value)
            records.append(record)
        if records:
            data[sheet.path[0]] = records

    def grid(self, ws: Worksheet, sheet: GridSheet, data: dict) -> None:
        rows = 2 if any(c.group for c in sheet.columns) else 1
        for r, line in enumerate(sheet.rows, rows + 1):
            for column, field in enumerate(sheet.columns, 2):
                path = (*line.path, *field.key)
                self.locate(path, ws, r, column, line.label)
                value = from_cell(field.kind, ws.cell(r, column).value)
                if value is not None:
                    put(data, path, value)

    def texts(self, ws: Worksheet, sheet: TextSheet, data: dict) -> None:
        fields = {".".join(f.key): f for f in sheet.fields}
        found: dict[str, list[tuple[bool, str]]] = {}
        for row in range(2, ws.max_row + 1):
            key = str(ws.cell(row, 2).value or "").strip()
            if key not in fields:
                continue
            text = from_cell("text", ws.cell(row, 4).value)
            paragraphs = found.setdefault(key, [])
            numbered = ws.cell(row, 3).value is not None
            self.locate(fields[key].key, ws, row, 4, fields[key].label)
            if text is not None:
                self.locate((*fields[key].key, len(paragraphs)), ws, row, 4, fields[key].label)
                paragraphs.append((numbered, str(text)))
        for key, paragraphs in found.items():
            if not paragraphs:
                continue
            if any(numbered for numbered, _ in paragraphs):
                put(data, fields[key].key, [text for _, text in paragraphs])
            else:
                put(data, fields[key].key, "\n\n".join(text for _, text in paragraphs))


def _subtotal(values: list[object]) -> bool:
    """A 类/款 row or a 合计 row of a pasted budget-system export."""
    code = str(values[0] or "")
    return (code.isdigit() and len(code) in (3, 5)) or "合计" in code or "合计" in str(values[1] or "")


def read_workbook(raw: bytes, file: str) -> Source:
    """Parse an input workbook's bytes (`file` is only used in messages)."""
    wb = Workbook(raw, file)  # checked as a container first: kind, sizes, XML, limits
    reader = _Reader(file)
    data: dict = {}
    readers: dict[type, Callable] = {FormSheet: reader.form, TableSheet: reader.table,
                                     GridSheet: reader.grid, TextSheet: reader.texts}
    for sheet in SHEETS:
        if sheet.title in wb.sheetnames:
            readers[type(sheet)](wb[sheet.title], sheet, data)
    tables = []
    for name in wb.sheetnames:
        if name.startswith(PERF_PREFIX):
            ws = wb[name]
            path = ("performance_tables", len(tables))

            def locate(where: PathKey, row: int, column: int, ws: Worksheet = ws,
                       label: str = perf.project_name(ws)) -> None:
                reader.locate(where, ws, row, column, label)

            tables.append(perf.read(ws, path, locate))
    if tables:
        data["performance_tables"] = tables
    if reader.problems:
        raise InputError(file, reader.problems)
    return Source(file=file, data=_ordered(data), cells=reader.cells)


def _ordered(data: dict) -> dict:
    """Top-level keys in the schema's order, so that an imported YAML reads like a written one."""
    order = list(BudgetInput.model_fields)
    return dict(sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
