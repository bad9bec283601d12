"""The 项目支出绩效目标表 layout (spec §5) as one `Table` of 8 grid columns.

Columns: 0 row labels, 1 一级指标, 2–4 实施期 (二级, 三级, 指标值), 5–7 年度 (same).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.compose.tree import Cell, Table
from generator.derive.projects import PerformanceEntry
from generator.model.schema import SECOND_LEVEL, BudgetInput, Funding
from generator.money import yuan_amount

Row = tuple[Cell, ...]
WIDTHS = (2.4, 1.3, 2.0, 3.2, 1.6, 2.0, 3.2, 1.6)  # relative; compose.layout scales them


def label(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, align="center", style="label")


def value(text: str, colspan: int = 1, rowspan: int = 1, align: str = "left") -> Cell:
    return Cell(text, colspan, rowspan, align=align)  # type: ignore[arg-type]


FUNDING_ROWS = (
    ("其中:中央财政资金", "central"),
    ("省级财政资金", "provincial"),
    ("市县(区)财政资金", "city"),
    ("单位自筹", "own"),
    ("其他资金", "other"),
)


def _money(amount, blank_zero: bool = False, colspan: int = 1) -> Cell:
    text = "" if blank_zero and not amount else yuan_amount(amount)
    return Cell(text, colspan, align="right")  # 元 with separators: text, not a table amount


def _funding(period: Funding, annual: Funding) -> list[Row]:
    rows: list[Row] = [(
        label("项目资金（元）", rowspan=6),
        value("实施期资金总额:", colspan=2), _money(period.total, colspan=2),
        value("年度资金总额:", colspan=2), _money(annual.total),
    )]
    for name, key in FUNDING_ROWS:
        blank_zero = key == "other"
        rows.append((
            value(name, colspan=2),
            _money(getattr(period, key), blank_zero, colspan=2),
            value(name, colspan=2), _money(getattr(annual, key), blank_zero),
        ))
    return rows


HEADER_ROW = (label("一级指标"), label("二级指标"), label("三级指标"), label("指标值"),
              label("二级指标"), label("三级指标"), label("指标值"))


@dataclass(frozen=True)
class Indicators:
    """One 二级指标 of both sides (实施期, 年度), as many rows as its longer side."""

    first: str
    second: str
    period: tuple[dict, ...]
    annual: tuple[dict, ...]

    @property
    def height(self) -> int:
        return max(len(self.period), len(self.annual), 1)


@dataclass(frozen=True)
class PerformanceParts:
    """A performance table cut where it may be split across pages: the rows before the
    indicators, the indicator blocks (every 二级 is printed) and the footer row."""

    head: tuple[Row, ...]
    indicators: tuple[Indicators, ...]
    footer: Row

    def rows(self, indicators: tuple[Indicators, ...], head: tuple[Row, ...]) -> tuple[Row, ...]:
        """`head` rows, then the 绩效指标 block of `indicators` (with its column header)."""
        total = sum(i.height for i in indicators)
        rows: list[Row] = [*head, (label("绩效指标", rowspan=total + 1), *HEADER_ROW)]
        for index, block in enumerate(indicators):
            first_row = index == 0 or indicators[index - 1].first != block.first
            span = 0
            if first_row:
                for later in indicators[index:]:
                    if later.first != block.first:
                        break
                    span += later.height
            for i in range(block.height):
                cells: list[Cell] = []
                if first_row and i == 0:
                    cells.append(label(block.first, rowspan=span))
                for side in (block.period, block.annual):
                    if i == 0:
                        cells.append(value(block.second, rowspan=block.height))
                    name, val = next(iter(side[i].items())) if i < len(side) else ("", "")
                    cells.extend((value(name), value(val, align="center")))
                rows.append(tuple(cells))
        return tuple(rows)


def _indicators(period: dict, annual: dict) -> tuple[Indicators, ...]:
    return tuple(Indicators(first, second, tuple(period.get(second, [])),
                            tuple(annual.get(second, [])))
                 for first, seconds in SECOND_LEVEL.items() for second in seconds)


def performance_parts(data: BudgetInput, entry: PerformanceEntry) -> PerformanceParts:
    t = entry.table
    doc = data.document
    annual_ind = t.annual_indicators if t.annual_indicators is not None else t.period_indicators
    texts = (("项目概况", t.overview), ("立项依据", t.basis), ("项目设立必要性", t.necessity),
             ("保证项目实施的制度、措施", t.measures), ("项目实施计划", t.plan))
    head: tuple[Row, ...] = (
        (label("项目名称"), value(entry.project.name, colspan=7)),
        (label("主管部门及代码"), value(f"{doc.supervisor_code}-{doc.supervisor_name}", colspan=3),
         label("实施单位"), value(entry.unit, colspan=3)),
        (label("项目属性"), value(t.attribute, colspan=3), label("项目期"),
         value(f"{t.period_years}年", colspan=3)),
        *_funding(entry.period, entry.annual),
        *((label(name), value(text, colspan=7)) for name, text in texts),
        (label("总体目标", rowspan=2), label("实施期目标", colspan=4), label("年度目标", colspan=3)),
        (value(t.period_goal, colspan=4),
         value(t.annual_goal if t.annual_goal is not None else t.period_goal, colspan=3)),
    )
    footer = (label("负责人:"), value(t.leader), label("经办人:"), value(t.handler),
              label("联系电话:"), value(t.phone), label("填报日期:"), value(t.filled_on))
    return PerformanceParts(head, _indicators(t.period_indicators, annual_ind), footer)


def performance_table(parts: PerformanceParts, indicators: tuple[Indicators, ...],
                      head: tuple[Row, ...], footer: bool, font_size: float) -> Table:
    """One page's share of a performance table (all of it when it fits one page)."""
    body = (*parts.rows(indicators, head), *((parts.footer,) if footer else ()))
    return Table(header=(), body=body, widths=WIDTHS, font_size=font_size, kind="performance")
