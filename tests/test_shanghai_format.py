"""One data model, two formats: a Shanxi input checked and rendered in the Shanghai format,
and the Shanghai checks failing where they should."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.compose.tree import Heading, Paragraph, Table
from generator.pipeline import DataErrors, check_file, document_for, document_for_source, read_source
from generator.writers.docx_writer import write_docx

ROOT = Path(__file__).resolve().parent.parent
COMMERCE = ROOT / "inputs" / "datong-commerce-2024.yaml"
WELFARE = ROOT / "inputs" / "putuo-welfare-home-2024.yaml"
TO_BUY = "  vehicles_to_buy: {other: 1}\n  equipment_over_1m_to_buy: 0\n"


def _variant(tmp_path: Path, source: Path, *edits: tuple[str, str], name: str = "x.yaml") -> Path:
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ids(path: Path) -> list[tuple[str, str]]:
    return [(f.id, ".".join(map(str, f.path))) for f in check_file(path).report.findings]


def test_check_names_what_a_shanxi_input_lacks_for_shanghai(tmp_path):
    path = _variant(tmp_path, COMMERCE, ("  city: 大同\n", "  city: 大同\n  format: shanghai\n"))
    missing = [p for i, p in _ids(path) if i == "E-FORMAT-FACT"]
    assert missing == ["assets.vehicles_to_buy", "assets.equipment_over_1m_to_buy"]


def test_one_department_in_both_formats(tmp_path):
    """The same file, with the facts Shanghai needs added, renders in either format; only
    `document.format` differs."""
    both = _variant(tmp_path, COMMERCE, ("  equipment_over_1m: 5\n", "  equipment_over_1m: 5\n" + TO_BUY),
                    name="shanxi.yaml")
    shanghai = _variant(tmp_path, both, ("  city: 大同\n", "  city: 大同\n  format: shanghai\n"),
                        name="shanghai.yaml")
    documents = {}
    for fmt, path in (("shanxi", both), ("shanghai", shanghai)):
        document, checked = document_for(path)
        assert not checked.report.errors
        documents[fmt] = document
        assert len(write_docx(document)) > 10_000
    budget_tables = {fmt: sum(isinstance(b, Heading) and b.table_title for b in d.blocks)
                     for fmt, d in documents.items()}
    assert budget_tables == {"shanxi": 13, "shanghai": 9}
    assert sum(isinstance(b, Table) for b in documents["shanghai"].blocks) == 9
    titles = [b.text for b in documents["shanghai"].blocks if isinstance(b, Heading) and b.table_title]
    assert titles[0] == "2024年部门财务收支预算总表"
    assert titles[-1] == "部门“三公”经费和机关运行经费预算表"
    # the same total, in each format's sentence
    texts = {fmt: [b.text for b in d.blocks if isinstance(b, Paragraph)] for fmt, d in documents.items()}
    assert any(t.startswith("2024年，大同市商务局收入预算") for t in texts["shanghai"])
    assert not any(t.startswith("2024年，大同市商务局收入预算") for t in texts["shanxi"])


@pytest.mark.parametrize(("edit", "expected"), [
    (("    basic_public: 2120950", "    basic_public: 2120000"), ("E-SH-PUBLIC", "expenditure")),
    (("    basic_public: 2120950", "    basic_public: 7000000"), ("E-SH-PUBLIC", "expenditure.4.basic_public")),
    (("  service: 2620000", "  service: 2600000"), ("E-SH-UNIT-INCOME", "unit_funds_income")),
    (("  service: 2620000", "  service: 2600000\n  other: 20000"), ("E-SH-UNIT-INCOME", "unit_funds_income")),
    (("    use: 人员医疗保险\n", ""), ("W-SH-ITEM", "expenditure.5")),
    (("    prior_actual: 441700\n", ""), ("W-SH-ITEM", "expenditure.5")),
    (("    reason: 有退休人员去世\n", ""), ("W-SH-REASON", "expenditure.0")),
    (("    basic: 335816\n", "    basic: 335816\n    project: {special_account: 100}\n"), ("W-SH-SPECIAL", "expenditure")),
])
def test_shanghai_checks_fail_where_they_should(tmp_path, edit, expected):
    assert expected not in _ids(WELFARE)
    assert expected in _ids(_variant(tmp_path, WELFARE, edit))


def test_a_missing_vehicles_reason_names_its_field(tmp_path):
    """The finding points at the field to fill (the workbench edits it in place), not at 三公."""
    wanli = ROOT / "inputs" / "putuo-wanli-street-2024.yaml"
    expected = ("W-SH-REASON", "three_public.vehicles_reason")
    assert expected not in _ids(wanli)
    assert expected in _ids(_variant(tmp_path, wanli, ("  vehicles_reason: 购置公务用车\n", "")))


def test_every_shanghai_example_checks_clean():
    for path in sorted((ROOT / "inputs").glob("putuo-*.yaml")):
        assert not check_file(path).report.errors, path


@pytest.mark.parametrize("name", ["putuo-finance-bureau-2025", "putuo-wanli-street-2024", "putuo-welfare-home-2024"])
def test_shanghai_input_survives_the_workbook(tmp_path, run_cli, name):
    """export → import gives back the same data (every Shanghai fact has its cell)."""
    from generator.model.load import load_input

    source = ROOT / "inputs" / f"{name}.yaml"
    workbook, back = tmp_path / "x.xlsx", tmp_path / "x.yaml"
    assert run_cli("export", "-o", workbook, source).returncode == 0
    assert run_cli("import", "-o", back, workbook).returncode == 0
    assert load_input(back)[0] == load_input(source)[0]


def test_next_year_of_a_shanghai_input(tmp_path, run_cli):
    """init --from keeps the format and the uses, and asks for every new amount, 执行数 and reason."""
    out = tmp_path / "next.yaml"
    assert run_cli("init", "--from", ROOT / "inputs" / "putuo-wanli-street-2024.yaml", "-o", out).returncode == 0
    text = out.read_text(encoding="utf-8")
    assert "  format: shanghai" in text and "use: 专项普查活动" in text
    report = check_file(out).report
    assert not report.errors
    assert {"W-PLACEHOLDER"} <= {f.id for f in report.findings}


@pytest.mark.parametrize("kind", ["部门", "单位"])
def test_shanghai_starter_checks_and_renders(tmp_path, run_cli, kind):
    """init --format-pack <the Shanghai pack>: a starter that passes check (placeholders
    warned), is refused by the gate, and renders as a draft."""
    out = tmp_path / "start.yaml"
    pack = ROOT / "generator" / "packs" / "shanghai"
    assert run_cli("init", "--format-pack", pack, "--kind", kind, "--year", "2025", "-o", out).returncode == 0
    assert "format: shanghai" in out.read_text(encoding="utf-8")
    report = check_file(out).report
    assert not report.errors and "W-PLACEHOLDER" in {f.id for f in report.findings}
    with pytest.raises(DataErrors):
        document_for(out)
    doc, _ = document_for_source(read_source(out), draft=True)
    assert doc.draft
