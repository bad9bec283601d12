"""The Typst PDF writer: the same content tests as the WeasyPrint writer, and injection tests.

Tests that check what any PDF of the sample must hold run for both engines; the real
inputs are rendered with Typst here (test_outputs renders them with WeasyPrint).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.compose.tree import Cell, Chart, Document, Heading, Paragraph, Section, Table, TableOfContents
from generator.errors import RenderError
from generator.pipeline import document_for
from generator.writers import pdf_writer, typst_writer
from tests.layout_audit import audit
from tests.sample_tree import PAGE, TOC, sample_document
from tests.test_layout_audit import EXAMPLES, VARIANTS, _variant
from tests.test_layout_audit import INPUTS as ROOT_INPUTS
from tests.test_outputs import INPUTS, _pdf_text, _squash, _tree_texts
from tests.test_pdf_writer import FRONT_PAGES, PARTS, _font_dicts, _outline, _text

ENGINES = {"weasyprint": pdf_writer.write_pdf, "typst": typst_writer.write_pdf}
# Strings that mean something in Typst markup or code, in JSON, or in HTML.
HOSTILE = ("#set text(red) #panic(\"x\")", "$x^2$ *bold* _it_ `raw`", "@ref <a> <label>",
           "back\\slash \\u{41} ]", "// not a comment", "/* not a comment */ x",
           "#{ 1 + 1 } = 2", '"quote" \'apos\' & < >', "- list + item / term: x", "= 标题")


@pytest.fixture(scope="module", params=list(ENGINES))
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def sample_pdf(engine: str) -> bytes:
    return ENGINES[engine](sample_document())


@pytest.fixture(scope="module")
def reader(sample_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(sample_pdf))


def test_sample_holds_headings_cells_paragraphs_and_chart_legend(reader: PdfReader) -> None:
    text = re.sub(r"\s+", "", _text(reader))
    for expected in (*PARTS, "表三2024年预算支出总表", "2011359", "招商引资", "81.61",
                     "为大同市社会经济发展提供服务", "注：本表无数据", "J残疾人保障金",
                     "一般公共预算当年拨款结构图", "一般公共服务支出68.60万元（84.06%）"):
        assert expected.replace(" ", "") in text, expected


def test_metadata_title_language_and_fixed_dates(reader: PdfReader) -> None:
    assert reader.metadata.title == "示例单位2024年度单位预算公开"
    assert reader.metadata["/CreationDate"].startswith("D:20240101000000")
    assert str(reader.trailer["/Root"]["/Lang"]).lower() == "zh-cn"


def test_every_font_is_embedded_and_cjk_fonts_are_used(reader: PdfReader) -> None:
    fonts = [f for page in reader.pages for f in _font_dicts(page["/Resources"].get_object())]
    assert any("CJK" in str(f["/BaseFont"]) for f in fonts)
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert {"/FontFile2", "/FontFile3", "/FontFile"} & set(descriptor), font["/BaseFont"]


def test_outline_has_parts_and_table_labels(reader: PdfReader) -> None:
    outline = _outline(reader)
    for part in PARTS:
        assert part in outline
    assert "表三2024年预算支出总表" in outline  # toc_text is the bookmark label
    assert "2024年预算支出总表" not in outline


def test_toc_page_numbers_are_the_real_ones(reader: PdfReader) -> None:
    toc = reader.pages[1].extract_text()
    outline = _outline(reader)
    for part in PARTS:
        match = re.search(re.escape(part) + r"\s*\.{3,}\s*(\d+)", toc)
        assert match, part
        assert int(match.group(1)) == outline[part] - FRONT_PAGES + 1


def test_landscape_section_has_a_wider_page(reader: PdfReader) -> None:
    wide = [i for i, page in enumerate(reader.pages) if page.mediabox.width > page.mediabox.height]
    assert len(wide) == 1
    assert "项目支出绩效目标表" in reader.pages[wide[0]].extract_text()
    assert reader.pages[wide[0] + 1].mediabox.width < reader.pages[wide[0] + 1].mediabox.height


def test_front_matter_is_unnumbered_and_part_one_is_page_one(reader: PdfReader) -> None:
    footers = [page.extract_text().splitlines()[-1].strip() for page in reader.pages]
    assert not any(re.fullmatch(r"—\s*\d+\s*—", f) for f in footers[:FRONT_PAGES])
    assert footers[FRONT_PAGES:FRONT_PAGES + 2] == ["— 1 —", "— 2 —"]


def test_same_document_gives_same_bytes(engine: str, sample_pdf: bytes) -> None:
    assert ENGINES[engine](sample_document()) == sample_pdf


def test_the_layout_data_is_the_same_in_every_process() -> None:
    """What Typst lays out (and what the 目录's kept pages are found by) does not depend on
    the process's string hashing: a set's order once changed it from run to run, so a DOCX
    alone never found its kept pages."""
    import os
    import subprocess
    import sys

    code = ("import hashlib, json; from pathlib import Path; from generator.pipeline import document_for; "
            "from generator.writers.typst_writer import _layout_data; "
            "doc = document_for(Path('inputs/datong-commerce-2024.yaml'))[0]; "
            "print(hashlib.sha256(json.dumps(_layout_data(doc), sort_keys=True).encode()).hexdigest())")
    root = Path(__file__).resolve().parents[1]
    found = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(found) == 1, found


def test_character_no_font_has_is_an_error(engine: str) -> None:
    doc = sample_document()
    doc = replace(doc, blocks=(*doc.blocks, Paragraph("私用区字符\U0010fffd")))
    with pytest.raises(RenderError, match="U\\+10FFFD"):
        ENGINES[engine](doc)


def test_typst_pdfa3b_embeds_the_input_as_source() -> None:
    source = "document:\n  name: 示例单位 # ]) #panic()\n".encode()
    pdf = typst_writer.write_pdf(sample_document(), attachments=[("input.yaml", source)], pdfa=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments["input.yaml"] == [source]
    catalog = reader.trailer["/Root"]
    assert [a.get_object()["/AFRelationship"] for a in catalog["/AF"]] == ["/Source"]
    metadata = catalog["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>3</pdfaid:part>" in metadata
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in metadata


def _hostile_document() -> Document:
    cells = tuple((Cell(text), Cell(text, align="right", style="number")) for text in HOSTILE)
    return Document(
        title=HOSTILE[0], language="zh-CN",
        blocks=(TOC,
                *(Heading(2, f"标题{text}", f"h{i}") for i, text in enumerate(HOSTILE)),
                *(Paragraph(text) for text in HOSTILE),
                Table(header=(), body=cells, widths=(1, 1)),
                Chart("bar", HOSTILE[1], HOSTILE[2:4], (Decimal(1), Decimal(2)), "c")), page_number=PAGE)


def test_hostile_text_is_printed_literally_never_interpreted() -> None:
    doc = _hostile_document()
    reader = PdfReader(io.BytesIO(typst_writer.write_pdf(doc)))
    text = _squash(_text(reader))
    for hostile in HOSTILE:
        assert _squash(hostile) in text, hostile
        assert text.count(_squash(hostile)) >= 4  # paragraph, heading, TOC entry, two cells
    assert reader.metadata.title == HOSTILE[0]
    assert _outline(reader).keys() >= {f"标题{t}" for t in HOSTILE}


def test_user_text_reaches_typst_only_as_json_data() -> None:
    """The Typst source is one fixed file; the document travels as a JSON string."""
    doc = _hostile_document()
    data = json.loads(json.dumps(typst_writer.typst_data(doc), ensure_ascii=False))
    assert ["".join(i["lines"]) for i in data["groups"][0]["items"] if i["kind"] == "paragraph"] \
        == list(HOSTILE)
    source = typst_writer.TEMPLATE.read_text(encoding="utf-8")
    assert "sys.inputs.data" in source
    assert not any(hostile in source for hostile in HOSTILE)


def test_font_roles_map_to_installed_typst_families() -> None:
    families = typst_writer.typst_data(sample_document())["fonts"]
    assert families["body"][0] == "Noto Serif CJK SC"  # 仿宋_GB2312 is not installed here
    assert families["heading"][0] == "Noto Sans CJK SC"


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_typst_pdf_of_each_input_holds_every_sentence_and_cell(path: Path) -> None:
    doc, _ = document_for(path)
    data = typst_writer.write_pdf(doc)
    text = _squash(_pdf_text(data, doc))
    paragraphs, cells = _tree_texts(doc)
    missing = [t for t in paragraphs + cells if _squash(t) not in text]
    assert not missing, missing[:5]
    reader = PdfReader(io.BytesIO(data))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    parts = [h.toc_text or h.text for h in doc.blocks if isinstance(h, Heading) and h.level == 1]
    assert titles == parts  # Shanxi: 第一部分 概况 … 第四部分 名词解释; Shanghai: 一、… 七、…
    assert typst_writer.write_pdf(doc) == data


# What each command imports: a command loads only the libraries its work needs.
_IMPORTED = ("import sys, runpy; sys.argv = ['budgetgen', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('generator.cli', run_name='__main__')\n"
             "except SystemExit:\n    pass\n"
             "print(','.join(sorted(m for m in ('weasyprint', 'typst', 'docx', 'pypdf', 'matplotlib')"
             " if m in sys.modules)), file=sys.stderr)")


@pytest.mark.parametrize(("args", "expected"), [
    (["check"], ""),
    # Typst rasterises the DOCX charts and lays out the pages of its 目录
    (["render", "--format", "docx"], "docx,typst"),
    (["render"], "docx,typst"),  # Typst is the default engine, and its layout gives the 目录's pages
    (["render", "--format", "pdf", "--engine", "weasyprint"], "weasyprint"),  # SVG charts need no Typst
])
def test_a_command_imports_only_what_it_needs(args: list[str], expected: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    source = INPUTS[0]
    extra = ["-o", str(tmp_path)] if args[0] == "render" else []
    result = subprocess.run([sys.executable, "-c", _IMPORTED, args[0], str(source), *extra, *args[1:]],
                            capture_output=True, text=True, check=True)
    assert result.stderr.strip().splitlines()[-1:] == ([expected] if expected else [])


def test_render_engine_typst_writes_a_pdfa_with_its_input(run_cli, tmp_path: Path) -> None:
    source = INPUTS[0]
    result = run_cli("render", source, "-o", tmp_path, "--engine", "typst", "--pdfa")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / f"{source.stem}.pdf")
    assert reader.metadata["/Creator"].startswith("Typst")
    assert reader.attachments[source.name] == [source.read_bytes()]
    assert (tmp_path / f"{source.stem}.docx").exists()


def test_unknown_engine_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("render", INPUTS[0], "-o", tmp_path, "--engine", "latex")
    assert result.returncode == 2
    assert not list(tmp_path.iterdir())


def _rows_table(keep: frozenset[int] = frozenset()) -> Document:
    body = tuple((Cell(f"R{i:02d}"), Cell("行")) for i in range(80))
    table = Table(header=((Cell("编号", style="header"), Cell("名称", style="header")),), body=body,
                  widths=(40.0, 60.0), keep_with_next=keep)
    return Document(title="t", language="zh-CN", blocks=(table,), page_number=PAGE)


def _first_page_rows(pdf: bytes) -> list[str]:
    return re.findall(r"R\d\d", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def test_rows_kept_with_the_next_row_move_to_its_page(engine: str) -> None:
    """The tree's keep_with_next: the last row of page 1, kept with the next, moves on."""
    last = _first_page_rows(ENGINES[engine](_rows_table()))[-1]
    kept = int(last[1:])
    rows = _first_page_rows(ENGINES[engine](_rows_table(frozenset({kept - 1, kept}))))
    assert rows[-1] == f"R{kept - 2:02d}"


def test_forced_line_breaks_of_the_tree_are_printed(engine: str) -> None:
    text = "第一行的文字第二行的文字"
    blocks = (Paragraph(text, style="table-title", breaks=(6,)),
              Table(header=(), body=((Cell(text, breaks=(6,)), Cell("x")),), widths=(80.0, 20.0)))
    pdf = ENGINES[engine](Document(title="t", language="zh-CN", blocks=blocks, page_number=PAGE))
    lines = [line.strip() for line in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()]
    assert lines.count("第一行的文字") == 2
    assert any(line.startswith("第二行的文字") for line in lines)


def _form(subheaders: frozenset[int]) -> Document:
    """A performance table's shape: a label spanning down from a column heading mid-table."""
    def label(text: str, rowspan: int = 1) -> Cell:
        return Cell(text, rowspan=rowspan, align="center", style="label")
    body = ((label("项目名称"), Cell("城建档案数字化加工", colspan=3)),
            (label("绩效指标", rowspan=4), label("一级指标"), label("二级指标"), label("指标值")),
            *((Cell(f"产出指标{i}"), Cell(f"数量指标{i}"), Cell(f"{i}万卷", align="center")) for i in range(3)))
    table = Table(header=(), body=body, widths=(30.0, 30.0, 40.0, 20.0), font_size=8.0,
                  kind="performance", subheaders=subheaders)
    return Document(title="t", language="zh-CN", blocks=(table,), page_number=PAGE)


def _header_cells(pdf: bytes) -> list:
    """The /TH elements of a tagged PDF's structure tree."""
    found = []

    def walk(node) -> None:
        if node.get("/S") == "/TH":
            found.append(node)
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get") and "/S" in kid:
                walk(kid)

    walk(PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"].get_object())
    return found


def test_a_subheader_row_is_header_cells_and_prints_as_before(engine: str) -> None:
    """A column heading in mid-table (Table.subheaders, a performance table's 一级指标 …) is
    tagged as header cells; the page is the same as without: Typst, whose headers hold
    whole rows, cuts the 绩效指标 label spanning down from it in two and lifts its text
    back into the middle, and HTML's <th> is no bolder than the <td> it replaces."""
    import pdfplumber

    marked, plain = (ENGINES[engine](_form(rows), pdfa=True) for rows in (frozenset({1}), frozenset()))
    assert len(_header_cells(marked)) >= 4 and _header_cells(plain) == []

    def pixels(pdf: bytes) -> bytes:
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            return document.pages[0].to_image(resolution=200).original.tobytes()
    assert pixels(marked) == pixels(plain)


@pytest.mark.parametrize("name", [*EXAMPLES, *sorted(VARIANTS)])
def test_typst_pdf_passes_the_layout_audit(name: str) -> None:
    """tests/layout_audit.py on the Typst PDF of every input and of the other sizes."""
    doc = _variant(name) if name in VARIANTS else document_for(ROOT_INPUTS / name)[0]
    assert audit(typst_writer.write_pdf(doc), doc) == []


def _faces(pdf: bytes) -> set[str]:
    """The embedded faces as family + weight, spelt alike for both engines' naming."""
    reader = PdfReader(io.BytesIO(pdf))
    names = {str(f["/BaseFont"]) for page in reader.pages
             for f in _font_dicts(page["/Resources"].get_object())}
    squashed = {re.sub(r"[^a-z]", "", n.split("+")[-1].removesuffix("-Identity-H").lower()) for n in names}
    return {n.removesuffix("regular") for n in squashed}


def test_both_engines_embed_the_same_faces_weights_included() -> None:
    """A role's face is a family at a weight (小标宋's stand-in is a SemiBold Song)."""
    faces = {name: _faces(write(sample_document())) for name, write in ENGINES.items()}
    assert faces["typst"] == faces["weasyprint"]
    assert any("semibold" in face for face in faces["typst"])


def test_body_paragraphs_start_two_characters_in(sample_pdf: bytes) -> None:
    import pdfplumber

    from generator.writers.typography import MARGINS_MM, SIZES

    with pdfplumber.open(io.BytesIO(sample_pdf)) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text_lines()]
    first = next(line for line in lines if line["text"].startswith("为大同市社会经济发展"))
    indent = MARGINS_MM["portrait"][3] * 72 / 25.4 + 2 * SIZES["body"]
    assert abs(first["x0"] - indent) < 2, first["x0"]


def _bold_tree(bold: bool) -> Document:
    """A 目录 whose part entry is bold, and a paragraph with a bold lead-in (or neither)."""
    blocks = (TableOfContents("目 录"), Section("portrait", restart_numbering=True),
              Heading(1, "第一部分 概况", "a", toc_bold=bold), Heading(2, "一、职责", "b"),
              Paragraph("一、基本支出：指为保障。", bold_prefix=7 if bold else 0))
    return replace(sample_document(), blocks=blocks)


@pytest.mark.parametrize("bold", [True, False])
def test_bold_toc_entries_and_lead_ins_print_in_the_bold_face(engine: str, bold: bool) -> None:
    """The tree's toc_bold and bold_prefix print in the body's bold face (Noto Serif CJK SC
    Bold, not the SemiBold of the titles); without them no text is bold."""
    reader = PdfReader(io.BytesIO(ENGINES[engine](_bold_tree(bold))))
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in _font_dicts(page["/Resources"].get_object())}
    assert any(re.search(r"(?i)cjk-?sc-bold", name) for name in fonts) == bold, fonts


