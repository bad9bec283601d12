"""Slips that real disclosures contain: each a warning (or note) with a suggested fix.

Garbled 指标值 (doubled words, two values pasted together, empty, a rate over 100%, a value
without its name), 实施期 funds that do not fit the 年度 funds and the period, a project
without category, half-width punctuation in Chinese text, 0.01 differences of amounts
entered in 万元, amounts entered in the other unit, and a name tagged for the other kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from pydantic import BaseModel

from generator.checks.findings import Report
from generator.compose.punctuation import full_width
from generator.derive.figures import Figures
from generator.derive.projects import ProjectIndex, resolve_funding
from generator.model.schema import BudgetInput, PerformanceTable
from generator.model.yamlsource import PathKey
from generator.money import YUAN_PER_WAN, text_amount, wan, yuan_amount

IDS = {
    "W-VALUE-DOUBLED": "an 指标值 with a doubled word (保障保障)",
    "W-VALUE-GLUED": "two 指标值 pasted together (100100%, ≥90100%)",
    "W-VALUE-EMPTY": "an empty 指标值",
    "W-VALUE-RATE": "a rate (…率, …度) above 100%",
    "W-VALUE-NUMBER": "a rate (…率, …度) whose 指标值 is a bare number (0.5: 50%?)",
    "W-VALUE-UNNAMED": "an 指标值 without its 三级指标 name",
    "W-PERF-PERIOD-FUNDS": "实施期 funds that are neither 年度 funds nor 年度 × 项目期 (2023 edition)",
    "W-PERF-PERIOD-LOW": "实施期 funds below the 年度 funds (one side entered in 万元?)",
    "W-PROJECT-CATEGORY": "projects without category, counted as 其他运转类 (2024 edition)",
    "W-WAN-CENT": "an identity missed by 0.01 万元: entering 元 reproduces published rounding",
    "W-AMOUNT-UNIT": "amounts that look entered in the other unit (万元 in a 元 file or back; a prior figure 1,000× off)",
    "W-KIND-TAG": "a name tagged [部门] in a 单位 file, or [单位] in a 部门 file",
    "N-PUNCT": "half-width punctuation between Chinese characters (printed full-width)",
}

_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")
_PERCENT = re.compile(r"([≥≤><]?=?)(\d+(?:\.\d+)?)%")
_RATE = re.compile(r"[率度]$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
HUNDRED = Decimal(100)


def _glued(digits: str) -> tuple[str, str] | None:
    """100100 → (100, 100); 90100 → (90, 100): two percentages of 10 to 100 run together."""
    if "." in digits or Decimal(digits) <= HUNDRED:
        return None
    for cut in range(2, len(digits) - 1):  # two digits at least each: 150% is no 1% + 50%
        left, right = digits[:cut], digits[cut:]
        if right[0] != "0" and int(left) <= 100 and int(right) <= 100:
            return left, right
    return None


def check_indicator_value(report: Report, path: PathKey, name: str, value: str) -> None:
    """One 三级指标: 指标值 pair (spec §9.4)."""
    if not name.strip() and value.strip():
        report.warning("W-VALUE-UNNAMED", path, f"指标值「{value}」没有三级指标名称：请填写名称，或删除这一行",
                       f"the 指标值 {value!r} has no 三级指标 name: give the name or delete the row")
        return
    if not value.strip():
        report.warning("W-VALUE-EMPTY", path, f"指标值为空：{name}。请填写，如 ≥90% 或 100%",
                       f"empty 指标值 for {name}: fill it in, e.g. ≥90% or 100%")
        return
    if _NUMBER.fullmatch(value.strip()) and _RATE.search(name):
        number = Decimal(value.strip())
        meant = f"{(number * 100 if number <= 1 else number).normalize():f}%"
        report.warning("W-VALUE-NUMBER", path, f"{name}是比率，指标值却是数字 {value}。是否应为「{meant}」？",
                       f"{name} is a rate but its value is the bare number {value}: did you mean {meant}?")
    doubled = _DOUBLED.search(value)
    if doubled:
        fixed = value.replace(doubled.group(0), doubled.group(1), 1)
        report.warning("W-VALUE-DOUBLED", path, f"指标值中有重复的词：{name} = {value}。是否应为「{fixed}」？",
                       f"a word is doubled in {name} = {value}: did you mean {fixed!r}?")
    for sign, digits in _PERCENT.findall(value):
        glued = _glued(digits)
        if glued:
            options = list(dict.fromkeys(f"{sign}{part}%" for part in glued))
            report.warning("W-VALUE-GLUED", path,
                           f"指标值像是两个值粘在一起：{name} = {value}。是否应为「{'」或「'.join(options)}」？",
                           f"{name} = {value} looks like two values pasted together: "
                           f"did you mean {' or '.join(options)}?")
        elif Decimal(digits) > HUNDRED and _RATE.search(name):
            report.warning("W-VALUE-RATE", path, f"{name}是比率，不应超过 100%：{value}。请核对",
                           f"{name} is a rate and cannot exceed 100%: {value}")


def check_indicators(data: BudgetInput, report: Report) -> None:
    for i, table in enumerate(data.performance_tables):
        for side in ("period_indicators", "annual_indicators"):
            for second, rows in (getattr(table, side) or {}).items():
                for j, row in enumerate(rows):
                    for name, value in row.items():
                        check_indicator_value(report, ("performance_tables", i, side, second, j, name),
                                              name, value)


def check_period_funds(data: BudgetInput, report: Report) -> None:
    """实施期 = 年度 (one year or a one-off) or 年度 × 项目期 (a recurring project of n years).

    Only the 2023 edition relates them; from 2024 the two amounts may differ (spec §5). In
    both, the 实施期 (which holds the 年度) cannot be less: one of the two typed in 万元?
    """
    index = ProjectIndex(data)
    for i, table in enumerate(data.performance_tables):
        project = index.find(table)
        if project is None or table.period_funding is None:
            continue
        period, annual = (f.total for f in resolve_funding(table, project))
        if not period or not annual:
            continue  # a zero 实施期 is N-PERF-PERIOD's
        if period < annual:
            report.warning("W-PERF-PERIOD-LOW", ("performance_tables", i, "period_funding"),
                           f"「{table.project}」实施期资金 {period:,}元 少于年度资金 {annual:,}元"
                           "（实施期包括本年度）。是否有一栏按万元填写了？表中资金以元为单位",
                           f"{table.project!r}: 实施期 funds {period:,} are below the 年度 funds "
                           f"{annual:,} (元), which they include: was one entered in 万元? The "
                           "table's funds are in 元")
            continue
        if data.document.resolved_edition >= 2024:
            continue
        years = _years(table)
        fits = {annual} | ({annual * years} if years else set())
        if period not in fits:
            times = f"或 {years} × 年度 = {annual * years:,}元" if years else ""
            report.warning("W-PERF-PERIOD-FUNDS", ("performance_tables", i, "period_funding"),
                           f"「{table.project}」实施期资金 {period:,}元 既不等于年度资金 {annual:,}元{times}。"
                           "请核对 period_funding 与 period_years",
                           f"{table.project!r}: 实施期 funds {period:,} are neither the 年度 funds "
                           f"{annual:,}" + (f" nor {years} × 年度" if years else "") + " (元)")


def _years(table: PerformanceTable) -> int | None:
    """The number of years a recurring project's 实施期 spans, if stated (99 means open-ended)."""
    if table.attribute.startswith("一次性") or table.period_years in (1, 99):
        return None
    return table.period_years


