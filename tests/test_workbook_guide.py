"""The 填写说明 sheet's row heights: each row holds its wrapped text, with at most one spare line.

The true line counts below were measured once by hand (the tests run no office suite): each text
alone in a row of the guide's column (110 wide, Calibri 11, wrapped, landscape A4 fitted to the page
width), converted by LibreOffice 7.4 headless to PDF and its lines counted with `pdftotext -bbox`,
once with Carlito (Calibri's metric twin) and once without it (the DejaVu fallback widens the column).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from generator.model.yamlsource import read_yaml
from generator.workbook.guide import LINE_PT, line_count
from generator.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parents[1]

SHORT = "填写顺序 / Order to fill"
CHINESE = ("预算公开是政府信息公开的重要内容，部门预算应当在批复后二十日内向社会公开，公开内容包括部门预算收支总表、"
           "收入总表、支出总表、财政拨款收支总表、一般公共预算支出表、一般公共预算基本支出表、政府性基金预算支出表、"
           "国有资本经营预算支出表、三公经费支出表和项目支出绩效目标表，并对重要事项作出说明，接受社会监督，"
           "提高财政资金使用效益。")
LATIN = ("Fill in the light yellow cells only; the names and the headers are protected (unprotect "
         "without a password: Review, Unprotect Sheet), but please do not change the names or the headers. "
         "Do not rename the sheets, do not use formulas, do not merge cells and do not hide rows or sheets. "
         "Fill in the raw data only: totals, subtotals, shares and changes are computed by the program.")
DIGITS = "0123456789" * 18
RUN = ("本工作簿是 budgetgen 的输入：填写后运行 budgetgen check 本文件.xlsx 检查，"
       "再运行 budgetgen render 本文件.xlsx 生成公开文件。")
MIXED = RUN * 2 + "本工作簿是 budgetgen 的输入：填写后运行 budgetgen check 本文件.xlsx 检查。"
PROTECT = ("浅黄色的单元格是要填写的；其余（名称、表头）已保护，无需密码即可撤销保护（审阅 → 撤销工作表保护），"
           "但请不要修改名称和表头。")
LONG = (PROTECT + "工作表名称不要修改；不要使用公式（或在 Excel/WPS 中保存后再检查），不要合并单元格，不要隐藏行或工作表。"
        "只填原始数据：合计、小计、类/款科目、占比、增减额和增减幅度都由程序计算。" + PROTECT)

# text: (lines with Carlito, lines without it), as LibreOffice wrapped it
MEASURED = {SHORT: (1, 1), CHINESE: (3, 3), LATIN: (3, 3), DIGITS: (2, 2), MIXED: (3, 3), LONG: (4, 4),
            RUN: (2, 1)}


@pytest.mark.parametrize("text", MEASURED,
                         ids=["short", "chinese", "latin", "digits", "mixed", "long", "guide-row"])
def test_a_row_holds_every_line_and_at_most_one_spare(text):
    most = max(MEASURED[text])
    assert most <= line_count(text) <= most + 1


def test_the_estimate_of_a_long_and_a_short_text():
    # Excel's metrics fit about 51 Chinese characters a line, LibreOffice 55: 163 take 4 lines in Excel
    assert (line_count(SHORT), line_count(CHINESE), line_count(LONG), line_count("")) == (1, 4, 5, 1)
    assert LINE_PT >= 16  # LibreOffice sets lines of 11 pt Chinese 16 pt apart: at 15 the last is clipped


def test_the_guide_sheet_gives_each_row_its_lines():
    source = read_yaml(ROOT / "inputs" / "synthetic-unit-2023.yaml")
    guide = openpyxl.load_workbook(io.BytesIO(write_workbook(source)))["填写说明"]
    rows = [r for r in range(1, guide.max_row + 1) if guide.cell(r, 1).value]
    heights = [guide.row_dimensions[r].height for r in rows]
    assert heights == [LINE_PT * line_count(guide.cell(r, 1).value) for r in rows]
    assert LINE_PT in heights and 2 * LINE_PT in heights  # one-line and wrapped rows alike
