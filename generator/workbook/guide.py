"""The 填写说明 sheet, first in the workbook: what each sheet feeds and the order to fill them.

Its text is templates/common/workbook_guide.txt; the reader never reads this sheet.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from generator.compose.phrasing import templates_dir
from generator.workbook.style import BOLD, WRAP, protect, width

SECTION_ENDS = ("How to fill this workbook", "Order to fill", "Check")


def guide(ws: Worksheet) -> None:
    lines = (templates_dir() / "common" / "workbook_guide.txt").read_text("utf-8").splitlines()
    width(ws, 1, 120)
    for row, line in enumerate((line for line in lines if line.strip()), 1):
        cell = ws.cell(row, 1, line)
        cell.alignment = WRAP
        if line.endswith(SECTION_ENDS):
            cell.font = BOLD
    protect(ws)
