"""Builders of tables printed in 元 (the Shanghai format): codes split into 类/款/项 columns,
the total row last, every amount in 元 with the input's decimals, and the 三公 table in 万元.

How a cell prints is the input's choice (`style.table_decimals`, `style.table_zero` by table
id); what the cells hold is computed in `generator.derive.shanghai`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from generator.compose.tables import Body, Inputs, Row, blank, text, total_label
from generator.compose.tree import Cell
from generator.derive.ledger import CodeRow, Flow
from generator.derive.shanghai import categories, income_columns, public_of, spending_columns
from generator.model.codes import chinese_number
from generator.model.schema import FISCAL_SOURCES
from generator.money import wan
from generator.packs import TableSpec

Money = Callable[[Decimal], Cell]


def _zero(x: Inputs, spec: TableSpec) -> str:
    zeros = x.data.style.table_zero
    zero = zeros.get(spec.key.upper(), zeros.get("default", "blank"))
    return "" if zero == "blank" else zero


def yuan_cells(x: Inputs, spec: TableSpec) -> Money:
    """An amount in 元 as this input's tables print it: 31,214,205.80 or 156,211,123."""
    places = Decimal(1).scaleb(-x.data.style.table_decimals)
    zero = _zero(x, spec)

    def cell(value: Decimal) -> Cell:
        shown = value.quantize(places, rounding=ROUND_HALF_UP)
        return Cell(f"{shown:,}" if shown else zero, align="right", style="number")

    return cell


def wan_cells(x: Inputs, spec: TableSpec) -> Money:
    """An amount in 万元 without trailing zeros (25, 6.4, 47.91), as the 三公 table prints it."""
    zero = _zero(x, spec)

    def cell(value: Decimal) -> Cell:
        shown = wan(value)
        return Cell(format(shown.normalize(), "f") if shown else zero, align="right", style="number")

    return cell


def _code_cells(code: str) -> tuple[Cell, ...]:
    """A code in its 类, 款 and 项 columns (an economic item in 类 and 款)."""
    parts = [code[:3], code[3:5], code[5:7]]
    return tuple(text(p) for p in parts)


def _tree(rows: Iterable[CodeRow], values: Callable[[Flow], list[Decimal]], money: Money) -> list[Row]:
    return [(*_code_cells(r.code), text(r.name), *(money(v) for v in values(r.flow))) for r in rows]


def _total(label: str, span: int, values: list[Decimal], money: Money, empty: bool = False) -> Row:
    return (total_label(label, span), *(blank(len(values)) if empty else (money(v) for v in values)))


def _pad(left: Sequence[Row], right: Sequence[Row], left_width: int, right_width: int) -> list[Row]:
    rows: list[Row] = []
    for i in range(max(len(left), len(right))):
        lrow = left[i] if i < len(left) else (text(""), *blank(left_width - 1))
        rrow = right[i] if i < len(right) else (text(""), *blank(right_width - 1))
        rows.append((*lrow, *rrow))
    return rows


def _numbered(i: int, name: str) -> str:
    return f"{chinese_number(i + 1)}、{name}"


def yuan_summary(x: Inputs, spec: TableSpec) -> Body:
    """财务收支预算总表: income by kind beside spending by 类; param `split_basic` adds the
    basic spending's 人员经费/公用经费 and the project spending (the 单位 form)."""
    money, lab, data = yuan_cells(x, spec), spec.labels, x.data
    flow = x.f.ledger.total
    income = income_columns(data, flow)
    sources = [flow.sum(sources=[s], period="current") for s in FISCAL_SOURCES]
    amounts = [income[1], *sources, *income[2:]]
    left = [(text(n), money(v)) for n, v in zip(lab["income"], amounts, strict=True)]
    split = bool(spec.params.get("split_basic"))

    def values(code: str, c: Flow) -> list[Decimal]:
        total = c.sum(period="current")
        if not split:
            return [total]
        basic, public = c.sum("basic", period="current"), public_of(data, code)
        return [total, basic - public, public, c.sum("project", period="current")]

    right = [(text(_numbered(i, r.name)), *(money(v) for v in values(r.code, r.flow)))
             for i, r in enumerate(categories(x.f.ledger))]
    width = 5 if split else 2
    body = [*_pad(left, right, 2, width),
            (total_label(lab["income_sum"]), money(income[0]), total_label(lab["expenditure_sum"]),
             *(money(v) for v in values("", flow)))]
    return Body(body, flow.empty)


