"""Run every check of spec §7 on a loaded input; see `CHECK_IDS` for the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from pydantic import BaseModel

from generator.checks import identities, narrative, shanghai, slips, structure, unfilled
from generator.checks.findings import Finding, Report
from generator.checks.glyphs import check_glyphs
from generator.checks.long_words import check_long_words
from generator.checks.rounding import rounding_notes
from generator.derive.figures import Figures, derive
from generator.model.schema import BudgetInput
from generator.model.yamlsource import PathKey, Source
from generator.packs import Form, PackError, find_pack

__all__ = ["CHECK_IDS", "Finding", "Report", "run_checks"]

# id → what it checks (documented in docs/input-format.md; tests keep the two in step).
# CHECK_IDS is these and the workbook reader's ids (see __getattr__).
_IDS = {
    "E-UNIT-DUP": "a unit declared twice",
    "E-UNIT-KIND": "a 单位 document with other than one unit",
    "E-OPCOST-TYPE": "机关运行经费 given for a 事业单位",
    "E-OPCOST-TEXT": "no 行政/参公 unit and no §八 text",
    "E-CODE-DUP": "a function code entered twice",
    "E-CODE-CATEGORY": "a code outside the 30 standard 类",
    "E-CODE-NAME": "a code whose name is neither shipped nor given",
    "E-CODE-FORMAT": "a function_names key that is not a 3/5/7-digit code",
    "W-CODE-UNUSED": "a function_names entry that prefixes no expenditure row",
    "W-CODE-NAME": "a name given for a code of the classification that differs from the classification's",
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
    "E-PERF-AMOUNT": "a performance table's annual funding ≠ its project's amount",
    "N-PERF-PERIOD": "a performance table with zero 实施期 funding",
    "W-PERF-ALL": "2023 text says all projects have tables, but fewer are published",
    "W-VEHICLES": "more vehicles than the quota",
    "E-EQUIPMENT": "more equipment over 1m than over 500k",
    "E-GLYPH": "a character of the input that no installed font can print",
    "W-LONG-WORD": "a run of characters without a break opportunity, printed broken anywhere",
    "N-ROUNDING": "a displayed total that differs from its displayed parts by rounding",
    "E-FORMAT": "an unknown format, an edition or kind the format lacks, or a pack naming an unknown check",
    "E-FORMAT-FACT": "a fact the chosen format needs (its pack's `requires`) that the input leaves out",
    **slips.IDS,
    **shanghai.IDS,
    **unfilled.IDS,
}


def __getattr__(name: str) -> dict[str, str]:
    """CHECK_IDS, the catalogue, made when asked for: the workbook reader's ids live with
    the reader, which imports openpyxl (0.05–0.1 s) that checking a YAML file never needs."""
    if name != "CHECK_IDS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from generator.workbook.facts import IDS as SHEET_IDS

    return {**_IDS, **SHEET_IDS}



# The checks a format pack may name (`checks:` in pack.yaml), before and after the figures
# are derived; each pack lists those its form needs, in order.
BEFORE_FIGURES: dict[str, Callable[[BudgetInput, Report], None]] = {
    "basic_vs_economic": identities.check_basic_vs_economic,
    "projects_vs_expenditure": identities.check_projects_vs_expenditure,
    "projects_by_code": identities.check_projects_by_code,
    "three_public": identities.check_three_public,
    "operating_costs": identities.check_operating_costs,
    "income_tables": identities.check_income_tables,
    "economic_vs_function": identities.check_economic_vs_function,
    "priors": narrative.check_priors,
    "three_public_reasons": narrative.check_three_public_reasons,
    "assets": narrative.check_assets,
    "shanghai_tables": shanghai.check_tables,
    "shanghai_income": shanghai.check_income,
    "shanghai_text": shanghai.check_text,
}
AFTER_FIGURES: dict[str, Callable[[BudgetInput, Report, Figures], None]] = {
    "reasons": lambda data, report, f: narrative.check_reasons(data, report, f.total),
    "operating_reason": lambda data, report, f: narrative.check_operating_reason(data, report, f.operating),
    "performance": lambda data, report, f: narrative.check_performance(data, report, f.total),
    "indicators": lambda data, report, f: slips.check_indicators(data, report),
    "period_funds": lambda data, report, f: slips.check_period_funds(data, report),
    "categories": lambda data, report, f: slips.check_categories(data, report),
    "punctuation": lambda data, report, f: slips.check_punctuation(data, report),
    "amount_units": slips.check_amount_units,
}


def _form(data: BudgetInput, report: Report) -> Form | None:
    """The input's format pack at its edition, or an E-FORMAT error naming the field."""
    doc = data.document
    try:
        pack = find_pack(doc.format)
    except PackError as exc:
        report.error("E-FORMAT", ("document", "format"), exc.zh, exc.en)
        return None
    try:
        form = pack.form(doc.resolved_edition)
    except PackError as exc:
        report.error("E-FORMAT", ("document", "edition"), exc.zh, exc.en)
        return None
    if doc.kind not in pack.kinds:
        report.error("E-FORMAT", ("document", "kind"), f"格式 {pack.name} 没有{doc.kind}预算公开",
                     f"format {pack.name} has no {doc.kind} disclosure")
        return None
    unknown = [c for c in form.checks if c not in BEFORE_FIGURES and c not in AFTER_FIGURES]
    if unknown:
        report.error("E-FORMAT", ("document", "format"), f"格式包 {pack.name} 列出未知的检查：{'、'.join(unknown)}",
                     f"pack {pack.name} names unknown checks: {', '.join(unknown)}")
        return None
    return form


