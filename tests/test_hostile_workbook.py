"""Hostile input workbooks: each is refused with a located bilingual message or read, never a
traceback, a hang or an explosion (issue 19). Every file is built here by code."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.model.yamlsource import InputError
from generator.pipeline import parse_source
from generator.workbook import container
from generator.workbook.reader import read_workbook
from tests.hostile_books import (
    WORST,
    example_book,
    extra_row,
    measured,
    parts,
    rebuild,
    sheet_part,
    with_sheet_xml,
)

PEAK_MB = 500  # the bound for any workbook up to 20 MB
TIMEOUT = 60  # against hangs, not a speed test (the target, 5 s, is in the README's figures)
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(scope="module")
def book() -> bytes:
    return example_book()


def refused(raw: bytes, name: str = "in.xlsx") -> InputError:
    with pytest.raises(InputError) as caught:
        parse_source(raw, name)
    return caught.value


def message(error: InputError) -> str:
    return " ".join(f"{p.where()} {p.zh} {p.en}" for p in error.problems)


def with_shared_strings(book: bytes, sst: bytes, sheet_edit=None) -> bytes:
    """The book with a shared-string table (openpyxl writes none) and, optionally, a sheet edit."""
    content = parts(book)
    types = content["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SST_TYPE}"/></Types>'.encode())
    rels = content["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSST" Target="sharedStrings.xml" Type="{SST_REL}"/></Relationships>'.encode())
    changed = {"xl/sharedStrings.xml": sst, "[Content_Types].xml": types, "xl/_rels/workbook.xml.rels": rels}
    if sheet_edit:
        part = sheet_part(book, "项目")
        changed[part] = sheet_edit(content[part].decode("utf-8")).encode("utf-8")
    return rebuild(book, changed)


def sst(*strings: str, prolog: str = "") -> bytes:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (f'<?xml version="1.0"?>{prolog}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{items}</sst>").encode()


# --- what the file is: told by content, not by name -------------------------------------

def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("content", "name", "expected"), [
    (lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old.xls", ".xls"),
    (lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "renamed.xlsx", ".xls"),
    (lambda b: _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<a/>"}),
     "sheet.ods", ".ods"),
    (lambda b: rebuild(b, {"[Content_Types].xml": parts(b)["[Content_Types].xml"].replace(
        b"sheet.main+xml", b"sheet.macroEnabled.main+xml")}), "macro.xlsm", ".xlsm"),
    (lambda b: rebuild(b, {"xl/vbaProject.bin": b"\x00" * 64}), "macro.xlsx", ".xlsm"),
    (lambda b: _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), "letter.xlsx", ".docx"),
    (lambda b: b"document:\n  year: 2024\n", "budget.xlsx", ".yaml"),
    (lambda b: b, "budget.yaml", "改为 .xlsx"),
    (lambda b: b, "budget.xls", "改为 .xlsx"),
])
def test_the_kind_of_file_is_told_by_its_content(book, content, name, expected):
    error = refused(content(book), name)
    assert expected in message(error)
    assert error.file == name


def test_a_binary_workbook_is_refused_by_the_command(tmp_path, book, capsys):
    """Excel's 'binary workbook' saved under .xlsx: `check` names the kind and what to do."""
    from generator.cli import main

    path = tmp_path / "saved-as-binary.xlsx"
    path.write_bytes(rebuild(book, {"xl/workbook.bin": b"\x83\x01\x00"}))
    code = main(["check", str(path)])
    out = capsys.readouterr().out
    assert code == 1 and "Traceback" not in out
    assert "这是二进制工作簿（.xlsb）；请在 Excel/WPS 中打开并另存为 .xlsx 工作簿" in out
    assert "this is a binary workbook (.xlsb)" in out


def test_a_workbook_named_xlsx_is_read_whatever_its_content_type_defaults(book):
    assert read_workbook(book, "in.xlsx").data["document"]


# --- the zip: sizes, ratio and number of parts before anything is inflated -------------------

def test_a_zip_bomb_is_refused_by_its_ratio_before_inflating(book):
    bomb = rebuild(book, {"xl/sharedStrings.xml": b"<sst>" + b"a" * (80 << 20) + b"</sst>"}, level=9)
    assert len(bomb) < 1 << 20
    text = message(refused(bomb))
    assert "xl/sharedStrings.xml" in text and "压缩炸弹" in text and "zip bomb" in text


def test_many_parts_inflating_beyond_the_bound_are_refused(book):
    block = (bytes(range(256)) * 64)[:1 << 14]  # compresses well, under the ratio bound per part
    filler = {f"xl/media/filler{i}.bin": block * 220 for i in range(20)}  # 20 × 3.4 MB
    text = message(refused(rebuild(book, filler, level=9)))
    assert f"{container.MAX_INFLATED // 2**20} MB" in text and "xl/media/filler" in text


def test_a_zip_of_too_many_parts_is_refused(book):
    many = rebuild(book, {f"xl/media/p{i}.bin": b"" for i in range(container.MAX_PARTS)})
    assert str(container.MAX_PARTS) in message(refused(many))


