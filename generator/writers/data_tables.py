"""The document's tables as data: each Table node with its name, title and caption lines.

Shared by the data workbook and the JSON file, so both name and lay out the tables as the
document prints them. Only maps the tree: every cell text is the printed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from generator.compose.tree import Cell, Document, Heading, Paragraph, Table, positions

_CAPTIONS = {"table-label", "table-title", "table-meta", "table-unit", "center"}
_NUMBER = re.compile(r"-?[\d,]*\d(\.\d+)?")


@dataclass(frozen=True)
class DataTable:
    name: str  # 表1 … 表13, 绩效表1 …
    title: str
    captions: tuple[str, ...]  # the lines printed above the table (label, unit, …)
    table: Table

    @property
    def header_rows(self) -> int:
        return len(self.table.header)

    def placed(self) -> list[tuple[int, int, Cell]]:
        """Every cell at its grid row and column (0-based)."""
        return positions(self.table)

    def values(self) -> list[tuple[int, int, Cell, Decimal | None]]:
        """Every placed cell with its amount (None for text): a 绩效表's funds count too."""
        return [(r, c, cell, number(cell)) for r, c, cell in self.placed()]


def number(cell: Cell) -> Decimal | None:
    """The value of an amount cell, None for text and blank cells.

    Amount cells are those printed as numbers (style "number", and the figures of total
    rows) and text cells the tree marks as amounts (`Cell.amount`: a 绩效表's funds).
    """
    if not (cell.amount or cell.style in ("number", "total")) or not _NUMBER.fullmatch(cell.text):
        return None
    try:
        return Decimal(cell.text.replace(",", ""))
    except InvalidOperation:
        return None


def number_format(text: str) -> str:
    """The spreadsheet format that shows a number as the cell prints it: 2730.51, 37,668.75."""
    decimals = len(text.partition(".")[2])
    return ("#,##0" if "," in text else "0") + ("." + "0" * decimals if decimals else "")


def data_tables(doc: Document) -> list[DataTable]:
    """One entry per table: a 绩效表 continued on further pages is one table, named and
    numbered by its project."""
    out: list[DataTable] = []
    heading, captions, table_title = "", [], ""
    counts = {"budget": 0, "performance": 0}
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Paragraph) and block.style in _CAPTIONS:
            captions.append(block.text)
            table_title = block.text if block.style == "table-title" else table_title
        elif isinstance(block, Table):
            previous = out[-1] if out else None
            if block.continued and previous is not None and previous.table.kind == "performance":
                out[-1] = replace(previous, table=_joined(previous.table, block))
                captions, table_title = [], ""
                continue
            counts[block.kind] += 1
            name = f"表{counts['budget']}" if block.kind == "budget" else f"绩效表{counts['performance']}"
            title = heading
            if block.kind == "performance":
                title = table_title or heading
                title = f"{title}：{_project(block)}" if _project(block) else title
            out.append(DataTable(name, title, tuple(captions), block))
            captions, table_title = [], ""
    return out


def _project(table: Table) -> str:
    """The project a 绩效表's first page names in its first row (its label, then the name across
    the other seven columns); "" for a continuation page or another table."""
    row = table.body[0] if table.body else ()
    named = table.kind == "performance" and len(row) == 2 and row[0].style == "label" and row[1].colspan == 7
    return row[1].text if named else ""


def _joined(first: Table, more: Table) -> Table:
    """A 绩效表 and its continuation page as one grid (a repeated project-name row dropped)."""
    dropped = 1 if _project(more) else 0
    offset = len(first.body) - dropped
    return replace(first, body=(*first.body, *more.body[dropped:]), keep_with_next=frozenset(),
                   subheaders=first.subheaders | {offset + i for i in more.subheaders if i >= dropped})
