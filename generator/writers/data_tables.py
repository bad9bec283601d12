"""The document's tables as data: each Table node with its name, title and caption lines.

Shared by the data workbook and the JSON file, so both name and lay out the tables as the
document prints them. Only maps the tree: every cell text is the printed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def number(cell: Cell) -> Decimal | None:
    """The value of an amount cell (style "number"), None for text and blank cells."""
    if cell.style != "number" or not _NUMBER.fullmatch(cell.text):
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
    out: list[DataTable] = []
    title, captions, table_title = "", [], ""
    counts = {"budget": 0, "performance": 0}
    for block in doc.blocks:
        if isinstance(block, Heading):
            title = block.text
        elif isinstance(block, Paragraph) and block.style in _CAPTIONS:
            captions.append(block.text)
            table_title = block.text if block.style == "table-title" else table_title
        elif isinstance(block, Table):
            counts[block.kind] += 1
            name = f"表{counts['budget']}" if block.kind == "budget" else f"绩效表{counts['performance']}"
            if block.kind == "performance":
                title = table_title or title
                first = block.body[0] if block.body else ()
                if _names_the_project(first):
                    title = f"{title}：{first[1].text}"
            out.append(DataTable(name, title, tuple(captions), block))
            captions, table_title = [], ""
    return out


def _names_the_project(row: tuple[Cell, ...]) -> bool:
    """The first row of a performance table's first page: its label and the project's name
    across the other seven columns (a continuation page starts with the indicators)."""
    return len(row) == 2 and row[0].style == "label" and row[1].colspan == 7
