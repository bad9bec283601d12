"""The standard classifications shipped with budgetgen (generator/data/*.yaml)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml


@dataclass(frozen=True)
class Category:
    """One of the 30 fixed 类 rows of 表1 and 表4."""

    code: str
    name: str
    numbered: str  # 一、一般公共服务支出


@dataclass(frozen=True)
class EconomicClass:
    code: str
    name: str
    funding: Literal["personnel", "public"]  # 人员经费 or 公用经费


@cache  # each file is read by two of the tables below: read it once
def _data(name: str) -> dict:
    text = resources.files("generator.data").joinpath(name).read_text("utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: 8× faster


_NUMERALS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 30 → 三十 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return head + (_NUMERALS[ones - 1] if ones else "")


@cache
def categories() -> tuple[Category, ...]:
    rows = _data("function_codes.yaml")["categories"]
    return tuple(
        Category(str(r["code"]), r["name"], f"{chinese_number(i)}、{r['name']}")
        for i, r in enumerate(rows, 1)
    )


@cache
def function_names() -> dict[str, str]:
    names = {str(k): v for k, v in _data("function_codes.yaml")["names"].items()}
    names.update({c.code: c.name for c in categories()})
    return names


@cache
def economic_classes() -> dict[str, EconomicClass]:
    rows = _data("economic_codes.yaml")["classes"]
    return {str(r["code"]): EconomicClass(str(r["code"]), r["name"], r["funding"]) for r in rows}


@cache
def economic_items() -> dict[str, dict[str, str]]:
    return {str(k): v for k, v in _data("economic_codes.yaml")["items"].items()}


@dataclass(frozen=True)
class EconomicLookup:
    """A 表6 row's code found from its name: `code`, or the candidates to choose from."""

    code: str | None
    candidates: tuple[str, ...] = ()  # "30101 基本工资（工资奖金津补贴）"
    ambiguous: bool = False  # several items have the name (else: none has it; near names)


def economic_code(name: str | None, gov: str | None) -> EconomicLookup:
    """The 部门经济科目 with this 部门经济科目 name (or, without one, this 政府经济科目 name)."""
    items = economic_items()
    field, wanted = ("name", name) if name else ("gov", gov or "")
    found = [code for code, item in items.items() if item.get(field) == wanted]
    if len(found) == 1:
        return EconomicLookup(found[0])
    ambiguous = bool(found)
    if not found:
        near = set(difflib.get_close_matches(wanted, {i.get(field, "") for i in items.values()}, n=5, cutoff=0.5))
        found = [code for code, item in items.items() if item.get(field) in near]
    listed = tuple(f"{c} {items[c]['name']}（{items[c].get('gov', '')}）" for c in found)
    return EconomicLookup(None, listed, ambiguous)
