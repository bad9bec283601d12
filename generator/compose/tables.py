"""The 13 budget tables (spec §3) as `Table` nodes: fixed headers, fixed rows, figures.

Each builder takes the derived figures and returns (table, empty). Every amount cell is
rounded from unrounded 元 on its own (spec §8); zero is a blank cell. `widths` here are
relative preferences; compose.layout turns them into millimetres that fit the content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from generator.compose.tree import Cell, Table
from generator.derive.figures import Figures
from generator.derive.ledger import CodeRow, Flow, category_flows
from generator.model.schema import FISCAL_SOURCES, FUND_SOURCES, BudgetInput, Project, Sources
from generator.money import table_amount, wan

Row = tuple[Cell, ...]


def h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, align="center", style="header")


def num(yuan: Decimal) -> Cell:
    return Cell(table_amount(wan(yuan)), align="right", style="number")


def blank(n: int = 1) -> tuple[Cell, ...]:
    return tuple(Cell("", align="right", style="number") for _ in range(n))


def text(value: str, style: str = "text") -> Cell:
    return Cell(value, style=style)


def total_label(value: str, colspan: int = 1) -> Cell:
    return Cell(value, colspan=colspan, align="center", style="total")


def _side_by_side(left: list[Row], right: list[Row], left_width: int) -> list[Row]:
    """Two independent lists laid side by side (表1, 表4, 表9); the shorter is padded."""
    rows = []
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


def t1(f: Figures, year: int) -> tuple[Table, bool]:
    flow = f.ledger.total
    header = (
        (h("收入", 2), h("支出", 4)),
        (h("项目"), h(f"{year}年"), h("项目"), h(f"{year}年合计"), h("当年预算安排"), h("上年结转安排")),
    )
    names = ("一、一般公共预算", "二、政府性基金预算", "三、国有资本经营预算", "四、财政专户管理资金",
             "五、单位资金")
    left = [(text(n), num(flow.sum(sources=[s], period="current")))
            for n, s in zip(names, FUND_SOURCES, strict=True)]
    right = [(text(numbered), num(c.sum()), num(c.sum(period="current")), num(c.sum(period="carry")))
             for numbered, _, c in category_flows(f.ledger)]
    totals = (num(flow.sum()), num(flow.sum(period="current")), num(flow.sum(period="carry")))
    body = [
        *_side_by_side(left, right, 2),
        (total_label("本年收入合计"), num(flow.sum(period="current")), total_label("本年支出合计"), *totals),
        (total_label("上年结转"), num(flow.sum(period="carry")), total_label("年终结转"), *blank(3)),
        (total_label("收入总计"), num(flow.sum()), total_label("支出总计"), *totals),
    ]
    return Table(header, tuple(body), (3.2, 1.2, 4.6, 1.2, 1.2, 1.2),
                 keep_with_next=_closing(body, 3)), flow.empty


def t2(f: Figures) -> tuple[Table, bool]:
    header = (
        (h("项目", 2), h("本年收入", 6), h("上年结转", rowspan=2)),
        (h("科目编码"), h("科目名称"), h("合计"), h("一般公共预算"), h("政府性基金"),
         h("国有资本经营预算"), h("财政专户管理资金"), h("单位资金")),
    )

    def values(flow: Flow) -> list[Decimal]:
        return [flow.sum(period="current"),
                *(flow.sum(sources=[s], period="current") for s in FUND_SOURCES),
                flow.sum(period="carry")]

    body = [(total_label("合计", 2), *(num(v) for v in values(f.ledger.total))),
            *_tree_rows(f.ledger.rows, values)]
    return Table(header, tuple(body), (1.1, 3.2, 1, 1, 1, 1, 1, 1, 1), font_size=8), f.ledger.total.empty


def _spending_table(f: Figures, year: int | None, sources: tuple[str, ...] | None,
                    period: str | None) -> tuple[Table, bool]:
    """表3 (all money), 表5 (一般公共预算 当年) and 表8 (政府性基金 当年)."""

    def values(flow: Flow) -> list[Decimal]:
        return [flow.sum(None, sources, period), flow.sum("basic", sources, period),
                flow.sum("project", sources, period)]

    columns = (h("合计"), h("基本支出"), h("项目支出"))
    if year is None:
        header: tuple[Row, ...] = ((h("科目编码"), h("科目名称"), *columns),)
    else:
        header = ((h("项目", 2), h(f"{year}年预算数", 3)), (h("科目编码"), h("科目名称"), *columns))
    rows = f.ledger.rows_where(lambda flow: wan(values(flow)[0]) != 0 or _has_value(values(flow)))
    body = [(total_label("合计", 2), *(num(v) for v in values(f.ledger.total))),
            *_tree_rows(rows, values)]
    return Table(header, tuple(body), (1.2, 4, 1.3, 1.3, 1.3)), _is_zero(values(f.ledger.total))


def _has_value(values: list[Decimal]) -> bool:
    return any(values)


def t3(f: Figures, year: int) -> tuple[Table, bool]:
    return _spending_table(f, year, None, None)


def t5(f: Figures, year: int) -> tuple[Table, bool]:
    return _spending_table(f, year, ("general",), "current")


def t8(f: Figures) -> tuple[Table, bool]:
    return _spending_table(f, None, ("gov_fund",), "current")


def t4(f: Figures) -> tuple[Table, bool]:
    flow = f.ledger.total
    header = (
        (h("收入", 2), h("支出", 5)),
        (h("项目", rowspan=2), h("金额", rowspan=2), h("项目", rowspan=2), h("金额", 4)),
        (h("小计"), h("一般公共预算"), h("政府性基金预算"), h("国有资本经营预算")),
    )
    names = ("一、一般公共预算", "二、政府性基金预算", "三、国有资本经营预算")
    left = [(text(n), num(flow.sum(sources=[s], period="current")))
            for n, s in zip(names, FISCAL_SOURCES, strict=True)]

    def fiscal(c: Flow) -> tuple[Cell, ...]:
        return (num(c.fiscal()), *(num(c.sum(sources=[s])) for s in FISCAL_SOURCES))

    right = [(text(numbered), *fiscal(c)) for numbered, _, c in category_flows(f.ledger)]
    carry = [(text(n), num(flow.sum(sources=[s], period="carry"))) for n, s in
             zip(names, FISCAL_SOURCES, strict=True)]
    body = [
        *_side_by_side(left, right, 2),
        (total_label("本年收入合计"), num(flow.fiscal(period="current")), total_label("本年支出合计"),
         *fiscal(flow)),
        (total_label("上年财政拨款结转"), num(flow.fiscal(period="carry")), total_label("年终结转"),
         *blank(4)),
        *((*row, text(""), *blank(4)) for row in carry),
        (total_label("收入总计"), num(flow.fiscal()), total_label("支出总计"), *fiscal(flow)),
    ]
    return (Table(header, tuple(body), (3.0, 1.15, 4.5, 1.1, 1.1, 1.1, 1.1),
                  keep_with_next=_closing(body, 6)), _is_zero([flow.fiscal()]))


def t6(f: Figures, year: int) -> tuple[Table, bool]:
    header = (
        (h("部门预算支出经济科目名称", rowspan=2), h("政府预算支出经济科目名称", rowspan=2),
         h(f"{year}年预算数", 3)),
        (h("合计"), h("人员经费"), h("公用经费")),
    )
    total = sum((c.amount for c in f.economic), Decimal(0))
    personnel = sum((c.amount for c in f.economic if c.personnel), Decimal(0))
    body: list[Row] = [(total_label("合计"), text(""), num(total), num(personnel),
                        num(total - personnel))]

    def split(amount: Decimal, is_personnel: bool) -> tuple[Cell, ...]:
        return (num(amount), num(amount if is_personnel else 0), num(0 if is_personnel else amount))

    for cls in f.economic:
        body.append((text(cls.name, "label"), text(""), *split(cls.amount, cls.personnel)))
        body.extend((text(i.name), text(i.gov), *split(i.amount, i.personnel)) for i in cls.items)
    return Table(header, tuple(body), (3, 3, 1.3, 1.3, 1.3)), not wan(total)


def _income_rows(rows) -> list[Row]:
    return [(text(r.code), text(r.name), num(r.amount)) for r in rows]


def t7(f: Figures, data: BudgetInput) -> tuple[Table, bool]:
    header = ((h("项目", 2), h("政府性基金收入预算", rowspan=2)), (h("收入科目编码"), h("科目名称")))
    total = sum((r.amount for r in data.gov_fund_income), Decimal(0)) or \
        f.ledger.total.sum(sources=["gov_fund"], period="current")
    body = [(total_label("合计", 2), num(total)), *_income_rows(data.gov_fund_income)]
    return Table(header, tuple(body), (1.5, 4, 2)), not wan(total)


def t9(f: Figures, data: BudgetInput, edition: int) -> tuple[Table, bool]:
    header = (
        (h("国有资本经营预算收入", 3), h("国有资本经营预算支出", 5)),
        (h("项目", 2), h("国有资本经营收入预算", rowspan=2), h("科目编码", rowspan=2),
         h("科目名称", rowspan=2), h("合计", rowspan=2), h("基本支出", rowspan=2),
         h("项目支出", rowspan=2)),
        (h("收入科目编码"), h("科目名称")),
    )
    flow = f.ledger.total

    def values(c: Flow) -> list[Decimal]:
        return [c.sum(None, ["state_capital"], "current"), c.sum("basic", ["state_capital"], "current"),
                c.sum("project", ["state_capital"], "current")]

    spending = values(flow)
    income = sum((r.amount for r in data.state_capital_income), Decimal(0)) or spending[0]
    empty = _is_zero([income, spending[0]])
    rows = f.ledger.rows_where(lambda c: _has_value(values(c)))
    if edition == 2023 and empty:  # the 2023 template prints the unit's code tree, blank
        rows = f.ledger.rows
    left = _income_rows(data.state_capital_income)
    if edition == 2023 and empty:
        left = [(text(r.code), text(r.name), *blank()) for r in rows]
    right = _tree_rows(rows, values)
    body = [(total_label("合计", 2), num(income), text(""), text(""),
             *(num(v) for v in spending)), *_side_by_side(left, right, 3)]
    return Table(header, tuple(body), (1.1, 2.4, 1.3, 1.1, 2.4, 1, 1, 1), font_size=8), empty


THREE_PUBLIC_ROWS = (
    ("因公出国（境）费", ("overseas",)),
    ("公务接待费", ("reception",)),
    ("公务用车购置及运行费", ("vehicle_purchase", "vehicle_operation")),
    ("①公务用车购置费", ("vehicle_purchase",)),
    ("②公务用车运行维护费", ("vehicle_operation",)),
    ("合计", ("overseas", "reception", "vehicle_purchase", "vehicle_operation")),
)


def _fiscal_cells(amounts: list[Sources]) -> tuple[Cell, ...]:
    def total(source: str | None) -> Decimal:
        return sum((a.fiscal if source is None else getattr(a, source) for a in amounts), Decimal(0))

    return (num(total(None)), *(num(total(s)) for s in FISCAL_SOURCES))


def t10(data: BudgetInput, year: int) -> tuple[Table, bool]:
    header = ((h("项目", rowspan=2), h(f"{year}年预算数", 4)),
              (h("合计"), h("一般公共预算"), h("政府性基金预算"), h("国有资本经营预算")))
    tp = data.three_public
    body = [
        (total_label(name) if name == "合计" else text(name),
         *_fiscal_cells([getattr(tp, k).amount for k in keys]))
        for name, keys in THREE_PUBLIC_ROWS
    ]
    return Table(header, tuple(body), (3.5, 1.5, 1.5, 1.5, 1.5)), False


def t11(data: BudgetInput, year: int) -> tuple[Table, bool]:
    header = ((h("单位名称", rowspan=2), h(f"{year}预算数", 4)),
              (h("合计"), h("一般公共预算"), h("政府性基金预算"), h("国有资本经营预算")))
    admin = [u for u in data.units if u.type != "事业单位"]
    body = [(total_label("部门合计"), *_fiscal_cells([u.operating_costs for u in admin])),
            *((text(u.name), *_fiscal_cells([u.operating_costs])) for u in admin)]
    empty = not admin or not wan(sum((u.operating_costs.total for u in admin), Decimal(0)))
    return Table(header, tuple(body), (4, 1.5, 1.5, 1.5, 1.5)), empty


def _project_header(year: int, with_other: bool) -> tuple[Row, ...]:
    extra = (h("财政专户管理资金", rowspan=2), h("单位资金", rowspan=2)) if with_other else ()
    n = 7 if with_other else 5
    return (
        (h("项目名称", rowspan=2), h("合计", rowspan=2), h(f"{year}年财政拨款", 3), *extra),
        (h("一般公共预算"), h("政府性基金预算"), h("国有资本经营预算")),
        tuple(h(str(i)) for i in range(1, n + 1)),
    )


def _project_cells(amounts: list[Sources], with_other: bool) -> tuple[Cell, ...]:
    def total(source: str | None) -> Decimal:
        return sum((a.total if source is None else getattr(a, source) for a in amounts), Decimal(0))

    sources = FUND_SOURCES if with_other else FISCAL_SOURCES
    return (num(total(None)), *(num(total(s)) for s in sources))


def _subtotal(name: str, cells: tuple[Cell, ...]) -> Row:
    """A department's or unit's subtotal row of 表12/表13: printed like a total row."""
    return (Cell(name, style="total"), *(Cell(c.text, align="right", style="total") for c in cells))


def _project_rows(f: Figures, data: BudgetInput, edition: int, carried: bool) -> list[Row]:
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
    if edition >= 2024 and every and data.document.kind == "部门":
        rows.append(_subtotal(data.document.name, _project_cells(every, with_other)))
    for unit, projects in groups:
        if edition >= 2024:
            rows.append(_subtotal(unit, _project_cells([amount(p) for p in projects], with_other)))
        rows.extend((text(p.name), *_project_cells([amount(p)], with_other)) for p in projects)
    return rows


def _subtotals(body: list[Row]) -> frozenset[int]:
    """Department and unit subtotal rows stay with the first project below them."""
    return frozenset(i for i, row in enumerate(body[:-1]) if row[0].style == "total")


def t12(f: Figures, data: BudgetInput, year: int, edition: int) -> tuple[Table, bool]:
    body = _project_rows(f, data, edition, carried=False)
    return (Table(_project_header(year, True), tuple(body), (4, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2),
                  keep_with_next=_subtotals(body)), not body)


def t13(f: Figures, data: BudgetInput, year: int, edition: int) -> tuple[Table, bool]:
    body = _project_rows(f, data, edition, carried=True)
    return (Table(_project_header(year, False), tuple(body), (4, 1.3, 1.3, 1.3, 1.3),
                  keep_with_next=_subtotals(body)), not body)
