"""The budget tables as `Table` nodes: the pack's form around rows computed here.

A format pack names, per table, its title, header, widths and labels, and a builder from
`BUILDERS` with its params; the builder computes the body from the derived figures and
says whether the table is empty (for the pack's empty note). Every amount cell is rounded
from unrounded 元 on its own (spec §8); zero is a blank cell. Widths are relative
preferences; compose.layout turns them into millimetres that fit the content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.compose.tree import Cell, CellStyle, Table
from generator.derive.figures import Figures
from generator.derive.ledger import CodeRow, Flow, category_flows
from generator.errors import RenderError
from generator.model.schema import FISCAL_SOURCES, FUND_SOURCES, BudgetInput, Project, Sources
from generator.money import table_amount, wan
from generator.packs import TableSpec

Row = tuple[Cell, ...]


def h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, align="center", style="header")


def num(yuan: Decimal) -> Cell:
    return Cell(table_amount(wan(yuan)), align="right", style="number")


def blank(n: int = 1) -> tuple[Cell, ...]:
    return tuple(Cell("", align="right", style="number") for _ in range(n))


def text(value: str, style: CellStyle = "text") -> Cell:
    return Cell(value, style=style)


def total_label(value: str, colspan: int = 1) -> Cell:
    return Cell(value, colspan=colspan, align="center", style="total")


def _side_by_side(left: Sequence[Row], right: Sequence[Row], left_width: int) -> list[Row]:
    """Two independent lists laid side by side (表1, 表4, 表9); the shorter is padded."""
    rows: list[Row] = []
    for i in range(max(len(left), len(right))):
        lrow = left[i] if i < len(left) else (text(""), *blank(left_width - 1))
        rows.append((*lrow, *right[i]) if i < len(right) else (*lrow,))
    return rows


def _closing(body: list[Row], totals: int) -> frozenset[int]:
    """Rows kept with the next: the `totals` closing rows and the two rows before them,
    so that the totals never start a page on their own."""
    return frozenset(range(max(0, len(body) - totals - 2), len(body) - 1))


def _tree_rows(rows: Iterable[CodeRow], values: Callable[[Flow], list[Decimal]]) -> list[Row]:
    return [(text(r.code), text(r.name), *(num(v) for v in values(r.flow))) for r in rows]


def _is_zero(values: Iterable[Decimal]) -> bool:
    return not any(wan(v) for v in values)


@dataclass(frozen=True)
class Inputs:
    """What a builder computes from: the input, its figures and the budget year."""

    data: BudgetInput
    f: Figures
    year: int


@dataclass(frozen=True)
class Body:
    rows: list[Row]
    empty: bool
    keep_with_next: frozenset[int] = frozenset()


def summary(x: Inputs, spec: TableSpec) -> Body:
    """收支总表: income by fund source beside spending by 类, then the closing rows."""
    flow, lab = x.f.ledger.total, spec.labels
    left = [(text(n), num(flow.sum(sources=[s], period="current")))
            for n, s in zip(lab["sources"], FUND_SOURCES, strict=True)]
    right = [(text(numbered), num(c.sum()), num(c.sum(period="current")), num(c.sum(period="carry")))
             for numbered, _, c in category_flows(x.f.ledger)]
    totals = (num(flow.sum()), num(flow.sum(period="current")), num(flow.sum(period="carry")))
    body = [
        *_side_by_side(left, right, 2),
        (total_label(lab["income_total"]), num(flow.sum(period="current")),
         total_label(lab["expenditure_total"]), *totals),
        (total_label(lab["carry"]), num(flow.sum(period="carry")), total_label(lab["carry_out"]), *blank(3)),
        (total_label(lab["income_sum"]), num(flow.sum()), total_label(lab["expenditure_sum"]), *totals),
    ]
    return Body(body, flow.empty, _closing(body, 3))


def income(x: Inputs, spec: TableSpec) -> Body:
    """收入总表: every code with this year's income by fund source and the carry-over."""
    def values(flow: Flow) -> list[Decimal]:
        return [flow.sum(period="current"),
                *(flow.sum(sources=[s], period="current") for s in FUND_SOURCES),
                flow.sum(period="carry")]

    body = [(total_label(spec.labels["total"], 2), *(num(v) for v in values(x.f.ledger.total))),
            *_tree_rows(x.f.ledger.rows, values)]
    return Body(body, x.f.ledger.total.empty)


