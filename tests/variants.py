"""Inputs of other sizes, made from the examples: amounts scaled, projects multiplied or
merged, names lengthened. Every variant is a valid input with the same structure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

INPUTS = Path(__file__).resolve().parents[1] / "inputs"
NOT_MONEY = ("assets", "document", "performance", "period_years", "style")


def load(name: str) -> dict:
    return yaml.safe_load((INPUTS / name).read_text("utf-8"))


def dump(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def scaled(data: dict, factor: int) -> dict:
    """Every amount × `factor` (counts, areas, years and codes unchanged)."""
    def walk(value: object, key: str) -> object:
        if key in NOT_MONEY:
            return value
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(Decimal(str(value)) * factor) if isinstance(value, float) else value * factor
        return value

    return walk(data, "")  # type: ignore[return-value]


def _money(value: object) -> Decimal:
    return Decimal(str(value))


def many_projects(data: dict, count: int) -> dict:
    """`count` projects: projects without a performance table are split into parts (the
    first keeps the name and the rest of the amount), until there are `count`."""
    data = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
    with_table = {t["project"] for t in data.get("performance_tables", [])}
    free = [p for p in data["projects"] if p["name"] not in with_table
            and isinstance(p["amount"], int | float) and "carryover" not in p]
    added, index = [], 0
    while len(data["projects"]) + len(added) < count:
        project = free[index % len(free)]
        index += 1
        part = {**project, "name": f"{project['name']}（子项{index}）",
                "amount": _fraction(project["amount"])}
        project["amount"] = _as_number(_money(project["amount"]) - _money(part["amount"]))
        added.append(part)
    data["projects"].extend(added)
    return data


def _fraction(amount: object) -> int | float:
    """A small part of an amount, exact in cents."""
    return _as_number((_money(amount) / 50).quantize(Decimal("0.01")))


def _as_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def long_names(data: dict) -> dict:
    """The entity, its units and projects with names of realistic maximum length."""
    data = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
    suffix = "（市对外开放与区域经济合作服务中心）"
    renamed = {}
    for unit in data.get("units", []):
        renamed[unit["name"]] = unit["name"] + suffix
        unit["name"] += suffix
    longer = "暨重点商贸流通企业培育和区域消费中心城市建设专项资金"
    for item in (*data["projects"], *data.get("performance_tables", [])):
        if "unit" in item:
            item["unit"] = renamed.get(item["unit"], item["unit"])
        if "name" in item:
            item["name"] += longer
        else:
            item["project"] += longer
    return data


def one_project(data: dict) -> dict:
    """All projects of the same 项 merged into the first, without performance tables."""
    data = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
    first, *rest = data["projects"]
    for project in rest:
        first["amount"] = _as_number(_money(first["amount"]) + _money(project["amount"]))
    data["projects"] = [first]
    data.pop("performance_tables", None)
    return data


def unbreakable(data: dict) -> dict:
    """Text without a break opportunity: a project name of 110 Latin letters, a 60-letter
    word and a 300-digit number in the running text, a 2,000-letter word in a table."""
    data = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))
    old = data["projects"][0]["name"]
    new = "Project" + "X" * 103
    data["projects"][0]["name"] = new
    for table in data.get("performance_tables", []):
        if table["project"] == old:
            table["project"] = new
    notes = data["other_notes"]
    notes["other"] += "W" * 60 + "。编号" + "7" * 300 + "。"
    tables = data.get("performance_tables", [])
    if tables:
        tables[0]["overview"] = "说明" + "Z" * 2000 + "。"
    return data
