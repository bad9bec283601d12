"""The three published Shanghai (上海市普陀区) disclosures, reproduced from inputs/.

Every table cell and every paragraph of 预算编制说明, 其他相关情况说明 and 项目经费情况说明 is
compared with its transcription (tests/fixtures/published/shanghai), after the corrections
each fixture lists for the published errors: in the document tree, in the DOCX and in the
PDF's text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.compose.tree import Heading, Paragraph, Table
from generator.pipeline import document_for

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "published" / "shanghai"
CASES = {
    "putuo-finance-bureau-2025": "putuo-finance-bureau-2025-dept",
    "putuo-wanli-street-2024": "putuo-wanli-street-2024-dept",
    "putuo-welfare-home-2024": "putuo-welfare-home-2024-unit",
}
TABLE_ORDER = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"]
SECTIONS = {"budget_notes": "预算编制说明", "other_notes": "其他相关情况说明", "project_notes": "项目经费情况说明"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def corrected(fixture: dict) -> dict:
    """The fixture with each listed published error replaced by its correction (every error
    is located in the transcription as published, then all are applied)."""
    lists: dict[str, list] = {name: list(fixture.get(name) or []) for name in SECTIONS}
    for key, table in fixture["tables"].items():
        lists[f"tables.{key}.rows"] = list(table["rows"])
        lists[f"tables.{key}.note"] = [table["note"]] if table["note"] else []
    edits: dict[str, list[tuple[int, int, str | None]]] = {}
    for error in fixture.get("errors", []):
        items = lists[error["section"]]
        if "after" in error:  # a paragraph the document left out
            edits.setdefault(error["section"], []).append((items.index(error["after"]) + 1, 0, error["corrected"]))
            continue
        hits = [i for i, item in enumerate(items) if item == error["published"]]
        index = hits[error.get("occurrence", 1) - 1]
        edits.setdefault(error["section"], []).append((index, 1, error["corrected"]))
    for section, changes in edits.items():
        items = lists[section]
        for index, replaced, value in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True):
            items[index:index + replaced] = [] if value is None else [value]
    return lists


def expected(case: str) -> dict:
    return corrected(yaml.safe_load((FIXTURES / f"{CASES[case]}.yaml").read_text(encoding="utf-8")))


def row_text(cells) -> str:
    return squeeze("|".join(c.text for c in cells))


def fixture_row(row: str) -> str:
    return squeeze("|".join(c.strip() for c in row.split("|")))


@pytest.fixture(scope="module", params=list(CASES))
def composed(request):
    document, _ = document_for(ROOT / "inputs" / f"{request.param}.yaml")
    return request.param, document


def _tables(document) -> dict[str, tuple[Table, str | None]]:
    """The budget tables in order, each with the note printed under it."""
    out, blocks = {}, document.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Table):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            note = nxt.text if isinstance(nxt, Paragraph) and nxt.style == "note" else None
            out[TABLE_ORDER[len(out)]] = (block, note)
    return out


def _section(document, title_end: str) -> list[str]:
    """The headings and paragraphs under the level-1 heading ending in `title_end`."""
    out, inside = [], False
    for block in document.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text.endswith(title_end)
            continue
        if inside and isinstance(block, Heading | Paragraph):
            out.append(squeeze(block.text))
    return out


def test_every_table_cell(composed):
    case, document = composed
    want = expected(case)
    tables = _tables(document)
    assert list(tables) == TABLE_ORDER
    for key, (table, note) in tables.items():
        got = [row_text(r) for r in table.body]
        assert got == [fixture_row(r) for r in want[f"tables.{key}.rows"]], key
        assert ([squeeze(note)] if note else []) == [squeeze(n) for n in want[f"tables.{key}.note"]], key


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_sentence(composed, section):
    case, document = composed
    want = [squeeze(p) for p in expected(case)[section]]
    assert _section(document, SECTIONS[section]) == want


@pytest.fixture(scope="module", params=list(CASES))
def rendered(request):
    """Each document's tree, DOCX and PDF from both engines (WeasyPrint, Typst)."""
    from generator.writers import typst_writer
    from generator.writers.docx_writer import write_docx
    from generator.writers.pdf_writer import write_pdf

    document, _ = document_for(ROOT / "inputs" / f"{request.param}.yaml")
    return request.param, document, {"docx": write_docx(document), "pdf": write_pdf(document),
                                     "typst": typst_writer.write_pdf(document)}


def _expected_texts(case: str) -> list[str]:
    """Every expected table row (its cells run together) and paragraph, squeezed."""
    want = expected(case)
    rows = [squeeze("".join(c.strip() for c in row.split("|")))
            for key in want if key.endswith(".rows") for row in want[key]]
    notes = [squeeze(n) for key in want if key.endswith(".note") for n in want[key]]
    return [t for t in rows + notes + [squeeze(p) for s in SECTIONS for p in want[s]] if t]


@pytest.mark.parametrize("output", ["docx", "pdf", "typst"])
def test_every_cell_and_sentence_in_docx_and_pdf(rendered, output):
    from tests.texts import docx_text, missing_in_order, pdf_visible_text

    case, document, data = rendered
    text = docx_text(data[output]) if output == "docx" else pdf_visible_text(data[output])
    assert not [t for t in _expected_texts(case) if t not in text]
    if output != "typst":  # Typst draws a header's row-spanning cells after the others
        assert not missing_in_order(text, document)