SPENDING_COLUMNS = ("total", "basic", "project")


def spending(x: Inputs, spec: TableSpec) -> Body:
    """Spending by code (params: sources, a list or null for all; period, current, carry or
    null for both; columns, which of total, basic, project to print, default all three)."""
    sources = tuple(spec.params["sources"]) if spec.params.get("sources") else None
    period = spec.params.get("period")
    shown = [SPENDING_COLUMNS.index(c) for c in spec.params.get("columns", SPENDING_COLUMNS)]

    def values(flow: Flow) -> list[Decimal]:
        return [flow.sum(None, sources, period), flow.sum("basic", sources, period),
                flow.sum("project", sources, period)]

    def printed(flow: Flow) -> list[Decimal]:
        every = values(flow)
        return [every[i] for i in shown]

    rows = x.f.ledger.rows_where(lambda flow: wan(values(flow)[0]) != 0 or _has_value(values(flow)))
    body = [(total_label(spec.labels["total"], 2), *(num(v) for v in printed(x.f.ledger.total))),
            *_tree_rows(rows, printed)]
    return Body(body, _is_zero(values(x.f.ledger.total)))


def _has_value(values: list[Decimal]) -> bool:
    return any(values)


def fiscal_summary(x: Inputs, spec: TableSpec) -> Body:
    """财政拨款收支总表: the three 财政拨款 sources, this year's and carried over."""
    flow, lab = x.f.ledger.total, spec.labels
    left = [(text(n), num(flow.sum(sources=[s], period="current")))
            for n, s in zip(lab["sources"], FISCAL_SOURCES, strict=True)]

    def fiscal(c: Flow) -> tuple[Cell, ...]:
        return (num(c.fiscal()), *(num(c.sum(sources=[s])) for s in FISCAL_SOURCES))

    right = [(text(numbered), *fiscal(c)) for numbered, _, c in category_flows(x.f.ledger)]
    carry = [(text(n), num(flow.sum(sources=[s], period="carry"))) for n, s in
             zip(lab["sources"], FISCAL_SOURCES, strict=True)]
    body = [
        *_side_by_side(left, right, 2),
        (total_label(lab["income_total"]), num(flow.fiscal(period="current")),
         total_label(lab["expenditure_total"]), *fiscal(flow)),
        (total_label(lab["carry"]), num(flow.fiscal(period="carry")), total_label(lab["carry_out"]),
         *blank(4)),
        *((*row, text(""), *blank(4)) for row in carry),
        (total_label(lab["income_sum"]), num(flow.fiscal()), total_label(lab["expenditure_sum"]),
         *fiscal(flow)),
    ]
    return Body(body, _is_zero([flow.fiscal()]), _closing(body, 6))


def economic(x: Inputs, spec: TableSpec) -> Body:
    """基本支出 by economic class and item, split into 人员经费 and 公用经费."""
    f = x.f
    total = sum((c.amount for c in f.economic), Decimal(0))
    personnel = sum((c.amount for c in f.economic if c.personnel), Decimal(0))
    body: list[Row] = [(total_label(spec.labels["total"]), text(""), num(total), num(personnel),
                        num(total - personnel))]

    def split(amount: Decimal, is_personnel: bool) -> tuple[Cell, ...]:
        nothing = Decimal(0)
        return (num(amount), num(amount if is_personnel else nothing), num(nothing if is_personnel else amount))

    for cls in f.economic:
        body.append((text(cls.name, "label"), text(""), *split(cls.amount, cls.personnel)))
        body.extend((text(i.name), text(i.gov), *split(i.amount, i.personnel)) for i in cls.items)
    return Body(body, not wan(total))


