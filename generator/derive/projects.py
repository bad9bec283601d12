"""Projects: 表12/表13 rows, §十 counts and amounts, and the performance tables' funding."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from generator.model.schema import BudgetInput, Funding, PerformanceTable, Project
from generator.money import percent, wan


@dataclass(frozen=True)
class PerformanceEntry:
    """A published performance table with its project and resolved funding (元)."""

    table: PerformanceTable
    project: Project
    unit: str
    period: Funding
    annual: Funding


@dataclass(frozen=True)
class ProjectFigures:
    by_unit: tuple[tuple[str, tuple[Project, ...]], ...]  # 表12 groups, units in declared order
    carried: tuple[Project, ...]  # 表13
    count: int  # N
    amount: Decimal  # A = Σ 表12 = 表3 项目支出 of this year (万元)
    count_by_class: tuple[int, int]  # N1 其他运转类, N2 特定目标类
    amount_by_class: tuple[Decimal, Decimal]  # A1, A2
    published: tuple[PerformanceEntry, ...]
    published_amount: Decimal  # Bk
    published_by_class: tuple[int, int]  # K1, K2
    published_amount_by_class: tuple[Decimal, Decimal]  # B1, B2
    published_pct: Decimal | None  # pk = Bk / A


CLASSES = ("其他运转类", "特定目标类")
T = TypeVar("T")


def _per_class(value: Callable[[str], T]) -> tuple[T, T]:
    """One value for each of the two CLASSES, in their order."""
    return value(CLASSES[0]), value(CLASSES[1])


def project_unit(data: BudgetInput, project: Project) -> str:
    return project.unit or data.units[0].name


class ProjectIndex:
    """The projects by name, built once: a scan of all projects per performance table made
    checking and deriving quadratic (8,000 projects with tables: 49 s)."""

    def __init__(self, data: BudgetInput) -> None:
        self.data = data
        self.by_name: dict[str, list[Project]] = defaultdict(list)
        for project in data.projects:
            self.by_name[project.name].append(project)

    def namesakes(self, name: str) -> list[Project]:
        return self.by_name.get(name, [])

    def find(self, table: PerformanceTable) -> Project | None:
        """The project a performance table names (and its unit, where given)."""
        for project in self.namesakes(table.project):
            if table.unit is None or project_unit(self.data, project) == table.unit:
                return project
        return None


def resolve_funding(table: PerformanceTable, project: Project) -> tuple[Funding, Funding]:
    """实施期 and 年度 funding: as entered, else the project's amount as 市县(区)财政资金."""
    annual = table.annual_funding or Funding.model_construct(city=project.amount.total)  # (in 元: no unit again)
    return table.period_funding or annual, annual


def _sum_wan(projects: list[Project]) -> Decimal:
    return wan(sum((p.amount.total for p in projects), Decimal(0)))


def project_figures(data: BudgetInput, project_total: Decimal) -> ProjectFigures:
    current = [p for p in data.projects if p.amount.total]
    of_unit: dict[str, list[Project]] = defaultdict(list)
    for project in current:
        of_unit[project_unit(data, project)].append(project)
    groups = tuple((u.name, tuple(of_unit.get(u.name, ()))) for u in data.units)
    entries = []
    index = ProjectIndex(data)
    for table in data.performance_tables:
        found = index.find(table)
        if table.published and found is not None:
            period, annual = resolve_funding(table, found)
            entries.append(PerformanceEntry(table, found, project_unit(data, found), period, annual))
    published = [e.project for e in entries]
    bk = _sum_wan(published)
    return ProjectFigures(
        by_unit=tuple(g for g in groups if g[1]),
        carried=tuple(p for p in data.projects if p.carryover.total),
        count=len(current),
        amount=project_total,
        count_by_class=_per_class(lambda c: sum(p.category == c for p in current)),
        amount_by_class=_per_class(lambda c: _sum_wan([p for p in current if p.category == c])),
        published=tuple(entries),
        published_amount=bk,
        published_by_class=_per_class(lambda c: sum(p.category == c for p in published)),
        published_amount_by_class=_per_class(lambda c: _sum_wan([p for p in published if p.category == c])),
        published_pct=percent(bk, project_total),
    )
