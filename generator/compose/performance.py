"""The 项目支出绩效目标表 layout (spec §5) as one `Table` of 8 grid columns.

Columns: 0 row labels, 1 一级指标, 2–4 实施期 (二级, 三级, 指标值), 5–7 年度 (same).
"""

from __future__ import annotations

from generator.compose.tree import Cell, Table
from generator.derive.projects import PerformanceEntry
from generator.model.schema import SECOND_LEVEL, BudgetInput, Funding
from generator.money import yuan_amount

Row = tuple[Cell, ...]
WIDTHS = (2.3, 1.3, 1.7, 3.4, 1.6, 1.7, 3.4, 1.6)


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


def _money(amount, blank_zero: bool = False) -> Cell:
    text = "" if blank_zero and not amount else yuan_amount(amount)
    return value(text, colspan=1, align="right")


def _funding(period: Funding, annual: Funding) -> list[Row]:
    rows: list[Row] = [(
        label("项目资金（元）", rowspan=6),
        value("实施期资金总额:", colspan=2), Cell(yuan_amount(period.total), colspan=2, align="right"),
        value("年度资金总额:", colspan=2), _money(annual.total),
    )]
    for name, key in FUNDING_ROWS:
        blank_zero = key == "other"
        rows.append((
            value(name, colspan=2),
            Cell("" if blank_zero and not getattr(period, key) else yuan_amount(getattr(period, key)),
                 colspan=2, align="right"),
            value(name, colspan=2), _money(getattr(annual, key), blank_zero),
        ))
    return rows


HEADER_ROW = (label("一级指标"), label("二级指标"), label("三级指标"), label("指标值"),
              label("二级指标"), label("三级指标"), label("指标值"))


def _indicator_rows(period: dict, annual: dict) -> list[Row]:
    """The 绩效指标 block: every 二级 is printed, with as many rows as its longer side."""
    total = sum(max(len(period.get(s, [])), len(annual.get(s, [])), 1)
                for names in SECOND_LEVEL.values() for s in names)
    rows: list[Row] = [(label("绩效指标", rowspan=total + 1), *HEADER_ROW)]
    for first, seconds in SECOND_LEVEL.items():
        span = sum(max(len(period.get(s, [])), len(annual.get(s, [])), 1) for s in seconds)
        first_cell = True
        for second in seconds:
            left, right = period.get(second, []), annual.get(second, [])
            height = max(len(left), len(right), 1)
            for i in range(height):
                cells: list[Cell] = []
                if first_cell:
                    cells.append(label(first, rowspan=span))
                for side in (left, right):
                    if i == 0:
                        cells.append(value(second, rowspan=height))
                    name, val = next(iter(side[i].items())) if i < len(side) else ("", "")
                    cells.extend((value(name), value(val, align="center")))
                rows.append(tuple(cells))
                first_cell = False
    return rows


def performance_table(data: BudgetInput, entry: PerformanceEntry) -> Table:
    t = entry.table
    doc = data.document
    annual_ind = t.annual_indicators if t.annual_indicators is not None else t.period_indicators
    texts = (("项目概况", t.overview), ("立项依据", t.basis), ("项目设立必要性", t.necessity),
             ("保证项目实施的制度、措施", t.measures), ("项目实施计划", t.plan))
    indicators = _indicator_rows(t.period_indicators, annual_ind)
    body: list[Row] = [
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
        *indicators,
        (label("负责人:"), value(t.leader), label("经办人:"), value(t.handler),
         label("联系电话:"), value(t.phone), label("填报日期:"), value(t.filled_on)),
    ]
    return Table(header=(), body=tuple(body), widths=WIDTHS, font_size=8, kind="performance")
