"""表6: 基本支出 by economic classification, with class rows and 人员/公用 split."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from generator.model.codes import economic_classes, economic_items
from generator.model.schema import BudgetInput, EconomicItem


@dataclass(frozen=True)
class EconomicRow:
    code: str
    name: str
    gov: str
    amount: Decimal  # 元
    personnel: bool  # 人员经费 (else 公用经费)


@dataclass(frozen=True)
class EconomicClassRow:
    code: str
    name: str
    personnel: bool
    items: tuple[EconomicRow, ...]

    @property
    def amount(self) -> Decimal:
        return sum((i.amount for i in self.items), Decimal(0))


def item_name(item: EconomicItem) -> str | None:
    return item.name or economic_items().get(item.code, {}).get("name")


def item_gov(item: EconomicItem) -> str | None:
    """The 政府预算支出经济科目: as entered, else the usual one for the item."""
    return item.gov or economic_items().get(item.code, {}).get("gov")


def class_of(code: str):
    return economic_classes().get(code[:3])


def economic_table(data: BudgetInput) -> tuple[EconomicClassRow, ...]:
    """Class rows in code order, each with its items in code order (input order within a code).

    Assumes the checks passed: every item has a name and a known class.
    """
    groups: dict[str, list[EconomicRow]] = {}
    for item in sorted(data.economic_items, key=lambda i: i.code):  # stable: input order kept
        cls = class_of(item.code)
        personnel = cls is not None and cls.funding == "personnel"
        row = EconomicRow(item.code, item_name(item) or item.code, item_gov(item) or "", item.amount,
                          personnel)
        groups.setdefault(item.code[:3], []).append(row)
    out = []
    for code in sorted(groups):
        cls = class_of(code)
        name = cls.name if cls else code
        out.append(EconomicClassRow(code, name, bool(cls and cls.funding == "personnel"),
                                    tuple(groups[code])))
    return tuple(out)


def distinct_names(rows: tuple[EconomicClassRow, ...], personnel: bool) -> list[str]:
    """The distinct item names with 人员经费 (or 公用经费), in 表6 order (spec §4.6)."""
    seen: list[str] = []
    for cls in rows:
        for item in cls.items:
            if item.personnel == personnel and item.amount and item.name not in seen:
                seen.append(item.name)
    return seen
