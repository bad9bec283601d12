"""Typesetting of the default (Typst) PDF, measured on the printed glyphs (pdfplumber).

Full-width punctuation keeps its em inside justified lines (公文 practice), a number's
digits are never spread, two adjacent
marks keep an em each in every text, a heading or a lead-in such as a 名词解释 term
("六、财政专户管理资金：") never stands alone at the foot of a page, and no
paragraph ends on one character + "。" where re-breaking it avoids that.
"""

from __future__ import annotations

import itertools
import re
from io import BytesIO

import pdfplumber
import pytest

from generator.checks.long_words import long_runs
from generator.compose.tree import Document, Heading, Paragraph, Table
from generator.model.yamlsource import InputError
from generator.pipeline import check_source, document_for, document_from_bytes, parse_source
from generator.writers.pdf_writer import write_pdf as weasyprint_pdf
from generator.writers.typst_writer import write_pdf
from tests.sample_tree import PAGE
from tests.texts import docx_text, missing_in_order, pdf_visible_text, squash, tree_texts, without_charts
from tests.variants import INPUTS, dump, load, scaled, unbreakable

EXAMPLES = sorted(p.name for p in INPUTS.glob("*.yaml"))
BODY_PT = (15.5, 16.5)
PUNCTUATION = set("，：；（）、。")
NEIGHBOURS = PUNCTUATION | set("“”‘’《》！？")  # a pair of marks may close up (连续标点)
DIGITS = set("0123456789")
FOOTER_MM = 30  # the page number lives below this distance from the page's foot
# A number, date or code: a run of digits and Latin letters, or a date written with 年/月/日,
# alone or as a range ("2024年1月~12月").
DATE_OR_CODE = (r"\d{4}年\d{1,2}月(?:\d{1,2}日)?(?:[~～\-–—]+(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?)?"
                r"|[A-Za-z0-9][A-Za-z0-9.,%:/\-+_]*")


def scaled_document(name: str, factor: int) -> Document:
    """The example `name` with every amount × `factor`; skipped where that is beyond the
    data model's 12 whole digits (refused, as test_layout_audit checks)."""
    try:
        return document_from_bytes(dump(scaled(load(name), factor)), name)[0]
    except InputError as error:
        if "12 位" not in error.problems[0].zh:
            raise
        pytest.skip(f"{name} × {factor} is beyond the data model's bounds")


def _lines(page, *, body_only: bool) -> list[list[dict]]:
    """The page's text lines top to bottom, each a list of chars left to right."""
    rows: dict[int, list[dict]] = {}
    for char in page.chars:
        if not char["upright"] or char["top"] > page.height - FOOTER_MM / 25.4 * 72:
            continue
        if body_only and not BODY_PT[0] <= char["size"] <= BODY_PT[1]:
            continue
        rows.setdefault(round(char["top"]), []).append(char)
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(rows.items())]


@pytest.fixture(scope="module", params=EXAMPLES)
def rendered(request) -> tuple[Document, list[list[list[dict]]], list[list[list[dict]]]]:
    doc, _ = document_for(INPUTS / request.param)
    with pdfplumber.open(BytesIO(write_pdf(doc))) as pdf:
        body = [_lines(page, body_only=True) for page in pdf.pages]
        every = [_lines(page, body_only=False) for page in pdf.pages]
    return doc, body, every


def _text(chars: list[dict]) -> str:
    return "".join(c["text"] for c in chars)


def test_full_width_punctuation_keeps_its_em_inside_a_line(rendered) -> None:
    _, pages, _ = rendered
    squeezed, measured = [], 0
    for number, lines in enumerate(pages, 1):
        for chars in lines:
            for before, mark, after in zip(chars, chars[1:], chars[2:], strict=False):
                if mark["text"] not in PUNCTUATION or {before["text"], after["text"]} & NEIGHBOURS:
                    continue
                measured += 1
                if after["x0"] - mark["x0"] < mark["size"] - 0.05:
                    squeezed.append(f"page {number}: {mark['text']} in {_text(chars)}")
    assert measured > 100
    assert squeezed == []


