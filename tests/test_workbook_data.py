"""`render --format xlsx,json`: the document's tables as data, equal to the DOCX cell by cell."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest

from generator.cli import main
from generator.pipeline import document_for
from generator.writers.data_json import write_data_json
from generator.writers.data_xlsx import write_data_xlsx
from generator.writers.docx_writer import write_docx

ROOT = Path(__file__).resolve().parents[1]
CASES = ["datong-commerce-2024.yaml", "synthetic-funds-2024.yaml"]  # perf tables; every source


@pytest.fixture(scope="module", params=CASES)
def outputs(request):
    doc, checked = document_for(ROOT / "inputs" / request.param)
    book = openpyxl.load_workbook(io.BytesIO(write_data_xlsx(doc)))
    return docx.Document(io.BytesIO(write_docx(doc))), book, json.loads(write_data_json(doc, checked.figures)), \
        checked.figures


def _docx_grid(table) -> list[list[str]]:
    return [[cell.text.replace("\n", "") for cell in row.cells] for row in table.rows]  # forced breaks


def _shown(cell) -> str | None:
    """A cell as a spreadsheet shows it, for the two number formats the data workbook uses."""
    if not isinstance(cell.value, int | float):
        return cell.value
    decimals = len(cell.number_format.partition(".")[2])
    return f"{cell.value:,.{decimals}f}" if "," in cell.number_format else f"{cell.value:.{decimals}f}"


def _xlsx_grid(sheet) -> list[list[str]]:
    """The sheet's cells as printed text, a merged range repeating its first cell (as python-docx does)."""
    values = {(c.row, c.column): _shown(c) for row in sheet.iter_rows() for c in row}
    for merged in sheet.merged_cells.ranges:
        first = values.get((merged.min_row, merged.min_col))
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                values[(r, c)] = first

    return [[values.get((r, c)) or "" for c in range(1, sheet.max_column + 1)]
            for r in range(1, sheet.max_row + 1)]


def test_one_sheet_per_table_equal_to_the_docx_cell_by_cell(outputs):
    document, book, _, _ = outputs
    grids: list[list[list[str]]] = []
    for table in document.tables:  # a 绩效表 continued on the next page （续） is one table
        grid = _docx_grid(table)
        if grids and grid[0][0] == "项目名称" and grids[-1][0] == grid[0]:
            grids[-1] += grid[1:]
        else:
            grids.append(grid)
    assert len(book.sheetnames) == len(grids)
    for name, printed in zip(book.sheetnames, grids, strict=True):
        sheet = _xlsx_grid(book[name])
        start = next(i for i, row in enumerate(sheet) if i > 0 and row[:len(printed[0])] == printed[0])
        assert [row[:len(printed[0])] for row in sheet[start:]] == printed, name


def test_performance_tables_are_counted_and_named_by_project(outputs):
    _, _, data, figures = outputs
    tables = [t for t in data["tables"] if t["kind"] == "performance"]
    assert len(tables) == len(figures.projects.published)
    names = [t["title"].rsplit("：", 1)[1] for t in tables]
    assert len(set(names)) == len(names) and all(t["title"].count("：") == 1 for t in tables)
    for table in tables:  # the funds are numbers
        funds = [c for row in table["body"][:8] for c in row if c["text"].replace(",", "").replace(".", "").isdigit()]
        assert funds and all("value" in c for c in funds)


def test_amounts_are_numbers(outputs):
    _, book, _, figures = outputs
    sheet = book["表1"]
    numbers = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)]
    assert numbers and float(figures.total) in numbers
    assert all(c.data_type == "n" for row in sheet.iter_rows() for c in row if isinstance(c.value, float))


def test_json_tables_match_the_workbook_and_figures_the_narrative(outputs):
    _, book, data, figures = outputs
    assert [t["name"] for t in data["tables"]] == book.sheetnames
    assert data["figures"]["total"] == float(figures.total)
    assert data["figures"]["total_change"]["prior"] == float(figures.total_change.prior)
    assert data["figures"]["projects"]["count"] == figures.projects.count
    assert len(data["figures"]["three_public_lines"]) == 4
    first = data["tables"][0]
    cells = [c for row in first["body"] for c in row if "value" in c]
    assert cells and all(float(c["text"]) == c["value"] for c in cells)


def test_render_writes_xlsx_and_json(tmp_path):
    source = ROOT / "inputs" / "synthetic-unit-2023.yaml"
    assert main(["render", str(source), "--format", "xlsx,json", "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["synthetic-unit-2023.data.xlsx", "synthetic-unit-2023.json"]
    first = (tmp_path / "synthetic-unit-2023.data.xlsx").read_bytes()
    assert main(["render", str(source), "--format", "xlsx", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "synthetic-unit-2023.data.xlsx").read_bytes() == first  # same input, same bytes


def test_render_never_overwrites_its_input_workbook(tmp_path):
    from generator.model.yamlsource import read_yaml
    from generator.workbook.writer import write_workbook

    book = tmp_path / "dept.xlsx"
    book.write_bytes(write_workbook(read_yaml(ROOT / "inputs" / "synthetic-unit-2023.yaml")))
    before = book.read_bytes()
    assert main(["render", str(book), "--format", "xlsx", "-o", str(tmp_path)]) == 0
    assert book.read_bytes() == before  # the data workbook is dept.data.xlsx, beside it
    assert (tmp_path / "dept.data.xlsx").is_file()


@pytest.mark.parametrize("example", ["synthetic-unit-2023.yaml", "datong-commerce-2024.yaml"])
def test_a_performance_table_is_named_by_its_printed_title_and_project(example):
    """Both editions: the 2023 申报表 as the 2024 表 (it once took the section heading)."""
    from generator.writers.data_tables import data_tables

    doc, _ = document_for(Path(__file__).resolve().parents[1] / "inputs" / example)
    perf = [t for t in data_tables(doc) if t.name.startswith("绩效表")]
    assert perf
    for table in perf:
        title, _, project = table.title.partition("：")
        assert title in table.captions and title.startswith(("示例市", "大同市")), table.title
        assert project  # a continuation page joins its table
        headings = {i for i, row in enumerate(table.table.body)  # the goals' and every page's indicators'
                    if any(c.text in ("实施期目标", "一级指标") for c in row)}
        assert table.table.subheaders == headings and len(headings) >= 2
