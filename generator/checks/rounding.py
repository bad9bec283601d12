"""Display-level notes: where independently rounded cells do not add up (spec §8, §9.1).

Every cell is rounded from unrounded 元, so a total can differ from the sum of its displayed
parts by a cent or so. That is correct, not an error; `check` lists these as notes so that
nobody "fixes" a published figure by hand.
"""

from __future__ import annotations

from decimal import Decimal

from generator.checks.findings import Report
from generator.derive.figures import Figures
from generator.money import CENT, wan


def _note(report: Report, where: str, shown: Decimal, parts: list[Decimal]) -> None:
    total = sum(parts, Decimal(0))
    if total != shown and abs(total - shown) <= CENT * max(len(parts) - 1, 1):
        report.note("N-ROUNDING", (), f"{where}：显示的各项之和 {total} 与合计 {shown} 相差一分，系分别四舍五入所致",
                    f"{where}: displayed parts add to {total}, total shows {shown} (per-cell rounding)")


def rounding_notes(figures: Figures, report: Report) -> None:
    ledger = figures.ledger
    rows = [("合计", ledger.total), *((r.code, r.flow) for r in ledger.rows)]
    for code, flow in rows:
        _note(report, f"表3 {code} 合计 = 基本 + 项目", wan(flow.sum()),
              [wan(flow.sum(part="basic")), wan(flow.sum(part="project"))])
    for row in ledger.rows:
        if row.level < 3:
            children = [r for r in ledger.rows if r.level == row.level + 1 and r.code.startswith(row.code)]
            for part in (None, "basic", "project"):
                _note(report, f"表3 {row.code} ({part or '合计'})", wan(row.flow.sum(part=part)),
                      [wan(c.flow.sum(part=part)) for c in children])
    for cls in figures.economic:
        _note(report, f"表6 {cls.name}", wan(cls.amount), [wan(i.amount) for i in cls.items])
    _note(report, "表6 合计 = 人员经费 + 公用经费", figures.econ_total, [figures.personnel, figures.public])
