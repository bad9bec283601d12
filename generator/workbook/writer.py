"""Input data (as parsed from YAML) → the input workbook, following `schema`."""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.model.yamlsource import InputError, PathKey, Problem, Source
from generator.workbook import perf
from generator.workbook.cells import CellError, to_cell
from generator.workbook.facts import GUIDE
from generator.workbook.guide import guide
from generator.workbook.schema import (
    PERF_PREFIX,
    SHEETS,
    ZERO_SECTIONS,
    Field,
    FormSheet,
    GridSheet,
    Key,
    TableSheet,
    TextSheet,
)
from generator.workbook.style import (
    BORDER,
    KEY_FONT,
    SPARE_ROWS,
    WRAP,
    header,
    input_cell,
    new_workbook,
    number_format,
    printable,
    protect,
    put_value,
    save,
    validate,
    width,
)


def get(data: object, key: Key) -> object | None:
    """The value at `key`; a bare amount where fund sources are expected is its `general`."""
    for i, part in enumerate(key):
        if isinstance(data, dict):
            data = data.get(part)
        elif data is not None and part == "general" and i == len(key) - 1:
            return data
        else:
            return None
    return data


class _Writer:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def put(self, ws: Worksheet, row: int, column: int, field: Field, value: object, path: PathKey) -> None:
        cell = ws.cell(row, column)
        assert isinstance(cell, Cell)  # an input cell is never in a merged range
        cell.number_format = number_format(field)
        cell.border = BORDER
        input_cell(cell)
        if field.kind == "text":
            cell.alignment = WRAP
        if value is None:
            return
        if field.values and str(value) in field.values:  # stored in English, shown in Chinese
            value = field.choices[field.values.index(str(value))]
        try:
            put_value(cell, to_cell(field.kind, value))
        except CellError as error:
            self.problems.append(self.source.problem(path, error.zh, error.en))

    def form(self, ws: Worksheet, sheet: FormSheet, data: dict) -> None:
        for column, (label, chars) in enumerate((("项目", 28), ("字段 key", 22), ("值", 40), ("说明", 50)), 1):
            header(ws, 1, column, label)
            width(ws, column, chars)
        for row, field in enumerate(sheet.fields, 2):
            ws.cell(row, 1, field.label).border = BORDER
            ws.cell(row, 2, ".".join(field.key)).font = KEY_FONT
            value = get(data, field.key)
            if value is None and field.key[:-1] in ZERO_SECTIONS and get(data, field.key[:-1]) == {}:
                value = 0  # `vehicles: {}` means every count 0: written, so that the section stays
            self.put(ws, row, 3, field, value, field.key)
            ws.cell(row, 4, field.help).font = KEY_FONT
            validate(ws, field, f"C{row}")
        ws.freeze_panes = "C2"
        ws.column_dimensions["B"].hidden = True  # the field keys: read, never typed

    def columns(self, ws: Worksheet, columns: tuple[Field, ...], first: int, rows: int) -> None:
        """Headers (with a group row above when columns are grouped) and column rules."""
        grouped = rows == 2
        for offset, field in enumerate(columns):
            column = first + offset
            header(ws, rows if field.group else 1, column, field.label)
            if field.help:  # shown when the pointer rests on the header
                ws.cell(rows if field.group else 1, column).comment = Comment(field.help, "budgetgen")
            width(ws, column, field.width)
            if grouped and not field.group:
                ws.merge_cells(start_row=1, start_column=column, end_row=2, end_column=column)
        if grouped:
            self._groups(ws, columns, first)

    def _groups(self, ws: Worksheet, columns: tuple[Field, ...], first: int) -> None:
        start = 0
        for end in range(1, len(columns) + 1):
            if end == len(columns) or columns[end].group != columns[start].group:
                if columns[start].group:
                    header(ws, 1, first + start, columns[start].group)
                    ws.merge_cells(start_row=1, start_column=first + start, end_row=1,
                                   end_column=first + end - 1)
                start = end

    def table(self, ws: Worksheet, sheet: TableSheet, data: dict) -> None:
        rows = sheet.header_rows
        self.columns(ws, sheet.columns, 1, rows)
        value = get(data, sheet.path)
        if sheet.mapping:
            records = [{"code": k, "name": v} for k, v in value.items()] if isinstance(value, dict) else []
        else:
            records = value if isinstance(value, list) else []
        for i, record in enumerate(records):
            for column, field in enumerate(sheet.columns, 1):
                key: PathKey = (field.key[0],) if sheet.mapping else (i, *field.key)
                self.put(ws, rows + 1 + i, column, field, get(record, field.key), (*sheet.path, *key))
        last = rows + len(records) + SPARE_ROWS
        for column, field in enumerate(sheet.columns, 1):
            letter = get_column_letter(column)
            validate(ws, field, f"{letter}{rows + 1}:{letter}{last}")
            for row in range(rows + len(records) + 1, last + 1):
                ws.cell(row, column).number_format = number_format(field)
                input_cell(ws.cell(row, column))
        ws.freeze_panes = ws.cell(rows + 1, 3).coordinate  # ws.cell makes C{n}: in the dimension

    def grid(self, ws: Worksheet, sheet: GridSheet, data: dict) -> None:
        rows = 2 if any(c.group for c in sheet.columns) else 1
        header(ws, 1, 1, "项目")
        if rows == 2:
            ws.merge_cells(start_row=1, start_column=1, end_row=2, end_column=1)
        width(ws, 1, 24)
        self.columns(ws, sheet.columns, 2, rows)
        for r, line in enumerate(sheet.rows, rows + 1):
            ws.cell(r, 1, line.label).border = BORDER
            for column, field in enumerate(sheet.columns, 2):
                path = (*line.path, *field.key)
                self.put(ws, r, column, field, get(data, path), path)
                validate(ws, field, ws.cell(r, column).coordinate)

    def texts(self, ws: Worksheet, sheet: TextSheet, data: dict) -> None:
        for column, (label, chars) in enumerate((("项目", 26), ("字段 key", 22), ("编号", 6), ("内容", 90)), 1):
            header(ws, 1, column, label)
            width(ws, column, chars)
        row = 2
        for field in sheet.fields:
            value = get(data, field.key)
            numbered = isinstance(value, list)
            for n, paragraph in enumerate(value if isinstance(value, list) else [value], 1):
                ws.cell(row, 1, field.label).border = BORDER
                ws.cell(row, 2, ".".join(field.key)).font = KEY_FONT
                if numbered:
                    ws.cell(row, 3, n).border = BORDER
                path: PathKey = (*field.key, n - 1) if numbered else field.key
                self.put(ws, row, 4, field, paragraph, path)
                validate(ws, field, f"D{row}")
                row += 1
        ws.freeze_panes = "D2"
        ws.column_dimensions["B"].hidden = True  # the field keys: read, never typed


def write_workbook(source: Source) -> bytes:
    """The workbook of validated input (raise InputError if a value cannot be held exactly)."""
    data = source.data
    writer = _Writer(source)
    wb = new_workbook()
    guide(wb.create_sheet(GUIDE))
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.title)
        printable(ws)
        protect(ws)
        if isinstance(sheet, FormSheet):
            writer.form(ws, sheet, data)
        elif isinstance(sheet, TableSheet):
            writer.table(ws, sheet, data)
        elif isinstance(sheet, GridSheet):
            writer.grid(ws, sheet, data)
        else:
            writer.texts(ws, sheet, data)
    for i, table in enumerate(data.get("performance_tables") or []):
        ws = wb.create_sheet(f"{PERF_PREFIX}{i + 1}")
        printable(ws)
        protect(ws)
        perf.write(ws, table, writer.put, ("performance_tables", i))
    template = wb.create_sheet(perf.TEMPLATE)  # copied to add a table (复制本表新增)
    printable(template)
    protect(template)
    perf.write(template, {}, writer.put, ("performance_tables", len(data.get("performance_tables") or [])))
    if writer.problems:
        raise InputError(source.file, writer.problems)
    return save(wb)
