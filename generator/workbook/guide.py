"""The 填写说明 sheet, first in the workbook: what each sheet feeds and the order to fill them.

Its text is generator/data/workbook_guide.txt; the reader never reads this sheet.
"""

from __future__ import annotations

import math
from importlib import resources

from openpyxl.worksheet.worksheet import Worksheet

from generator.model.text import display_width
from generator.workbook.style import BOLD, WRAP, printable, protect, width

COLUMN = 110  # the guide's column, in widths of the default font's digit: one landscape page
CJK_UNIT = 1.15  # a display column (half a Chinese character) in that unit
LINE_PT = 15  # a line of the default 11 pt font
SECTION_ENDS = ("How to fill this workbook", "Order to fill", "Check")


def guide(ws: Worksheet) -> None:
    lines = resources.files("generator.data").joinpath("workbook_guide.txt").read_text("utf-8").splitlines()
    lines = [line for line in lines if line.strip()]
    width(ws, 1, COLUMN)
    for row, line in enumerate(lines, 1):
        cell = ws.cell(row, 1, line)
        cell.alignment = WRAP
        # Excel and WPS keep a row one line high whatever its wrapped text: room for every line
        wrapped = math.ceil(display_width(line) * CJK_UNIT / COLUMN)
        ws.row_dimensions[row].height = LINE_PT * max(1, wrapped)
        if line.endswith(SECTION_ENDS):
            cell.font = BOLD
    protect(ws)
    printable(ws)
