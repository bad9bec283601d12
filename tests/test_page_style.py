"""Every writer maps the tree's block styles and decides none itself: the alignment of each
heading, paragraph, chart title and 目录 title (compose.layout.alignment), a chart title's
keep-with-next (Chart.title_keep_with_next) and the 目录's reach to the right margin of
the page it is on. Checked in what each writer emits (DOCX w:jc, Typst's data, HTML's
classes and stylesheet) and on the printed pages of Typst, WeasyPrint and LibreOffice."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pdfplumber
import pytest
from lxml import etree, html

from generator.compose import layout
from generator.compose.tree import (
    Chart,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Section,
    TableOfContents,
)
from generator.pipeline import document_from_bytes
from generator.writers import pdf_writer, typst_writer
from generator.writers.charts import chart_svg
from generator.writers.docx_writer import write_docx
from generator.writers.html_writer import render_html
from tests.layout_audit import docx_to_pdf
from tests.sample_tree import PAGE, TOC
from tests.variants import dump, load

EXAMPLES = ["datong-commerce-2024.yaml", "putuo-wanli-street-2024.yaml"]  # Shanxi, Shanghai (landscape)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = {"left": "left", "center": "center", "right": "right", "justify": "both"}
PT_PER_MM = 72 / 25.4


@pytest.fixture(scope="module", params=EXAMPLES)
def example(request: pytest.FixtureRequest) -> Document:
    return document_from_bytes(dump(load(request.param)), request.param)[0]


def _tree_texts(doc: Document) -> list[tuple[str, str]]:
    """(text, alignment) of every block that prints a text of its own, in order."""
    out = []
    for block in doc.blocks:
        if isinstance(block, Heading | Paragraph):
            out.append((block.text, layout.alignment(block)))
        elif isinstance(block, Chart | TableOfContents):
            out.append((block.title, layout.alignment(block)))
    return out


# ------------------------------------------------------------------------------- alignment


def _docx_texts(docx: bytes) -> list[tuple[str, str]]:
    """(text, effective w:jc) of every body paragraph outside tables and the 目录's entries."""
    package = zipfile.ZipFile(BytesIO(docx))
    styles = {s.get(f"{W}styleId"): s for s in etree.fromstring(package.read("word/styles.xml")).iter(f"{W}style")}

    def style_jc(style_id: str) -> str:
        style = styles[style_id]
        jc = style.find(f"{W}pPr/{W}jc")
        if jc is not None:
            return jc.get(f"{W}val")
        based = style.find(f"{W}basedOn")
        return style_jc(based.get(f"{W}val")) if based is not None else "left"

    out = []
    body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    for p in body.iterchildren(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        text = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if not text or re.fullmatch(r"TOC\d", style):
            continue
        jc = p.find(f"{W}pPr/{W}jc")
        out.append((text, jc.get(f"{W}val") if jc is not None else style_jc(style)))
    return out


def test_the_docx_aligns_every_block_as_the_tree_says(example: Document) -> None:
    """A level-2 heading was justified (both) in the DOCX and left-aligned in the PDFs."""
    expected = [(text, WORD[align]) for text, align in _tree_texts(example)]
    pages = {b.anchor: 1 for b in example.blocks if isinstance(b, Heading)}
    assert _docx_texts(write_docx(example, pages)) == expected


def test_the_html_aligns_every_block_as_the_tree_says_and_its_css_decides_nothing(example: Document) -> None:
    page = html.fromstring(render_html(example))
    found = []
    for element in page.iter("h1", "h2", "h3", "h4", "p", "figcaption"):
        if element.getparent().tag == "li":
            continue
        aligns = [c[2:] for c in element.get("class", "").split() if c.startswith("a-")]
        found.append((element.text_content(), *aligns))
    assert found == _tree_texts(example)
    css = re.sub(r"/\*.*?\*/", "", "\n".join(page.xpath("//style/text()")), flags=re.S)
    setting = re.findall(r"([^{}]+)\{[^{}]*text-align", css)
    assert all(re.fullmatch(r"\s*\.a-[a-z]+\s*", selector) for selector in setting), setting


def test_the_typst_data_aligns_every_block_as_the_tree_says(example: Document) -> None:
    data = typst_writer.typst_data(example)
    found = []
    for item in (i for g in data["groups"] for i in g["items"]):
        if item["kind"] == "heading":
            shown = data["headings"][item["anchor"]]
            found.append(("".join(shown["lines"]), shown["align"]))
        elif item["kind"] == "paragraph":
            found.append(("".join(item["lines"]), item["align"]))
        elif item["kind"] in ("chart", "toc"):
            found.append((item["title"], item["align"]))
    assert found == _tree_texts(example)
    template = typst_writer.TEMPLATE.read_text("utf-8")
    assert "centred" not in template and '"table-unit"' not in template  # no alignment of its own


# --------------------------------------------------------------- keep-with-next of a chart title


def test_compose_keeps_every_chart_title_with_its_picture(example: Document) -> None:
    charts = [b for b in example.blocks if isinstance(b, Chart)]
    assert all(c.title_keep_with_next for c in charts)
    assert all(h.keep_with_next for h in example.blocks if isinstance(h, Heading))


@pytest.mark.parametrize("keep", [True, False])
def test_the_docx_and_html_keep_a_chart_title_as_the_tree_says(keep: bool) -> None:
    chart = Chart("bar", "图题", ("甲",), (Decimal("1.00"),), "c1", title_keep_with_next=keep)
    doc = Document("t", "zh-CN", (chart,), page_number=PAGE)
    body = etree.fromstring(zipfile.ZipFile(BytesIO(write_docx(doc, {}))).read("word/document.xml"))
    caption = next(p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Caption")
    assert (caption.find(f"{W}pPr/{W}keepNext") is not None) == keep
    figcaption = html.fromstring(render_html(doc)).find(".//figcaption")
    assert ("keep-next" in figcaption.get("class").split()) == keep


# -------------------------------------------------------------------- on the printed pages


LONG_HEADING = "一、" + "关于" * 8 + "ABCDEFGHIJKLMNOPQR的说明"  # breaks before the Latin word
CHART = Chart("bar", "三公经费分布图", ("因公出国费", "公务接待费"), (Decimal("1.00"), Decimal("2.00")), "c1",
              amounts=("1.00", "2.00"))


def _page_tree(keep: bool) -> Document:
    """A landscape 目录; a long level-2 heading; a chart title with room below it for its title
    only (21 lines of running text on a page of 22)."""
    heading = layout.heading(Heading(2, LONG_HEADING, "h2"), "portrait", "landscape")
    filler = tuple(Paragraph(f"第{i}行。") for i in range(21))
    return Document("t", "zh-CN", (
        Section("landscape"), TOC, Section("portrait", restart_numbering=True),
        Heading(1, "第一部分", "h1", keep_with_next=True), heading, Paragraph("正文。" * 40), PageBreak(),
        *filler, layout.chart(CHART) if keep else CHART), page_number=PAGE)


@pytest.fixture(scope="module", params=[True, False], ids=["kept", "free"])
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[bool, dict]:
    doc = _page_tree(request.param)
    pdfs = {"typst": typst_writer.write_pdf(doc), "weasyprint": pdf_writer.write_pdf(doc)}
    office = docx_to_pdf(write_docx(doc), tmp_path_factory.mktemp("office"))
    if office is not None:
        pdfs["libreoffice"] = office
    return request.param, pdfs


def _lines(pdf: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page, its text lines: (text, left x, right x) in pt."""
    pages = []
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            rows: dict[int, list[dict]] = {}
            for char in page.chars:
                rows.setdefault(round(char["top"] / 3), []).append(char)
            pages.append([("".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])),
                           min(c["x0"] for c in row), max(c["x1"] for c in row))
                          for _, row in sorted(rows.items())])
    return pages


def _page_of(pages: list[list[tuple[str, float, float]]], text: str) -> int:
    return next(i for i, lines in enumerate(pages) for line, _, _ in lines if text in line)


def _tops(pdf: bytes) -> list[dict[str, float]]:
    """Per page, the top (pt) of each text line, by its text."""
    tops = []
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            rows: dict[int, list[dict]] = {}
            for char in page.chars:
                rows.setdefault(round(char["top"] / 3), []).append(char)
            tops.append({"".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])): min(c["top"] for c in row)
                         for row in rows.values()})
    return tops


def test_a_chart_is_spaced_alike_by_every_engine(printed: tuple[bool, dict]) -> None:
    """From the first line of the chart's page to its title: the chart's gap above it is the
    layout's in every writer (the DOCX once had none, and 12 pt below instead of 12.8)."""
    _, pdfs = printed
    gaps = {}
    for engine, pdf in pdfs.items():
        page = next(p for p in _tops(pdf) if CHART.title in p)
        gaps[engine] = page[CHART.title] - min(page.values())
    assert max(gaps.values()) - min(gaps.values()) < 3, gaps  # the gap is 12.8 pt


def _picture_page(pdf: bytes) -> int:
    """The page of the only picture (a chart's bars: vector shapes or an image)."""
    with pdfplumber.open(BytesIO(pdf)) as document:
        return next(i for i, page in enumerate(document.pages) if page.rects or page.curves or page.images)


def test_a_long_heading_is_left_aligned_on_every_engines_page(printed: tuple[bool, dict]) -> None:
    """Its first line, broken before a word, ends well inside the margin: not spread (LibreOffice
    spread it over the whole width when the DOCX justified headings)."""
    _, pdfs = printed
    right_margin = (210 - layout.MARGINS_MM["portrait"][1]) * PT_PER_MM
    heading = layout.heading(Heading(2, LONG_HEADING, "h2"), "portrait")
    for engine, pdf in pdfs.items():
        text_pages = _lines(pdf)[1:]  # after the 目录
        first = next(line for page in text_pages for line in page if line[0] == heading.lines[0])
        assert first[2] < right_margin - 40, (engine, first)


def test_the_toc_of_a_landscape_page_reaches_its_right_margin(printed: tuple[bool, dict]) -> None:
    _, pdfs = printed
    right_margin = (297 - layout.MARGINS_MM["landscape"][1]) * PT_PER_MM
    for engine, pdf in pdfs.items():
        entries = [line for line in _lines(pdf)[0] if line[0].startswith("第一部分")]
        assert entries and right_margin - 20 < entries[0][2] <= right_margin + 1, (engine, entries)


def test_a_chart_title_stays_with_its_picture_where_the_tree_says(printed: tuple[bool, dict]) -> None:
    """With room at the foot of a page for the title only, a kept title moves on with its
    picture; a free one stays behind (each writer maps the tree; none keeps by itself)."""
    keep, pdfs = printed
    for engine, pdf in pdfs.items():
        assert (_page_of(_lines(pdf), CHART.title) == _picture_page(pdf)) == keep, engine


def test_the_docx_toc_tab_stop_is_the_toc_pages_text_width() -> None:
    """The entries' right tab stop (dot leader, page number) is the text width of the section
    the 目录 is in (a landscape one here), not a portrait page's."""
    package = zipfile.ZipFile(BytesIO(write_docx(_page_tree(True), {"h1": 1, "h2": 1})))
    styles = etree.fromstring(package.read("word/styles.xml"))
    tabs = {s.get(f"{W}styleId"): int(s.find(f"{W}pPr/{W}tabs/{W}tab").get(f"{W}pos"))
            for s in styles.iter(f"{W}style") if re.fullmatch(r"TOC\d", s.get(f"{W}styleId"))}
    toc_section = next(etree.fromstring(package.read("word/document.xml")).iter(f"{W}sectPr"))
    size, margins = toc_section.find(f"{W}pgSz"), toc_section.find(f"{W}pgMar")
    assert size.get(f"{W}orient") == "landscape" and len(tabs) == 3
    width = int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    assert set(tabs.values()) == {width}


def test_a_drafts_mark_stays_in_the_top_margin_of_every_docx_section() -> None:
    """Word and LibreOffice push the text down under a header taller than the top margin: the
    mark of a landscape draft (12 mm margin) once moved every page's text, and the Shanghai
    draft's DOCX took 35 pages where its PDF takes 33."""
    package = zipfile.ZipFile(BytesIO(write_docx(replace(_page_tree(True), draft="草稿"), {"h1": 1, "h2": 1})))
    header = etree.fromstring(package.read(next(n for n in package.namelist() if n.startswith("word/header"))))
    line = int(header.find(f".//{W}spacing").get(f"{W}line"))
    sections = list(etree.fromstring(package.read("word/document.xml")).iter(f"{W}sectPr"))
    assert {s.find(f"{W}pgSz").get(f"{W}orient") for s in sections} == {"landscape", None}
    for section in sections:
        margins = section.find(f"{W}pgMar")
        assert int(margins.get(f"{W}header")) + line <= int(margins.get(f"{W}top"))


def test_the_docx_prints_a_chart_at_the_size_the_pdfs_do() -> None:
    """The picture is the chart's SVG size (as Typst and WeasyPrint print it), not a width of
    the DOCX writer's own."""
    svg = etree.fromstring(chart_svg(CHART).encode())
    width, height = (float(svg.get(side).removesuffix("pt")) for side in ("width", "height"))
    body = zipfile.ZipFile(BytesIO(write_docx(Document("t", "zh-CN", (CHART,), page_number=PAGE), {}))).read("word/document.xml")
    extent = etree.fromstring(body).find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    assert abs(int(extent.get("cx")) / 12700 - width) < 0.5 and abs(int(extent.get("cy")) / 12700 - height) < 0.5


def test_writing_a_document_twice_gives_the_same_bytes() -> None:
    doc = _page_tree(True)
    assert write_docx(doc, {"h1": 1, "h2": 1}) == write_docx(doc, {"h1": 1, "h2": 1})
    assert typst_writer.write_pdf(doc) == typst_writer.write_pdf(doc)



def _footer_baselines(pdf: bytes) -> list[tuple[str, float]]:
    """Per numbered page: its page number as printed and the height (pt) of its baseline
    above the page's foot (the chars whose baseline is below the type area)."""
    found = []
    with pdfplumber.open(BytesIO(pdf)) as document:
        for page in document.pages:
            bottom = layout.MARGINS_MM["landscape" if page.width > page.height else "portrait"][2]
            chars = sorted((c for c in page.chars if c["matrix"][5] < bottom * PT_PER_MM),
                           key=lambda c: c["x0"])
            if chars:
                found.append(("".join(c["text"] for c in chars), chars[0]["matrix"][5]))
    return found


def test_the_page_number_sits_at_the_layouts_baseline_in_every_engine(tmp_path) -> None:
    """One figure places the footer (layout.FOOTER_GAP_MM): the DOCX's footer distance and
    the WeasyPrint margin box are derived from it, so the number's baseline is the layout's,
    within 1 pt, in the Typst PDF, the WeasyPrint PDF and the DOCX as LibreOffice prints it
    (the DOCX's was 3 pt lower on a portrait page, WeasyPrint's 6 pt)."""
    doc = Document("t", "zh-CN", (Paragraph("封面", style="cover-title"), Section("portrait", restart_numbering=True),
                                  Paragraph("正文。"), Section("landscape"), Paragraph("正文。")),
                   page_number=PAGE)
    pdfs = {"typst": typst_writer.write_pdf(doc), "weasyprint": pdf_writer.write_pdf(doc)}
    office = docx_to_pdf(write_docx(doc), tmp_path)
    if office is not None:
        pdfs["libreoffice"] = office
    expected = [layout.footer_baseline(o) * PT_PER_MM for o in ("portrait", "landscape")]
    for engine, pdf in pdfs.items():
        footers = _footer_baselines(pdf)
        assert [text.replace(" ", "") for text, _ in footers] == ["—1—", "—2—"], engine
        for (_, baseline), layout_baseline in zip(footers, expected, strict=True):
            assert abs(baseline - layout_baseline) <= 1, (engine, footers, expected)


def test_a_drafts_mark_is_in_the_draft_roles_face_in_every_writer() -> None:
    """The layout names the mark's font role (typography.DRAFT_ROLE), not each writer: here
    the body role is 楷体 (LXGW WenKai), which no other role of this tree prints with."""
    from generator.compose.tree import Fonts
    from generator.writers.typography import DRAFT_ROLE

    assert DRAFT_ROLE == "body"
    doc = Document("t", "zh-CN", (Heading(1, "第一部分", "h1"), Paragraph("正文。")), page_number=PAGE,
                   fonts=Fonts(body="楷体"), draft="草稿")
    for pdf in (typst_writer.write_pdf(doc), pdf_writer.write_pdf(doc)):
        with pdfplumber.open(BytesIO(pdf)) as opened:
            marks = [c for c in opened.pages[0].chars if c["text"] in "草稿"]
        assert len(marks) == 2 and all("LXGW" in c["fontname"] for c in marks), marks
    package = zipfile.ZipFile(BytesIO(write_docx(doc, {})))
    header = etree.fromstring(package.read(next(n for n in package.namelist() if n.startswith("word/header"))))
    assert {f.get(f"{W}eastAsia") for f in header.iter(f"{W}rFonts")} == {"楷体"}


# ------------------------------------------------------------------ the 1、 heading's face


def test_a_numbered_heading_is_in_the_body_face_bold_in_every_writer() -> None:
    """GB/T 9704 (spec §10): 一、 黑体, （一） 楷体, 1、 仿宋 (bold here, to tell it from the
    text). "1、整体绩效目标" and "1、车辆情况：" were set in 楷体 like a （一） heading."""
    example = document_from_bytes(dump(load("datong-commerce-2024.yaml")), "x")[0]
    levels = {b.text: b.level for b in example.blocks if isinstance(b, Heading)}
    assert levels["1、整体绩效目标"] == levels["1、车辆情况："] == 4
    assert levels["（一）一般公共预算当年支出规模变化情况"] == 3
    doc = Document("t", "zh-CN", (Heading(2, "十、绩效管理情况", "h2"), Heading(3, "（一）规模情况", "h3"),
                                  Heading(4, "1、整体绩效目标", "h4", in_toc=False), Paragraph("正文内容。")),
                   page_number=PAGE)
    for pdf in (typst_writer.write_pdf(doc), pdf_writer.write_pdf(doc)):
        with pdfplumber.open(BytesIO(pdf)) as opened:
            chars = opened.pages[0].chars
        face = {c["text"]: c["fontname"].split("+")[-1] for c in chars}
        body, numbered, sub = face["正"], face["整"], face["规"]
        assert "LXGW" in sub and numbered != sub
        assert numbered.split("-")[0] == body.split("-")[0] and numbered.endswith("-Bold"), (body, numbered)
    styles = etree.fromstring(zipfile.ZipFile(BytesIO(write_docx(doc, {}))).read("word/styles.xml"))
    style = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}

    def east_asian(style_id: str) -> set[str]:
        return {f.get(f"{W}eastAsia") for f in style[style_id].iter(f"{W}rFonts")}

    assert east_asian("Heading4") == east_asian("Body") != east_asian("Heading3")
    assert style["Heading4"].find(f"{W}rPr/{W}b") is not None
    assert style["Heading3"].find(f"{W}rPr/{W}b") is None
