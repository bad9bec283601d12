"""The 填写说明 sheet, first in the workbook: what each sheet feeds and the order to fill them.

Its text is generator/data/workbook_guide.txt; the reader never reads this sheet.
"""

from __future__ import annotations

from importlib import resources

from openpyxl.worksheet.worksheet import Worksheet

from generator.workbook.style import BOLD, WRAP, protect, width

SECTION_ENDS = ("How to fill this workbook", "Order to fill", "Check")


def guide(ws: Worksheet) -> None:
    lines = resources.files("generator.data").joinpath("workbook_guide.txt").read_text("utf-8").splitlines()
    width(ws, 1, 120)
    for row, line in enumerate((line for line in lines if line.strip()), 1):
        cell = ws.cell(row, 1, line)
        cell.alignment = WRAP
        if line.endswith(SECTION_ENDS):
            cell.font = BOLD
    protect(ws)