def test_the_typst_data_carries_the_bold_entries_and_runs() -> None:
    data = typst_writer.typst_data(_bold_tree(True))
    assert [e["bold"] for e in data["toc"]] == [True, False]
    paragraph = next(i for g in data["groups"] for i in g["items"] if i["kind"] == "paragraph")
    assert paragraph["runs"] == [{"lines": ("一、基本支出：",), "bold": True},
                                 {"lines": ("指为保障。",), "bold": False}]
    plain = typst_writer.typst_data(_bold_tree(False))
    assert next(i for g in plain["groups"] for i in g["items"] if i["kind"] == "paragraph")["runs"] is None



def test_font_files_are_listed_once_through_a_loop_of_links(tmp_path) -> None:
    """The kept 目录 pages' key lists the font files as Typst's walk finds them; a link back
    to a folder above (a loop) or a second link to one folder lists nothing twice, and ends."""
    from generator.writers.typst_fonts import font_paths

    fonts = tmp_path / "fonts"
    (fonts / "sub").mkdir(parents=True)
    (fonts / "a.ttf").write_bytes(b"")
    (fonts / "sub" / "b.OTC").write_bytes(b"")
    (fonts / "sub" / "notes.txt").write_bytes(b"")
    (fonts / "sub" / "up").symlink_to(fonts)
    (tmp_path / "again").symlink_to(fonts / "sub")
    assert font_paths((str(fonts), str(tmp_path / "again"))) == [str(fonts / "a.ttf"), str(fonts / "sub" / "b.OTC")]