def check_categories(data: BudgetInput, report: Report) -> None:
    """Only the 2024 edition's §十 counts projects by category; in 2023 it changes nothing."""
    if data.document.resolved_edition < 2024:
        return
    missing = [(i, p) for i, p in enumerate(data.projects) if "category" not in p.model_fields_set]
    if not missing:
        return
    names = "、".join(p.name for _, p in missing[:5]) + ("等" if len(missing) > 5 else "")
    report.warning("W-PROJECT-CATEGORY", ("projects", missing[0][0], "name"),
                   f"{len(missing)} 个项目未填写项目类别（category），按其他运转类统计：{names}。"
                   "请为每个项目填写 其他运转类 或 特定目标类",
                   f"{len(missing)} project(s) have no category and count as 其他运转类: "
                   "give each project 其他运转类 or 特定目标类")


def explain_cents(report: Report, path: PathKey, left: Decimal, right: Decimal) -> None:
    """After an identity error: a difference of a cent or two of 万元 is per-item rounding."""
    diff = abs(left - right)
    if diff and diff <= 200 and not diff % 100 and not left % 100 and not right % 100:
        cents = diff / 10000
        report.warning("W-WAN-CENT", path,
                       f"两边只差 {cents} 万元。若金额是按万元（两位小数）抄录的，每项都已四舍五入，"
                       "合计就会差一分：改为按元填写（amount_unit: 元）即可重现公开的数字",
                       f"the two sides differ by only {cents} 万元: amounts copied in 万元 are each "
                       "rounded already; enter them in 元 (amount_unit: 元) to reproduce the published "
                       "figures")


