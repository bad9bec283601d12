"""The performance table layout (spec §5) as one `Table` of 8 grid columns; its labels
and widths are the format pack's (`performance` in pack.yaml).

Columns: 0 row labels, 1 first level, 2–4 the period's (second, third level, value),
5–7 the year's (same).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.compose.tree import Align, Cell, Table
from generator.derive.projects import PerformanceEntry
from generator.model.schema import SECOND_LEVEL, BudgetInput, Funding
from generator.money import yuan_amount
from generator.packs import fill, form_of

Row = tuple[Cell, ...]


def label(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, align="center", style="label")


def value(text: str, colspan: int = 1, rowspan: int = 1, align: Align = "left") -> Cell:
    return Cell(text, colspan, rowspan, align=align)


def _money(amount, blank_zero: bool = False, colspan: int = 1) -> Cell:
    text = "" if blank_zero and not amount else yuan_amount(amount)
    return Cell(text, colspan, align="right", amount=True)  # 元 with separators: text, not a table amount


def _funding(labels: Mapping[str, Any], period: Funding, annual: Funding) -> list[Row]:
    funding = labels["funding"]
    rows: list[Row] = [(
        label(labels["funds"], rowspan=len(funding) + 1),
        value(labels["period_total"], colspan=2), _money(period.total, colspan=2),
        value(labels["annual_total"], colspan=2), _money(annual.total),
    )]
    for row in funding:
        name, key, blank_zero = row["label"], row["key"], bool(row.get("blank_zero"))
        rows.append((
            value(name, colspan=2),
            _money(getattr(period, key), blank_zero, colspan=2),
            value(name, colspan=2), _money(getattr(annual, key), blank_zero),
        ))
    return rows


@dataclass(frozen=True)
class Indicators:
    """One second-level indicator of both sides (the period, the year), as many rows as its longer side."""

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
    indicators_label: str
    indicator_header: tuple[str, ...]  # first level, then one side's second, third, value
    widths: tuple[float, ...]
    goals_heading: int  # the `head` row 实施期目标 / 年度目标, which heads the goals below it

    def rows(self, indicators: tuple[Indicators, ...], head: tuple[Row, ...]) -> tuple[Row, ...]:
        """`head` rows, then the block of `indicators` (with its label and column header)."""
        total = sum(i.height for i in indicators)
        first, *one_side = self.indicator_header
        header = (label(first), *(label(text) for _ in range(2) for text in one_side))
        rows: list[Row] = [*head, (label(self.indicators_label, rowspan=total + 1), *header)]
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
    lab = form_of(data)["performance"]
    annual_ind = t.annual_indicators if t.annual_indicators is not None else t.period_indicators
    head: tuple[Row, ...] = (
        (label(lab["project"]), value(entry.project.name, colspan=7)),
        (label(lab["supervisor"]), value(f"{doc.supervisor_code}-{doc.supervisor_name}", colspan=3),
         label(lab["unit"]), value(entry.unit, colspan=3)),
        (label(lab["attribute"]), value(t.attribute, colspan=3), label(lab["period"]),
         value(fill(lab["period_years"], n=t.period_years), colspan=3)),
        *_funding(lab, entry.period, entry.annual),
        *((label(row["label"]), value(getattr(t, row["key"]), colspan=7)) for row in lab["texts"]),
        (label(lab["goals"], rowspan=2), label(lab["period_goal"], colspan=4),
         label(lab["annual_goal"], colspan=3)),
        (value(t.period_goal, colspan=4),
         value(t.annual_goal if t.annual_goal is not None else t.period_goal, colspan=3)),
    )
    footer = tuple(cell for row in lab["footer"]
                   for cell in (label(row["label"]), value(getattr(t, row["key"]))))
    return PerformanceParts(head, _indicators(t.period_indicators, annual_ind), footer,
                            lab["indicators"], tuple(lab["indicator_header"]), tuple(lab["widths"]),
                            goals_heading=len(head) - 2)


def performance_table(parts: PerformanceParts, indicators: tuple[Indicators, ...],
                      head: tuple[Row, ...], footer: bool, font_size: float) -> Table:
    """One page's share of a performance table (all of it when it fits one page). Two rows
    head the columns of the rows below them: the goals' heading (on the first page) and the
    indicators' column heading (after the `head` rows)."""
    body = (*parts.rows(indicators, head), *((parts.footer,) if footer else ()))
    goals = {parts.goals_heading} if parts.goals_heading + 1 < len(head) else set()
    return Table(header=(), body=body, widths=parts.widths, font_size=font_size, kind="performance",
                 subheaders=frozenset({*goals, len(head)}))
