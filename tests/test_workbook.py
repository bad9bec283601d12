"""The input workbook is the same input as the YAML file: lossless both ways, same document."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.cli import main
from generator.model.load import validate
from generator.model.yamlsource import InputError, parse_yaml, read_yaml
from generator.pipeline import document_for_source
from generator.workbook.reader import read_workbook
from generator.workbook.schema import sheet_title
from generator.workbook.writer import write_workbook
from generator.workbook.yamlout import to_yaml
from generator.writers.docx_writer import write_docx
from generator.writers.pdf_writer import write_pdf

INPUTS = sorted((Path(__file__).resolve().parents[1] / "inputs").glob("*.yaml"))
SMALLEST = min(INPUTS, key=lambda p: p.stat().st_size)


@pytest.fixture(scope="module", params=INPUTS, ids=[p.stem for p in INPUTS])
def example(request):
    source = read_yaml(request.param)
    raw = write_workbook(source)
    return source, raw, read_workbook(raw, request.param.stem + ".xlsx")


def test_yaml_to_workbook_to_yaml_keeps_every_value(example):
    source, _, from_book = example
    original = validate(source)
    assert validate(from_book) == original
    imported = parse_yaml(to_yaml(from_book.data).encode("utf-8"), "imported.yaml")
    assert validate(imported) == original


def test_rendering_the_workbook_gives_the_same_docx(example):
    source, _, from_book = example
    from_yaml_doc, _ = document_for_source(source)
    from_book_doc, _ = document_for_source(from_book)
    assert write_docx(from_book_doc) == write_docx(from_yaml_doc)


def test_rendering_the_workbook_gives_the_same_pdf():
    source = read_yaml(SMALLEST)
    book = read_workbook(write_workbook(source), "x.xlsx")
    assert write_pdf(document_for_source(book)[0]) == write_pdf(document_for_source(source)[0])


def test_same_input_same_workbook_bytes():
    source = read_yaml(SMALLEST)
    assert write_workbook(source) == write_workbook(read_yaml(SMALLEST))


def test_every_cell_font_names_the_sheet_font():
    """A font without a name shows as LibreOffice's and WPS's serif default (the 填写说明's
    bold headings did): every font the workbook defines names one."""
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(read_yaml(SMALLEST))))
    fonts = [cell.font for sheet in book for row in sheet.iter_rows() for cell in row]
    assert {font.name for font in fonts} == {"Calibri"}
    assert any(font.b for font in fonts)


@pytest.mark.parametrize(("path", "title"), [
    (("assets", "vehicles"), "基本信息"), (("document", "name"), "基本信息"),
    (("expenditure", 3, "code"), "支出"), (("performance_tables", 7, "period_indicators"), "绩效表8"),
    (("three_public", "vehicle_operation"), "三公"), (("overview", "duties"), "文字"),
    (("units", 0, "name"), "单位"), (("no_such_field",), None), ((), None),
])
def test_a_value_is_named_by_the_sheet_that_holds_it(path, title):
    assert sheet_title(path) == title


def test_a_yaml_files_findings_are_grouped_by_sheet_in_the_workbench():
    """The workbench groups a YAML file's findings as it would the same workbook's."""
    from generator.workbench.work import check

    found = check((Path(__file__).resolve().parents[1] / "inputs" / "datong-commerce-2024.yaml").read_bytes(),
                  "datong-commerce-2024.yaml")
    assert {f["sheet"] for f in found["findings"]} == {"基本信息", "绩效表8", "绩效表9"}


def _sheet_xml(raw: bytes, title: str) -> str:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    index = book.sheetnames.index(title) + 1
    return zipfile.ZipFile(io.BytesIO(raw)).read(f"xl/worksheets/sheet{index}.xml").decode()


@pytest.mark.parametrize(("sheet", "choices"), [
    ("基本信息", "部门,单位"), ("单位", "行政单位,参公单位,事业单位"), ("项目", "其他运转类,特定目标类"),
    ("绩效表1", "经常性项目（长期开展）,一次性项目（1年结束）"), ("绩效表1", "数量指标,质量指标"),
])
def test_drop_downs_are_in_the_file(sheet, choices):
    raw = write_workbook(read_yaml(INPUTS[0]))
    xml = _sheet_xml(raw, sheet)
    lists = re.findall(r'<dataValidation[^>]*type="list"[^>]*>.*?<formula1>(.*?)</formula1>', xml, re.S)
    assert any(choices in html.unescape(formula) for formula in lists), lists


def test_amounts_are_numbers_and_codes_text():
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(read_yaml(INPUTS[0]))))
    code = next(r for r in book["基本信息"].iter_rows(min_row=2) if r[1].value == "document.supervisor_code")[2]
    assert (code.value, code.data_type, code.number_format) == ("084", "s", "@")
    row = book["支出"][3]
    assert (row[0].value, row[0].data_type) == ("2011301", "s")
    assert row[2].data_type == "n" and row[2].value == 4257970
    assert "7 位项级编码" in book["支出"]["A1"].comment.text  # help on the header


def _edited(raw: bytes, sheet: str, cell: str, value: object) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(raw))
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("sheet", "cell", "value", "where", "zh"), [
    ("支出", "C3", "四百万", "支出!C3 2011301", "不是有效的数字"),
    ("基本信息", "C9", "84", "基本信息!C9 主管部门代码", ""),
    ("项目", "E2", "x", "项目!E2", "无法识别的列「本年预算·x」"),
    ("单位", "B4", "机关", "单位!B4 大同市混凝土发展中心", "只能填写：行政单位、参公单位或事业单位"),
    ("绩效表1", "B2", "", "绩效表1!B2", "缺少必填字段"),
])
def test_errors_name_sheet_cell_and_row(sheet, cell, value, where, zh):
    raw = _edited(write_workbook(read_yaml(INPUTS[0])), sheet, cell, value)
    with pytest.raises(InputError) as info:
        validate(read_workbook(raw, "x.xlsx"))
    problem = info.value.problems[0]
    assert problem.cell is not None and problem.cell.startswith(where)
    assert zh in problem.zh and problem.en


def test_pasted_export_subtotal_rows_are_skipped():
    raw = write_workbook(read_yaml(INPUTS[0]))
    book = openpyxl.load_workbook(io.BytesIO(raw))
    book["支出"].insert_rows(3, 2)
    book["支出"]["A3"], book["支出"]["B3"], book["支出"]["C3"] = "201", "一般公共服务支出", 99
    book["支出"]["A4"], book["支出"]["B4"] = None, "合计"
    out = io.BytesIO()
    book.save(out)
    assert validate(read_workbook(out.getvalue(), "x.xlsx")) == validate(read_yaml(INPUTS[0]))


def test_not_a_workbook():
    with pytest.raises(InputError) as info:
        read_workbook(b"PK\x03\x04 broken", "x.xlsx")
    assert "xlsx" in info.value.problems[0].zh


def test_cli_export_import_check_and_blank_workbook(tmp_path, capsys):
    book, back = tmp_path / "d.xlsx", tmp_path / "d.yaml"
    assert main(["export", str(SMALLEST), "-o", str(book)]) == 0
    assert main(["export", str(SMALLEST), "-o", str(book)]) == 2  # exists: needs --force
    assert main(["import", str(book), "-o", str(back)]) == 0
    assert validate(read_yaml(back)) == validate(read_yaml(SMALLEST))
    assert main(["check", str(book)]) == 0
    capsys.readouterr()
    assert main(["diff", str(SMALLEST), str(book)]) == 0
    assert "无变化" in capsys.readouterr().out
    blank = tmp_path / "blank.xlsx"
    assert main(["init", "--xlsx", "--kind", "单位", "--year", "2025", "-o", str(blank)]) == 0
    capsys.readouterr()
    assert main(["check", "--strict", str(blank)]) == 1
    out = capsys.readouterr().out
    assert "W-PLACEHOLDER 基本信息!C3 部门（单位）全称" in out


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_calc_opens_the_workbook(tmp_path):
    book = tmp_path / "d.xlsx"
    book.write_bytes(write_workbook(read_yaml(INPUTS[0])))
    result = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "ods", "--outdir", str(tmp_path), str(book)],
                            capture_output=True, text=True, timeout=180)
    assert (tmp_path / "d.ods").stat().st_size > 10_000, result.stderr


def _economic_rows(raw: bytes, rows: list[tuple]) -> bytes:
    """The workbook with its 表6 sheet holding exactly `rows` (code, name, gov, amount)."""
    book = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = book["表6经济科目"]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_economic_rows_by_name_get_their_code_from_the_catalogue():
    source = read_yaml(SMALLEST)
    model = validate(source)
    named = [(None, i.name or None, i.gov if i.name else None, i.amount) for i in model.economic_items]
    named = [(None, n or _standard_name(code), g, a) for (_, n, g, a), code
             in zip(named, [i.code for i in model.economic_items], strict=True)]
    raw = _economic_rows(write_workbook(source), named)
    assert [i.code for i in validate(read_workbook(raw, "x.xlsx")).economic_items] == \
        [i.code for i in model.economic_items]


def _standard_name(code: str) -> str:
    from generator.model.codes import economic_items

    return economic_items()[code]["name"]


@pytest.mark.parametrize(("name", "gov", "zh", "candidate"), [
    ("房屋建筑物购建", None, "有多个名为「房屋建筑物购建」", "30901 房屋建筑物购建"),
    ("基本工资资", None, "没有名为「基本工资资」", "30101 基本工资"),
    (None, "工资奖金津补贴", "有多个名为「工资奖金津补贴」", "30102 津贴补贴"),
])
def test_an_ambiguous_or_unknown_name_lists_candidates(name, gov, zh, candidate):
    raw = _economic_rows(write_workbook(read_yaml(SMALLEST)), [(None, name, gov, 100)])
    with pytest.raises(InputError) as info:
        validate(read_workbook(raw, "x.xlsx"))
    problem = info.value.problems[0]
    assert zh in problem.zh and candidate in problem.zh and "Candidates" in problem.en
    assert problem.cell.startswith("表6经济科目!A2")

