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
# The row heights, since Excel and WPS keep a row one line high whatever its wrapped text. Measured in
# LibreOffice 7.4 (Calibri 11 as Carlito, its metric twin): the column holds 55 Chinese characters a
# line, 108 digits, 114 lowercase letters; where LibreOffice lacks Carlito its fallback's wider digit
# widens the column to 69 Chinese characters. Excel, by its metrics (11 pt drawn at 15 px: a Chinese
# character 15 px, Calibri's digit 7 px), fits about 51 in the column's 771 px, the fewest: the
# estimate allows 50 a line (and 100 digits or letters; text of wide capitals, W …, would outrun it).
CJK_UNIT = 1.1  # a display column (half a Chinese character) in that unit
LINE_PT = 16  # LibreOffice's lines of 11 pt Chinese (Noto Sans CJK) are 16 pt apart: 15 clips the last
SECTION_ENDS = ("How to fill this workbook", "Order to fill", "Check")


def guide(ws: Worksheet) -> None:
    lines = resources.files("generator.data").joinpath("workbook_guide.txt").read_text("utf-8").splitlines()
    lines = [line for line in lines if line.strip()]
    width(ws, 1, COLUMN)
    for row, line in enumerate(lines, 1):
        cell = ws.cell(row, 1, line)
        cell.alignment = WRAP
        ws.row_dimensions[row].height = LINE_PT * line_count(line)
        if line.endswith(SECTION_ENDS):
            cell.font = BOLD
    protect(ws)
    printable(ws)


def line_count(text: str) -> int:
    """The lines `text` takes in the guide's column: never fewer than Excel, WPS or LibreOffice wrap
    it to, and at most one more than LibreOffice shows (see CJK_UNIT)."""
    return max(1, math.ceil(display_width(text) * CJK_UNIT / COLUMN))
