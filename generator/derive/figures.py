"""Every number and list the narrative prints (spec §4, N1–N11), from the tables' figures.

Amounts here are displayed 万元 (already rounded half-up from 元 per cell, spec §8), so a
sentence always repeats the figure of its table. Percentages are computed from those
displayed figures. Wording (增加/减少, 增长/下降, …) is left to the templates: a `Change`
only says which way and by how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.derive.economic import EconomicClassRow, distinct_names, economic_table
from generator.derive.ledger import Ledger, build_ledger, category_flows
from generator.derive.projects import ProjectFigures, project_figures
from generator.model.schema import FISCAL_SOURCES, FUND_SOURCES, BudgetInput, ThreePublicItem
from generator.money import percent, wan
from generator.packs import form_of

INCOME_SOURCES = FUND_SOURCES  # the order of 表1's income rows and of §二


@dataclass(frozen=True)
class Change:
    """A year-on-year comparison of two displayed figures."""

    current: Decimal
    prior: Decimal

    @property
    def delta(self) -> Decimal:
        return self.current - self.prior

    @property
    def amount(self) -> Decimal:
        return abs(self.delta)

    @property
    def up(self) -> bool:
        return self.delta > 0

    @property
    def down(self) -> bool:
        return self.delta < 0

    @property
    def unchanged(self) -> bool:
        return self.delta == 0

    @property
    def pct(self) -> Decimal | None:
        """|Δ| / prior × 100; None when the prior year is zero (no percentage is printed)."""
        return percent(self.amount, self.prior)


@dataclass(frozen=True)
class Share:
    name: str
    amount: Decimal
    pct: Decimal | None


@dataclass(frozen=True)
class ThreePublicLine:
    key: str
    name: str
    amount: Decimal
    change: Change
    reason: str | None


@dataclass(frozen=True)
class Figures:
    ledger: Ledger
    economic: tuple[EconomicClassRow, ...]
    projects: ProjectFigures
    # §一/§二 (表1)
    total: Decimal  # T: 收入总计 = 支出总计
    current: Decimal  # C: 本年收入合计
    carry: Decimal  # K: 上年结转
    total_change: Change | None  # None: the input gives no prior total (a format that prints none)
    income_shares: tuple[Share, ...]  # named by fund source key, then "carry" (上年结转)
    # §三 (表3)
    basic: Decimal
    project: Decimal
    basic_pct: Decimal | None
    project_pct: Decimal | None
    # §四 (表4)
    fiscal_total: Decimal
    fiscal_sources: tuple[Decimal, Decimal, Decimal]
    fiscal_current: Decimal
    fiscal_carry: Decimal
    fiscal_categories: tuple[Share, ...]
    # §五 (表5)
    gpb: Decimal
    gpb_change: Change
    gpb_categories: tuple[Share, ...]
    # §六 (表6)
    econ_total: Decimal
    personnel: Decimal
    public: Decimal
    personnel_items: tuple[str, ...]
    public_items: tuple[str, ...]
    # §七 (表10)
    three_public: Decimal
    three_public_change: Change
    three_public_lines: tuple[ThreePublicLine, ...]  # narrative order: 出国, 接待, 运行, 购置
    # §八 (表11)
    operating: Decimal
    operating_change: Change
    operating_units: tuple[str, ...]
    operating_unit_types: tuple[str, ...]
    # §九
    procurement: Decimal
    procurement_parts: tuple[Decimal, Decimal, Decimal]
    # The figures a format computes beyond these (pack.yaml `figures`; the templates' `sh`)
    format_figures: object = None



def _three_public_line(key: str, name: str, item: ThreePublicItem) -> ThreePublicLine:
    amount = wan(item.amount.total)
    return ThreePublicLine(key, name, amount, Change(amount, wan(item.prior)), item.reason)


def _shares(pairs: list[tuple[str, Decimal]], base: Decimal) -> tuple[Share, ...]:
    return tuple(Share(n, v, percent(v, base)) for n, v in pairs)


def derive(data: BudgetInput) -> Figures:
    """Compute every figure. Assumes the checks found no error."""
    ledger = build_ledger(data)
    flow = ledger.total
    total, current, carry = wan(flow.sum()), wan(flow.sum(period="current")), wan(flow.sum(period="carry"))
    sources = [wan(flow.sum(sources=[s], period="current")) for s in INCOME_SOURCES]
    basic, project = wan(flow.sum(part="basic")), wan(flow.sum(part="project"))

    cats = category_flows(ledger)
    fiscal_cats = [(name, wan(f.fiscal())) for _, name, f in cats if wan(f.fiscal())]
    gpb_cats = [(name, wan(f.sum(sources=["general"], period="current")))
                for _, name, f in cats]
    gpb_cats = [(n, v) for n, v in gpb_cats if v]
    gpb = wan(flow.sum(sources=["general"], period="current"))

    economic = economic_table(data)
    personnel = wan(sum((c.amount for c in economic if c.personnel), Decimal(0)))
    public = wan(sum((c.amount for c in economic if not c.personnel), Decimal(0)))
    econ_total = wan(sum((c.amount for c in economic), Decimal(0)))

    tp = data.three_public
    names = form_of(data)["three_public"]  # the format's names, in the order its text names them
    lines = tuple(_three_public_line(k, n, getattr(tp, k)) for k, n in names.items())
    three_public = wan(sum((getattr(tp, k).amount.total for k in names), Decimal(0)))
    three_prior = wan(sum((getattr(tp, k).prior for k in names), Decimal(0)))

    admin = [u for u in data.units if u.type in ("行政单位", "参公单位")]
    operating = wan(sum((u.operating_costs.total for u in admin), Decimal(0)))
    proc = data.procurement
    parts = (wan(proc.goods), wan(proc.works), wan(proc.services))
    general, gov_fund, state_capital = (wan(flow.sum(sources=[s], period="current")) for s in FISCAL_SOURCES)

    return Figures(
        ledger=ledger,
        economic=economic,
        projects=project_figures(data, wan(flow.sum(part="project", period="current"))),
        total=total,
        current=current,
        carry=carry,
        total_change=None if data.prior_year.total is None else Change(total, wan(data.prior_year.total)),
        income_shares=_shares([*zip((*INCOME_SOURCES, "carry"), [*sources, carry], strict=True)], total),
        basic=basic,
        project=project,
        basic_pct=percent(basic, total),
        project_pct=percent(project, total),
        fiscal_total=wan(flow.fiscal()),
        fiscal_sources=(general, gov_fund, state_capital),
        fiscal_current=wan(flow.fiscal(period="current")),
        fiscal_carry=wan(flow.fiscal(period="carry")),
        fiscal_categories=_shares(fiscal_cats, wan(flow.fiscal())),
        gpb=gpb,
        gpb_change=Change(gpb, wan(data.prior_year.general_budget)),
        gpb_categories=_shares(gpb_cats, gpb),
        econ_total=econ_total,
        personnel=personnel,
        public=public,
        personnel_items=tuple(distinct_names(economic, personnel=True)),
        public_items=tuple(distinct_names(economic, personnel=False)),
        three_public=three_public,
        three_public_change=Change(three_public, three_prior),
        three_public_lines=lines,
        operating=operating,
        operating_change=Change(operating, wan(data.operating_costs.prior)),
        operating_units=tuple(u.name for u in admin),
        operating_unit_types=tuple(dict.fromkeys(u.type for u in admin)),
        procurement=wan(proc.goods + proc.works + proc.services),
        procurement_parts=parts,
        format_figures=_format_figures(data),
    )


def _format_figures(data: BudgetInput) -> object:
    """The figures the input's format names in its pack (`figures:`), if any."""
    from generator.derive.shanghai import shanghai_figures  # it builds on this module

    name = form_of(data).get("figures")
    return None if name is None else {"shanghai": shanghai_figures}[name](data)