# A budget that is all under 10 万元 in a 元 file, or in a 万元 file 100 亿元 or more (10 亿
# when every amount is a whole number of 万元, as amounts in 元 are), was most likely typed
# in the other unit (the whole file ×10,000 off); an amount under 50 元 prints as 0.00万元;
# a prior-year figure 1,000 times this year's (or a thousandth) is one figure typed in the
# other unit.
SMALL_BUDGET = Decimal(100_000)  # 元
LARGE_BUDGET = Decimal(10) ** 10  # 元: 100 亿元, 1,000,000 万元
WHOLE_BUDGET = Decimal(10) ** 9  # 元: 10 亿元, 100,000 万元, with whole 万元 amounts only
TINY_AMOUNT = Decimal(50)  # 元: rounds to 0.00 万元
SCALE = 1000


def amounts(value: object, path: PathKey) -> Iterator[tuple[PathKey, Decimal]]:
    """Every amount of the input (in 元) with its path: the performance tables', printed in
    元, and the office area (a Decimal in 平方米) left out."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("performance_tables", "office_area"):
                yield from amounts(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from amounts(item, (*path, i))
    elif isinstance(value, Decimal):
        yield path, value


def check_amount_units(data: BudgetInput, report: Report, figures: Figures) -> None:
    """Amounts entered in the other unit: every identity still holds, so nothing else tells."""
    unit = data.amount_unit
    total = sum((r.basic.total + r.project.total + r.carryover_basic.total + r.carryover_project.total
                 for r in data.expenditure), Decimal(0))  # 元: 收支总计, unrounded
    if unit == "元" and 0 < total < SMALL_BUDGET:
        report.warning("W-AMOUNT-UNIT", ("amount_unit",),
                       f"金额单位是元，预算总计却只有 {yuan_amount(total)}元（{figures.total}万元）："
                       "金额是否按万元填写了？请把金额单位改为万元，或把金额改按元填写",
                       f"the amounts are in 元 but the whole budget is only {yuan_amount(total)} 元: were they "
                       "entered in 万元? Set the unit to 万元, or enter the amounts in 元")
    elif unit == "万元" and (total >= LARGE_BUDGET or (
            total >= WHOLE_BUDGET and not any(a % 10000 for _, a in amounts(data, ())))):
        report.warning("W-AMOUNT-UNIT", ("amount_unit",),
                       f"金额单位是万元，预算总计却有 {figures.total:,}万元（{text_amount(wan(total / YUAN_PER_WAN), zero='0.00')}亿元）："
                       "金额是否按元填写了？请把金额单位改为元，或把金额改按万元填写",
                       f"the amounts are in 万元 but the whole budget is {figures.total:,} 万元: were "
                       "they entered in 元? Set the unit to 元, or enter the amounts in 万元")
    if unit == "元" and total >= SMALL_BUDGET:
        for path, amount in amounts(data, ()):
            if 0 < amount < TINY_AMOUNT:
                report.warning("W-AMOUNT-UNIT", path,
                               f"金额 {yuan_amount(amount)}元 不到 50 元，在万元表中显示为 0.00："
                               f"是否按万元填写了？（{yuan_amount(amount)}万元 = {yuan_amount(amount * 10000)}元）",
                               f"the amount {yuan_amount(amount)} 元 is under 50 元 and prints as 0.00 万元: "
                               f"was it entered in 万元 ({yuan_amount(amount * 10000)} 元)?")
    this_year: list[tuple[PathKey, Decimal, Decimal]] = [
        (("prior_year", "total"), data.prior_year.total or Decimal(0), total),
        (("prior_year", "general_budget"), data.prior_year.general_budget, figures.gpb * 10000),
        (("operating_costs", "prior"), data.operating_costs.prior, figures.operating * 10000),
    ]
    for key in ("overseas", "reception", "vehicle_purchase", "vehicle_operation"):
        item = getattr(data.three_public, key)
        this_year.append((("three_public", key, "prior"), item.prior, item.amount.total))
    for path, prior, current in this_year:
        if prior and current and (prior >= current * SCALE or current >= prior * SCALE):
            shown, now = (f"{text_amount(wan(x), zero='0.00')}万元" for x in (prior, current))
            report.warning("W-AMOUNT-UNIT", path,
                           f"上年数 {shown} 与本年数 {now} 相差一千倍以上：上年数是否按另一种金额单位"
                           f"（本文件为{unit}）填写了？",
                           f"the prior-year figure {shown} and this year's {now} differ more than "
                           f"a thousandfold: was the prior figure entered in the other unit (the file's is {unit})?")


_TAGS = {"部门": ("[单位]", "（单位）", "(单位)"), "单位": ("[部门]", "（部门）", "(部门)")}


def check_kind_tag(data: BudgetInput, report: Report) -> None:
    """A name tagged for the other kind: a unit's file copied from a department's, or back."""
    doc = data.document
    tag = next((t for t in _TAGS.get(doc.kind, ()) if doc.name.endswith(t)), None)
    if tag:
        report.warning("W-KIND-TAG", ("document", "name"),
                       f"预算类型是{doc.kind}，名称「{doc.name}」却标着{tag}：请核对预算类型或名称",
                       f"the document is a {doc.kind} budget but its name {doc.name!r} is tagged "
                       f"{tag}: check the kind or the name")


PROSE: tuple[tuple[str, ...], ...] = (  # attribute names from BudgetInput
    ("overview", "duties"), ("overview", "organisation"), ("operating_costs", "text"),
    ("assets", "text", "vehicles"), ("assets", "text", "buildings"), ("assets", "text", "other"),
    ("other_notes", "purchase_catalogue"), ("other_notes", "other"),
)


def check_punctuation(data: BudgetInput, report: Report) -> None:
    """A note for each free text that is printed with full-width punctuation instead."""
    for path in PROSE:
        value: object = data
        for part in path:
            value = getattr(value, part, None)
        texts = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, text in texts:
            if isinstance(text, str) and full_width(text) != text:
                where: PathKey = path if i is None else (*path, i)
                sample = _HALF_SAMPLE.search(text)
                shown = sample.group(0) if sample else text[:12]
                report.note("N-PUNCT", where, f"中文之间用了半角标点（如「{shown}」），文件中印成全角",
                            f"half-width punctuation between Chinese characters (e.g. {shown!r}) "
                            "is printed full-width")


_HALF_SAMPLE = re.compile(r".?[,;:()].?")


def distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def did_you_mean(name: str, candidates: list[str]) -> tuple[str, str]:
    """(" 是否应为「X」？", " did you mean 'X'?") for the nearest candidate, or ("", "")."""
    limit = max(2, len(name) // 4)
    scored = sorted((distance(name, c), c) for c in set(candidates))
    if not scored or scored[0][0] > limit:
        return "", ""
    best = scored[0][1]
    return f"。是否应为「{best}」？", f"; did you mean {best!r}?"
