"""The identities of spec §7 between facts that the input states twice (exact, in 元)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from generator.checks.findings import Report
from generator.checks.slips import explain_cents
from generator.model.schema import FUND_SOURCES, BudgetInput
from generator.money import wan
from generator.packs import form_of

ZERO = Decimal(0)


def _yuan(value: Decimal) -> str:
    return f"{value:,.2f}元（{wan(value)}万元）"


def _mismatch(report: Report, id: str, path, what_zh: str, what_en: str,
              left: Decimal, right: Decimal) -> None:
    report.error(id, path, f"{what_zh}：{_yuan(left)} ≠ {_yuan(right)}",
                 f"{what_en}: {left:,.2f} ≠ {right:,.2f} (元)")
    explain_cents(report, path, left, right)


def check_basic_vs_economic(data: BudgetInput, report: Report) -> None:
    """I10: 表6 合计 = 表5 基本支出 (一般公共预算, 当年)."""
    items = sum((i.amount for i in data.economic_items), ZERO)
    basic = sum((r.basic.general for r in data.expenditure), ZERO)
    if items != basic:
        _mismatch(report, "E-I10", ("economic_items",),
                  "表6 经济科目合计与一般公共预算基本支出合计不等",
                  "表6 total differs from the 一般公共预算 基本支出 of the expenditure rows",
                  items, basic)


def check_projects_vs_expenditure(data: BudgetInput, report: Report) -> None:
    """I18: projects = 项目支出, per fund source, this year and carried over."""
    for source in FUND_SOURCES:
        projects = sum((getattr(p.amount, source) for p in data.projects), ZERO)
        spending = sum((getattr(r.project, source) for r in data.expenditure), ZERO)
        if projects != spending:
            _mismatch(report, "E-I18", ("projects",),
                      f"项目合计与支出科目的项目支出不等（{source}）",
                      f"projects differ from the 项目支出 of the expenditure rows ({source})",
                      projects, spending)
        carried = sum((getattr(p.carryover, source, ZERO) for p in data.projects), ZERO)
        carry_spending = sum((getattr(r.carryover_project, source, ZERO) for r in data.expenditure), ZERO)
        if carried != carry_spending:
            _mismatch(report, "E-I18", ("projects",),
                      f"上年结转项目合计与支出科目的上年结转项目支出不等（{source}）",
                      f"carried-over projects differ from carryover_project ({source})",
                      carried, carry_spending)


def check_projects_by_code(data: BudgetInput, report: Report) -> None:
    """I19: projects grouped by function code fit the 项目支出 of that code."""
    by_code: dict[str, Decimal] = defaultdict(Decimal)
    for p in data.projects:
        if p.code:
            by_code[p.code] += p.amount.total
    spending = {r.code: r.project.total for r in data.expenditure}
    all_coded = bool(data.projects) and all(p.code for p in data.projects)
    for code, amount in by_code.items():
        have = spending.get(code, ZERO)
        index = next(i for i, p in enumerate(data.projects) if p.code == code)
        if amount > have or (all_coded and amount != have):
            _mismatch(report, "E-I19", ("projects", index, "code"),
                      f"科目 {code} 的项目合计与该科目项目支出不符",
                      f"projects coded {code} do not match that code's 项目支出", amount, have)
    if all_coded:
        for i, row in enumerate(data.expenditure):
            if row.project.total and row.code not in by_code:
                report.error("E-I19", ("expenditure", i, "project"),
                             f"科目 {row.code} 有项目支出，但没有项目使用该科目",
                             f"code {row.code} has 项目支出 but no project is coded to it")


# 三公 line → the economic code of the 表6 item that funds its basic part (I16).
THREE_PUBLIC_ECON = {"overseas": "30212", "reception": "30217", "vehicle_operation": "30231",
                     "vehicle_purchase": "31013"}


def check_three_public(data: BudgetInput, report: Report) -> None:
    """I16: a 三公 line holds at least its 表6 item."""
    econ: dict[str, Decimal] = defaultdict(Decimal)
    for item in data.economic_items:
        econ[item.code] += item.amount
    names = form_of(data)["three_public"]
    for key, code in THREE_PUBLIC_ECON.items():
        name = names[key]
        line = getattr(data.three_public, key).amount.total
        if line < econ.get(code, ZERO):
            report.error("E-I16", ("three_public", key, "amount"),
                         f"“三公”{name} {_yuan(line)} 小于表6 同名科目 {_yuan(econ[code])}",
                         f"三公 {key} is below its 表6 item {code}: {line} < {econ[code]} (元)")


def check_operating_costs(data: BudgetInput, report: Report) -> None:
    """I17: 机关运行经费 ≤ 表6 公用经费; equal for a department that is one 行政 unit."""
    from generator.derive.economic import class_of

    public = sum((i.amount for i in data.economic_items
                  if (c := class_of(i.code)) is not None and c.funding == "public"), ZERO)
    admin = [u for u in data.units if u.type != "事业单位"]
    operating = sum((u.operating_costs.total for u in admin), ZERO)
    if operating > public:
        _mismatch(report, "E-I17", ("units",), "机关运行经费超过表6 公用经费",
                  "机关运行经费 exceeds the 表6 公用经费", operating, public)
    elif len(data.units) == 1 and admin and operating != public:
        report.warning("W-I17", ("units", 0, "operating_costs"),
                       f"只有一个行政单位时，机关运行经费通常等于表6 公用经费（{_yuan(public)}）",
                       f"for a single administrative unit, 机关运行经费 usually equals the 表6 "
                       f"公用经费 ({public} 元)")


def check_income_tables(data: BudgetInput, report: Report) -> None:
    """表7 and 表9 income rows add up to the 政府性基金 / 国有资本经营 income of 表1."""
    for field, source, zh in (("gov_fund_income", "gov_fund", "政府性基金"),
                              ("state_capital_income", "state_capital", "国有资本经营")):
        rows = getattr(data, field)
        income = sum((r.amount for r in rows), ZERO)
        spending = sum((getattr(r.basic, source) + getattr(r.project, source)
                        for r in data.expenditure), ZERO)
        if rows and income != spending:
            _mismatch(report, "E-INCOME", (field,), f"{zh}收入合计与{zh}当年支出不等",
                      f"{field} total differs from this year's {source} spending", income, spending)
        elif not rows and spending:
            first = next((i, part) for i, r in enumerate(data.expenditure)
                         for part in ("basic", "project") if getattr(getattr(r, part), source))
            report.warning("W-INCOME", ("expenditure", *first), f"有{zh}支出，但未填写收入科目（{field}）",
                           f"{source} spending without {field} rows: the income table shows 合计 only")


ECON_FUNCTION_LINKS = (  # I14: 表6 items that map onto one function code's 基本支出
    (("30108",), ("2080505",), "机关事业单位基本养老保险缴费"),
    (("30109",), ("2080506",), "职业年金缴费"),
    (("30113",), ("2210201",), "住房公积金"),
    (("30110", "30111"), ("2101101", "2101102", "2101103"), "医疗保险缴费"),
)


def check_economic_vs_function(data: BudgetInput, report: Report) -> None:
    """I14: pension, housing fund and medical items equal their function codes (warnings)."""
    econ: dict[str, Decimal] = defaultdict(Decimal)
    for item in data.economic_items:
        econ[item.code] += item.amount
    basic = {r.code: r.basic.general for r in data.expenditure}
    for items, codes, name in ECON_FUNCTION_LINKS:
        left = sum((econ.get(c, ZERO) for c in items), ZERO)
        right = sum((basic.get(c, ZERO) for c in codes), ZERO)
        if (left or right) and left != right:
            report.warning("W-I14", ("economic_items",),
                           f"表6 {name}（{'+'.join(items)}）{_yuan(left)} 与科目 {'+'.join(codes)} "
                           f"基本支出 {_yuan(right)} 不等",
                           f"表6 {name} ({'+'.join(items)}) differs from code(s) {'+'.join(codes)}: "
                           f"{left} ≠ {right} (元)")
