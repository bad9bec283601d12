"""`init --from`: next year's input from this year's, prior-year figures from last year's totals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.cli import main
from generator.derive.ledger import build_ledger
from generator.model.load import YUAN_PER_UNIT
from generator.model.next_year import BLANK, REASON, REVIEW, STALE, next_year
from generator.model.yamlsource import parse_yaml, read_yaml
from generator.pipeline import check_file, check_source
from generator.workbook.reader import read_workbook
from generator.workbook.writer import write_workbook
from generator.workbook.yamlout import to_yaml

INPUTS = sorted((Path(__file__).resolve().parents[1] / "inputs").glob("*.yaml"))


def _checked(data: dict):
    return check_source(parse_yaml(to_yaml(data).encode("utf-8"), "next.yaml"))


@pytest.fixture(scope="module", params=INPUTS, ids=[p.stem for p in INPUTS])
def years(request):
    last = check_file(request.param)
    return last, next_year(last.data, last.data.document.year + 1)


def test_next_year_checks_with_placeholders_reported(years):
    last, data = years
    checked = _checked(data)
    assert not checked.report.errors, [f.render() for f in checked.report.errors]
    assert any(f.id == "W-PLACEHOLDER" for f in checked.report.findings)
    assert checked.data.document.year == last.data.document.year + 1


def test_prior_year_figures_are_last_years_totals(years):
    last, data = years
    new = _checked(data).data
    flow = build_ledger(last.data).total
    assert new.prior_year.total == flow.sum()
    assert new.prior_year.general_budget == flow.sum(sources=["general"], period="current")
    for key in ("overseas", "reception", "vehicle_purchase", "vehicle_operation"):
        assert getattr(new.three_public, key).prior == getattr(last.data.three_public, key).amount.total
    assert new.operating_costs.prior == sum((u.operating_costs.total for u in last.data.units), Decimal(0))
    figures = _checked(data).figures
    assert figures.total_change.prior == last.figures.total
    assert figures.gpb_change.prior == last.figures.gpb
    assert figures.three_public_change.prior == last.figures.three_public
    assert figures.operating_change.prior == last.figures.operating


def test_names_carry_over(years):
    last, data = years
    new = _checked(data).data
    assert [(u.name, u.type) for u in new.units] == [(u.name, u.type) for u in last.data.units]
    assert [(p.name, p.unit, p.category) for p in new.projects] == \
        [(p.name, p.unit, p.category) for p in last.data.projects]
    assert _checked(_filled(data, None, Decimal(1))).data.overview == last.data.overview
    assert [t.project for t in new.performance_tables] == [t.project for t in last.data.performance_tables]


def _filled(value: object, old: object, per_unit: Decimal) -> object:
    """Every placeholder filled with last year's figure at the same place (a filled-in form)."""
    if value == BLANK:
        if isinstance(old, dict):
            return {k: v / per_unit for k, v in old.items() if isinstance(v, Decimal)}
        return old / per_unit if isinstance(old, Decimal) else "20250101"
    if value == REASON:
        return "工作需要"
    if isinstance(value, str) and value.startswith(STALE):  # the year reviewed: the mark removed
        return value.removeprefix(STALE)
    if isinstance(value, str) and value.startswith(REVIEW):  # a carried count confirmed
        return value.removeprefix(REVIEW).removesuffix("】")
    if isinstance(value, dict):
        return {k: _filled(v, (old or {}).get(k) if isinstance(old, dict) else None, per_unit)
                for k, v in value.items()}
    if isinstance(value, list):
        olds = old if isinstance(old, list) else []
        return [_filled(v, olds[i] if i < len(olds) else None, per_unit) for i, v in enumerate(value)]
    return value


def test_filled_next_year_is_accepted_and_repeats_last_years_budget(years):
    last, data = years
    filled = _filled(data, last.data.model_dump(), YUAN_PER_UNIT[last.data.amount_unit])
    checked = _checked(filled)
    assert not checked.report.errors, [f.render() for f in checked.report.errors]
    assert "W-PLACEHOLDER" not in {f.id for f in checked.report.findings}
    assert checked.figures.current == last.figures.current
    new_flow, old_flow = build_ledger(checked.data).total, build_ledger(last.data).total
    for part in ("basic", "project"):
        assert new_flow.sum(part=part, period="current") == old_flow.sum(part=part, period="current")
    assert checked.figures.three_public == last.figures.three_public
    assert checked.figures.three_public_change.unchanged


def test_texts_naming_last_year_are_marked_for_review():
    last = check_file(next(p for p in INPUTS if "commerce" in p.name))
    data = next_year(last.data, 2025)
    assert f"{STALE}从部门预算构成看，大同市商务局2024年部门预算由局机关本级预算和局属事业单位预算组成。" \
        in data["overview"]["organisation"]
    assert not data["assets"]["as_of"].startswith(STALE)  # 2024年12月31日 is right for 2025
    assert data["assets"]["equipment_over_1m"] == f"{REVIEW}5】"  # carried counts: to review
    checked = _checked(data)
    assert "W-STALE-YEAR" in {f.id for f in checked.report.findings}


def test_from_a_workbook_gives_the_same_next_year(tmp_path):
    book = tmp_path / "last.xlsx"
    book.write_bytes(write_workbook(read_yaml(INPUTS[0])))
    assert main(["init", "--from", str(book), "--year", "2030", "-o", str(tmp_path / "a.yaml")]) == 0
    assert main(["init", "--from", str(INPUTS[0]), "--year", "2030", "-o", str(tmp_path / "b.yaml")]) == 0
    a, b = (check_file(tmp_path / n) for n in ("a.yaml", "b.yaml"))
    assert a.data == b.data and a.data.document.year == 2030


def test_next_year_as_a_workbook_reports_placeholders_by_cell(tmp_path, capsys):
    out = tmp_path / "next.xlsx"
    assert main(["init", "--from", str(INPUTS[0]), "--xlsx", "-o", str(out)]) == 0
    checked = check_source(read_workbook(out.read_bytes(), str(out)))
    assert not checked.report.errors
    cells = {f.cell.split(" ")[0] for f in checked.report.findings if f.id == "W-PLACEHOLDER"}
    assert "支出!C3" in cells and "基本信息!C15" in cells  # prior_year.total
