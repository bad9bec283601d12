"""Layout decisions in the tree (compose.measure, compose.layout): line breaks, column
widths, font sizes, kept rows and the pagination of performance tables."""

from __future__ import annotations

import pytest

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


def test_amounts_and_codes_stay_whole() -> None:
    pieces = measure.segments("2011301行政运行12345678.90")
    assert pieces[0] == "2011301" and pieces[-1] == "12345678.90"


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
