"""One JSON file with every table of the document and every derived narrative figure.

Keys are documented in docs/input-format.md (§8). Amounts are as printed (万元 with two
decimals; the performance tables' funds in 元), percentages as printed (without %). Both are JSON numbers: a
figure of at most 15 significant digits reads back as exactly the printed decimal; the
cells' `text` is the printed text itself.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal

from generator.compose.tree import Document
from generator.derive.figures import Change, Figures
from generator.derive.projects import ProjectFigures
from generator.writers.data_tables import DataTable, data_tables

FORMAT_VERSION = 1
_SKIPPED = {"ledger", "economic"}  # already in the tables (表3…表6)
_IF_GIVEN = {"format_figures"}  # the figures only some formats compute
_PROJECT_LISTS = {"by_unit", "carried", "published"}  # already in 表12, 表13 and 绩效表


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Change):
        return {"current": _plain(value.current), "prior": _plain(value.prior), "delta": _plain(value.delta),
                "pct": _plain(value.pct), "direction": "up" if value.up else "down" if value.down else "same"}
    if isinstance(value, ProjectFigures):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in _PROJECT_LISTS} | {"published_count": len(value.published)}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in _SKIPPED and not (f.name in _IF_GIVEN and getattr(value, f.name) is None)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _table(data: DataTable) -> dict:
    rows: list[list[dict]] = [[] for _ in range(len(data.table.header) + len(data.table.body))]
    for row, column, cell, value in data.values():
        entry: dict = {"text": cell.text, "column": column}
        if cell.colspan > 1:
            entry["colspan"] = cell.colspan
        if cell.rowspan > 1:
            entry["rowspan"] = cell.rowspan
        if value is not None:
            entry["value"] = float(value)
        rows[row].append(entry)
    return {"name": data.name, "title": data.title, "captions": list(data.captions),
            "kind": data.table.kind, "columns": len(data.table.widths),
            "header": rows[:data.header_rows], "body": rows[data.header_rows:]}


def write_data_json(doc: Document, figures: Figures) -> bytes:
    out = {"format": FORMAT_VERSION, "title": doc.title, "unit": "万元",
           "tables": [_table(t) for t in data_tables(doc)], "figures": _plain(figures)}
    return (json.dumps(out, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
