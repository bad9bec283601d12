"""The DOCX writer, read back with python-docx and converted by LibreOffice."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from generator.compose.tree import (
    Cell,
    Chart,
    Document,
    Fonts,
    Heading,
    Paragraph,
    Table,
)
from generator.errors import RenderError
from generator.writers.docx_writer import write_docx
from tests.sample_tree import PAGE, TOC, big_document, sample_document

FONTS = Fonts(title="标题字体", heading="黑体", body="仿宋_GB2312", table="宋体")


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return write_docx(sample_document())


@pytest.fixture(scope="module")
def sample(sample_bytes: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(sample_bytes))


def _all(element, tag: str) -> list:
    return element.findall(".//" + qn(tag))


def _w(element, name: str) -> str | None:
    return element.get(qn(f"w:{name}"))


# ---------------------------------------------------------------------------- content


def test_heading_and_paragraph_texts_appear(sample) -> None:
    texts = [p.text for p in sample.paragraphs]
    for block in sample_document().blocks:
        if isinstance(block, Heading | Paragraph):
            assert block.text in texts


def test_headings_use_heading_styles_with_outline_levels(sample) -> None:
    styles = {p.text: p.style.name for p in sample.paragraphs}
    assert styles["第一部分 概况"] == "Heading 1"
    assert styles["一、本单位职责"] == "Heading 2"
    assert styles["（二）一般公共预算当年支出结构情况"] == "Heading 3"
    for level in (1, 2, 3):
        outline = _all(sample.styles[f"Heading {level}"].element, "w:outlineLvl")
        assert [_w(o, "val") for o in outline] == [str(level - 1)]


def test_body_style_indents_two_characters(sample) -> None:
    ind = _all(sample.styles["Body"].element, "w:ind")[0]
    assert _w(ind, "firstLineChars") == "200"
    line = _all(sample.styles["Body"].element, "w:spacing")[0]
    assert (_w(line, "line"), _w(line, "lineRule")) == ("560", "exact")


def test_cell_texts_appear(sample) -> None:
    budget, performance = sample.tables
    assert budget.cell(2, 1).text == "合计"
    assert budget.cell(2, 2).text == "81.61"
    assert budget.cell(3, 0).text == "2011300"
    assert performance.cell(0, 1).text == "J残疾人保障金"
    assert performance.cell(2, 2).text == "保障率"


def test_paragraph_styles_map_to_named_styles(sample) -> None:
    styles = {p.text: p.style.name for p in sample.paragraphs}
    assert styles["示例单位"] == "Cover Title"
    assert styles["预算公开表3"] == "Table Label"
    assert styles["单位：万元"] == "Table Unit"
    assert styles["单位名称：示例单位"] == "Table Meta"
    assert styles["注：本表无数据"] == "Note"
    assert styles["(2024年度)"] == "Center"
    assert styles["大同市市级预算部门（单位）项目支出绩效目标表"] == "Table Title"


def test_east_asian_fonts_set_on_styles() -> None:
    doc = sample_document()
    word = docx.Document(io.BytesIO(write_docx(replace(doc, fonts=FONTS))))
    expected = {"Heading 1": FONTS.title, "Heading 2": FONTS.heading, "Body": FONTS.body,
                "Cell Number": FONTS.table, "Cover Title": FONTS.title}
    for name, family in expected.items():
        fonts = _all(word.styles[name].element, "w:rFonts")[0]
        assert {_w(fonts, slot) for slot in ("ascii", "hAnsi", "eastAsia")} == {family}


# ------------------------------------------------------------------------------ tables


def test_colspan_becomes_grid_span(sample) -> None:
    first_row = sample.tables[0]._tbl.tr_lst[0]
    spans = [tc.grid_span for tc in first_row.tc_lst]
    assert spans == [2, 3]


def test_rowspan_becomes_vmerge_with_continue_cells(sample) -> None:
    rows = sample.tables[1]._tbl.tr_lst
    restart = rows[1].tc_lst[0]
    below = rows[2].tc_lst
    assert restart.vMerge == "restart"
    assert len(below) == 7 and below[0].vMerge == "continue"
    assert [tc.vMerge for tc in below[1:]] == [None] * 6


def test_header_rows_repeat_and_rows_never_split(sample) -> None:
    budget, performance = (t._tbl for t in sample.tables)
    marked = [bool(_all(tr, "w:tblHeader")) for tr in budget.tr_lst]
    assert marked[:3] == [True, True, False] and not any(marked[2:])
    assert not _all(performance, "w:tblHeader")
    for tbl in (budget, performance):
        assert all(_all(tr, "w:cantSplit") for tr in tbl.tr_lst)


def test_tables_have_borders_and_right_aligned_numbers(sample) -> None:
    budget = sample.tables[0]
    borders = _all(budget._tbl.tblPr, "w:tblBorders")[0]
    assert {el.tag.split("}")[1] for el in borders} >= {"insideH", "insideV", "top", "left"}
    number = budget.cell(3, 2).paragraphs[0]
    assert number.style.name == "Cell Number"
    assert number.alignment is None  # right-aligned by the style
    assert sample.styles["Cell Number"].paragraph_format.alignment == 2  # RIGHT


def test_rows_that_do_not_fill_the_grid_are_rejected() -> None:
    bad = Table(header=(), body=((Cell("a"),),), widths=(1, 1))
    doc = Document("t", "zh-CN", (bad,), page_number=PAGE)
    with pytest.raises(ValueError, match="does not fill"):
        write_docx(doc)


@pytest.mark.parametrize("block", [
    Paragraph("bell\x07"),
    Table(header=(), body=((Cell("bell\x07"),),), widths=(20,)),
], ids=["paragraph", "table cell"])
def test_control_characters_are_a_render_error(block: Paragraph | Table) -> None:
    doc = Document("t", "zh-CN", (block,), page_number=PAGE)
    with pytest.raises(RenderError, match="control character"):
        write_docx(doc)


def test_a_cells_text_is_read_back_as_written() -> None:
    """A table's cells are written as markup, escaped by the writer: markup characters, a
    carriage return (which a parser would read as a line feed), tabs, line breaks and
    characters beyond the BMP are the cell's text."""
    texts = ("<a & b> \"c\" 'd' ]]> &amp;", "x\ry", "a\tb\nc", "𠀀😀\u2028½ ")
    table = Table(header=(), body=(tuple(Cell(t) for t in texts),), widths=(20,) * len(texts))
    read = docx.Document(io.BytesIO(write_docx(Document("t", "zh-CN", (table,), page_number=PAGE))))
    assert tuple(c.text for c in read.tables[0].rows[0].cells) == texts