def test_adjacent_marks_keep_their_em_in_every_text(rendered) -> None:
    """A pair such as "）、", "。）", "》《" or "、“" is not closed up to 1.5 em (Typst's
    default) in body text, headings, the 目录 or table cells: both marks advance a full em."""
    _, _, pages = rendered
    squeezed, measured = [], 0
    for number, lines in enumerate(pages, 1):
        for chars in lines:
            for first, second, after in zip(chars, chars[1:], chars[2:], strict=False):
                if first["text"] not in NEIGHBOURS or second["text"] not in NEIGHBOURS:
                    continue
                measured += 1
                if (second["x0"] - first["x0"] < first["size"] - 0.05
                        or after["x0"] - second["x0"] < second["size"] - 0.05):
                    squeezed.append(f"page {number}: {first['text']}{second['text']} in {_text(chars)}")
    assert measured > 0
    assert squeezed == []


def test_a_justified_line_never_spreads_the_digits_of_a_number(rendered) -> None:
    """A justified line stretches between its Chinese characters, never inside a number
    ("2 0 2 4年度" read as four figures): each digit starts where the one before it ends."""
    _, pages, _ = rendered
    spread, measured, stretched = [], 0, 0
    for number, lines in enumerate(pages, 1):
        for chars in lines:
            for first, second in itertools.pairwise(chars):
                gap = second["x0"] - first["x1"]
                if first["text"] in DIGITS and second["text"] in DIGITS | set(",."):
                    measured += 1
                    if gap > 0.05:
                        spread.append(f"page {number}: {first['text']}{second['text']} in {_text(chars)}")
                elif "\u4e00" <= first["text"] <= "\u9fff" and "\u4e00" <= second["text"] <= "\u9fff":
                    stretched += gap > 0.3
    assert measured > 100 and stretched > 10  # numbers measured, on lines that do stretch
    assert spread == []


def test_no_line_starts_with_closing_punctuation(rendered) -> None:
    _, pages, _ = rendered
    starts = [_text(chars) for lines in pages for chars in lines if _text(chars)[0] in "，。、；：！？）》”’"]
    assert starts == []


def _sticky(doc: Document) -> set[str]:
    """Last lines of headings and of lead-in paragraphs, as printed."""
    found = {b.lines[-1] for b in doc.blocks if isinstance(b, Heading)}
    leads = {b.text for b in doc.blocks if isinstance(b, Paragraph) and b.keep_with_next}
    terms = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.text == "六、财政专户管理资金："]
    assert set(terms) <= leads  # the Shanxi 名词解释's term line (other formats have none)
    return found | leads


def test_no_heading_or_term_alone_at_the_foot_of_a_page(rendered) -> None:
    doc, _, pages = rendered
    sticky = _sticky(doc)
    alone = [f"page {number}: {_text(lines[-1])}" for number, lines in enumerate(pages, 1)
             if lines and _text(lines[-1]) in sticky]
    assert alone == []


def test_no_paragraph_ends_on_one_character_and_a_full_stop(rendered) -> None:
    doc, pages, _ = rendered
    whole = {b.text for b in doc.blocks if isinstance(b, Paragraph)}  # "无。" is a paragraph
    runts = [f"page {number}: {_text(chars)}" for number, lines in enumerate(pages, 1)
             for chars in lines
             if re.fullmatch(r"[\u4e00-\u9fff][。；]", _text(chars)) and _text(chars) not in whole]
    assert runts == []


def test_compose_keeps_every_heading_title_and_label_with_next(rendered) -> None:
    doc, _, _ = rendered
    headings = [b for b in doc.blocks if isinstance(b, Heading)]
    labels = [b for b in doc.blocks if isinstance(b, Paragraph)
              and b.style in ("table-label", "table-title", "table-meta", "table-unit", "center")]
    assert headings and all(b.keep_with_next for b in headings + labels)
    assert not any(b.keep_with_next for b in doc.blocks if isinstance(b, Paragraph)
                   and b.style in ("cover-title", "cover-subtitle", "note"))


def test_lead_in_keeps_with_next_in_the_tree() -> None:
    from generator.compose.layout import paragraph

    assert paragraph(Paragraph("六、财政专户管理资金："), "portrait").keep_with_next
    assert not paragraph(Paragraph("六、财政专户管理资金：专指教育收费。"), "portrait").keep_with_next
    assert not paragraph(Paragraph("很长" * 30 + "："), "portrait").keep_with_next


# ----------------------------------------------------------------- forced breaks and long words


def _texts_with_breaks(doc: Document):
    for block in doc.blocks:
        if isinstance(block, Table):
            yield from (cell for row in (*block.header, *block.body) for cell in row)
        elif isinstance(block, Paragraph | Heading):
            yield block


