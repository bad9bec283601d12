"""Layout decisions in the tree (compose.measure, compose.layout): line breaks, column
widths, font sizes, kept rows and the pagination of performance tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.compose import layout, measure
from generator.compose.tree import Cell, Heading, PageBreak, Paragraph, Table, split_lines
from generator.pipeline import document_from_bytes
from tests.variants import dump, load, scaled


def test_headers_break_between_words_and_evenly() -> None:
    text = "政府性基金预算"
    assert split_lines(text, measure.balanced_breaks(text, 6)) == ("政府性基金", "预算")
    assert measure.balanced_breaks(text, 7.5) == ()


def test_titles_break_before_a_bracket_never_leaving_one_character() -> None:
    text = "2024年一般公共预算安排基本支出分经济科目表（不含上年结转）"
    lines = split_lines(text, layout.title_breaks(text, 156, 18))
    assert lines == ("2024年一般公共预算安排基本支出分经济科目表", "（不含上年结转）")


@pytest.mark.parametrize("limit", [3.2, 4.5, 5.5, 8.5, 10.5])
def test_no_break_leaves_a_single_character(limit: float) -> None:
    for text in ("服务对象满意度指标", "保证项目实施的制度、措施", "国有资本经营预算收支预算表"):
        breaks = measure.balanced_breaks(text, limit)
        lines = split_lines(text, breaks if breaks is not None else measure.wrap_breaks(text, limit))
        assert not any(measure.lonely(line) for line in lines), (text, limit, lines)


def test_running_text_in_a_cell_never_ends_on_one_character() -> None:
    text = "甲" * 24
    lines = split_lines(text, measure.wrap_breaks(text, 23))
    assert [len(line) for line in lines] == [22, 2]


# ------------------------------------------------------------------ breaks between words

LONG_NAME = "大同市商务局口岸跨境电子商务与对外经济合作发展服务管理委员会[部门]"


def _cut_words(text: str, breaks: tuple[int, ...]) -> list[str]:
    """The lexicon words, wherever they occur in `text`, that a break falls inside."""
    words = measure.lexicon()
    return [text[i:j] for i in range(len(text)) for j in range(i + 2, len(text) + 1)
            if text[i:j] in words and any(i < b < j for b in breaks)]


def test_a_long_name_on_the_cover_breaks_between_words() -> None:
    """The reviewer's case: the cover split 对外经济合 | 作发展 (合作 was no word, and a break
    inside a word cost what a break between words did)."""
    lines = layout.paragraph(Paragraph(LONG_NAME, "cover-title"), "portrait").lines
    assert lines == ("大同市商务局", "口岸跨境电子商务与对外经济", "合作发展服务管理委员会[部门]")
    assert _cut_words(LONG_NAME, layout.title_breaks(LONG_NAME, layout.type_area("portrait")[0],
                                                     layout.SIZES["cover-title"])) == []


@pytest.mark.parametrize("bold", [False, True])  # a label; a header or total row
@pytest.mark.parametrize("limit", [8, 9, 10, 12, 13, 15, 18])
def test_a_long_name_in_a_table_cell_breaks_between_words(limit: float, bold: bool) -> None:
    breaks = measure.balanced_breaks(LONG_NAME, limit, bold)
    assert breaks and _cut_words(LONG_NAME, breaks) == []
    lines = split_lines(LONG_NAME, breaks)
    assert any("合作" in line for line in lines) and lines[-1].endswith("委员会[部门]")
    if limit == 10:  # after 与: the phrases it joins stay whole
        assert lines == ("大同市商务局", "口岸跨境电子商务与", "对外经济合作发展服务", "管理委员会[部门]")


@pytest.mark.parametrize(("text", "limit", "lines"), [
    ("社会保障和就业支出", 6, ("社会保障和", "就业支出")),  # after a conjunction
    ("文化旅游体育与传媒支出", 7, ("文化旅游体育与", "传媒支出")),
    ("口岸跨境电子商务与对外经济合作支出", 8, ("口岸", "跨境电子商务与", "对外经济合作支出")),
    ("业务处理及时性", 4, ("业务处理", "及时性")),  # 及时 is a word, not the conjunction 及
    ("示例市住房和城乡建设局[部门]", 12, ("示例市", "住房和城乡建设局[部门]")),  # the tag stays with the name
])
def test_headers_break_after_conjunctions_and_name_parts(text: str, limit: float, lines: tuple[str, ...]) -> None:
    assert split_lines(text, measure.balanced_breaks(text, limit, bold=True)) == lines


def test_a_break_between_unknown_characters_costs_more_than_between_words() -> None:
    """Where the lexicon lacks a word (甲乙丙丁 here), the line breaks beside the words it
    knows rather than evenly between characters it does not (管理甲 | 乙丙丁)."""
    text = "管理甲乙丙丁"
    assert split_lines(text, measure.balanced_breaks(text, 5)) == ("管理", "甲乙丙丁")


def test_no_break_falls_inside_a_word_of_the_lexicon() -> None:
    """Every word, between other words, a conjunction and a name's parts, at every width
    that holds its widest segment (words that overlap make one: 友城管理): never cut."""
    for word in sorted(measure.lexicon()):
        text = f"大同市{word}与对外经济{word}管理中心"
        for limit in range(max(3, *map(len, measure.segments(text))), len(text)):
            breaks = measure.balanced_breaks(text, limit)
            if breaks is None:
                breaks = measure.wrap_breaks(text, limit)
            assert _cut_words(text, breaks) == [], (text, limit, split_lines(text, breaks))


def test_words_that_overlap_are_never_cut() -> None:
    """Two words sharing a character (上年 + 年终 in 上年终了): neither is cut, whichever the
    text means."""
    words = sorted(measure.lexicon())
    pairs = [(a, b) for a in words for b in words if a != b and b[0] == a[-1]]
    assert len(pairs) > 500
    for a, b in pairs:
        text = f"经济{a}{b[1:]}发展"
        for limit in range(max(3, *map(len, measure.segments(text))), len(text)):
            breaks = measure.balanced_breaks(text, limit)
            assert breaks is not None and _cut_words(text, breaks) == [], (text, limit)


_WORDS = st.sampled_from(sorted(measure.lexicon()))
_GLUE = st.sampled_from(["与", "和", "及", "并", "市", "局", "中心", "委员会", "[部门]", "（", "）", "、", "2024年"])
_NAMES = st.lists(st.one_of(_WORDS, _WORDS, _GLUE, st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)),
                  min_size=2, max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_NAMES, limit=st.floats(3.0, 20.0), bold=st.booleans())
def test_random_names_never_break_inside_a_word(text: str, limit: float, bold: bool) -> None:
    """Balanced breaks (titles, headers, labels) and greedy ones (cells) never cut a word of
    the lexicon, wherever it occurs, unless the word itself is wider than the line."""
    breaks = measure.balanced_breaks(text, limit, bold)
    if breaks is not None:
        lines = split_lines(text, breaks)
        assert _cut_words(text, breaks) == [], lines
        assert all(measure.width(line, bold) <= limit for line in lines)
        assert len(lines) == 1 or not any(measure.lonely(line) for line in lines)
    if all(measure.width(p, bold) <= limit for p in measure.segments(text)):
        assert _cut_words(text, measure.wrap_breaks(text, limit, bold)) == []


def test_the_long_commerce_name_breaks_between_words_everywhere() -> None:
    """The whole document of the reviewer's input: cover, titles, 目录, headers, labels and
    the cells that carry the name."""
    data = load("datong-commerce-2024.yaml")
    data["document"]["name"] = data["document"]["supervisor_name"] = LONG_NAME
    doc = document_from_bytes(dump(data), "long.yaml")[0]
    broken: list[tuple[str, tuple[int, ...]]] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            broken += [(c.text, c.breaks) for row in (*block.header, *block.body) for c in row if c.breaks]
        elif isinstance(block, Heading):
            broken += [(block.text, block.breaks), (block.toc_text or block.text, block.toc_breaks)]
        elif isinstance(block, Paragraph):
            broken.append((block.text, block.breaks))
    assert sum(LONG_NAME in text and bool(breaks) for text, breaks in broken) >= 3
    assert [(t, b) for t, b in broken if _cut_words(t, b)] == []
    cover = next(b for b in doc.blocks if isinstance(b, Paragraph) and b.style == "cover-title")
    assert cover.lines == ("大同市商务局", "口岸跨境电子商务与对外经济", "合作发展服务管理委员会[部门]")


def test_amounts_and_codes_stay_whole() -> None:
    pieces = measure.segments("2011301行政运行12345678.90")
    assert pieces[0] == "2011301" and pieces[-1] == "12345678.90"


def test_a_date_or_a_range_of_dates_stays_whole() -> None:
    """"2024年1月~12月" once printed as "2024年1月⏎~12月" in a 指标值 cell (commerce)."""
    assert measure.segments("开展时间2024年1月~12月")[-1] == "2024年1月~12月"
    assert measure.segments("2024年1月1日至2024年12月31日") == ["2024年1月1日", "至", "2024年12月31日"]
    assert measure.codes("时间2024年1月—2024年6月") == ["2024年1月—2024年6月"]
    text = "2024年1月~12月"  # wider than its line, a date still wraps (at any character)
    lines = split_lines(text, measure.wrap_breaks(text, measure.width(text) - 1))
    assert len(lines) == 2 and "".join(lines) == text


@pytest.mark.parametrize("tag", ["[部门]", "[单位]", "（部门）"])
def test_a_names_tag_never_wraps_onto_a_line_of_its_own(tag: str) -> None:
    """A performance table's 主管部门及代码 of a 30-character name printed "084-大同市…服务中心"
    and then "[部门]" alone on the cell's second line."""
    text = "084-大同市人民政府驻上海经济技术合作与招商引资联络服务中心" + tag
    for limit in (measure.width(text) - w for w in (0.5, 1, 2, 3)):
        lines = split_lines(text, measure.wrap_breaks(text, limit))
        assert len(lines) == 2 and lines[-1] != tag and lines[-1].endswith(tag), lines


