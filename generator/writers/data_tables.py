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
CONTINUED = "（续）"  # the title of a 绩效表's continuation page ends so
FUNDS_LABEL = "项目资金"  # the 绩效表 row label whose rows hold its funds


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
        """Every placed cell with its amount (None for text): a 绩效表's funds block counts too."""
        placed = self.placed()
        funds = {r + k for r, c, cell in placed if c == 0 and cell.text.startswith(FUNDS_LABEL)
                 for k in range(cell.rowspan)}
        return [(r, c, cell, number(cell, amount=self.table.kind == "performance" and r in funds and c > 0))
                for r, c, cell in placed]


def number(cell: Cell, amount: bool = False) -> Decimal | None:
    """The value of an amount cell, None for text and blank cells.

    Amount cells are those printed as numbers (style "number", and the figures of total
    rows); `amount` marks a text-styled cell known to hold an amount (a 绩效表's funds).
    """
    if not (amount or cell.style in ("number", "total")) or not _NUMBER.fullmatch(cell.text):
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
    """One entry per table: a 绩效表 continued on further pages （续） is one table, named and
    numbered by its project."""
    out: list[DataTable] = []
    heading, captions = "", []
    counts = {"budget": 0, "performance": 0}
    for block in doc.blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Paragraph) and block.style in _CAPTIONS:
            captions.append(block.text)
        elif isinstance(block, Table):
            project = _project(block)
            previous = out[-1] if out else None
            if (previous is not None and block.kind == "performance" and previous.table.kind == "performance"
                    and any(c.endswith(CONTINUED) for c in captions) and _project(previous.table) == project):
                out[-1] = replace(previous, table=_joined(previous.table, block))
                captions = []
                continue
            counts[block.kind] += 1
            title = heading
            if block.kind == "performance":
                title = next((c for c in captions if "绩效目标表" in c), heading)
                title = f"{title}：{project}" if project else title
            name = f"表{counts['budget']}" if block.kind == "budget" else f"绩效表{counts['performance']}"
            out.append(DataTable(name, title, tuple(captions), block))
            captions = []
    return out


def _project(table: Table) -> str:
    """A 绩效表's project name (its first row: 项目名称 | name); "" for other tables."""
    first = table.body[0] if table.body else ()
    return first[1].text if table.kind == "performance" and len(first) > 1 and first[0].text == "项目名称" else ""


def _joined(first: Table, more: Table) -> Table:
    """A 绩效表 and its continuation page as one grid (the repeated project-name row dropped)."""
    return replace(first, body=(*first.body, *more.body[1:]), keep_with_next=frozenset())
