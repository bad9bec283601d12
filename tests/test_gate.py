"""Nothing wrong gets published: the gate before render, and a workbook that cannot lose data.

Each case goes through the command line (in process) with a YAML file or a workbook made
here from an example, and asserts the exit code, the located message and what was written.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from generator.cli import main
from generator.compose.layout import DRAFT_COLOUR, SIZES
from generator.model.load import validate
from generator.model.yamlsource import read_yaml
from generator.pipeline import document_from_bytes
from generator.workbook.writer import write_workbook
from generator.writers.html_writer import render_html
from generator.writers.typst_writer import typst_data

ROOT = Path(__file__).resolve().parents[1]
SH = ROOT / "inputs" / "datong-shanghai-office-2024.yaml"
CO = ROOT / "inputs" / "datong-commerce-2024.yaml"
RATE_CELL = "100%"  # 残疾人保障金经费保障率 in 绩效表1 of SH


def book_of(path: Path = SH) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(write_workbook(read_yaml(path))))


def saved(book: openpyxl.Workbook, folder: Path, name: str = "dept.xlsx") -> Path:
    path = folder / name
    book.save(path)
    return path


def row_of(sheet, column: int, value: str) -> int:
    """The first row whose cell in `column` holds `value`."""
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, column).value == value)


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def checked(capsys, book: openpyxl.Workbook, folder: Path, code: int) -> str:
    """`check` of `book` saved in `folder`: the exit code asserted, the output returned."""
    got, out, _ = run(capsys, "check", saved(book, folder))
    assert got == code, out
    return out


# ---- the gate ----------------------------------------------------------------------------

@pytest.fixture
def starter(tmp_path) -> Path:
    path = tmp_path / "starter.yaml"
    assert main(["init", "--year", "2025", "-o", str(path)]) == 0
    return path


def test_render_refuses_placeholders_and_defaults(starter, tmp_path, capsys):
    code, _, err = run(capsys, "render", starter, "-o", tmp_path / "out", "--format", "docx")
    assert code == 1
    assert "W-PLACEHOLDER 还有未填写的内容：income: 【待填写：增减变化的主要原因】" in err
    assert "W-DEFAULT 主管部门代码仍是空白模板的 000" in err
    assert "W-DEFAULT 支出科目 2010301 的金额全部为 0（空白模板的示例行？）" in err
    assert "render --draft" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_render_refuses_a_blank_workbook(tmp_path, capsys):
    blank = tmp_path / "blank.xlsx"
    assert main(["init", "--xlsx", "--year", "2025", "-o", str(blank)]) == 0
    code, _, err = run(capsys, "render", blank, "-o", tmp_path / "out", "--format", "docx")
    assert code == 1
    assert "基本信息!C3 部门（单位）全称\n    W-PLACEHOLDER" in err
    assert "基本信息!C9 主管部门代码\n    W-DEFAULT" in err


@pytest.mark.parametrize("engine", ["weasyprint", "typst"])
def test_a_draft_is_stamped_on_every_page(starter, tmp_path, capsys, engine):
    out = tmp_path / "out"
    code, _, err = run(capsys, "render", starter, "-o", out, "--draft", "--engine", engine)
    assert code == 0
    assert "草稿：每页标有“草稿”" in err
    pages = PdfReader(out / "starter.pdf").pages
    assert len(pages) > 10 and all("草稿" in page.extract_text() for page in pages)
    with zipfile.ZipFile(out / "starter.docx") as docx:
        body = docx.read("word/document.xml").decode()
        headers = [docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header")]
    sections = re.findall(r"<w:sectPr.*?</w:sectPr>", body)
    first = sections[0]  # later sections inherit its headers: every page shows the mark
    assert 'w:headerReference w:type="default"' in first and 'w:headerReference w:type="first"' in first
    assert not any("headerReference" in s for s in sections[1:])
    assert len(headers) == 2 and all("草稿" in h for h in headers)


def test_a_final_render_has_no_mark(tmp_path, capsys):
    code, _, _ = run(capsys, "render", SH, "-o", tmp_path, "--format", "docx")
    assert code == 0
    with zipfile.ZipFile(tmp_path / "datong-shanghai-office-2024.docx") as docx:
        assert "headerReference" not in docx.read("word/document.xml").decode()


def test_every_writer_stamps_the_draft_mark_alike(starter, tmp_path, capsys):
    """One mark from the layout: bold, its size and colour, at the right of the top margin."""
    doc, _ = document_from_bytes(starter.read_bytes(), starter.name, draft=True)
    css = re.search(r"@top-right \{[^}]*\}", render_html(doc)).group(0)
    assert f"color: #{DRAFT_COLOUR}" in css and f"font-size: {SIZES['draft']}pt" in css and "bold" in css
    assert typst_data(doc)["draft_colour"] == f"#{DRAFT_COLOUR}"
    assert run(capsys, "render", starter, "-o", tmp_path, "--draft", "--format", "docx")[0] == 0
    with zipfile.ZipFile(tmp_path / "starter.docx") as docx:
        header = next(docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header"))
    assert f'<w:color w:val="{DRAFT_COLOUR}"/>' in header and f'<w:sz w:val="{round(SIZES["draft"] * 2)}"/>' in header
    assert '<w:jc w:val="right"/>' in header and "<w:b/>" in header


def test_the_batch_summary_says_draft(starter, tmp_path, capsys):
    shutil.copy(starter, tmp_path / "second.yaml")
    code, out, _ = run(capsys, "render", starter, tmp_path / "second.yaml", "-o", tmp_path / "out",
                       "--format", "docx", "--draft", "-j", "1")
    assert code == 0
    assert "2 files: 2 ok, 0 failed（草稿" in out


# ---- rollover ------------------------------------------------------------------------------

def test_rollover_marks_and_reports_last_years_texts(tmp_path, capsys):
    rolled = tmp_path / "2025.yaml"
    assert main(["init", "--from", str(CO), "-o", str(rolled)]) == 0
    text = rolled.read_text("utf-8")
    assert "【待填写：核对年份，删去本标记】从部门预算构成看，大同市商务局2024年部门预算由" in text
    code, out, _ = run(capsys, "check", rolled)
    assert code == 0
    assert "W-STALE-YEAR" in out and "文字中仍是上一年度「2024年」：" in out
    assert "请核对是否应为 2025年" in out


def test_a_stale_year_in_a_workbook_names_its_cell(tmp_path, capsys):
    book = book_of()
    sheet = book["文字"]
    row = row_of(sheet, 2, "other_notes.other")
    sheet.cell(row, 4).value = "项目于2023年1月开始实施"
    out = checked(capsys, book, tmp_path, 0)
    assert f"警告 W-STALE-YEAR 文字!D{row} 其他说明\n" in out


# ---- sheets -------------------------------------------------------------------------------

def test_a_renamed_sheet_is_an_error_listing_the_sheets_found(tmp_path, capsys):
    book = book_of()
    book["政府采购"].title = "政府采购表"
    out = checked(capsys, book, tmp_path, 1)
    assert "缺少工作表「政府采购」（工作簿中有：填写说明、基本信息、文字、" in out
    assert "、政府采购表、绩效表1" in out


def test_a_missing_sheet_is_an_error(tmp_path, capsys):
    book = book_of()
    del book["三公"]
    code, _, err = run(capsys, "render", saved(book, tmp_path), "-o", tmp_path / "out")
    assert code == 1
    assert "三公!\n    缺少工作表「三公」" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_unknown_and_hidden_sheets_and_hidden_rows_are_warned(tmp_path, capsys):
    book = book_of()
    book.create_sheet("备注").cell(1, 1, "随手记")
    book["科目名称"].sheet_state = "hidden"
    book["绩效表1"].sheet_state = "veryHidden"
    book["支出"].row_dimensions[3].hidden = True
    out = checked(capsys, book, tmp_path, 0)
    assert "警告 W-SHEET-UNKNOWN 备注!A1\n  工作表「备注」不是输入工作簿的表，其内容不会读取" in out
    assert "工作表「科目名称」是隐藏的" in out
    assert "工作表「绩效表1」是深度隐藏的，其内容照常读取并公开" in out
    assert "警告 W-SHEET-HIDDEN 科目名称!A1\n" in out and "警告 W-SHEET-HIDDEN 绩效表1!A1\n" in out  # (test_checks)
    assert "警告 W-ROW-HIDDEN 支出!A3\n  工作表「支出」第 3 行是隐藏的" in out


# ---- cells ---------------------------------------------------------------------------------

def test_a_formula_without_a_saved_value_is_never_read(tmp_path, capsys):
    book = book_of()
    sheet = book["政府采购"]
    sheet["C2"] = "=1000+500"  # openpyxl saves the formula only: no calculated value
    out = checked(capsys, book, tmp_path, 1)
    assert "政府采购!C2\n    公式未计算：请在 Excel/WPS 中打开并保存" in out


def test_merged_data_cells_are_refused_showing_the_value(tmp_path, capsys):
    book = book_of()
    sheet = book["支出"]
    sheet.merge_cells("C3:C4")
    value = sheet["C3"].value
    out = checked(capsys, book, tmp_path, 1)
    assert f"支出!C3:C4\n    数据区有合并单元格 C3:C4（值：{value}）" in out


def test_an_infinite_number_is_refused_at_its_cell(tmp_path, capsys):
    book = book_of()
    book["政府采购"]["C2"] = 12345
    path = saved(book, tmp_path)
    _rewrite(path, lambda name, xml: xml.replace(b"<v>12345</v>", b"<v>1E999</v>"))  # a double's inf
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    assert "政府采购!C2\n    不是有效的数字：inf" in out


def test_a_float_artefact_is_shown_with_its_value(tmp_path, capsys):
    book = book_of()
    book["政府采购"]["C2"] = 12345
    path = saved(book, tmp_path)
    _rewrite(path, lambda name, xml: xml.replace(b"<v>12345</v>", b"<v>0.30000000000000004</v>"))
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    assert "政府采购!C2 货物\n    数字位数过多（最多 16 位）（读到的值：0.30000000000000004）" in out


def _rewrite(path: Path, change) -> None:
    with zipfile.ZipFile(path) as old:
        parts = [(info, change(info.filename, old.read(info))) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in parts:
            new.writestr(info, data)


def _rate_cell(book: openpyxl.Workbook):
    sheet = book["绩效表1"]
    return next(c for row in sheet.iter_rows() for c in row if c.value == RATE_CELL)


def test_a_percent_formatted_number_reads_as_a_percentage(tmp_path, capsys):
    book = book_of()
    cell = _rate_cell(book)
    cell.value, cell.number_format = 1, "0%"  # what Excel keeps of 100% typed into a General cell
    path = saved(book, tmp_path)
    code, _, _ = run(capsys, "import", path, "-o", tmp_path / "back.yaml")
    assert code == 0
    assert "残疾人保障金经费保障率: 100%" in (tmp_path / "back.yaml").read_text("utf-8")


def test_a_bare_number_for_a_rate_is_warned(tmp_path, capsys):
    book = book_of()
    cell = _rate_cell(book)
    cell.value, cell.number_format = 0.5, "General"
    out = checked(capsys, book, tmp_path, 0)
    assert (f"警告 W-VALUE-NUMBER 绩效表1!{cell.coordinate} J残疾人保障金\n"
            "  残疾人保障金经费保障率是比率，指标值却是数字 0.5。是否应为「50%」？") in out


def test_indicator_cells_are_formatted_as_text():
    sheet = book_of()["绩效表1"]
    cell = _rate_cell(book_of())
    spare = sheet.cell(sheet.max_row - 1, cell.column)
    assert sheet[cell.coordinate].number_format == "@" and spare.number_format == "@"


# ---- formula injection ------------------------------------------------------------------------

INJECTIONS = ['=HYPERLINK("http://evil.example/","点击")', "+1+1", "-2+3", "@SUM(1,2)", "\t=1+1",
              "\r=1+1", "=cmd|' /C calc'!A0"]


LINK = '"=HYPERLINK(\\"http://x/\\",\\"y\\")"'
HYPERLINKED = SH.read_text("utf-8").replace("  - name: z专项事务工作经费\n", f"  - name: {LINK}\n", 1).replace(
    "  - project: z专项事务工作经费\n", f"  - project: {LINK}\n", 1)


def _formulas(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as book:
        return [n.encode() for n in book.namelist()
                if n.startswith("xl/worksheets/") and b"<f>" in book.read(n)]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_every_text_is_written_as_text_and_stays_text(tmp_path, capsys, payload):
    source = tmp_path / "in.yaml"
    escaped = payload.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    source.write_text(SH.read_text("utf-8").replace("  other: 无", f'  other: "{escaped}"', 1), "utf-8")
    book = tmp_path / "in.xlsx"
    assert main(["export", str(source), "-o", str(book)]) == 0
    assert _formulas(book) == []
    sheet = openpyxl.load_workbook(book)["文字"]
    row = row_of(sheet, 2, "other_notes.other")
    assert sheet.cell(row, 4).data_type == "s" and sheet.cell(row, 4).value.strip("\t\r\n ") == payload.strip()
    assert main(["import", str(book), "-o", str(tmp_path / "back.yaml")]) == 0
    again = validate(read_yaml(tmp_path / "back.yaml")).other_notes.other
    assert again == validate(read_yaml(source)).other_notes.other
    capsys.readouterr()


def test_data_workbook_and_rollover_workbook_hold_no_formula(tmp_path, capsys):
    source = tmp_path / "in.yaml"
    source.write_text(HYPERLINKED, "utf-8")
    assert main(["render", str(source), "--format", "xlsx", "-o", str(tmp_path)]) == 0
    data = tmp_path / "in.data.xlsx"
    assert _formulas(data) == []
    values = [c.value for ws in openpyxl.load_workbook(data) for row in ws.iter_rows() for c in row]
    assert '=HYPERLINK("http://x/","y")' in values
    assert main(["init", "--from", str(source), "--xlsx", "-o", str(tmp_path / "next.xlsx")]) == 0
    assert _formulas(tmp_path / "next.xlsx") == []
    capsys.readouterr()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_the_text_not_a_link(tmp_path, capsys):
    source = tmp_path / "in.yaml"
    source.write_text(HYPERLINKED, "utf-8")
    assert main(["render", str(source), "--format", "xlsx", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(tmp_path / "in.data.xlsx")
    table12 = next(name for name in book.sheetnames if name.startswith("表12"))
    for name in book.sheetnames:
        if name != table12:
            del book[name]
    book.save(tmp_path / "t12.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "csv", "--outdir", str(tmp_path), str(tmp_path / "t12.xlsx")],
                   check=True, capture_output=True, timeout=120)
    csv = (tmp_path / "t12.csv").read_text("utf-8")
    assert '=HYPERLINK(""http://x/"",""y"")' in csv  # the text itself, not the link's "y"


# ---- folders -------------------------------------------------------------------------------

def test_a_folder_stands_for_its_workbooks_too(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "dept.xlsx").write_bytes(write_workbook(read_yaml(SH)))
    code, out, _ = run(capsys, "check", folder)
    assert code == 0 and "dept.xlsx" in out


def test_a_yaml_beside_a_workbook_of_its_name_is_refused(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SH, folder / "dept.yaml")
    (folder / "dept.xlsx").write_bytes(write_workbook(read_yaml(SH)))
    code, _, err = run(capsys, "render", folder, "-o", tmp_path / "out")
    assert code == 2
    assert f"同一文件夹中有两个同名输入：{folder / 'dept.xlsx'} 和 {folder / 'dept.yaml'}" in err


# ---- messages for a workbook ------------------------------------------------------------------

def test_a_workbook_message_names_the_cell_and_label_not_the_yaml_field(tmp_path, capsys):
    book = book_of()
    sheet = book["文字"]
    row = row_of(sheet, 2, "operating_costs.text")
    sheet.cell(row, 4).value = None
    out = checked(capsys, book, tmp_path, 1)
    assert (f"错误 E-OPCOST-TEXT 文字!D{row} §八 全文（替代自动生成）\n"
            "  没有行政或参公单位时，请在 「文字」表的「§八 全文（替代自动生成）」 说明无机关运行经费") in out
    assert "operating_costs" not in out.split("\n  没有")[1].split("\n")[0]


def test_a_three_public_reason_names_its_row(tmp_path, capsys):
    book = book_of()
    sheet = book["三公"]
    row = row_of(sheet, 1, "公务接待费")
    sheet.cell(row, 5).value = 1  # 上年预算 changes: a reason is needed
    sheet.cell(row, 6).value = None
    out = checked(capsys, book, tmp_path, 1)
    assert f"E-REASON-MISSING 三公!F{row} 公务接待费\n" in out
    assert "（「三公」表的「增减原因」）" in out


def test_the_three_public_sheet_is_read_by_its_row_labels(tmp_path, capsys):
    book = book_of()
    sheet = book["三公"]
    sheet.insert_rows(4)  # a blank row above 公务接待费: nothing shifts
    path = saved(book, tmp_path)
    code, _, _ = run(capsys, "import", path, "-o", tmp_path / "back.yaml")
    assert code == 0
    assert validate(read_yaml(tmp_path / "back.yaml")).three_public == validate(read_yaml(SH)).three_public
    row = row_of(sheet, 1, "公务接待费")
    sheet.cell(row, 1).value = "接待费"
    out = checked(capsys, book, tmp_path, 1)
    assert f"三公!A{row}\n    第 A 列的行名「接待费」不是本表的行" in out
    assert "三公!A\n    缺少行「公务接待费」" in out


def test_a_deleted_column_is_named_and_nothing_is_rendered(tmp_path, capsys):
    book = book_of()
    book["项目"].delete_cols(3)  # 项目类别, header and all
    out = checked(capsys, book, tmp_path, 1)
    assert "项目!A2\n    缺少列「项目类别」（表头不要修改）\n    missing column(s) 项目类别 (keep the headers)" in out
    code, _, err = run(capsys, "render", tmp_path / "dept.xlsx", "-o", tmp_path / "out")
    assert code == 1 and "缺少列「项目类别」" in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_total_row_in_the_projects_sheet_is_skipped(tmp_path, capsys):
    book = book_of()
    sheet = book["项目"]
    last = max(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 2).value)
    sheet.cell(last + 1, 2).value = "合计"
    sheet.cell(last + 1, 5).value = 999999
    checked(capsys, book, tmp_path, 0)


def test_check_groups_a_workbooks_findings_by_sheet(tmp_path, capsys):
    rolled = tmp_path / "2025.xlsx"
    assert main(["init", "--from", str(CO), "--xlsx", "-o", str(rolled)]) == 0
    code, out, _ = run(capsys, "check", rolled)
    assert code == 0
    heads = re.findall(r"^【(.+?)】警告 (\d+) / sheet", out, re.M)
    assert [h for h, _ in heads][:3] == ["基本信息", "文字", "单位"]
    assert heads[-1][0] == "绩效表11"
    assert sum(int(n) for _, n in heads) == int(re.search(r"警告 warnings: (\d+)", out).group(1))


# ---- diff ----------------------------------------------------------------------------------------

def test_diff_lists_changed_input_cells_first_then_tables_and_marked_sentences(tmp_path, capsys):
    old = saved(book_of(), tmp_path, "old.xlsx")
    book = book_of()
    book["政府采购"]["C2"] = 50000
    new = saved(book, tmp_path, "new.xlsx")
    code, out, _ = run(capsys, "diff", old, new, "--html", tmp_path / "修改说明.html")
    assert code == 1
    first, rest = out.split("\n", 1)
    assert first == "输入的修改 changed inputs (1):"
    assert rest.startswith("  政府采购!C2 货物: 0 → 50000\n文字 sentences (1")
    assert "［5.00］万元" in out  # the changed figure marked in its sentence
    note = (tmp_path / "修改说明.html").read_text("utf-8")
    assert "<h1>修改说明</h1>" in note and "政府采购!C2 货物" in note and "负责人：" in note


def test_diff_exits_0_when_nothing_published_changes(tmp_path, capsys):
    code, out, _ = run(capsys, "diff", SH, SH)
    assert code == 0 and "公开内容无变化" in out
    edited = tmp_path / "comment.yaml"
    edited.write_text(SH.read_text("utf-8").replace("amount_unit: 元", "amount_unit: 元  # 只改注释"), "utf-8")
    code, out, _ = run(capsys, "diff", SH, edited)
    assert code == 0


def test_diff_compares_drafts_and_numbers_its_tables(tmp_path, capsys):
    rolled = tmp_path / "2025.yaml"
    assert main(["init", "--from", str(SH), "-o", str(rolled)]) == 0
    code, out, _ = run(capsys, "diff", SH, rolled)
    assert code == 1
    assert "\n  表1 2025年预算收支总表\n" in out
    assert re.search(r"\n  document\.year \(line \d+\): 2024 → 2025\n", out)


# ---- a workbook a clerk can fill without the manual ------------------------------------------------

def test_the_workbook_guides_and_protects_the_clerk():
    book = book_of(ROOT / "inputs" / "datong-foreign-affairs-2023.yaml")
    assert book.sheetnames[0] == "填写说明" and book.sheetnames[-1] == "绩效表模板"
    assert "绩效表模板" in " ".join(str(c.value) for c in book["填写说明"]["A"])
    basic = book["基本信息"]
    assert basic.protection.sheet and not basic.protection.password  # lifted without a password
    assert basic.column_dimensions["B"].hidden  # the field keys
    label, value = basic["A3"], basic["C3"]
    assert label.protection.locked and not value.protection.locked
    assert value.fill.fgColor.rgb.endswith("FFF8DC") and not label.fill.fgColor.rgb.endswith("FFF8DC")
    prompted = {str(c) for dv in basic.data_validations.dataValidation if dv.prompt for c in dv.sqref.ranges}
    fields = [r for r in range(2, basic.max_row + 1) if basic.cell(r, 2).value]
    assert all(any(f"C{r}" in ranges for ranges in prompted) for r in fields)
    row = next(r for r in fields if basic.cell(r, 2).value == "performance.statement")
    assert basic.cell(row, 3).value in ("固定表述", "写明项目个数和金额")


def test_a_chinese_option_reads_back_as_the_inputs_value(tmp_path, capsys):
    source = ROOT / "inputs" / "datong-foreign-affairs-2023.yaml"
    book = book_of(source)
    path = saved(book, tmp_path)
    assert main(["import", str(path), "-o", str(tmp_path / "back.yaml")]) == 0
    assert validate(read_yaml(tmp_path / "back.yaml")).performance == validate(read_yaml(source)).performance
    capsys.readouterr()


def test_an_empty_copy_of_the_template_says_what_to_fill(tmp_path, capsys):
    book = book_of()
    copy = book.copy_worksheet(book["绩效表模板"])
    copy.title = "绩效表模板 (2)"
    out = checked(capsys, book, tmp_path, 1)
    assert "绩效表模板 (2)!B2 项目名称\n    「绩效表模板 (2)」还没有填写：请填写项目名称" in out


def test_empty_vehicles_round_trip(tmp_path, capsys):
    source = tmp_path / "empty.yaml"
    text = SH.read_text("utf-8")
    start = text.index("  vehicles:\n")
    end = text.index("\n  office_area", start)
    source.write_text(text[:start] + "  vehicles: {}" + text[end:], "utf-8")
    assert main(["export", str(source), "-o", str(tmp_path / "empty.xlsx")]) == 0
    assert main(["import", str(tmp_path / "empty.xlsx"), "-o", str(tmp_path / "back.yaml")]) == 0
    assert validate(read_yaml(tmp_path / "back.yaml")).assets == validate(read_yaml(source)).assets
    capsys.readouterr()


# ---- a pasted export ---------------------------------------------------------------------------

def test_a_pasted_export_is_mapped_by_its_headers(tmp_path, capsys):
    book = book_of()
    sheet = book["支出"]
    sheet.move_range("C1:G40", cols=20)  # the 基本支出 block moved to the far right, headers with it
    for row in sheet.iter_rows(min_row=3, min_col=23, max_col=23):
        if isinstance(row[0].value, int | float) and row[0].value:
            row[0].value = f"{row[0].value:,.2f}"  # "1,234.56" stored as text
    sheet.merged_cells.ranges = set()  # the moved group header is a plain cell now
    sheet["W1"] = "基本支出"
    path = saved(book, tmp_path)
    assert main(["import", str(path), "-o", str(tmp_path / "back.yaml")]) == 0
    assert validate(read_yaml(tmp_path / "back.yaml")).expenditure == validate(read_yaml(SH)).expenditure
    capsys.readouterr()


def test_an_unknown_header_is_refused_naming_it(tmp_path, capsys):
    book = book_of()
    book["项目"]["Q1"] = "备注"
    out = checked(capsys, book, tmp_path, 1)
    assert "项目!Q2\n    无法识别的列「备注」：表头应为 单位名称、项目名称、" in out


def test_init_refuses_a_name_that_does_not_fit_the_kind(tmp_path, capsys):
    code, _, err = run(capsys, "init", "--xlsx", "-o", tmp_path / "x.yaml")
    assert code == 2 and "输出文件名应以 .xlsx 结尾" in err
    code, _, err = run(capsys, "init", "-o", tmp_path / "x.xlsx")
    assert code == 2 and "输出文件名应以 .yaml 结尾" in err
    assert not list(tmp_path.iterdir())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_every_page_of_the_draft_docx_shows_the_mark(starter, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["render", str(starter), "-o", str(out), "--draft", "--format", "docx"]) == 0
    capsys.readouterr()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out / "starter.docx")], check=True, capture_output=True, timeout=180)
    pages = PdfReader(tmp_path / "starter.pdf").pages
    assert len(pages) > 10 and all("草稿" in page.extract_text() for page in pages)


def test_check_groups_a_yaml_files_findings_by_section(tmp_path, capsys):
    rolled = tmp_path / "2025.yaml"
    assert main(["init", "--from", str(CO), "-o", str(rolled)]) == 0
    code, out, _ = run(capsys, "check", rolled)
    assert code == 0
    heads = re.findall(r"^【(.+?)】警告 (\d+) / section", out, re.M)
    assert [h for h, _ in heads][:3] == ["overview", "units", "expenditure"]
    assert sum(int(n) for _, n in heads) == int(re.search(r"警告 warnings: (\d+)", out).group(1))


def test_the_edition_and_format_cells_offer_every_shipped_format():
    """A Shanghai 2025 disclosure's 格式版本 is not refused by a drop-down of Shanxi's editions."""
    basic = book_of(ROOT / "inputs" / "putuo-finance-bureau-2025.yaml")["基本信息"]
    rows = {basic.cell(r, 2).value: r for r in range(2, basic.max_row + 1)}

    def rule(key: str):
        cell = f"C{rows[key]}"
        return next(dv for dv in basic.data_validations.dataValidation
                    if any(cell == str(r) for r in dv.sqref.ranges))
    assert rule("document.edition").formula1 == '"2023,2024,2025"'
    assert "shanghai" in rule("document.format").prompt and "2025" in rule("document.format").prompt


def test_the_change_note_numbers_only_the_parts_it_shows(tmp_path, capsys):
    """政府采购 is in no table: the note has inputs and sentences, numbered 一 and 二."""
    old = saved(book_of(), tmp_path, "old.xlsx")
    book = book_of()
    book["政府采购"]["C2"] = 50000
    new = saved(book, tmp_path, "new.xlsx")
    assert run(capsys, "diff", old, new, "--html", tmp_path / "修改说明.html")[0] == 1
    note = (tmp_path / "修改说明.html").read_text("utf-8")
    assert re.findall(r"<h2>(.)、", note) == ["一", "二"]


def test_the_guide_rows_hold_their_wrapped_lines_and_print_one_page_wide():
    guide = book_of(ROOT / "inputs" / "datong-foreign-affairs-2023.yaml")["填写说明"]
    rows = [r for r in range(1, guide.max_row + 1) if guide.cell(r, 1).value]
    longest = max(rows, key=lambda r: len(guide.cell(r, 1).value))
    assert guide.row_dimensions[longest].height > guide.row_dimensions[rows[0]].height  # two lines and more
    assert guide.sheet_properties.pageSetUpPr.fitToPage and guide.page_setup.fitToWidth == 1
