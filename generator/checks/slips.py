"""Slips that real disclosures contain: each a warning (or note) with a suggested fix.

Garbled 指标值 (doubled words, two values pasted together, empty, a rate over 100%),
实施期 funds that do not fit the 年度 funds and the period, a project without category,
half-width punctuation in Chinese text, and 0.01 differences of amounts entered in 万元.
"""

from __future__ import annotations

import re
from decimal import Decimal

from generator.checks.findings import Report
from generator.compose.punctuation import full_width
from generator.derive.projects import ProjectIndex, resolve_funding
from generator.model.schema import BudgetInput, PerformanceTable
from generator.model.yamlsource import PathKey

IDS = {
    "W-VALUE-DOUBLED": "an 指标值 with a doubled word (保障保障)",
    "W-VALUE-GLUED": "two 指标值 pasted together (100100%, ≥90100%)",
    "W-VALUE-EMPTY": "an empty 指标值",
    "W-VALUE-RATE": "a rate (…率, …度) above 100%",
    "W-VALUE-NUMBER": "a rate (…率, …度) whose 指标值 is a bare number (0.5: 50%?)",
    "W-PERF-PERIOD-FUNDS": "实施期 funds that are neither 年度 funds nor 年度 × 项目期 (2023 edition)",
    "W-PROJECT-CATEGORY": "projects without category, counted as 其他运转类 (2024 edition)",
    "W-WAN-CENT": "an identity missed by 0.01 万元: entering 元 reproduces published rounding",
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

    Only the 2023 edition relates them; from 2024 the two amounts may differ (spec §5).
    """
    if data.document.resolved_edition >= 2024:
        return
    index = ProjectIndex(data)
    for i, table in enumerate(data.performance_tables):
        project = index.find(table)
        if project is None or table.period_funding is None:
            continue
        period, annual = (f.total for f in resolve_funding(table, project))
        if not period or not annual:
            continue  # a zero 实施期 is N-PERF-PERIOD's
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