@pytest.mark.parametrize("factor", [1, 10_000])
@pytest.mark.parametrize("name", EXAMPLES)
def test_forced_breaks_never_cut_a_number_date_or_code(name: str, factor: int) -> None:
    """The 14-digit 填报日期 once broke as "20240111171⏎542" although the row had room, and
    the 指标值 "2024年1月~12月" as "2024年1月⏎~12月"."""
    doc = scaled_document(name, factor)
    cut = []
    for node in _texts_with_breaks(doc):
        for run in re.finditer(DATE_OR_CODE, node.text):
            cut += [f"{node.lines}" for b in node.breaks if run.start() < b < run.end()]
    assert cut == []


@pytest.mark.parametrize(("name", "lines"), [
    ("大同市信息和新材料应用推广中心", ("大同市信息和新材料应用推广中心",)),
    ("大同市工业和信息化局信息和新材料应用推广中心", ("大同市工业和信息化局", "信息和新材料应用推广中心")),
    ("大同市信息和新材料应用推广中心[单位]", ("大同市", "信息和新材料应用推广中心[单位]")),
    # after 局 rather than after the 和 of 信息和新材料, though that would be more even
    ("大同市工业和信息化局信息和新材料应用推广中心[单位]", ("大同市工业和信息化局", "信息和新材料应用推广中心[单位]")),
])
def test_a_title_breaks_between_the_words_of_a_name(name: str, lines: tuple[str, ...]) -> None:
    from generator.compose.layout import paragraph

    assert paragraph(Paragraph(name, "cover-title"), "portrait").lines == lines


@pytest.fixture(scope="module")
def unbreakable_doc() -> Document:
    return document_from_bytes(dump(unbreakable(load("datong-commerce-2024.yaml"))), "long.yaml")[0]


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_text_without_break_opportunity_wraps_and_is_never_lost(unbreakable_doc: Document,
                                                              engine: str) -> None:
    """A 60-letter word, a 300-digit number, a 2,000-letter word and a 110-letter project
    name (表12) wrap at any character: every text of the tree is on the page, in order, in
    the PDF of either engine and in the DOCX, and nothing is printed beyond the page."""
    from generator.commands.render import pdf_writer
    from generator.writers.docx_writer import write_docx

    doc = without_charts(unbreakable_doc)
    pdf = pdf_writer(engine)(doc)
    printed = pdf_visible_text(pdf)  # Typst orders a header's spanning cells its own way
    long_texts = [squash(t) for t in tree_texts(doc) if long_runs(t)]
    assert len(long_texts) >= 4
    assert [t[:40] for t in map(squash, tree_texts(doc)) if t not in printed] == []
    assert missing_in_order(docx_text(write_docx(doc)), doc) == []
    with pdfplumber.open(BytesIO(pdf)) as document:
        outside = [c["text"] for page in document.pages for c in page.chars
                   if c["x0"] < 0 or c["x1"] > page.width]
    assert outside == []


def test_typst_finds_the_runs_the_check_finds() -> None:
    """The template's long runs are the layout's (`long_run_pattern()`, given to Typst as data):
    for every character below U+3000 and one in 331 above, each in a run of LONG_RUN, and
    texts Typst's own classes (\\s, \\p{Han}, \\p{P}) read otherwise (full-width letters,
    kana, emoji), Typst finds the runs `check` names."""
    import json

    import typst

    from generator.compose.layout import LONG_RUN
    from generator.writers.typst_writer import TEMPLATE, typst_data
    from tests.sample_tree import sample_document

    points = [p for p in (*range(0x3000), *range(0x3000, 0x110000, 331)) if not 0xD800 <= p <= 0xDFFF]
    texts = [" ".join(chr(p) * LONG_RUN for p in points), "ａｂｃ" * 9, "かな" * 11, "\U0001f600" * 21,
             "x" * 19 + "中" + "y" * 20 + "，" + "1234567890" * 3]
    source = (f'#import "{TEMPLATE.name}": long-run\n'
              "#metadata(json(bytes(sys.inputs.texts)).map(t => t.matches(long-run).map(m => m.text))) <runs>\n")
    found = typst.query(source.encode(), "<runs>", field="value", one=True, root=str(TEMPLATE.parent),
                        ignore_system_fonts=True,
                        sys_inputs={"data": json.dumps(typst_data(sample_document()), ensure_ascii=False),
                                    "texts": json.dumps(texts)})
    assert json.loads(found) == [long_runs(text) for text in texts]