def _doc(factor: int = 1, name: str = "datong-commerce-2024.yaml"):
    return document_from_bytes(dump(scaled(load(name), factor)), name)[0]


def test_columns_widen_for_the_widest_amount_and_fill_the_type_area() -> None:
    small, large = (next(b for b in _doc(f).blocks if isinstance(b, Table)) for f in (1, 10_000))
    width = layout.type_area("portrait")[0]
    assert sum(small.widths) == pytest.approx(width, abs=0.1)
    assert sum(large.widths) == pytest.approx(width, abs=0.1)
    assert large.widths[1] > small.widths[1]  # 收入 2024年: 27305080.00 instead of 2730.51
    assert layout.BUDGET_FONT[1] <= large.font_size <= layout.BUDGET_FONT[0]


def test_a_table_just_too_long_for_its_page_gets_smaller_type() -> None:
    t1 = next(b for b in _doc().blocks if isinstance(b, Table))
    assert t1.font_size < layout.BUDGET_FONT[0]
    assert sum(layout.row_heights(t1)) < layout.type_area("portrait")[1]


def test_totals_never_start_a_page_alone() -> None:
    t1 = next(b for b in _doc().blocks if isinstance(b, Table))
    last = len(t1.body) - 1
    assert {last - 4, last - 3, last - 2, last - 1} <= t1.keep_with_next


