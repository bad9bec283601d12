"""What changes in the published document between two inputs: figures and sentences.

Both inputs are composed into document trees and compared there, so the diff speaks of
what a reader sees: 表3 row "2011308 招商引资", column "合计": 68.41 → 70.00.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass

from generator.compose.tree import Document, Heading, Paragraph, Table, positions


@dataclass(frozen=True)
class CellChange:
    table: str
    row: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class TextChange:
    section: str
    old: str
    new: str


@dataclass(frozen=True)
class DocumentDiff:
    cells: tuple[CellChange, ...]
    texts: tuple[TextChange, ...]

    @property
    def empty(self) -> bool:
        return not self.cells and not self.texts

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        return {"tables": [asdict(c) for c in self.cells], "text": [asdict(t) for t in self.texts]}


def expand(table: Table) -> list[list[tuple[str, str]]]:
    """The table as a full grid of (text, style), each spanned cell repeated where it covers."""
    height, width = len(table.header) + len(table.body), len(table.widths)
    grid = [[("", "text")] * width for _ in range(height)]
    for r, c, cell in positions(table):
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                if r + dr < height and c + dc < width:
                    grid[r + dr][c + dc] = (cell.text, cell.style)
    return grid


def _column_names(grid: list[list[tuple[str, str]]], header_rows: int) -> list[str]:
    names = []
    for c in range(len(grid[0]) if grid else 0):
        parts: list[str] = []
        for r in range(header_rows):
            text = grid[r][c][0]
            if text and not text.isdigit() and text not in parts:  # not the 1..7 numbering row
                parts.append(text)
        names.append("/".join(parts))
    return names


def table_cells(title: str, table: Table) -> dict[tuple[str, str, str], str]:
    """(table, row label, column) → text, for every amount cell of a budget table.

    A cell's row label is the text cells to its left since the previous amount cell, so the
    side-by-side tables (表1, 表4, 表9) label each half by its own 项目.
    """
    grid = expand(table)
    header = len(table.header)
    columns = _column_names(grid, header)
    cells: dict[tuple[str, str, str], str] = {}
    for row in grid[header:]:
        label: list[str] = []
        after_number = False
        for (text, style), column in zip(row, columns, strict=True):
            if style == "number":
                key = (title, " ".join(label), column)
                cells[key] = text
                after_number = True
            else:
                if after_number:
                    label, after_number = [], False
                if text and text not in label:
                    label.append(text)
    return cells


def _flatten(doc: Document) -> tuple[dict[tuple[str, str, str], str], list[tuple[str, str]]]:
    cells: dict[tuple[str, str, str], str] = {}
    texts: list[tuple[str, str]] = []
    section = ""
    for block in doc.blocks:
        if isinstance(block, Heading):
            section = block.text
        elif isinstance(block, Table) and block.kind == "budget":
            cells.update(table_cells(section, block))
        elif isinstance(block, Table):
            texts.extend((section, " | ".join(c.text for c in row if c.text)) for row in block.body)
        elif isinstance(block, Paragraph):
            texts.append((section, block.text))
    return cells, texts


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    old_cells, old_texts = _flatten(old)
    new_cells, new_texts = _flatten(new)
    cells = [
        CellChange(*key, old_cells.get(key, ""), new_cells.get(key, ""))
        for key in list(dict.fromkeys([*old_cells, *new_cells]))
        if old_cells.get(key, "") != new_cells.get(key, "")
    ]
    texts: list[TextChange] = []
    matcher = difflib.SequenceMatcher(a=[t for _, t in old_texts], b=[t for _, t in new_texts],
                                      autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds, news = old_texts[a1:a2], new_texts[b1:b2]
        for i in range(max(len(olds), len(news))):
            section = (news[i] if i < len(news) else olds[i])[0]
            texts.append(TextChange(section, olds[i][1] if i < len(olds) else "",
                                    news[i][1] if i < len(news) else ""))
    return DocumentDiff(tuple(cells), tuple(texts))


def format_diff(diff: DocumentDiff) -> str:
    if diff.empty:
        return "公开内容无变化 / no change in the published document"
    lines = []
    if diff.cells:
        lines.append(f"表格数字 table figures ({len(diff.cells)}):")
        table = None
        for c in diff.cells:
            if c.table != table:
                table = c.table
                lines.append(f"  {table}")
            lines.append(f"    {c.row} | {c.column}: {c.old or '（空）'} → {c.new or '（空）'}")
    if diff.texts:
        lines.append(f"文字 sentences ({len(diff.texts)}):")
        for t in diff.texts:
            lines += [f"  [{t.section}]", f"    - {t.old or '（无）'}", f"    + {t.new or '（无）'}"]
    return "\n".join(lines)