def test_a_cell_holds_a_text_longer_than_libxml2_parses_by_default() -> None:
    """A cell's text can be as long as an input file (20 MB): a table's markup is parsed past
    libxml2's limit of 10 MB for one text."""
    text = "说" * 3_400_000  # 10.2 MB in UTF-8
    table = Table(header=(), body=((Cell(text),),), widths=(20,), kind="performance")
    data = write_docx(Document("t", "zh-CN", (table,), page_number=PAGE))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert text in package.read("word/document.xml").decode()


# ---------------------------------------------------------------------------- sections


def test_landscape_section_has_rotated_a4(sample) -> None:
    sections = sample.sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.PORTRAIT,
                                                 WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    portrait, landscape = sections[0], sections[2]
    assert (landscape.page_width, landscape.page_height) == (portrait.page_height,
                                                             portrait.page_width)
    assert round(portrait.page_width.cm, 1) == 21.0
    assert round(portrait.top_margin.cm, 1) == 3.7


def test_page_numbers_start_at_1_after_the_cover_and_toc(sample) -> None:
    """The tree's Section(restart_numbering=True) ends the unnumbered front matter."""
    front, first = sample.sections[0], sample.sections[1]
    assert not front.footer._element.xpath(".//w:instrText")  # python-docx: an empty footer
    instr = "".join(el.text for el in _all(first.footer._element, "w:instrText"))
    assert instr.strip() == "PAGE"
    start = first._sectPr.xpath("./w:pgNumType/@w:start")
    assert start == ["1"]
    assert all(s.footer.is_linked_to_previous for s in sample.sections[2:])
    assert not any(s._sectPr.xpath("./w:pgNumType") for s in sample.sections[2:])


