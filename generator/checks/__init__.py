"""Run every check of spec §7 on a loaded input; see `CHECK_IDS` for the catalogue."""

from __future__ import annotations

from generator.checks import identities, narrative, slips, structure, unfilled
from generator.checks.findings import Finding, Report
from generator.checks.glyphs import check_glyphs
from generator.checks.rounding import rounding_notes
from generator.derive.figures import Figures, derive
from generator.model.schema import BudgetInput
from generator.model.yamlsource import Source
from generator.workbook.facts import IDS as SHEET_IDS

__all__ = ["CHECK_IDS", "Finding", "Report", "run_checks"]

# id → what it checks (documented in docs/input-format.md; tests keep the two in step).
CHECK_IDS = {
    "E-UNIT-DUP": "a unit declared twice",
    "E-UNIT-KIND": "a 单位 document with other than one unit",
    "E-OPCOST-TYPE": "机关运行经费 given for a 事业单位",
    "E-OPCOST-TEXT": "no 行政/参公 unit and no §八 text",
    "E-CODE-DUP": "a function code entered twice",
    "E-CODE-CATEGORY": "a code outside the 30 standard 类",
    "E-CODE-NAME": "a code whose name is neither shipped nor given",
    "E-CODE-FORMAT": "a function_names key that is not a 3/5/7-digit code",
    "W-CODE-UNUSED": "a function_names entry that prefixes no expenditure row",
    "E-ECON-DUP": "a 表6 item entered twice with the same 政府经济科目",
    "E-ECON-CLASS": "a 表6 item outside the known economic classes",
    "E-ECON-NAME": "a 表6 item whose name is neither shipped nor given",
    "E-PROJECT-UNIT": "a project whose unit is missing or not declared",
    "E-PROJECT-DUP": "two projects of one unit with the same name",
    "W-PROJECT-ZERO": "a project without any amount",
    "E-PERF-PROJECT": "a performance table naming no project",
    "E-PERF-DUP": "two performance tables for one project",
    "E-I10": "表6 total ≠ 一般公共预算 基本支出",
    "E-I18": "projects ≠ 项目支出 (per fund source, this year and carried over)",
    "E-I19": "projects by function code ≠ 项目支出 of that code",
    "E-I16": "a 三公 line below its 表6 item",
    "E-I17": "机关运行经费 above the 表6 公用经费",
    "W-I17": "a single 行政 unit whose 机关运行经费 ≠ 公用经费",
    "W-I14": "表6 pension/housing/medical items ≠ their function codes",
    "E-INCOME": "表7/表9 income rows ≠ that source's spending",
    "W-INCOME": "政府性基金/国有资本 spending without income rows",
    "W-REASON-DIRECTION": "a reason that contradicts the direction of the change",
    "W-PRIOR": "prior 一般公共预算 above the prior total",
    "E-REASON-MISSING": "a year-on-year change without a reason",
    "E-N10": "§十 units or amount above what exists",
    "E-PERF-AMOUNT": "a performance table's 年度资金总额 ≠ its project's amount",
    "N-PERF-PERIOD": "a performance table with zero 实施期 funding",
    "W-PERF-ALL": "2023 text says all projects have tables, but fewer are published",
    "W-VEHICLES": "more vehicles than the quota",
    "E-EQUIPMENT": "more equipment over 1m than over 500k",
    "E-GLYPH": "a character of the input that no installed font can print",
    "N-ROUNDING": "a displayed total that differs from its displayed parts by rounding",
    **slips.IDS,
    **unfilled.IDS,
    **SHEET_IDS,
}



def run_checks(data: BudgetInput, source: Source | None = None) -> tuple[Report, Figures | None]:
    """Run all checks. Figures are derived (and returned) only when the structure is sound."""
    report = Report(source)
    for id, problem in source.warnings if source else ():  # what reading a workbook noticed
        report.findings.append(Finding(id, "warning", problem.path, problem.zh, problem.en, cell=problem.cell))
    unfilled.check_placeholders(source, report)
    unfilled.check_defaults(data, report)
    unfilled.check_stale_years(data, source, report)
    check_glyphs(data, source, report)
    structure.check_units(data, report)
    structure.check_codes(data, report)
    structure.check_economic(data, report)
    structure.check_projects(data, report)
    if report.errors:
        return report, None
    for check in (identities.check_basic_vs_economic, identities.check_projects_vs_expenditure,
                  identities.check_projects_by_code, identities.check_three_public,
                  identities.check_operating_costs, identities.check_income_tables,
                  identities.check_economic_vs_function, narrative.check_priors,
                  narrative.check_three_public_reasons, narrative.check_assets):
        check(data, report)
    figures = derive(data)
    narrative.check_reasons(data, report, figures.total)
    narrative.check_operating_reason(data, report, figures.operating)
    narrative.check_performance(data, report, figures.total)
    for slip in (slips.check_indicators, slips.check_period_funds, slips.check_categories,
                 slips.check_punctuation):
        slip(data, report)
    rounding_notes(figures, report)
    return report, figures
