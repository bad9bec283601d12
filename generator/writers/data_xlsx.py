"""The document's tables as a workbook: one sheet per table, laid out as printed.

Amount cells hold numbers shown as printed (万元 in 表1–13, 元 in the performance tables);
every other cell holds the printed text. Spans become merged cells. Same document, same bytes.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from generator.compose.tree import Document
from generator.workbook.style import (
    BORDER,
    HEADER_FILL,
    TEXT_FORMAT,
    new_workbook,
    printable,
    put_value,
    save,
)
from generator.writers.data_tables import DataTable, data_tables, number_format

TOTAL_WIDTH = {"budget": 110, "performance": 130}  # characters across all columns
_BOLD_STYLES = {"header", "total", "label"}


def _sheet(wb, data: DataTable) -> None:
    ws = wb.create_sheet(data.name)
    printable(ws)
    table = data.table
    columns = len(table.widths)
    scale = TOTAL_WIDTH[table.kind] / sum(table.widths)
    for i, w in enumerate(table.widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = round(w * scale, 1)
    lines = [data.title, *(c for c in data.captions if c != data.title)]
    for r, line in enumerate(lines, 1):
        put_value(ws.cell(r, 1), line)
        ws.cell(r, 1).font = Font(bold=r == 1, size=14 if r == 1 else 10)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=columns)
    top = len(lines) + 1
    for grid_row, grid_column, cell, value in data.values():
        row, column = top + grid_row, 1 + grid_column
        target = ws.cell(row, column)
        if value is not None:
            target.value, target.number_format = value, number_format(cell.text)
        else:
            put_value(target, cell.text or None)  # forced line breaks are layout: the cell wraps
            target.number_format = TEXT_FORMAT
        target.alignment = Alignment(horizontal=cell.align, vertical="center", wrap_text=True)
        target.border = BORDER
        if cell.style in _BOLD_STYLES:
            target.font = Font(bold=True)
        if grid_row < data.header_rows:
            target.fill = HEADER_FILL
        if cell.colspan > 1 or cell.rowspan > 1:
            ws.merge_cells(start_row=row, start_column=column, end_row=row + cell.rowspan - 1,
                           end_column=column + cell.colspan - 1)
    ws.freeze_panes = ws.cell(top + data.header_rows, 1)


def write_data_xlsx(doc: Document) -> bytes:
    wb = new_workbook()
    for data in data_tables(doc):
        _sheet(wb, data)
    return save(wb)