def test_page_break_starts_next_heading_on_new_page(sample) -> None:
    heading = next(p for p in sample.paragraphs if p.text == "第二部分 2024年单位预算报表")
    assert heading.paragraph_format.page_break_before


# ------------------------------------------------------------------------------- TOC


def test_toc_field_is_prefilled_with_heading_entries(sample, sample_bytes) -> None:
    body = sample.element.body
    instr = [el.text.strip() for el in _all(body, "w:instrText")]
    assert instr[0] == 'TOC \\o "1-3" \\f \\h \\z \\u'
    entries = [p for p in sample.paragraphs if p.style.name.startswith("toc ")]
    headings = [b for b in sample_document().blocks if isinstance(b, Heading) and b.in_toc]
    assert [e.text.split("\t")[0] for e in entries] == [h.toc_text or h.text
                                                        for h in headings]
    assert all(e.text.split("\t")[1].isdigit() for e in entries)
    bookmarks = {_w(b, "name") for b in _all(body, "w:bookmarkStart")}
    pagerefs = [i.split()[1] for i in instr if i.startswith("PAGEREF")]
    assert len(pagerefs) == len(headings) and set(pagerefs) <= bookmarks
    settings = zipfile.ZipFile(io.BytesIO(sample_bytes)).read("word/settings.xml")
    assert b'<w:updateFields w:val="true"/>' in settings


def test_toc_pages_are_those_of_the_pdf(sample) -> None:
    """The numbers the (Typst) PDF prints for the sample: cover and TOC unnumbered, part 1
    on page 1, the 60-row table over pages 2-3, both charts on page 4; the DOCX writer
    takes them from Typst's layout of the same tree and estimates none of its own."""
    from generator.writers.typst_writer import heading_pages

    pages = [int(p.text.split("\t")[1]) for p in sample.paragraphs
             if p.style.name.startswith("toc ")]
    headings = [b for b in sample_document().blocks if isinstance(b, Heading) and b.in_toc]
    typst_pages = heading_pages(sample_document())
    assert pages == [typst_pages[h.anchor] for h in headings]
    assert pages[:7] == [1, 1, 2, 2, 4, 4, 4]


def test_the_docx_beside_a_typst_pdf_is_the_docx_alone(sample_bytes) -> None:
    """`render` builds the DOCX while Typst lays out the PDF and reads its 目录's pages from
    that PDF's bookmarks; alone, they come from Typst's layout of the tree: the same tree
    gives the same bytes either way, and the same PDF as written alone."""
    from generator.commands.render import typst_pdf_and_docx
    from generator.writers.typst_writer import write_pdf

    doc = sample_document()
    assert any(isinstance(b, Chart) for b in doc.blocks)
    assert typst_pdf_and_docx(doc) == (write_pdf(doc), sample_bytes)


def test_headings_left_out_of_toc_are_not_outline_levels() -> None:
    blocks = (TOC, Heading(2, "in", "a"), Heading(2, "out", "b", in_toc=False))
    word = docx.Document(io.BytesIO(write_docx(Document("t", "zh-CN", blocks, page_number=PAGE))))
    entries = [p.text for p in word.paragraphs if p.style.name.startswith("toc ")]
    assert entries == ["in\t1"]
    out = next(p for p in word.paragraphs if p.text == "out")
    assert _w(_all(out._p, "w:outlineLvl")[0], "val") == "9"


def _bold_runs(paragraph) -> list[str]:
    return ["".join(t.text for t in _all(r, "w:t")) for r in _all(paragraph._p, "w:r") if _all(r, "w:b")]


