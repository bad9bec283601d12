"""Checks of the Shanghai format (pack `shanghai`): its tables' identities and the facts
its text prints.

The nine tables are computed from one set of rows, so most identities hold by construction;
they are verified all the same, on the very numbers the tables print (`derive.shanghai`),
so that a change to the derivation that breaks one is reported, not printed. The facts only
this format needs (公用经费 per 项 for a 单位's 总表, 单位资金 by income kind, 执行数, use and
reason per 项) are checked where the input states them.
"""

from __future__ import annotations

from decimal import Decimal

from generator.checks.findings import Report
from generator.derive.economic import economic_table
from generator.derive.ledger import build_ledger
from generator.derive.shanghai import UNIT_INCOME_KINDS, categories, income_columns, spending_columns
from generator.model.schema import BudgetInput
from generator.money import wan

ZERO = Decimal(0)
GENERAL = ("general",)

IDS = {
    "E-SH-TABLE": "an identity of the Shanghai tables fails (收支总表 income ≠ spending, a total ≠ the sum of "
                  "its rows, basic + project ≠ total, 财政拨款 ≠ its sources, 人员 + 公用 ≠ 基本)",
    "E-SH-PUBLIC": "the 公用经费 given per 项 (`basic_public`) exceed the 项's basic spending, or (单位) do not "
                   "add up to 表8's 公用经费",
    "E-SH-UNIT-INCOME": "`unit_funds_income` does not add up to the 单位资金, or splits them between kinds",
    "W-SH-SPECIAL": "财政专户管理资金: the Shanghai tables have no column for them (printed as 单位资金)",
    "W-SH-ITEM": "a 项 of 财政拨款 spending without its use (主要用于), or in the 2024 edition without its 执行数",
    "W-SH-REASON": "a change against last year (执行数 or 三公) without its reason",
}


def _sum(values) -> Decimal:
    return sum(values, ZERO)


def check_tables(data: BudgetInput, report: Report) -> None:
    """E-SH-TABLE: the identities of the nine tables, on their own numbers (元)."""
    ledger = build_ledger(data)
    total = ledger.total
    leaves = [r for r in ledger.rows if r.level == 3]

    def fail(zh: str, en: str, left: Decimal, right: Decimal) -> None:
        report.error("E-SH-TABLE", ("expenditure",), f"{zh}：{left:,.2f} ≠ {right:,.2f}（元）",
                     f"{en}: {left:,.2f} ≠ {right:,.2f} (元)")

    income = income_columns(data, total)
    spent = spending_columns(total)
    if income[0] != spent[0]:
        fail("表1 收入总计与支出总计不等", "表1 income ≠ spending", income[0], spent[0])
    if income[0] != _sum(income[1:]):
        fail("表2 合计与各收入之和不等", "表2 total ≠ the sum of its income kinds", income[0], _sum(income[1:]))
    if spent[0] != spent[1] + spent[2]:
        fail("表3 基本支出 + 项目支出 ≠ 合计", "表3 basic + project ≠ total", spent[1] + spent[2], spent[0])
    for column in range(3):
        rows = _sum(spending_columns(r.flow)[column] for r in leaves)
        if rows != spent[column]:
            fail("表3 各项之和与合计不等", "表3 rows ≠ total", rows, spent[column])
    categories_total = _sum(r.flow.sum(period="current") for r in categories(ledger))
    if categories_total != spent[0]:
        fail("表1 各类支出之和与支出总计不等", "表1 categories ≠ spending", categories_total, spent[0])
    if income[1] != total.fiscal(period="current"):
        fail("表4 财政拨款与表2 财政拨款收入不等", "表4 ≠ 表2's 财政拨款", total.fiscal(period="current"), income[1])
    general = spending_columns(total, GENERAL)
    if general[0] != _sum(spending_columns(r.flow, GENERAL)[0] for r in leaves):
        fail("表5 各项之和与合计不等", "表5 rows ≠ total", _sum(spending_columns(r.flow, GENERAL)[0] for r in leaves),
             general[0])
    economic = economic_table(data)
    personnel = _sum(c.amount for c in economic if c.personnel)
    public = _sum(c.amount for c in economic if not c.personnel)
    if personnel + public != general[1]:
        fail("表8 人员经费 + 公用经费 ≠ 表5 基本支出", "表8 personnel + public ≠ 表5 basic", personnel + public,
             general[1])
    _check_public(data, report, public)


