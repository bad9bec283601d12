"""The figures the Shanghai format prints (上海 区级部门/单位预算): its nine tables in 元 and
the numbers of 预算编制说明 and 其他相关情况说明 in 万元.

Computation only: every amount stays in 元 until a figure is displayed, and a figure of the
text is rounded once (half-up, `money.wan`) so that it repeats its table. Changes and
percentages are computed from the displayed figures, as in the Shanxi format (`Change`).
Wording is the pack's (generator/packs/shanghai).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import partial

from generator.derive.figures import Change
from generator.derive.ledger import CodeRow, Flow, Ledger, build_ledger, code_name
from generator.model.schema import BudgetInput, Vehicles
from generator.money import wan as wan_half_up

ZERO = Decimal(0)
Round = Callable[[Decimal], Decimal]  # 元 → displayed 万元
HUNDRED = Decimal("100.00")
# 单位资金 by income kind (`unit_funds_income`), in the order of the 收入预算总表's columns.
UNIT_INCOME_KINDS = ("service", "operating", "other")
# Vehicles by kind, in the order the 国有资产 paragraph names them (the data model's keys;
# 事业单位业务用车 has no kind of its own in this format and counts as 其他用车).
VEHICLE_KINDS = ("ministerial", "leader", "confidential", "emergency", "law_enforcement", "special",
                 "retired", "other")


def unit_income_kind(data: BudgetInput) -> str:
    """The one income kind the 单位资金 are (事业收入 unless `unit_funds_income` says otherwise).

    A table row cannot split a code's 单位资金 between kinds; the check E-SH-UNIT-INCOME
    reports an input that gives more than one kind.
    """
    split = data.unit_funds_income
    if split is None:
        return "service"
    given = [k for k in UNIT_INCOME_KINDS if getattr(split, k)]
    return given[0] if given else "service"


def income_columns(data: BudgetInput, flow: Flow) -> list[Decimal]:
    """收入预算总表: 合计, 财政拨款收入, 事业收入, 事业单位经营收入, 其他收入 (this year's)."""
    unit = flow.sum(sources=["unit_funds", "special_account"], period="current")
    kind = unit_income_kind(data)
    return [flow.sum(period="current"), flow.fiscal(period="current"),
            *(unit if k == kind else ZERO for k in UNIT_INCOME_KINDS)]


def spending_columns(flow: Flow, sources: tuple[str, ...] | None = None) -> list[Decimal]:
    """支出 tables: 合计, 基本支出, 项目支出 (this year's; `sources` None = every source)."""
    return [flow.sum(None, sources, "current"), flow.sum("basic", sources, "current"),
            flow.sum("project", sources, "current")]


def public_of(data: BudgetInput, prefix: str) -> Decimal:
    """The 公用经费 within the basic spending of the codes under `prefix` (`basic_public`)."""
    return sum((r.basic_public or ZERO for r in data.expenditure if r.code.startswith(prefix)), ZERO)


@dataclass(frozen=True)
class Item:
    """One 项 of 财政拨款 spending, as 编制说明 lists it."""

    names: tuple[str, str, str]  # 类, 款, 项
    amount: Decimal  # 万元
    use: str | None
    prior: Decimal | None  # 上年当年预算执行数, 万元
    change: Change | None
    reason: str | None

    @property
    def pct(self) -> Decimal | None:
        """The change against 执行数 in %; from nothing to something counts as 100%."""
        if self.change is None:
            return None
        if not self.change.prior and self.change.current:
            return HUNDRED
        return self.change.pct


@dataclass(frozen=True)
class Line:
    """A figure of the text with its change against last year's budget."""

    amount: Decimal  # 万元
    change: Change
    reason: str | None = None


@dataclass(frozen=True)
class Fleet:
    kinds: tuple[int, ...]  # in VEHICLE_KINDS order

    @property
    def total(self) -> int:
        return sum(self.kinds)


def _fleet(v: Vehicles | None) -> Fleet:
    if v is None:
        return Fleet(tuple(0 for _ in VEHICLE_KINDS))
    counts = {k: getattr(v, k) for k in VEHICLE_KINDS}
    counts["other"] += v.institution
    return Fleet(tuple(counts[k] for k in VEHICLE_KINDS))


@dataclass(frozen=True)
class ShanghaiFigures:
    ledger: Ledger
    # 编制说明
    total: Decimal
    fiscal: Line
    unit_income: tuple[Decimal, Decimal, Decimal]  # 事业收入, 事业单位经营收入, 其他收入
    general: Line
    gov_fund: Line
    state_capital: Line
    items: tuple[Item, ...]
    # 其他相关情况说明
    three_public: Line
    overseas: Line
    vehicles: Line
    vehicle_purchase: Line
    vehicle_operation: Line
    reception: Line
    operating: Decimal
    admin_units: int  # 行政单位
    civil_service_units: int  # 参公单位
    procurement: tuple[Decimal, Decimal, Decimal, Decimal]  # 合计, 货物, 工程, 服务
    sme_reserved: Decimal | None
    small_micro_reserved: Decimal | None
    targeted_projects: int
    targeted_amount: Decimal
    targeted: tuple[tuple[str, Decimal], ...]  # the listed projects with targets, 万元
    fleet: Fleet
    fleet_to_buy: Fleet


def _line(wan: Round, current: Decimal, prior: Decimal, reason: str | None = None) -> Line:
    amount = wan(current)
    return Line(amount, Change(amount, wan(prior)), reason)


def _items(data: BudgetInput, ledger: Ledger, wan: Round) -> tuple[Item, ...]:
    out = []
    for row in sorted(data.expenditure, key=lambda r: r.code):
        flow = ledger.by_code[row.code]
        amount = wan(flow.fiscal(period="current"))
        if not amount:
            continue
        names = (code_name(data, row.code[:3]) or "", code_name(data, row.code[:5]) or "",
                 code_name(data, row.code, row.name) or "")
        prior = None if row.prior_actual is None else wan(row.prior_actual)
        change = None if prior is None else Change(amount, prior)
        out.append(Item(names, amount, row.use, prior, change, row.reason))
    return tuple(out)


def shanghai_figures(data: BudgetInput) -> ShanghaiFigures:
    """Every figure of the Shanghai text. Assumes the checks found no error."""
    wan = partial(wan_half_up, rounding=ROUND_DOWN if data.style.text_rounding == "down" else ROUND_HALF_UP)
    ledger = build_ledger(data)
    flow = ledger.total
    prior = data.prior_year
    tp = data.three_public
    cols = income_columns(data, flow)
    admin = [u for u in data.units if u.type in ("行政单位", "参公单位")]
    proc = data.procurement
    listed = [p for p in data.projects if p.performance_target]
    perf = data.performance
    vehicles_now = tp.vehicle_purchase.amount.total + tp.vehicle_operation.amount.total
    vehicles_prior = tp.vehicle_purchase.prior + tp.vehicle_operation.prior
    items = ("overseas", "reception", "vehicle_purchase", "vehicle_operation")
    return ShanghaiFigures(
        ledger=ledger,
        total=wan(cols[0]),
        fiscal=_line(wan, flow.fiscal(period="current"), prior.fiscal, data.reasons.income),
        unit_income=(wan(cols[2]), wan(cols[3]), wan(cols[4])),
        general=_line(wan, flow.sum(sources=["general"], period="current"), prior.general_budget),
        gov_fund=_line(wan, flow.sum(sources=["gov_fund"], period="current"), prior.gov_fund),
        state_capital=_line(wan, flow.sum(sources=["state_capital"], period="current"), prior.state_capital),
        items=_items(data, ledger, wan),
        three_public=_line(wan, sum((getattr(tp, k).amount.total for k in items), ZERO),
                           sum((getattr(tp, k).prior for k in items), ZERO), tp.reason),
        overseas=_line(wan, tp.overseas.amount.total, tp.overseas.prior, tp.overseas.reason),
        vehicles=_line(wan, vehicles_now, vehicles_prior, tp.vehicles_reason),
        vehicle_purchase=_line(wan, tp.vehicle_purchase.amount.total, tp.vehicle_purchase.prior,
                               tp.vehicle_purchase.reason),
        vehicle_operation=_line(wan, tp.vehicle_operation.amount.total, tp.vehicle_operation.prior,
                                tp.vehicle_operation.reason),
        reception=_line(wan, tp.reception.amount.total, tp.reception.prior, tp.reception.reason),
        operating=wan(sum((u.operating_costs.total for u in admin), ZERO)),
        admin_units=sum(1 for u in data.units if u.type == "行政单位"),
        civil_service_units=sum(1 for u in data.units if u.type == "参公单位"),
        procurement=(wan(proc.total), wan(proc.goods), wan(proc.works), wan(proc.services)),
        sme_reserved=None if proc.sme_reserved is None else wan(proc.sme_reserved),
        small_micro_reserved=None if proc.small_micro_reserved is None else wan(proc.small_micro_reserved),
        targeted_projects=perf.targeted_projects if perf.targeted_projects is not None else len(listed),
        targeted_amount=wan(perf.targeted_amount if perf.targeted_amount is not None
                            else sum((p.amount.total for p in listed), ZERO)),
        targeted=tuple((p.name, wan(p.amount.total)) for p in listed),
        fleet=_fleet(data.assets.vehicles),
        fleet_to_buy=_fleet(data.assets.vehicles_to_buy),
    )


def categories(ledger: Ledger) -> list[CodeRow]:
    """The 类 rows with this year's money (the spending side of the two 总表)."""
    return [r for r in ledger.rows if r.level == 1 and r.flow.sum(period="current")]