def _missing(value: object, parts: list[str], path: PathKey) -> Iterator[PathKey]:
    """The paths below `value` where the dotted fact `parts` is not given (a list: each item)."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _missing(item, parts, (*path, i))
        return
    if not parts:
        return
    model = value if isinstance(value, BaseModel) else None
    head, rest = parts[0], parts[1:]
    if model is not None and head not in type(model).model_fields:
        raise PackError(f"格式包要求的数据不是输入的字段：{'.'.join(map(str, (*path, head)))}",
                        f"the pack requires a fact the input has no field for: "
                        f"{'.'.join(map(str, (*path, head)))}")
    if model is None or head not in model.model_fields_set or getattr(value, head) in (None, [], {}):
        yield (*path, head)
        return
    yield from _missing(getattr(value, head), rest, (*path, head))


def check_required_facts(data: BudgetInput, form: Form, report: Report) -> None:
    """E-FORMAT-FACT: every fact the format declares it needs (`requires`) is given."""
    for fact in form.requires:
        try:
            missing = list(_missing(data, fact.split("."), ()))
        except PackError as exc:
            report.error("E-FORMAT", ("document", "format"), exc.zh, exc.en)
            continue
        for path in missing:
            dotted = ".".join(map(str, path))
            report.error("E-FORMAT-FACT", path,
                         f"格式 {form.pack.name} 需要 {dotted}，输入中没有填写",
                         f"format {form.pack.name} needs {dotted}, which the input leaves out")


def run_checks(data: BudgetInput, source: Source | None = None) -> tuple[Report, Figures | None]:
    """Run the checks of the input's format. Figures are derived (and returned) only when
    the structure is sound."""
    report = Report(source)
    for id, problem in source.warnings if source else ():  # what reading a workbook noticed
        report.findings.append(Finding(id, "warning", problem.path, problem.zh, problem.en, cell=problem.cell))
    form = _form(data, report)
    if form is None:
        return report, None
    unfilled.check_placeholders(source, report)
    unfilled.check_template_texts(source, report)
    unfilled.check_defaults(data, report)
    slips.check_kind_tag(data, report)
    unfilled.check_stale_years(data, source, report)
    unfilled.check_years_ahead(data, source, report)
    check_glyphs(data, source, report)
    check_long_words(source, report)
    check_required_facts(data, form, report)
    structure.check_units(data, report)
    structure.check_codes(data, report)
    structure.check_economic(data, report)
    structure.check_projects(data, report)
    if report.errors:
        return report, None
    for name in form.checks:
        if name in BEFORE_FIGURES:
            BEFORE_FIGURES[name](data, report)
    figures = derive(data)
    for name in form.checks:
        if name in AFTER_FIGURES:
            AFTER_FIGURES[name](data, report, figures)
    rounding_notes(figures, report)
    return report, figures
