"""The layout audit: rendered pages read as a reader sees them (tests/layout_audit.py).

Every example input, and variants of other sizes made from them (amounts ×10 to ×10,000,
one project, 60 projects, long names), in the PDF and, where LibreOffice is installed,
in the DOCX as LibreOffice prints it. The cheaper tree-level checks cover every input
at every scale.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.compose import measure
from generator.compose.layout import CELL_PAD_PT, MM_PER_PT, placed
from generator.compose.tree import Document, Heading, Paragraph, Table
from generator.model.yamlsource import InputError
from generator.pipeline import document_for, document_from_bytes
from generator.writers.docx_writer import write_docx
from generator.writers.pdf_writer import write_pdf
from tests.layout_audit import audit, docx_to_pdf
from tests.variants import INPUTS, dump, load, long_names, many_projects, one_project, scaled

EXAMPLES = sorted(p.name for p in INPUTS.glob("*.yaml"))
VARIANTS = {
    "commerce×10000": lambda: scaled(load("datong-commerce-2024.yaml"), 10_000),
    "commerce-60-projects-long-names": lambda: many_projects(long_names(load("datong-commerce-2024.yaml")), 60),
    "shanghai-1-project×100": lambda: one_project(scaled(load("datong-shanghai-office-2024.yaml"), 100)),
}


def _variant(name: str) -> Document:
    return document_from_bytes(dump(VARIANTS[name]()), f"{name}.yaml")[0]


@pytest.mark.parametrize("name", EXAMPLES)
def test_pdf_of_every_input_passes_the_audit(name: str) -> None:
    doc, _ = document_for(INPUTS / name)
    assert audit(write_pdf(doc), doc) == []


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_pdf_of_other_sizes_passes_the_audit(name: str) -> None:
    doc = _variant(name)
    assert audit(write_pdf(doc), doc) == []


@pytest.mark.parametrize("name", ["commerce×10000", "commerce-60-projects-long-names"])
def test_docx_as_libreoffice_prints_it_passes_the_audit(name: str, tmp_path: Path) -> None:
    doc = _variant(name)
    pdf = docx_to_pdf(write_docx(doc), tmp_path)
    if pdf is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    assert audit(pdf, doc, editable=True) == []


def _fits(doc: Document) -> list[str]:
    """Amounts wider than their column, lines of one CJK character, lines too wide."""
    problems = []
    for block in doc.blocks:
        if isinstance(block, Table):
            for p in placed(block):
                room = (sum(block.widths[p.col:p.col + p.cell.colspan]) / MM_PER_PT
                        - 2 * CELL_PAD_PT[1]) / block.font_size
                widths = [measure.width(line) for line in p.cell.lines]
                if max(widths, default=0) > room:
                    problems.append(f"{p.cell.text!r} wider than its column")
                problems += _lone(p.cell.lines, p.cell.text)
        elif isinstance(block, Heading):
            problems += _lone(block.lines, block.text) + _lone(block.toc_lines, block.text)
        elif isinstance(block, Paragraph):
            problems += _lone(block.lines, block.text)
    return problems


def _lone(lines: tuple[str, ...], text: str) -> list[str]:
    """Lines of one CJK character in a text broken into several lines."""
    return [f"lone {line!r} in {text!r}" for line in lines if len(lines) > 1 and measure.lonely(line)]


@pytest.mark.parametrize("factor", [1, 10, 100, 10_000])
@pytest.mark.parametrize("name", EXAMPLES)
def test_every_amount_fits_its_column_at_every_scale(name: str, factor: int) -> None:
    data = scaled(load(name), factor)
    if data.get("amount_unit") == "元" and factor * max(_amounts(load(name))) >= 10 ** 12:
        # beyond the data model's 12 whole digits (万里街道's 1.56亿元 × 10,000): refused, clearly
        with pytest.raises(InputError, match="12 位"):
            document_from_bytes(dump(data), name)
        return
    doc, _ = document_from_bytes(dump(data), name)
    assert _fits(doc) == []


def _amounts(value: object) -> list[float]:
    """Every number of an input (amounts and counts alike: enough for an upper bound)."""
    if isinstance(value, dict):
        return [a for v in value.values() for a in _amounts(v)]
    if isinstance(value, list):
        return [a for v in value for a in _amounts(v)]
    return [value] if isinstance(value, int | float) and not isinstance(value, bool) else [0]