def test_bold_toc_entries_and_lead_ins_are_bold_runs_and_a_bold_toc_style() -> None:
    """A Heading's toc_bold makes its 目录 entry's text and page number bold (and the
    level's style, all of whose entries are bold, so that Word's update keeps it); a
    Paragraph's bold_prefix is a bold run before the rest."""
    blocks = (TOC, Heading(1, "第一部分 概况", "a", toc_bold=True),
              Heading(2, "一、职责", "b"), Paragraph("一、基本支出：指为保障。", bold_prefix=7),
              Paragraph("二、其他：", bold=True), Paragraph("普通段落。"))
    word = docx.Document(io.BytesIO(write_docx(replace(sample_document(), blocks=blocks))))
    texts = {p.text: p for p in word.paragraphs}
    assert _bold_runs(texts["第一部分 概况\t1"]) == ["第一部分 概况", "1"]
    assert _bold_runs(texts["一、职责\t1"]) == []
    assert _bold_runs(texts["一、基本支出：指为保障。"]) == ["一、基本支出："]
    assert _bold_runs(texts["二、其他："]) == ["二、其他："] and _bold_runs(texts["普通段落。"]) == []
    styles = {_w(s, "styleId"): s for s in word.styles.element.findall(qn("w:style"))}
    assert _all(styles["TOC1"], "w:b") and not _all(styles["TOC2"], "w:b")


def test_without_bold_in_the_tree_no_toc_style_is_bold(sample) -> None:
    styles = {_w(s, "styleId"): s for s in sample.styles.element.findall(qn("w:style"))}
    assert not any(_all(styles[f"TOC{level}"], "w:b") for level in (1, 2, 3))


# ----------------------------------------------------------------------- charts, package


def test_charts_are_pictures_with_captions(sample) -> None:
    assert len(sample.inline_shapes) == 2
    captions = [p.text for p in sample.paragraphs if p.style.name == "Caption"]
    assert captions == ["一般公共预算当年拨款结构图", "三公经费分布图"]