def test_a_long_performance_table_splits_between_indicator_groups() -> None:
    blocks = _doc().blocks
    i = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text.endswith("（续）"))
    before, after = blocks[i - 2], blocks[i + 2]
    assert isinstance(blocks[i - 1], PageBreak) and isinstance(after, Table)
    assert isinstance(before, Table) and before.kind == after.kind == "performance"
    assert after.body[0][0].text == "项目名称" and after.body[0][1].text == before.body[0][1].text
    assert [c.text for c in after.body[1][:3]] == ["绩效指标", "一级指标", "二级指标"]
    assert after.subheaders == {1}  # the indicators' column heading, on each page
    goals = next(i for i, row in enumerate(before.body) if row[0].text == "总体目标")
    assert before.subheaders == {goals, goals + 2}  # 实施期目标 / 年度目标, then the indicators'
    assert after.body[1][0].rowspan == len(after.body) - 2  # the footer row follows
    assert after.body[-1][0].text == "负责人:" and len(after.body) > 3
    assert not any(r[0].text == "负责人:" for r in before.body)
    room = layout.type_area("landscape")[1]
    assert all(layout.table_height(t) < room for t in (before, after))


def test_running_text_is_justified_and_titles_and_headings_are_not() -> None:
    blocks = [b for b in _doc().blocks if isinstance(b, Paragraph | Heading)]
    assert all((layout.alignment(b) == "justify") == (isinstance(b, Paragraph) and b.style in ("body", "plain"))
               for b in blocks)
    headings = [b for b in blocks if isinstance(b, Heading)]
    assert {layout.alignment(h) for h in headings if h.level > 1 and not h.table_title} == {"left"}
    assert {layout.alignment(h) for h in headings if h.level == 1 or h.table_title} == {"center"}


def test_cell_lines_join_back_to_the_text() -> None:
    cell = Cell("政府性基金预算", breaks=(5,))
    assert cell.lines == ("政府性基金", "预算") and "".join(cell.lines) == cell.text
    table = layout.budget_table(Table(((Cell("国有资本经营预算", style="header"),),),
                                      ((Cell("1.00", style="number"),),), (1,)))
    assert "".join(table.header[0][0].lines) == "国有资本经营预算"
