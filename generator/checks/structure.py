"""Checks on the shape of the input: duplicates, names, units, references."""

from __future__ import annotations

from collections import Counter

from generator.checks.findings import Report
from generator.checks.slips import did_you_mean
from generator.derive.economic import class_of, item_gov, item_name
from generator.derive.ledger import code_name
from generator.derive.projects import ProjectIndex, project_unit
from generator.model.codes import categories, function_names
from generator.model.schema import BudgetInput
from generator.model.yamlsource import PathKey


def check_units(data: BudgetInput, report: Report) -> None:
    seen: set[str] = set()
    for i, unit in enumerate(data.units):
        if unit.name in seen:
            report.error("E-UNIT-DUP", ("units", i, "name"),
                         f"单位重复：{unit.name}", f"unit declared twice: {unit.name}")
        seen.add(unit.name)
    if data.document.kind == "单位" and len(data.units) != 1:
        report.error("E-UNIT-KIND", ("units",),
                     "单位预算只能有一个单位", "a 单位 document covers exactly one unit")
    for i, unit in enumerate(data.units):
        if unit.type == "事业单位" and unit.operating_costs.total:
            report.error("E-OPCOST-TYPE", ("units", i, "operating_costs"),
                         f"{unit.name}是事业单位，没有机关运行经费",
                         f"{unit.name} is a 事业单位 and has no 机关运行经费")


def check_codes(data: BudgetInput, report: Report) -> None:
    seen: dict[str, int] = {}
    known_categories = {c.code for c in categories()}
    for i, row in enumerate(data.expenditure):
        path = ("expenditure", i, "code")
        if row.code in seen:
            report.error("E-CODE-DUP", path, f"功能科目重复：{row.code}（expenditure 第 {seen[row.code] + 1} 项已有）",
                         f"duplicate function code {row.code} (also expenditure entry {seen[row.code] + 1})")
            continue
        seen[row.code] = i
        if row.code[:3] not in known_categories:
            report.error("E-CODE-CATEGORY", path, f"{row.code} 不属于 30 个支出功能分类类级科目",
                         f"{row.code} is not under one of the 30 standard 类 codes")
        for code in (row.code[:3], row.code[:5], row.code):
            given = row.name if code == row.code else None
            if not code_name(data, code, given):
                report.error("E-CODE-NAME", ("expenditure", i, "name") if code == row.code else path,
                             f"未知的功能科目 {code}，请提供名称（name 或 function_names）",
                             f"unknown code {code}: give its name (name, or function_names)")
    shipped = function_names()
    named: list[tuple[PathKey, str, str | None]] = [
        (("expenditure", i, "name"), row.code, row.name) for i, row in enumerate(data.expenditure)]
    named += [(("function_names", code), code, name) for code, name in data.function_names.items()]
    for where, code, name in named:
        standard = shipped.get(code)
        if name and standard and _plain(name) != _plain(standard):
            report.warning("W-CODE-NAME", where,
                           f"科目 {code} 的名称「{name}」与科目表的「{standard}」不同，文件中印出「{name}」。"
                           "请核对编码与名称是否错行；确是本年的科目名称可保留",
                           f"the name {name!r} of code {code} differs from the classification's "
                           f"{standard!r} and is printed: check that code and name belong together")
    for code in data.function_names:
        if len(code) not in (3, 5, 7) or not code.isdigit():
            report.error("E-CODE-FORMAT", ("function_names", code), f"功能科目的编码格式不对：{code}",
                         f"a function code has 3, 5 or 7 digits: {code}")
        elif not any(r.code.startswith(code) for r in data.expenditure):
            report.warning("W-CODE-UNUSED", ("function_names", code),
                           f"{code} 不是任何支出科目的上级，名称不会被使用",
                           f"{code} prefixes no expenditure row: its name is never used")


def _plain(name: str) -> str:
    """A name as compared: without spaces, its brackets full-width (a pasted export's
    half-width brackets print full-width in the catalogue's name just the same)."""
    return name.replace(" ", "").replace("\u3000", "").replace("(", "（").replace(")", "）")


def check_economic(data: BudgetInput, report: Report) -> None:
    seen: set[tuple[str, str, str]] = set()  # an item under its own name is another row
    for i, item in enumerate(data.economic_items):
        path = ("economic_items", i)
        gov = item_gov(item) or ""
        if (item.code, item_name(item) or "", gov) in seen:
            report.error("E-ECON-DUP", (*path, "code"),
                         f"经济科目 {item.code}（{gov}）重复",
                         f"economic item {item.code} with gov {gov} appears twice")
        seen.add((item.code, item_name(item) or "", gov))
        if not gov:
            report.error("E-ECON-NAME", (*path, "gov"), f"请填写经济科目 {item.code} 的政府预算支出经济科目（gov）",
                         f"give the 政府预算支出经济科目 (gov) of economic item {item.code}")
        if class_of(item.code) is None:
            report.error("E-ECON-CLASS", (*path, "code"), f"未知经济分类类级：{item.code[:3]}",
                         f"unknown economic class {item.code[:3]}")
        if not item_name(item):
            report.error("E-ECON-NAME", (*path, "name"), f"未知经济科目 {item.code}，请提供名称",
                         f"unknown economic item {item.code}: give its name")


def check_projects(data: BudgetInput, report: Report) -> None:
    units = {u.name for u in data.units}
    keys: Counter[tuple[str, str]] = Counter()
    for i, project in enumerate(data.projects):
        path: PathKey = ("projects", i)
        if project.unit is None and len(data.units) > 1:
            report.error("E-PROJECT-UNIT", (*path, "name"), f"项目「{project.name}」需写明所属单位",
                         f"project {project.name!r} must name its unit (several units)")
        elif project.unit is not None and project.unit not in units:
            report.error("E-PROJECT-UNIT", (*path, "unit"), f"项目所属单位未在 units 中声明：{project.unit}",
                         f"the project's unit is not declared in units: {project.unit}")
        key = (project_unit(data, project), project.name)
        keys[key] += 1
        if keys[key] == 2:
            report.error("E-PROJECT-DUP", (*path, "name"), f"同一单位的项目重名：{project.name}",
                         f"two projects of one unit share the name {project.name!r}")
        if not project.amount.total and not project.carryover.total:
            report.warning("W-PROJECT-ZERO", (*path, "amount"), f"项目「{project.name}」金额为 0",
                           f"project {project.name!r} has no amount")
    seen: set[int] = set()
    index = ProjectIndex(data)
    for i, table in enumerate(data.performance_tables):
        found = index.find(table)
        path = ("performance_tables", i, "project")
        if table.unit is None and len(index.namesakes(table.project)) > 1:
            report.error("E-PERF-PROJECT", path, f"多个单位都有项目「{table.project}」，请写明 unit",
                         f"several units have a project {table.project!r}: give unit")
        elif found is None:
            zh, en = did_you_mean(table.project, [p.name for p in data.projects])
            report.error("E-PERF-PROJECT", path, f"绩效目标表对应的项目不存在：{table.project}{zh}",
                         f"no project named {table.project!r} for this performance table{en}")
        elif id(found) in seen:
            report.error("E-PERF-DUP", path, f"项目「{table.project}」有两张绩效目标表",
                         f"project {table.project!r} has two performance tables")
        else:
            seen.add(id(found))