def test_same_tree_gives_same_bytes(sample_bytes) -> None:
    assert write_docx(sample_document()) == sample_bytes
    infos = zipfile.ZipFile(io.BytesIO(sample_bytes)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_core_properties_come_from_the_tree(sample) -> None:
    props = sample.core_properties
    assert props.title == "示例单位2024年度单位预算公开"
    assert props.language == "zh-CN"
    assert props.created.isoformat().startswith("2024-01-01T00:00:00")
    assert props.modified == props.created
    assert props.revision == 1


def test_big_document_is_written() -> None:
    word = docx.Document(io.BytesIO(write_docx(big_document(tables=3, rows=20))))
    assert len(word.tables) == 3 + 8
    assert len(word.sections) == 3


# -------------------------------------------------------------------------- LibreOffice


def test_libreoffice_converts_to_pdf(sample_bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) is not on PATH: DOCX → PDF smoke test skipped")
    source = tmp_path / "sample.docx"
    source.write_bytes(sample_bytes)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "sample.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0


def test_table_titles_are_centred_by_the_tree_not_by_position(sample) -> None:
    title = next(p for p in sample.paragraphs if p.text == "2024年预算支出总表")
    section = next(p for p in sample.paragraphs if p.text == "一、本单位职责")
    assert title.style.name == "Table Heading"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert section.alignment is None and section.style.name == "Heading 2"
    unit = next(p for p in sample.paragraphs if p.text == "单位：万元")
    assert unit.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_application_properties_name_budgetgen(sample_bytes) -> None:
    app = zipfile.ZipFile(io.BytesIO(sample_bytes)).read("docProps/app.xml")
    assert b"<Application>budgetgen</Application>" in app
    assert b"Microsoft" not in app


def test_keep_with_next_is_the_trees_decision_not_a_style() -> None:
    """A heading or title keeps with the next paragraph where the tree says so (compose
    decides it for every heading, title and label); no style keeps anything by itself."""
    blocks = (Heading(2, "kept", "a", keep_with_next=True), Heading(2, "free", "b"),
              Paragraph("label", "table-label", keep_with_next=True), Paragraph("loose", "table-label"))
    package = docx.Document(io.BytesIO(write_docx(Document("t", "zh-CN", blocks, page_number=PAGE))))
    kept = {p.text: bool(_all(p._p, "w:keepNext")) for p in package.paragraphs if p.text}
    assert kept == {"kept": True, "free": False, "label": True, "loose": False}
    assert not _all(package.styles.element, "w:keepNext")


def test_the_tocs_pages_are_kept_between_runs_and_laid_out_again_when_unsure(
        page_cache, sample_bytes, monkeypatch) -> None:
    """A DOCX alone keeps Typst's heading pages in the template cache, keyed by everything
    the layout depends on: the next run of the same tree writes the same bytes without
    asking Typst, and a kept file that is not whole is laid out again."""
    from generator.writers import typst_writer

    assert write_docx(sample_document()) == sample_bytes
    [kept] = page_cache.glob("__budgetgen_pages_*.json")

    def no_layout(*_args, **_kwargs):
        raise AssertionError("Typst laid the tree out although its pages were kept")

    def no_scan(*_args, **_kwargs):
        raise AssertionError("Typst's names of the fonts were asked although the pages were kept")

    with monkeypatch.context() as patch:
        patch.setattr(typst_writer, "typeset", no_layout)
        patch.setattr(typst_writer, "_font_data", no_scan)  # it needs Typst's scan of every font folder
        assert write_docx(sample_document()) == sample_bytes
        other = Document("t", "zh-CN", (TOC, Heading(2, "another tree", "a")), page_number=PAGE)
        with pytest.raises(AssertionError, match="were asked although"):
            write_docx(other)  # another tree: another key, nothing kept for it
    kept.write_text('{"part1": 1}', encoding="utf-8")  # not every heading of the 目录
    assert write_docx(sample_document()) == sample_bytes
    toc = {b.anchor for b in sample_document().blocks if isinstance(b, Heading) and b.in_toc}
    assert set(json.loads(kept.read_text(encoding="utf-8"))) == toc  # laid out and kept again


def test_no_pages_are_kept_when_the_template_cache_is_off(monkeypatch, tmp_path, sample_bytes) -> None:
    from generator import kept

    monkeypatch.setenv(kept.CACHE_ENV, "off")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    # gettempdir() has long been cached (pytest's tmp_path asked it): the default cache folder,
    # were "off" ignored, would be under /tmp, not tmp_path, and the test could not fail
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    kept.cache_folder.cache_clear()
    try:
        assert write_docx(sample_document()) == sample_bytes
    finally:
        kept.cache_folder.cache_clear()
    assert not list(tmp_path.rglob("__budgetgen_pages_*"))


def test_only_the_most_recent_kept_pages_stay(page_cache, monkeypatch) -> None:
    from generator.writers import typst_writer

    monkeypatch.setattr(typst_writer, "KEPT_PAGES", 2)
    for number in range(4):
        write_docx(Document("t", "zh-CN", (TOC, Heading(2, f"tree {number}", "a")), page_number=PAGE))
    assert len(list(page_cache.glob("__budgetgen_pages_*.json"))) == 2




def test_the_charts_pictures_are_kept_between_runs(page_cache, monkeypatch) -> None:
    """A DOCX of the same charts draws none again: their PNGs are kept, keyed by the chart
    (another chart is drawn), and a kept file that is not whole is drawn again."""
    from generator.writers import charts
    from generator.writers.docx_writer import chart_pictures

    doc = sample_document()
    drawn = chart_pictures(doc)
    assert len(drawn) == 2 and all(png.startswith(b"\x89PNG") for png in drawn.values())
    kept = sorted(page_cache.glob("__budgetgen_chart_*.json"))
    assert len(kept) == 2

    def no_drawing(*_args, **_kwargs):
        raise AssertionError("a kept chart was drawn again")

    with monkeypatch.context() as patch:
        patch.setattr(charts, "chart_png", no_drawing)
        assert chart_pictures(doc) == drawn
        chart = next(iter(drawn))
        other = replace(chart, title=chart.title, labels=(*chart.labels[:-1], "另一项"))
        with pytest.raises(AssertionError, match="drawn again"):
            charts.chart_pngs([other])
    kept[0].write_text('{"png": "not base64!"}', encoding="utf-8")
    assert chart_pictures(doc) == drawn