def _income_rows(rows) -> list[Row]:
    return [(text(r.code), text(r.name), num(r.amount)) for r in rows]


def gov_fund_income(x: Inputs, spec: TableSpec) -> Body:
    """政府性基金 income rows (their total, else the source's spending)."""
    data = x.data
    total = sum((r.amount for r in data.gov_fund_income), Decimal(0)) or \
        x.f.ledger.total.sum(sources=["gov_fund"], period="current")
    body = [(total_label(spec.labels["total"], 2), num(total)), *_income_rows(data.gov_fund_income)]
    return Body(body, not wan(total))


def state_capital(x: Inputs, spec: TableSpec) -> Body:
    """国有资本经营 income beside its spending by code (param blank_tree_when_empty: an
    empty table prints the unit's codes, blank, as the 2023 Shanxi template does)."""
    flow = x.f.ledger.total

    def values(c: Flow) -> list[Decimal]:
        return [c.sum(None, ["state_capital"], "current"), c.sum("basic", ["state_capital"], "current"),
                c.sum("project", ["state_capital"], "current")]

    spent = values(flow)
    total = sum((r.amount for r in x.data.state_capital_income), Decimal(0)) or spent[0]
    empty = _is_zero([total, spent[0]])
    rows = x.f.ledger.rows_where(lambda c: _has_value(values(c)))
    left = _income_rows(x.data.state_capital_income)
    if spec.params.get("blank_tree_when_empty") and empty:
        rows = x.f.ledger.rows
        left = [(text(r.code), text(r.name), *blank()) for r in rows]
    right = _tree_rows(rows, values)
    body = [(total_label(spec.labels["total"], 2), num(total), text(""), text(""),
             *(num(v) for v in spent)), *_side_by_side(left, right, 3)]
    return Body(body, empty)


def _fiscal_cells(amounts: list[Sources]) -> tuple[Cell, ...]:
    def total(source: str | None) -> Decimal:
        return sum((a.fiscal if source is None else getattr(a, source) for a in amounts), Decimal(0))

    return (num(total(None)), *(num(total(s)) for s in FISCAL_SOURCES))


def three_public(x: Inputs, spec: TableSpec) -> Body:
    """“三公”经费 by 财政拨款 source; each labelled row adds up the 三公 items it names."""
    tp = x.data.three_public
    body = [
        (total_label(row["label"]) if row.get("total") else text(row["label"]),
         *_fiscal_cells([getattr(tp, k).amount for k in row["items"]]))
        for row in spec.labels["rows"]
    ]
    return Body(body, False)


def operating_costs(x: Inputs, spec: TableSpec) -> Body:
    """机关运行经费 of the 行政/参公 units, with their total first."""
    admin = [u for u in x.data.units if u.type != "事业单位"]
    body = [(total_label(spec.labels["total"]), *_fiscal_cells([u.operating_costs for u in admin])),
            *((text(u.name), *_fiscal_cells([u.operating_costs])) for u in admin)]
    empty = not admin or not wan(sum((u.operating_costs.total for u in admin), Decimal(0)))
    return Body(body, empty)


def _project_cells(amounts: list[Sources], with_other: bool) -> tuple[Cell, ...]:
    def total(source: str | None) -> Decimal:
        return sum((a.total if source is None else getattr(a, source) for a in amounts), Decimal(0))

    sources = FUND_SOURCES if with_other else FISCAL_SOURCES
    return (num(total(None)), *(num(total(s)) for s in sources))


def _subtotal(name: str, cells: tuple[Cell, ...]) -> Row:
    """A department's or unit's subtotal row of 表12/表13: printed like a total row."""
    return (Cell(name, style="total"), *(Cell(c.text, align="right", style="total") for c in cells))