def _check_public(data: BudgetInput, report: Report, public: Decimal) -> None:
    given = [r for r in data.expenditure if r.basic_public is not None]
    for i, row in enumerate(data.expenditure):
        if row.basic_public is not None and row.basic_public > row.basic.total:
            report.error("E-SH-PUBLIC", ("expenditure", i, "basic_public"),
                         f"{row.code} 的公用经费 {row.basic_public:,.2f} 元大于其基本支出 {row.basic.total:,.2f} 元",
                         f"{row.code}: 公用经费 {row.basic_public:,.2f} exceed its basic spending")
    split = _sum(r.basic_public or ZERO for r in given)
    if data.document.kind == "单位" and split != public:
        report.error("E-SH-PUBLIC", ("expenditure",),
                     f"各项的公用经费（basic_public）之和 {split:,.2f} 元 ≠ 表8 公用经费 {public:,.2f} 元",
                     f"the 公用经费 of the 项 ({split:,.2f}) ≠ 表8's 公用经费 ({public:,.2f})")


def check_income(data: BudgetInput, report: Report) -> None:
    """E-SH-UNIT-INCOME, W-SH-SPECIAL: the 单位资金 as the income table prints them."""
    unit = _sum(r.basic.unit_funds + r.project.unit_funds for r in data.expenditure)
    special = _sum(r.basic.special_account + r.project.special_account for r in data.expenditure)
    if special:
        report.warning("W-SH-SPECIAL", ("expenditure",),
                       f"财政专户管理资金 {special:,.2f} 元：上海格式的表中没有这一栏，计入单位资金",
                       f"财政专户管理资金 {special:,.2f}: the Shanghai tables have no column for them; "
                       "printed as 单位资金")
    split = data.unit_funds_income
    if split is None:
        return
    if split.total != unit + special:
        report.error("E-SH-UNIT-INCOME", ("unit_funds_income",),
                     f"事业收入、经营收入、其他收入之和 {split.total:,.2f} 元 ≠ 单位资金 {unit + special:,.2f} 元",
                     f"unit_funds_income adds up to {split.total:,.2f}, the 单位资金 to {unit + special:,.2f}")
    if sum(1 for k in UNIT_INCOME_KINDS if getattr(split, k)) > 1:
        report.error("E-SH-UNIT-INCOME", ("unit_funds_income",),
                     "单位资金分属多种收入：收入预算总表无法按科目拆分，请只填一种",
                     "the 单位资金 are split between income kinds, which the 收入预算总表 cannot show by code")


def check_text(data: BudgetInput, report: Report) -> None:
    """W-SH-ITEM, W-SH-REASON: what 编制说明 and 三公 print for each 项 and item."""
    wants_actual = data.document.resolved_edition < 2025
    for i, row in enumerate(data.expenditure):
        fiscal = row.basic.fiscal + row.project.fiscal
        if not wan(fiscal):
            continue
        if not row.use:
            report.warning("W-SH-ITEM", ("expenditure", i), f"{row.code} 没有用途（use），编制说明只列金额",
                           f"{row.code} has no use: 编制说明 prints its amount only")
        if wants_actual and row.prior_actual is None:
            report.warning("W-SH-ITEM", ("expenditure", i),
                           f"{row.code} 没有上年执行数（prior_actual），编制说明不作比较",
                           f"{row.code} has no prior_actual: 编制说明 makes no comparison")
        elif row.prior_actual is not None and wan(row.prior_actual) != wan(fiscal) and not row.reason:
            report.warning("W-SH-REASON", ("expenditure", i), f"{row.code} 与上年执行数相比有变化，没有原因（reason）",
                           f"{row.code} changed against its 执行数 without a reason")
    tp = data.three_public
    vehicles = tp.vehicle_purchase.amount.total + tp.vehicle_operation.amount.total
    if not tp.vehicles_reason and (vehicles or tp.vehicle_purchase.prior or tp.vehicle_operation.prior):
        report.warning("W-SH-REASON", ("three_public", "vehicles_reason"), "公务用车购置及运行费没有原因（vehicles_reason）",
                       "公务用车购置及运行费 without a reason (vehicles_reason)")
