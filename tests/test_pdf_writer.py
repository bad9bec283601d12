"""The HTML → PDF writer, its font check and the charts, on the sample tree.

What any PDF of the sample must hold is tested for both engines in test_typst_writer.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from generator.compose.tree import Chart, Document, Fonts, Heading, PageBreak, Paragraph, Section
from generator.errors import RenderError
from generator.writers.charts import chart_png, chart_svg
from generator.writers.fonts import check_coverage, family_chain, resolve_family
from generator.writers.html_writer import page_groups, render_html
from generator.writers.pdf_writer import write_pdf
from tests.sample_tree import PAGE, sample_document

PARTS = ("第一部分 概况", "第二部分 2024年单位预算报表", "第三部分 2024年度单位预算情况说明",
         "第四部分 名词解释")
FRONT_PAGES = 2  # cover and TOC of the sample: unnumbered


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return write_pdf(sample_document())


@pytest.fixture(scope="module")
def reader(pdf_bytes: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf_bytes))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _outline(reader: PdfReader) -> dict[str, int]:
    """Bookmark title → 0-based page index, flattened."""
    found: dict[str, int] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    return found


def _font_dicts(resources: DictionaryObject) -> list[DictionaryObject]:
    """Font dictionaries of a resource dictionary, including those of form XObjects."""
    fonts = [f.get_object() for f in resources.get("/Font", {}).values()]
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if "/Resources" in xobject:
            fonts += _font_dicts(xobject["/Resources"].get_object())
    return fonts










def test_character_no_font_has_is_an_error_naming_it() -> None:
    doc = sample_document()
    doc = replace(doc, blocks=(*doc.blocks, Paragraph("私用区字符\U0010fffd")))
    with pytest.raises(RenderError) as error:
        write_pdf(doc)
    assert "U+10FFFD" in error.value.zh
    assert "U+10FFFD" in error.value.en


def test_chart_label_outside_the_chart_font_is_an_error() -> None:
    chart = Chart("bar", "图", ("甲\U0010fffd",), (Decimal("1"),), "c")
    doc = Document(title="t", language="zh-CN", blocks=(chart,), page_number=PAGE)
    with pytest.raises(RenderError, match="U\\+10FFFD"):
        check_coverage(doc)


def test_missing_role_font_falls_back_and_sample_is_covered() -> None:
    assert resolve_family("No Such Family 12345") is None
    assert family_chain("仿宋_GB2312")[1:] == ("Noto Serif CJK SC", "AR PL UMing CN")
    assert family_chain("黑体")[1:] == ("Noto Sans CJK SC",)
    check_coverage(replace(sample_document(), fonts=Fonts(body="楷体")))


def test_prefetch_leaves_the_default_fonts_answers_cached() -> None:
    """`check` asks fontconfig about the default fonts in a thread while it imports; the
    answers it leaves are those the glyph check would ask for (no process of its own)."""
    from generator.writers import fonts

    fonts.resolve_family.cache_clear()
    fonts._cmap.cache_clear()
    fonts._prefetch()
    chains = fonts.role_chains(Fonts())
    asked = {family for chain in chains.values() for family in chain}
    assert fonts.resolve_family.cache_info().currsize == len(asked)
    firsts = {fonts.installed_chain(chain)[0] for chain in chains.values()}
    assert fonts._cmap.cache_info().currsize == len({(f.path, f.index) for f in firsts}) > 0


def test_pdfa3b_embeds_the_attachment() -> None:
    source = "document:\n  name: 示例单位\n".encode()
    reader = PdfReader(io.BytesIO(write_pdf(sample_document(),
                                            attachments=[("input.yaml", source)], pdfa=True)))
    assert reader.attachments["input.yaml"] == [source]
    catalog = reader.trailer["/Root"]
    assert len(catalog["/AF"]) == 1
    assert catalog["/AF"][0].get_object()["/AFRelationship"] == "/Source"
    assert b'pdfaid:part="3"' in catalog["/Metadata"].get_object().get_data()


def test_html_escapes_text() -> None:
    doc = Document(title="<t>", language="zh-CN",
                   blocks=(Paragraph("<script>alert(1)</script> & 'x'"),), page_number=PAGE)
    html = render_html(doc)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html


def test_font_family_names_cannot_break_out_of_the_stylesheet() -> None:
    doc = Document(title="t", language="zh-CN", blocks=(Paragraph("正文"),),
                   fonts=Fonts(body='宋体"; } </style><script>'), page_number=PAGE)
    html = render_html(doc)
    assert "</style><script>" not in html


def test_page_groups_split_front_matter_and_orientation() -> None:
    groups = page_groups(sample_document().blocks)
    assert [(g.orientation, g.front) for g in groups] == [
        ("portrait", True), ("portrait", False), ("landscape", False), ("portrait", False)]
    # the break between cover and TOC stays; breaks at group starts are dropped
    assert [i.break_before for i in groups[0].items] == [False, False, True]
    assert not any(i.break_before for g in groups[1:] for i in g.items[:1])


def test_page_break_before_section_makes_no_blank_page() -> None:
    blocks = (Heading(1, "甲", "a"), PageBreak(), Section("landscape"), Paragraph("乙"))
    groups = page_groups(blocks)
    assert [len(g.items) for g in groups] == [1, 1]
    assert not groups[1].items[0].break_before


@pytest.mark.parametrize("kind", ["pie", "bar"])
def test_chart_svg_is_deterministic(kind: str) -> None:
    chart = Chart(kind, "图", ("甲", "乙"), (Decimal("1.50"), Decimal("0")), "c")
    svg = chart_svg(chart)
    assert svg == chart_svg(chart)
    assert "<svg" in svg
    assert "Date" not in svg and "Matplotlib" not in svg
    assert "1.50万元" in svg and ">0万元" in svg.replace("乙 ", ">")  # as the text prints it
    edition_2023 = Chart(kind, "图", ("甲", "乙"), (Decimal("1.50"), Decimal("0")), "c",
                         amounts=("1.50", "0.00"))
    assert "0.00万元" in chart_svg(edition_2023)  # the amounts the tree gives


def test_chart_png_is_a_deterministic_png() -> None:
    chart = Chart("pie", "图", ("甲", "乙"), (Decimal("3"), Decimal("1")), "c")
    png = chart_png(chart, dpi=72)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == chart_png(chart, dpi=72)
    assert b"Software" not in png


def test_all_zero_pie_is_drawn_without_error() -> None:
    chart = Chart("pie", "图", ("甲", "乙"), (Decimal("0"), Decimal("0")), "c")
    assert "0.00%" in chart_svg(chart)


def test_fonts_are_subsets_made_with_harfbuzz(reader: PdfReader) -> None:
    from weasyprint.text.ffi import harfbuzz_subset  # None without libharfbuzz-subset0

    assert harfbuzz_subset is not None
    fonts = [f for page in reader.pages for f in _font_dicts(page["/Resources"].get_object())]
    assert all(re.match(r"/[A-Z]{6}\+", str(f["/BaseFont"])) for f in fonts)
    assert any("Noto-Serif-CJK-SC" in str(f["/BaseFont"]) for f in fonts)


def test_pie_prints_the_narratives_shares() -> None:
    """The tree's shares win over the chart's own arithmetic (84.06% is the sentence's)."""
    chart = Chart("pie", "结构图", ("甲", "乙"), (Decimal("68.60"), Decimal("12.99")), "c",
                  shares=(Decimal("84.06"), Decimal("15.92")))
    svg = chart_svg(chart)
    assert "84.06%" in svg and "15.92%" in svg
    assert "84.08%" not in svg  # what 68.60 / 81.59 would give


def test_the_html_marks_bold_toc_entries_and_lead_ins() -> None:
    from generator.compose.tree import TableOfContents

    blocks = (TableOfContents("目 录"), Heading(1, "第一部分 概况", "a", toc_bold=True),
              Heading(2, "一、职责", "b"), Paragraph("一、基本支出：指为保障。", bold_prefix=7),
              Paragraph("普通段落。"))
    page = render_html(replace(sample_document(), blocks=blocks))
    assert re.findall(r'<li class="toc-l(\d)( bold)?">', page) == [("1", " bold"), ("2", "")]
    assert '<b class="lead-in">一、基本支出：</b>指为保障。</p>' in page
    assert page.count('class="lead-in"') == 1



def test_the_glyph_check_sees_the_page_numbers_digits_in_the_footers_font() -> None:
    """The page number prints in FOOTER_ROLE's face: its digits are checked there, in a
    document whose text in that role (tables) has none."""
    from generator.writers.fonts import role_texts
    from generator.writers.typography import FOOTER_ROLE

    doc = Document(title="t", language="zh-CN", blocks=(Paragraph("正文"),), page_number=PAGE)
    footer = "".join(text for role, text in role_texts(doc) if role == FOOTER_ROLE)
    assert set("0123456789") <= set(footer)


def test_the_glyph_check_sees_the_draft_mark() -> None:
    doc = Document(title="t", language="zh-CN", blocks=(Paragraph("正文"),), page_number=PAGE, draft="\ue000稿")
    with pytest.raises(RenderError, match="U\\+E000"):
        check_coverage(doc)
