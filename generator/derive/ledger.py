"""Expenditure amounts in 元 by function code, aggregated to 款, 类 and the total.

A `Flow` holds one code's money by (part, source, period): part is basic or project,
source one of the five fund sources, period current (当年) or carry (上年结转). Every table
cell of 表1–表5, 表8 and 表9 is a sum over some of these keys, rounded once for display.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from generator.model.codes import categories, function_names
from generator.model.schema import FISCAL_SOURCES, FUND_SOURCES, BudgetInput, ExpenditureRow, Sources

Part = Literal["basic", "project"]
Period = Literal["current", "carry"]
Key = tuple[Part, str, Period]


@dataclass
class Flow:
    amounts: dict[Key, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def add(self, other: Flow) -> None:
        for key, value in other.amounts.items():
            self.amounts[key] += value

    def sum(
        self,
        part: Part | None = None,
        sources: Iterable[str] | None = None,
        period: Period | None = None,
    ) -> Decimal:
        wanted = set(sources) if sources is not None else None
        return sum(
            (
                v for (p, s, t), v in self.amounts.items()
                if (part is None or p == part)
                and (wanted is None or s in wanted)
                and (period is None or t == period)
            ),
            Decimal(0),
        )

    def fiscal(self, part: Part | None = None, period: Period | None = None) -> Decimal:
        return self.sum(part, FISCAL_SOURCES, period)

    @property
    def empty(self) -> bool:
        return not any(self.amounts.values())


@dataclass(frozen=True)
class CodeRow:
    code: str
    name: str
    level: int  # 1 类, 2 款, 3 项
    flow: Flow


def _leaf_flow(row: ExpenditureRow) -> Flow:
    flow = Flow()
    legs: tuple[tuple[Part, Sources, Period], ...] = (
        ("basic", row.basic, "current"),
        ("project", row.project, "current"),
        ("basic", row.carryover_basic, "carry"),
        ("project", row.carryover_project, "carry"),
    )
    for part, sources, period in legs:
        for source in FUND_SOURCES:
            value = getattr(sources, source)
            if value:
                flow.amounts[(part, source, period)] += value
    return flow


def code_name(data: BudgetInput, code: str, given: str | None = None) -> str | None:
    """The printed name of a 类/款/项 code: given in the input, else the standard one."""
    return given or data.function_names.get(code) or function_names().get(code)


@dataclass(frozen=True)
class Ledger:
    rows: tuple[CodeRow, ...]  # the code tree, in order: 类, its 款, their 项
    total: Flow
    by_code: dict[str, Flow]

    def category(self, code: str) -> Flow:
        return self.by_code.get(code, Flow())

    def rows_where(self, keep) -> tuple[CodeRow, ...]:
        """The tree restricted to codes whose flow passes `keep` (e.g. 一般公共预算 only)."""
        return tuple(r for r in self.rows if keep(r.flow))


def build_ledger(data: BudgetInput) -> Ledger:
    by_code: dict[str, Flow] = {}
    leaf_names: dict[str, str | None] = {}
    total = Flow()
    for row in data.expenditure:
        flow = _leaf_flow(row)
        total.add(flow)
        leaf_names[row.code] = row.name
        for prefix in (row.code[:3], row.code[:5], row.code):
            by_code.setdefault(prefix, Flow()).add(flow)
    rows = tuple(
        CodeRow(code, code_name(data, code, leaf_names.get(code)) or "", len(code) // 2, by_code[code])
        for code in sorted(by_code)
        if not by_code[code].empty
    )
    return Ledger(rows=rows, total=total, by_code=by_code)


def category_flows(ledger: Ledger) -> list[tuple[str, str, Flow]]:
    """The 30 fixed categories of 表1/表4: (numbered name, plain name, flow)."""
    return [(c.numbered, c.name, ledger.category(c.code)) for c in categories()]