def yuan_income(x: Inputs, spec: TableSpec) -> Body:
    """收入预算总表: every code with money, by income kind; the total last."""
    money = yuan_cells(x, spec)

    def values(flow: Flow) -> list[Decimal]:
        return income_columns(x.data, flow)

    rows = [r for r in x.f.ledger.rows if r.flow.sum(period="current")]
    body = [*_tree(rows, values, money), _total(spec.labels["total"], 4, values(x.f.ledger.total), money)]
    return Body(body, not rows)


def yuan_spending(x: Inputs, spec: TableSpec) -> Body:
    """Spending by code, basic and project (param `sources`: null for all); the total last.
    An empty table keeps its total row, blank."""
    money = yuan_cells(x, spec)
    sources = tuple(spec.params["sources"]) if spec.params.get("sources") else None

    def values(flow: Flow) -> list[Decimal]:
        return spending_columns(flow, sources)

    rows = [r for r in x.f.ledger.rows if any(values(r.flow))]
    body = [*_tree(rows, values, money),
            _total(spec.labels["total"], 4, values(x.f.ledger.total), money, empty=not rows)]
    return Body(body, not rows)


def yuan_fiscal_summary(x: Inputs, spec: TableSpec) -> Body:
    """财政拨款收支预算总表: the three 财政拨款 sources beside the 类 they fund."""
    money, lab = yuan_cells(x, spec), spec.labels
    flow = x.f.ledger.total

    def values(c: Flow) -> list[Decimal]:
        return [c.fiscal(period="current"), *(c.sum(sources=[s], period="current") for s in FISCAL_SOURCES)]

    left = [(text(n), money(flow.sum(sources=[s], period="current")))
            for n, s in zip(lab["sources"], FISCAL_SOURCES, strict=True)]
    funded = [r for r in categories(x.f.ledger) if r.flow.fiscal(period="current")]
    right = [(text(_numbered(i, r.name)), *(money(v) for v in values(r.flow))) for i, r in enumerate(funded)]
    body = [*_pad(left, right, 2, 5),
            (total_label(lab["income_sum"]), money(flow.fiscal(period="current")),
             total_label(lab["expenditure_sum"]), *(money(v) for v in values(flow)))]
    return Body(body, not funded)


def yuan_economic(x: Inputs, spec: TableSpec) -> Body:
    """一般公共预算基本支出 by economic class and item: 合计, 人员经费, 公用经费."""
    money = yuan_cells(x, spec)

    def split(amount: Decimal, personnel: bool) -> tuple[Cell, ...]:
        return money(amount), money(amount if personnel else Decimal(0)), money(Decimal(0) if personnel else amount)

    body: list[Row] = []
    for cls in x.f.economic:
        body.append((text(cls.code), text(""), text(cls.name), *split(cls.amount, cls.personnel)))
        body.extend((text(i.code[:3]), text(i.code[3:]), text(i.name), *split(i.amount, i.personnel))
                    for i in cls.items)
    total = sum((c.amount for c in x.f.economic), Decimal(0))
    personnel = sum((c.amount for c in x.f.economic if c.personnel), Decimal(0))
    body.append(_total(spec.labels["total"], 3, [total, personnel, total - personnel], money))
    return Body(body, not x.f.economic)


def three_public_wan(x: Inputs, spec: TableSpec) -> Body:
    """“三公”经费 and 机关运行经费 in 万元, one row: 合计, 出国, 接待, 车辆 小计/购置/运行, 机关运行."""
    money, tp = wan_cells(x, spec), x.data.three_public
    keys = ("overseas", "reception", "vehicle_purchase", "vehicle_operation")
    amount = {k: getattr(tp, k).amount.total for k in keys}
    operating = sum((u.operating_costs.total for u in x.data.units if u.type != "事业单位"), Decimal(0))
    values = [sum(amount.values(), Decimal(0)), amount["overseas"], amount["reception"],
              amount["vehicle_purchase"] + amount["vehicle_operation"], amount["vehicle_purchase"],
              amount["vehicle_operation"], operating]
    return Body([tuple(money(v) for v in values)], not any(values))


BUILDERS = {
    "yuan_summary": yuan_summary, "yuan_income": yuan_income, "yuan_spending": yuan_spending,
    "yuan_fiscal_summary": yuan_fiscal_summary, "yuan_economic": yuan_economic,
    "three_public_wan": three_public_wan,
}
