"""Audit a rendered PDF's layout from its words and boxes (pdfplumber).

Checks what a reader sees: every amount of the tree printed whole (one word, not
overprinted, not wrapped) and inside its cell's borders; no line of a table cell, title
or 目录 entry holding a single CJK character; no page that is a sparse continuation of a
table (rows filling under 30 % of the type area, with no title).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections import Counter
from io import BytesIO
from pathlib import Path

import pdfplumber

from generator.compose.layout import type_area
from generator.compose.tree import Chart, Document, Table

AMOUNT = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d\d)?|-?\d+\.\d\d")
PUNCTUATION = set("，。、；：！？（）《》“”‘’,.;:!?()[]【】%—…· ")
TITLE_PT = 17.0  # text this large or larger is a title
BODY_PT = (15.5, 16.5)  # running text and in-text headings: not audited for lone characters
SPARSE = 0.30
MM = 25.4 / 72


def _cjk(char: str) -> bool:
    return ord(char) >= 0x2E80 and char not in PUNCTUATION


def tree_amounts(doc: Document) -> Counter[str]:
    """Every amount the tables print."""
    return Counter(cell.text for block in doc.blocks if isinstance(block, Table)
                   for row in (*block.header, *block.body) for cell in row
                   if AMOUNT.fullmatch(cell.text))


def _single_texts(doc: Document) -> set[str]:
    return {cell.text for block in doc.blocks if isinstance(block, Table)
            for row in (*block.header, *block.body) for cell in row if len(cell.text) == 1}


def _free_texts(doc: Document) -> list[str]:
    """Cell texts an editable document leaves to the word processor to wrap."""
    from generator.compose.layout import keeps_breaks

    return [cell.text for block in doc.blocks if isinstance(block, Table)
            for row in (*block.header, *block.body) for cell in row if not keeps_breaks(block, cell)]


def audit(pdf: bytes, doc: Document, *, editable: bool = False) -> list[str]:
    """Problems found, each naming its page; empty when the layout passes. `editable`: the
    PDF prints the DOCX, whose prose cells the word processor wraps as it likes."""
    problems: list[str] = []
    printed: Counter[str] = Counter()
    singles = _single_texts(doc)
    free = _free_texts(doc) if editable else []
    charts = [block.title for block in doc.blocks if isinstance(block, Chart)]  # no tables
    with pdfplumber.open(BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, 1):
            verticals = [e for e in page.edges if e["orientation"] == "v"]
            words = page.extract_words(x_tolerance=1.5, keep_blank_chars=False)
            for word in words:
                if AMOUNT.fullmatch(word["text"]):
                    printed[word["text"]] += 1
                    if _crosses(word, verticals):
                        problems.append(f"page {number}: {word['text']} crosses a cell border")
            problems += [f"page {number}: lone character {text!r}"
                         for text in _lone_characters(page, verticals)
                         if text not in singles and not any(text in t for t in free)]
            if _sparse(page) and not any(title in page.extract_text() for title in charts):
                problems.append(f"page {number}: sparse continuation of a table")
    for text, count in (tree_amounts(doc) - printed).items():
        problems.append(f"{text} not printed whole ({count}×): wrapped or overprinted")
    return problems


def _crosses(word: dict, verticals: list[dict]) -> bool:
    middle = (word["top"] + word["bottom"]) / 2
    return any(word["x0"] + 0.5 < e["x0"] < word["x1"] - 0.5 and e["top"] <= middle <= e["bottom"]
               for e in verticals)


def _cell(char: dict, verticals: list[dict]) -> tuple[float, float] | None:
    """The borders left and right of a character, if it is in a table cell."""
    middle_y = (char["top"] + char["bottom"]) / 2
    middle_x = (char["x0"] + char["x1"]) / 2
    xs = [e["x0"] for e in verticals if e["top"] <= middle_y <= e["bottom"]]
    left = [x for x in xs if x < middle_x]
    right = [x for x in xs if x > middle_x]
    return (max(left), min(right)) if left and right else None


def _lone_characters(page, verticals: list[dict]) -> list[str]:
    """Lines (of a cell, or of text outside tables) that hold one CJK character."""
    lines: dict[tuple, list[dict]] = {}
    for char in page.chars:
        if not char["upright"]:
            continue  # a chart's rotated axis title
        cell = _cell(char, verticals)
        if cell is None and BODY_PT[0] <= char["size"] <= BODY_PT[1]:
            continue  # running text and in-text headings
        lines.setdefault((round(char["top"]), cell), []).append(char)
    found = []
    for (_, cell), chars in lines.items():
        chars.sort(key=lambda c: c["x0"])
        for run in _runs(chars) if cell is None else [chars]:
            text = "".join(c["text"] for c in run).strip()
            core = [c for c in text if not c.isspace() and c not in PUNCTUATION]
            if len(core) == 1 and _cjk(core[0]):
                found.append(text)
    return found


def _runs(chars: list[dict]) -> list[list[dict]]:
    """Characters of one line outside tables, cut where the gap is wider than two em."""
    runs = [[chars[0]]]
    for before, char in itertools.pairwise(chars):
        if char["x0"] - before["x1"] > 2 * char["size"]:
            runs.append([])
        runs[-1].append(char)
    return runs


def _sparse(page) -> bool:
    """A page whose table rows fill under SPARSE of the type area, with no title on it.
    A table has rules at three or more heights spanning 40 % of the page (a chart less)."""
    horizontals = [e for e in page.edges if e["orientation"] == "h"]
    if len({round(e["top"]) for e in horizontals}) < 3 or any(c["size"] >= TITLE_PT for c in page.chars):
        return False
    if max(e["x1"] for e in horizontals) - min(e["x0"] for e in horizontals) < 0.4 * page.width:
        return False
    extent = (max(e["top"] for e in horizontals) - min(e["top"] for e in horizontals)) * MM
    area = type_area("landscape" if page.width > page.height else "portrait")[1]
    return extent < SPARSE * area


def docx_to_pdf(docx: bytes, folder: Path) -> bytes | None:
    """The DOCX as LibreOffice prints it, or None if LibreOffice is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    source = folder / "document.docx"
    source.write_bytes(docx)
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=300)
    return (folder / "document.pdf").read_bytes()
