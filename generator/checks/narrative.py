"""Checks on the facts that only the narrative uses: reasons, priors, §十, §十一, 绩效表."""

from __future__ import annotations

from decimal import Decimal

from generator.checks.findings import Report
from generator.derive.projects import ProjectIndex, resolve_funding
from generator.model.schema import BudgetInput
from generator.money import wan
from generator.packs import form_of

ZERO = Decimal(0)


def _contradicts(reason: str, delta: Decimal) -> bool:
    """A reason that only speaks of increases for a decrease (or the reverse), spec N1."""
    ups = ("增加", "新增", "增长", "提高")
    downs = ("减少", "下降", "压减", "降低", "缩减")
    has_up = any(w in reason for w in ups)
    has_down = any(w in reason for w in downs)
    return (delta < 0 and has_up and not has_down) or (delta > 0 and has_down and not has_up)


def check_reasons(data: BudgetInput, report: Report, total: Decimal) -> None:
    """N1: a change needs its reason, and the reason must not contradict its direction."""
    if data.prior_year.total is None:  # a format without the prior total (its pack requires it otherwise)
        return
    delta = total - wan(data.prior_year.total)
    if delta and not data.reasons.income:
        report.error("E-REASON-MISSING", ("reasons", "income"),
                     "预算总计比上年有变化，需填写原因（reasons.income）",
                     "the total changed from the prior year: give reasons.income")
    for key in ("income", "expenditure"):
        reason = getattr(data.reasons, key)
        if reason and delta and _contradicts(reason, delta):
            word = "减少" if delta < 0 else "增加"
            report.warning("W-REASON-DIRECTION", ("reasons", key),
                           f"预算总计比上年{word}，但原因说的是相反方向：{reason}",
                           f"the total {'fell' if delta < 0 else 'rose'} but the reason says "
                           f"the opposite: {reason}")


def check_priors(data: BudgetInput, report: Report) -> None:
    """N5: the prior 一般公共预算 cannot exceed the prior total."""
    prior = data.prior_year
    if prior.total is not None and prior.general_budget > prior.total:  # no total: a pack that needs none
        report.warning("W-PRIOR", ("prior_year", "general_budget"),
                       f"上年一般公共预算当年拨款（{wan(prior.general_budget)}万元）大于上年预算总计"
                       f"（{wan(prior.total)}万元），请核对",
                       f"the prior 一般公共预算 ({wan(prior.general_budget)}) exceeds the prior "
                       f"total ({wan(prior.total)}): please verify")


def check_three_public_reasons(data: BudgetInput, report: Report) -> None:
    """§七: every change, of the total or of a line, needs its reason."""
    tp = data.three_public
    delta = ZERO
    for key, name in form_of(data)["three_public"].items():
        item = getattr(tp, key)
        change = wan(item.amount.total) - wan(item.prior)
        delta += change
        if change and not item.reason:
            report.error("E-REASON-MISSING", ("three_public", key, "reason"),
                         f"{name}比上年有变化，需填写原因（reason）",
                         f"{key} changed from the prior year: give its reason")
        elif change and _contradicts(item.reason or "", change):
            report.warning("W-REASON-DIRECTION", ("three_public", key, "reason"),
                           f"{name}的变动方向与原因不符", f"the reason for {key} contradicts its change")
    if delta and not tp.reason:
        report.error("E-REASON-MISSING", ("three_public", "reason"),
                     "“三公”经费合计比上年有变化，需填写原因（three_public.reason）",
                     "the 三公 total changed: give three_public.reason")
    elif delta and _contradicts(tp.reason or "", delta):
        report.warning("W-REASON-DIRECTION", ("three_public", "reason"),
                       "“三公”经费合计的变动方向与原因不符", "the reason for the 三公 total contradicts its change")


def check_operating_reason(data: BudgetInput, report: Report, operating: Decimal) -> None:
    oc = data.operating_costs
    prints_reason = form_of(data).check_param("operating_reason", "compared", True)  # 2023: no comparison
    if prints_reason and oc.text is None and operating - wan(oc.prior) and not oc.reason:
        report.error("E-REASON-MISSING", ("operating_costs", "reason"),
                     "机关运行经费比上年有变化，需填写原因（operating_costs.reason）",
                     "机关运行经费 changed: give operating_costs.reason")
    has_admin = any(u.type != "事业单位" for u in data.units)
    if not has_admin and oc.text is None:
        report.error("E-OPCOST-TEXT", ("operating_costs", "text"),
                     "没有行政或参公单位时，请在 operating_costs.text 说明无机关运行经费",
                     "with no 行政/参公 unit, explain in operating_costs.text that there is "
                     "no 机关运行经费")


def check_performance(data: BudgetInput, report: Report, total: Decimal) -> None:
    """N10 and the link between each 绩效表 and its project (spec §5)."""
    perf = data.performance
    units = len(data.units)
    if perf.units_reporting is not None and perf.units_reporting > units:
        report.error("E-N10", ("performance", "units_reporting"),
                     f"编报整体绩效目标的单位数（{perf.units_reporting}）多于单位数（{units}）",
                     f"units_reporting ({perf.units_reporting}) exceeds the number of units ({units})")
    if perf.overall_amount is not None and wan(perf.overall_amount) > total:
        report.error("E-N10", ("performance", "overall_amount"),
                     "整体绩效目标涉及资金超过预算总计",
                     "overall_amount exceeds the budget total")
    index = ProjectIndex(data)
    for i, table in enumerate(data.performance_tables):
        project = index.find(table)
        if project is None:
            continue
        period, annual = resolve_funding(table, project)
        if annual.total != project.amount.total:
            annual_label = form_of(data)["performance"]["annual_total"].rstrip(":：")
            report.error("E-PERF-AMOUNT", ("performance_tables", i, "annual_funding"),
                         f"「{table.project}」{annual_label} {annual.total:,}元 与项目金额 "
                         f"{project.amount.total:,}元 不等",
                         f"{table.project!r}: annual funding {annual.total:,} ≠ project amount "
                         f"{project.amount.total:,} (元)")
        if not period.total:
            report.note("N-PERF-PERIOD", ("performance_tables", i, "period_funding"),
                        f"「{table.project}」实施期资金为 0", f"{table.project!r}: 实施期 funding is 0")
    published = sum(1 for t in data.performance_tables if t.published)
    current = sum(1 for p in data.projects if p.amount.total)
    if form_of(data).check_param("performance", "claims_all", False) and perf.statement == "boilerplate" \
            and published != current:
        report.warning("W-PERF-ALL", ("performance", "statement"),
                       f"说明称{current}个项目全部实行绩效目标管理，但只公开了{published}张绩效目标表",
                       f"the text says all {current} projects have targets, but {published} "
                       f"tables are published")


def check_assets(data: BudgetInput, report: Report) -> None:
    """N11: vehicles and equipment counts."""
    a = data.assets
    if a.vehicles is not None and a.vehicles.actual > a.vehicles.quota:
        report.warning("W-VEHICLES", ("assets", "vehicles"),
                       f"实有车辆 {a.vehicles.actual} 辆超过编制 {a.vehicles.quota} 辆",
                       f"{a.vehicles.actual} vehicles exceed the quota of {a.vehicles.quota}")
    if (a.equipment_over_1m or 0) > (a.equipment_over_500k or 0):
        report.error("E-EQUIPMENT", ("assets", "equipment_over_1m"),
                     "100万元以上设备数不能多于50万元以上设备数",
                     "equipment over 1m cannot outnumber equipment over 500k")