def test_check_names_each_text_that_cannot_be_printed_whole() -> None:
    checked = check_source(parse_source(dump(unbreakable(load("datong-commerce-2024.yaml"))), "long.yaml"))
    found = [f for f in checked.report.of("warning") if f.id == "W-LONG-WORD"]
    assert {f.path for f in found} >= {("other_notes", "other"), ("projects", 0, "name")}
    assert all("任意字符处折行" in f.zh and f.line for f in found)
    clean = check_source(parse_source(dump(load("datong-commerce-2024.yaml")), "x.yaml"))
    assert not [f for f in clean.report.of("warning") if f.id == "W-LONG-WORD"]


# ------------------------------------------------------------------------- editable DOCX


@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_cells_carry_forced_breaks_only_in_headers_labels_and_names(name: str) -> None:
    """Body text in cells (项目概况, 实施计划, indicator texts) wraps by itself in Word, so
    edited text never keeps the PDF's old breaks; the PDF's lines are broken there."""
    import docx

    from generator.compose.layout import keeps_breaks
    from generator.writers.docx_writer import write_docx

    doc, _ = document_for(INPUTS / name)
    cells = [(b, c) for b in doc.blocks if isinstance(b, Table) for row in (*b.header, *b.body) for c in row]
    prose = [(b, c) for b, c in cells if b.kind == "performance" and c.style == "text"]
    assert not any(keeps_breaks(b, c) for b, c in prose)
    if name == "datong-commerce-2024.yaml":  # its prose is broken into lines in the PDF
        assert sum(bool(c.breaks) for _, c in prose) >= 10
    set_like_titles = {c.text for b, c in cells if keeps_breaks(b, c)}
    package = docx.Document(BytesIO(write_docx(doc)))
    baked = {cell.text.replace("\n", "") for table in package.tables for row in table.rows
             for cell in row.cells if "\n" in cell.text}
    assert baked and baked <= set_like_titles


# ---------------------------------------------------------------------------------- charts


def test_charts_print_amounts_as_the_text_does_and_labels_never_overprint() -> None:
    """At ×10,000 the 三公 bar chart's ticks reach 40,000: thousands separators as in the
    text, "0万元" for a zero line, and the rotated 万元 axis title left of every tick label."""
    from generator.compose.tree import Chart
    from generator.writers.charts import FONT_SIZE, _text_width, chart_svg

    doc, _ = document_from_bytes(dump(scaled(load("datong-commerce-2024.yaml"), 10_000)), "x.yaml")
    pie, bar = (b for b in doc.blocks if isinstance(b, Chart))
    text = "".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    svg = chart_svg(bar)
    assert "35,000.00万元" in svg and "35,000.00万元" in text
    assert ">0万元<" in svg and "0万元" in text
    assert ">40,000<" in svg
    assert "18,260,570.00万元" in chart_svg(pie)
    ticks = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end"[^>]*>([\d,]+)<', svg)
    title_x = float(re.search(r'<text x="([\d.]+)"[^>]*transform[^>]*>万元<', svg).group(1))
    assert ticks and all(title_x + FONT_SIZE / 2 < float(x) - _text_width(t) for x, t in ticks)


def test_a_names_tag_is_never_broken_in_running_text() -> None:
    """The commerce 十一、3 printed "大同市商务局[部⏎门]占有使用…": a line broke inside the tag."""
    text = ("截至2023年12月31日，大同市商务局[部门]占有使用价值50万元（原值）以上的通用设备10台（套）；"
            "大同市商务局[部门]占有使用价值100万元（原值）以上的通用设备5台（套）。")
    for engine, shift in itertools.product((write_pdf, weasyprint_pdf), range(6)):  # the tag at
        doc = Document("t", "zh-CN", (Heading(1, "第一部分", "h1"), Paragraph("甲" * shift + text)),
                       page_number=PAGE)  # every place near a line's end, in both engines
        with pdfplumber.open(BytesIO(engine(doc))) as pdf:
            lines = [line["text"] for line in pdf.pages[0].extract_text_lines()]
        assert "".join(lines[1:-1]) == "甲" * shift + text
        assert not any(re.search(r"\[部?$", line) or re.match(r"门?\]", line) for line in lines), lines
