"""The look of the input workbook and the data workbook: shared cell styles and the file itself."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from generator.errors import TemporaryFolderError
from generator.workbook.cells import escape
from generator.workbook.schema import Field

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
# A cell font names the workbook's own (openpyxl's default, Calibri 11) in full: a font with
# no name shows in LibreOffice and WPS as their default serif, not the sheet's font.
KEY_FONT = Font(name=DEFAULT_FONT.name, family=DEFAULT_FONT.family, scheme=DEFAULT_FONT.scheme,
                color="888888", size=9)
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")  # the cells a clerk fills in
UNLOCKED = Protection(locked=False)
BOLD = Font(name=DEFAULT_FONT.name, family=DEFAULT_FONT.family, scheme=DEFAULT_FONT.scheme,
            size=DEFAULT_FONT.sz, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
AMOUNT_FORMAT = "#,##0.00##"
TEXT_FORMAT = "@"
SPARE_ROWS = 200  # formatted, validated empty rows below the data for the clerk to fill
FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def put_value(cell: Cell, value: Decimal | int | str | None) -> None:
    """Write a value; text always as a text cell, whatever it starts with (a leading =, +, -,
    @, tab or CR never makes a formula: no formula injection)."""
    cell.value = escape(value) if isinstance(value, str) else value
    if isinstance(value, str):
        cell.data_type = "s"


def header(ws: Worksheet, row: int, column: int, text: str) -> None:
    cell = ws.cell(row, column, text)
    cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEADER_FILL, BORDER, CENTRE


def number_format(field: Field) -> str:
    if field.kind in ("amount", "number"):
        return AMOUNT_FORMAT
    return "0" if field.kind == "int" else TEXT_FORMAT


def validate(ws: Worksheet, field: Field, cells: str) -> None:
    """A drop-down for a field with choices, and the field's help shown on entering a cell."""
    if field.choices:
        rule = DataValidation(type="list", formula1='"' + ",".join(field.choices) + '"', allow_blank=True,
                              showErrorMessage=True, errorTitle="取值不在列表中",
                              error="请从下拉列表中选择：" + "、".join(field.choices))
    elif field.kind in ("amount", "number"):
        rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              showErrorMessage=True, errorTitle="不是金额", error="请填写不小于 0 的数字")
    elif field.kind == "int":
        rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                              showErrorMessage=True, errorTitle="不是整数", error="请填写整数")
    else:
        rule = DataValidation(allow_blank=True)
    rule.showInputMessage = True  # every input cell says what it wants
    rule.promptTitle = field.label[:32]
    rule.prompt = (field.help or field.label)[:255]
    rule.add(cells)
    ws.add_data_validation(rule)


def input_cell(cell: Cell | MergedCell) -> None:
    """Shaded and left unlocked: the sheet's protection keeps labels and keys as they are."""
    cell.fill, cell.protection = INPUT_FILL, UNLOCKED


def protect(ws: Worksheet) -> None:
    """Labels, keys and headers locked, without a password (审阅 → 撤销工作表保护 lifts it);
    rows may still be inserted and deleted, columns resized, and cells formatted."""
    ws.protection.sheet = True
    ws.protection.insertRows = ws.protection.deleteRows = False
    ws.protection.formatCells = ws.protection.formatColumns = ws.protection.formatRows = False


def width(ws: Worksheet, column: int, chars: int) -> None:
    ws.column_dimensions[get_column_letter(column)].width = chars


def printable(ws: Worksheet) -> None:
    """Landscape, as wide as one page: the sheet prints (and converts to PDF) readably."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    wb.properties.creator = "budgetgen"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    return wb


def save(wb: Workbook) -> bytes:
    """The workbook's bytes; the same content always gives the same bytes (fixed times)."""
    raw = io.BytesIO()
    try:
        wb.save(raw)
    except OSError as error:  # openpyxl writes each sheet to a temporary file first
        raise TemporaryFolderError(error) from error
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fixed_modified(content)
            dst.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fixed_modified(core: bytes) -> bytes:
    """openpyxl stamps dcterms:modified with the current time whatever the properties say."""
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", core)