def _project_rows(f: Figures, data: BudgetInput, subtotals: bool, carried: bool) -> list[Row]:
    with_other = not carried

    def amount(p: Project) -> Sources:
        return p.carryover if carried else p.amount

    groups = [(u, tuple(p for p in ps if amount(p).total)) for u, ps in f.projects.by_unit] \
        if not carried else [(u.name, tuple(p for p in f.projects.carried
                                            if (p.unit or data.units[0].name) == u.name))
                             for u in data.units]
    groups = [(u, ps) for u, ps in groups if ps]
    rows: list[Row] = []
    every = [amount(p) for _, ps in groups for p in ps]
    if subtotals and every and data.document.kind == "部门":
        rows.append(_subtotal(data.document.name, _project_cells(every, with_other)))
    for unit, projects in groups:
        if subtotals:
            rows.append(_subtotal(unit, _project_cells([amount(p) for p in projects], with_other)))
        rows.extend((text(p.name), *_project_cells([amount(p)], with_other)) for p in projects)
    return rows


def _subtotals(body: list[Row]) -> frozenset[int]:
    """Department and unit subtotal rows stay with the first project below them."""
    return frozenset(i for i, row in enumerate(body[:-1]) if row[0].style == "total")


def projects(x: Inputs, spec: TableSpec) -> Body:
    """Projects by unit (params: carried — last year's carry-over instead of this year's
    money, 财政拨款 sources only; subtotals — department and unit subtotal rows)."""
    body = _project_rows(x.f, x.data, bool(spec.params.get("subtotals")), bool(spec.params.get("carried")))
    return Body(body, not body, _subtotals(body))


Builder = Callable[[Inputs, TableSpec], Body]
BUILDERS: dict[str, Builder] = {
    "summary": summary, "income": income, "spending": spending, "fiscal_summary": fiscal_summary,
    "economic": economic, "gov_fund_income": gov_fund_income, "state_capital": state_capital,
    "three_public": three_public, "operating_costs": operating_costs, "projects": projects,
}


def build_table(spec: TableSpec, inputs: Inputs) -> tuple[Table, bool]:
    """One table of the pack: its header and widths around the builder's body."""
    from generator.compose.tables_yuan import BUILDERS as YUAN_BUILDERS  # they build on this module

    builder = BUILDERS.get(spec.builder) or YUAN_BUILDERS.get(spec.builder)
    if builder is None:
        raise RenderError(f"表 {spec.key} 的 builder 未知：{spec.builder}（可用：{'、'.join([*BUILDERS, *YUAN_BUILDERS])}）",
                          f"table {spec.key} names an unknown builder {spec.builder} "
                          f"(known: {', '.join([*BUILDERS, *YUAN_BUILDERS])})")
    header = tuple(tuple(h(c.text, c.colspan, c.rowspan) for c in row) for row in spec.header)
    body = builder(inputs, spec)
    _check_columns(spec, body.rows)
    size = Table.font_size if spec.font_size is None else spec.font_size  # the pack's, else the default
    return Table(header, tuple(body.rows), spec.widths, size, keep_with_next=body.keep_with_next), body.empty


def _check_columns(spec: TableSpec, rows: list[Row]) -> None:
    """The pack's header and widths and the builder's rows span the same columns (a pack
    that drops a column from its header must drop it from the rows: see `columns`)."""
    columns = {"widths": len(spec.widths), "header": sum(c.colspan for c in spec.header[0]) if spec.header else None,
               "rows": sum(c.colspan for c in rows[0]) if rows else None}
    given = {k: v for k, v in columns.items() if v is not None}
    if len(set(given.values())) > 1:
        found = "、".join(f"{k} {v}" for k, v in given.items())
        raise RenderError(f"表 {spec.key} 的列数不一致：{found}（builder {spec.builder}）",
                          f"table {spec.key}: its columns do not agree: "
                          f"{', '.join(f'{k} {v}' for k, v in given.items())} (builder {spec.builder})")
