"""The input workbook → the same plain data the YAML file gives, each value located by sheet!cell.

Validation and checks then run unchanged; their messages name `支出!C12 2010301 行政运行`
where a YAML file's would name `line 40:5`.
"""

from __future__ import annotations

from collections.abc import Callable

from openpyxl.utils import get_column_letter

from generator.model.schema import BudgetInput
from generator.model.yamlsource import InputError, PathKey, Problem, Source
from generator.workbook import facts, perf
from generator.workbook.cells import from_cell
from generator.workbook.container import Workbook
from generator.workbook.schema import (
    PERF_PREFIX,
    SHEETS,
    Field,
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
        self.warnings: list[tuple[str, Problem]] = []

    def facts(self, ws: Worksheet, data_from: int | None) -> None:
        self.problems += facts.cell_errors(ws, data_from)
        self.warnings += facts.hidden(ws)

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
            if field.values and value in field.choices:  # shown in Chinese, stored as the input's value
                value = field.values[field.choices.index(str(value))]
            if value is not None:
                put(data, field.key, value)

    def table(self, ws: Worksheet, sheet: TableSheet, data: dict) -> None:
        """Columns found by their header text, in any order (a pasted export keeps its own)."""
        rows = sheet.header_rows
        mapped = self.columns(ws, sheet)
        if mapped is None:
            return
        records: list[dict] = []
        details: list[list[object]] = []
        subtotals: list[tuple[int, list[object]]] = []
        self.locate(sheet.path, ws, rows + 1, 1)
        for row in range(rows + 1, ws.max_row + 1):
            values = [from_cell(f.kind, ws.cell(row, c).value) for c, f in zip(mapped, sheet.columns, strict=True)]
            if all(v is None for v in values):
                continue
            if sheet.skip_subtotals and _subtotal(values):
                subtotals.append((row, values))
                continue
            details.append(values)
            label = " ".join(str(values[i]) for i in sheet.label if values[i] is not None)
            if sheet.mapping:
                code = str(values[0] or "")
                self.locate((*sheet.path, code), ws, row, mapped[1], label)
                put(data, (*sheet.path, code), values[1])
                continue
            record: dict = {}
            where: PathKey = (*sheet.path, len(records))
            self.locate(where, ws, row, mapped[0], label)
            for column, field, value in zip(mapped, sheet.columns, values, strict=True):
                self.locate((*where, *field.key), ws, row, column, label)
                if value is not None:
                    put(record, field.key, value)
            records.append(record)
        if records:
            data[sheet.path[0]] = records
        for row, values in subtotals:
            self.warnings += facts.subtotal(ws, row, values, details, mapped, sheet.columns)

    def columns(self, ws: Worksheet, sheet: TableSheet) -> list[int] | None:
        """The column of each field, by its header (group and label); None after reporting a header
        that matches no field or a field that has no column."""
        rows = sheet.header_rows
        found: dict[str, int] = {}
        group = ""
        for column in range(1, max((c for _, c in ws.values), default=0) + 1):
            top = str(ws.cell(1, column).value or "").strip()
            bottom = str(ws.cell(2, column).value or "").strip() if rows == 2 else ""
            group = top if top and bottom else (group if bottom else "")
            header = f"{group}·{bottom}" if bottom else top
            if not header:
                continue
            if header not in {_header(f) for f in sheet.columns}:
                self.problems.append(Problem(sheet.path, f"无法识别的列「{header}」：表头应为 "
                                             + "、".join(_header(f) for f in sheet.columns),
                                             f"unknown column {header!r}: the headers are "
                                             + ", ".join(_header(f) for f in sheet.columns),
                                             cell=f"{ws.title}!{get_column_letter(column)}{rows}"))
                return None
            found.setdefault(header, column)
        missing = [_header(f) for f in sheet.columns if _header(f) not in found]
        if missing and ws.values:  # a sheet left empty altogether has nothing to map
            self.problems.append(Problem(sheet.path, f"缺少列「{'」「'.join(missing)}」（表头不要修改）",
                                         f"missing column(s) {', '.join(missing)} (keep the headers)",
                                         cell=f"{ws.title}!A{rows}"))
            return None
        return [found.get(_header(f), 0) for f in sheet.columns]

    def grid(self, ws: Worksheet, sheet: GridSheet, data: dict) -> None:
        """Rows found by their label in column A (a row inserted or moved changes nothing)."""
        first = 3 if any(c.group for c in sheet.columns) else 2
        lines = {_label_key(line.label): line for line in sheet.rows}
        for r in range(first, ws.max_row + 1):
            label = str(ws.cell(r, 1).value or "").strip()
            line = lines.pop(_label_key(label), None)
            if line is None:
                if label or any(ws.cell(r, c).value is not None for c in range(2, len(sheet.columns) + 2)):
                    known = "、".join(row.label for row in sheet.rows)
                    self.problems.append(Problem((), f"第 A 列的行名「{label}」不是本表的行（应为：{known}）；"
                                                     "行名不要修改，同一行不要重复",
                                                 f"the row label {label!r} is not one of this sheet's rows "
                                                 f"({known}), or repeats one", cell=f"{ws.title}!A{r}"))
                continue
            for column, field in enumerate(sheet.columns, 2):
                path = (*line.path, *field.key)
                self.locate(path, ws, r, column, line.label)
                value = from_cell(field.kind, ws.cell(r, column).value)
                if value is not None:
                    put(data, path, value)
        for line in lines.values():
            self.problems.append(Problem((), f"缺少行「{line.label}」（第 A 列的行名不要修改或删除）",
                                         f"the row {line.label!r} is missing (keep the labels in column A)",
                                         cell=f"{ws.title}!A"))

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


def _header(field: Field) -> str:
    """A column's header as the sheet shows it: 基本支出·一般公共预算, or 科目编码."""
    return f"{field.group}·{field.label}" if field.group else field.label


def _label_key(label: str) -> str:
    """A row label without its note in brackets: 合计（只填增减原因） is 合计."""
    return label.split("（")[0].strip()


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
    reader.problems += facts.missing_sheets([s.title for s in SHEETS], wb.sheetnames)
    reader.warnings += facts.unknown_sheets(wb.sheetnames, {s.title for s in SHEETS}, PERF_PREFIX)
    for sheet in SHEETS:
        if sheet.title in wb.sheetnames:
            reader.facts(wb[sheet.title], _data_row(sheet))
            readers[type(sheet)](wb[sheet.title], sheet, data)
    tables: list[dict] = []
    for name in wb.sheetnames:
        if name.startswith(PERF_PREFIX) and name != perf.TEMPLATE:  # 绩效表N, or a copy of the template
            ws = wb[name]
            reader.facts(ws, None)
            path = ("performance_tables", len(tables))

            def locate(where: PathKey, row: int, column: int, ws: Worksheet = ws,
                       label: str = perf.project_name(ws)) -> None:
                reader.locate(where, ws, row, column, label)

            table = perf.read(ws, path, locate)
            reader.warnings += perf.total_row(ws)
            if not table:  # an empty copy of the template
                reader.problems.append(Problem((), f"「{name}」还没有填写：请填写项目名称（与「项目」表中的名称完全一致）、"
                                                   "项目资金和绩效指标；不需要的表请删除",
                                               f"the sheet {name!r} is not filled in: give the project name "
                                               "(as in the 项目 sheet), its funds and indicators, or delete the sheet",
                                               cell=f"{name}!B2 {perf.PERF_TEXTS[0].label}"))
            tables.append(table)
    if tables:
        data["performance_tables"] = tables
    if reader.problems:
        raise InputError(file, reader.problems)
    return Source(file=file, data=_ordered(data), cells=reader.cells, warnings=reader.warnings)


def _data_row(sheet: FormSheet | TableSheet | GridSheet | TextSheet) -> int:
    """The first row that holds data rather than headers (merged cells are refused from there)."""
    if isinstance(sheet, TableSheet):
        return sheet.header_rows + 1
    if isinstance(sheet, GridSheet):
        return 3 if any(c.group for c in sheet.columns) else 2
    return 2


def _ordered(data: dict) -> dict:
    """Top-level keys in the schema's order, so that an imported YAML reads like a written one."""
    order = list(BudgetInput.model_fields)
    return dict(sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