def test_corrupt_zip_data_names_the_part(book):
    part = sheet_part(book, "支出")
    raw = bytearray(book)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 40, start + 60):
        raw[offset] ^= 0x5A
    text = message(refused(bytes(raw)))
    assert part in text and "工作簿已损坏" in text


def test_a_truncated_zip_is_refused(book):
    text = message(refused(book[: len(book) // 2]))
    assert "zip" in text
    assert "工作簿已损坏" in text and "central directory" in text  # ("zip" alone: any zip's refusal)


# --- the XML: no DTD, no entities, well-formed -------------------------------------------------

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")


@pytest.mark.parametrize(("prolog", "body"), [
    (LAUGHS, "&lol9;"),
    ('<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    ('<!DOCTYPE sst SYSTEM "http://example.invalid/x.dtd">', "x"),
    ('<!DOCTYPE sst [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>', "x"),
], ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity"])
def test_dtds_and_entities_are_refused(book, prolog, body):
    text = message(refused(with_shared_strings(book, sst(body, prolog=prolog))))
    assert "xl/sharedStrings.xml" in text and "DTD" in text


@pytest.mark.parametrize("part", ["sheet", "xl/styles.xml", "xl/workbook.xml"])
def test_malformed_xml_names_the_part(book, part):
    name = sheet_part(book, "支出") if part == "sheet" else part
    xml = parts(book)[name]
    text = message(refused(rebuild(book, {name: xml[: len(xml) // 2]})))
    assert name in text and "工作簿已损坏或不是有效的 .xlsx" in text and "damaged" in text


def test_well_formed_but_wrong_styles_name_the_part(book):
    styles = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="1">' \
             b'<xf numFmtId="not-a-number"/></cellXfs></styleSheet>'
    assert "xl/styles.xml" in message(refused(rebuild(book, {"xl/styles.xml": styles})))


def test_a_bad_shared_string_index_names_the_sheet(book):
    raw = with_shared_strings(book, sst("only one"), extra_row(400, '<c r="A400" t="s"><v>99</v></c>'))
    text = message(refused(raw))
    assert "项目" in text and "工作簿已损坏" in text


def test_shared_strings_are_read(book):
    raw = with_shared_strings(book, sst("甲", "乙"), extra_row(400, '<c r="B400" t="s"><v>1</v></c>'))
    sheet = container.Workbook(raw, "in.xlsx")["项目"]
    assert sheet.cell(400, 2).value == "乙"


def test_too_many_shared_strings_are_refused_before_openpyxl(book):
    raw = with_shared_strings(book, sst(*map(str, range(container.MAX_STRING_ELEMENTS // 2 + 1))))
    assert str(container.MAX_STRING_ELEMENTS) in message(refused(raw))


def test_too_many_elements_are_refused_before_openpyxl(book):
    rows = "".join(f'<row r="{r}"><c r="A{r}"/></row>' for r in range(300, 300 + container.MAX_ELEMENTS // 2 + 10))
    text = message(refused(with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"))))
    assert str(container.MAX_ELEMENTS) in text and "xl/worksheets/" in text


# --- the extent and the limits, while reading ----------------------------------------------------

def test_a_styled_empty_cell_at_the_last_row_costs_one_row(book):
    raw = with_sheet_xml(book, "项目", extra_row(1_048_576, '<c r="A1048576" s="1"/><c r="XFD1048576" s="1"/>'))
    sheet = container.Workbook(raw, "in.xlsx")["项目"]
    assert sheet.max_row < 1000 and len(sheet.values) < 5000
    assert read_workbook(raw, "in.xlsx").data == read_workbook(book, "in.xlsx").data


def test_reading_stops_at_the_row_limit_with_the_row_named(book):
    rows = "".join(f'<row r="{r}"><c r="B{r}" t="inlineStr"><is><t>项目{r}</t></is></c></row>'
                   for r in range(300, 300 + container.MAX_SHEET_ROWS + 10))
    error = refused(with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")))
    assert error.problems[0].cell.startswith("项目!A")
    assert str(container.MAX_PROJECTS) in error.problems[0].zh


def test_reading_stops_at_the_cell_limit(book, monkeypatch):
    monkeypatch.setattr(container, "MAX_CELLS", 300)
    error = refused(book)
    assert str(300) in error.problems[0].zh and "!A" in error.problems[0].cell


def test_hidden_rows_merged_cells_and_unsaved_formulas_are_facts_of_the_sheet(book):
    def edit(xml: str) -> str:
        xml = xml.replace("</sheetData>", '<row r="500" hidden="1"><c r="A500"><v>1</v></c>'
                                          '<c r="B500"><f>1000+500</f></c></row></sheetData>')
        if "<mergeCells" in xml:  # the example's 项目 sheet has merged headers: one more range
            return re.sub(r"(<mergeCells[^>]*>)", r'\1<mergeCell ref="C500:D500"/>', xml, count=1)
        return xml.replace("</worksheet>", '<mergeCells count="1"><mergeCell ref="C500:D500"/></mergeCells>'
                                           "</worksheet>")
    sheet = container.Workbook(with_sheet_xml(book, "项目", edit), "in.xlsx")["项目"]
    assert 500 in sheet.hidden_rows
    assert (500, 2) in sheet.unsaved_formulas and sheet.cell(500, 2).value is None
    assert "C500:D500" in sheet.merged  # (the range was never added: the sheet has merged headers)


@pytest.mark.parametrize("ref", ["A:B", "A1:B2:C3", "C500:D500"])
def test_a_merged_range_in_the_data_area_is_refused_at_its_range_whatever_its_form(book, ref):
    """A whole-column range and one that is no range at all are refused like an ordinary one
    (they were a TypeError and a ValueError)."""
    error = refused(with_sheet_xml(book, "项目", lambda xml: re.sub(
        r'<mergeCell ref="[^"]*"/>', f'<mergeCell ref="{ref}"/>', xml, count=1)))
    assert any(p.cell == f"项目!{ref}" and "数据区有合并单元格" in p.zh for p in error.problems), message(error)


@pytest.mark.parametrize("raw", ["NaN", "INF", "-inf"])
def test_a_number_that_is_not_finite_is_refused_at_its_cell_showing_the_value(book, raw):
    error = refused(with_sheet_xml(book, "支出", lambda xml: re.sub(
        r'(<c r="C3"[^>]*>)<v>[^<]*</v>', rf"\1<v>{raw}</v>", xml, count=1)))
    problem = error.problems[0]
    assert problem.cell == "支出!C3" and "不是有效的数字" in problem.zh and raw.lstrip("-").lower() in problem.zh.lower()


# --- the whole command: exit code, message, no traceback, bounded time and memory ---------------------

@pytest.mark.parametrize(("build", "code", "expected"), [
    (WORST["last-row"], 0, "主要数据"),
    (WORST["a-million-rows"], 1, "xl/worksheets/sheet"),
    (WORST["a-million-empty-cells"], 1, str(container.MAX_CELLS)),
    (WORST["a-million-empty-rows"], 1, str(container.MAX_CELLS)),
    (WORST["a-sheet-frame-of-1.4M"], 1, str(container.MAX_FRAME)),
    (WORST["gigabyte-string"], 1, "压缩炸弹"),
], ids=list(WORST))
def test_the_command_answers_within_bounds(tmp_path: Path, book, build, code, expected):
    path = tmp_path / "in.xlsx"
    path.write_bytes(build(book))
    assert path.stat().st_size < 20 << 20
    run = measured("check", path, cwd=tmp_path, timeout=TIMEOUT)
    assert run.code == code, run.stdout + run.stderr
    assert expected in run.stdout
    assert "Traceback" not in run.stdout + run.stderr
    assert run.peak_mb < PEAK_MB
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_a_sheet_part_that_is_not_there_is_named(book):
    part = sheet_part(book, "支出")
    text = message(refused(rebuild(book, {part: None})))
    assert "工作簿已损坏" in text and "xl/worksheets" in text


def test_too_many_sheets_are_refused(book, monkeypatch):
    monkeypatch.setattr(container, "MAX_SHEETS", 5)
    assert "上限 5" in message(refused(book))


def test_a_zip_directory_declaring_too_many_parts_is_refused_before_parsing(book):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(container.MAX_PARTS + 1):
            archive.writestr(f"p{i}", b"")
    assert "部件" in message(refused(out.getvalue()))


@pytest.mark.parametrize("where", ["after-cells", "before-cells", "styles"])
def test_a_sheet_frame_or_styles_of_a_million_elements_are_refused_before_openpyxl(book, where):
    many = "<x/>" * (container.MAX_FRAME + 1)
    if where == "styles":
        raw = rebuild(book, {"xl/styles.xml": f'<styleSheet xmlns="{NS}"><extLst>{many}</extLst></styleSheet>'.encode()})
    else:
        raw = with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", f"</sheetData><extLst>{many}</extLst>")
                             if where == "after-cells" else xml.replace("<sheetData>", f"<cols>{many}</cols><sheetData>"))
    assert str(container.MAX_FRAME) in message(refused(raw))


def test_cells_are_not_counted_as_frame(book):
    rows = "".join(f'<row r="{r}"><c r="B{r}" s="1"/></row>' for r in range(300, 300 + container.MAX_FRAME + 10))
    sheet = container.Workbook(with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", rows + "</sheetData>")),
                               "in.xlsx")["项目"]
    assert sheet.max_row < 300


def test_a_chart_on_a_sheet_of_its_own_is_no_worksheet(book):
    wb = openpyxl.load_workbook(io.BytesIO(book))
    wb.create_chartsheet("图表")
    saved = io.BytesIO()
    wb.save(saved)
    raw = saved.getvalue()
    assert "xl/chartsheets/sheet1.xml" in parts(raw)
    assert "图表" not in container.Workbook(raw, "in.xlsx").sheetnames
    assert read_workbook(raw, "in.xlsx").data == read_workbook(book, "in.xlsx").data
