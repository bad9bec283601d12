"""What changes in the published document between two inputs: figures and sentences.

Both inputs are composed into document trees and compared there, so the diff speaks of
what a reader sees: 表3 row "2011308 招商引资", column "合计": 68.41 → 70.00.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from generator.compose.tree import Document, Heading, Paragraph, Table, positions
from generator.model.yamlsource import PathKey, Source, dotted


@dataclass(frozen=True)
class InputChange:
    """One value of the input that differs: where the clerk typed it, old → new."""

    where: str  # sheet!cell and label, or the YAML path and line
    old: str
    new: str


@dataclass(frozen=True)
class CellChange:
    table: str
    row: str
    column: str
    old: str
    new: str
    number: str = ""  # 表N


@dataclass(frozen=True)
class TextChange:
    section: str
    old: str
    new: str


@dataclass(frozen=True)
class DocumentDiff:
    cells: tuple[CellChange, ...]
    texts: tuple[TextChange, ...]
    inputs: tuple[InputChange, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the published content is the same (changed inputs alone may change nothing)."""
        return not self.cells and not self.texts

    def as_dict(self) -> dict[str, list[dict[str, str]]]:
        return {"inputs": [asdict(i) for i in self.inputs], "tables": [asdict(c) for c in self.cells],
                "text": [asdict(t) for t in self.texts]}


def input_changes(old: Source, new: Source) -> tuple[InputChange, ...]:
    """Every input value that differs, located where the new file has it (or the old one had it)."""
    olds, news = dict(_leaves(old.data)), dict(_leaves(new.data))
    changes = []
    for path in dict.fromkeys([*news, *olds]):
        a, b = olds.get(path, ""), news.get(path, "")
        if _same(a, b):
            continue
        source = new if path in news else old
        problem = source.problem(path, "", "")
        place = problem.cell or (f"{dotted(path)} (line {problem.line})" if problem.line else dotted(path))
        changes.append(InputChange(place, a, b))
    return tuple(changes)


def _leaves(value: object, path: PathKey = ()) -> list[tuple[PathKey, str]]:
    if isinstance(value, dict | list):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        return [leaf for key, item in items for leaf in _leaves(item, (*path, key))]
    if value is None:
        return []
    return [(path, str(value))]


def _same(a: str, b: str) -> bool:
    """Equal as typed, or as numbers (a workbook's 100 is a YAML file's 100.00)."""
    if a == b:
        return True
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?%?")


def marked(old: str, new: str) -> tuple[str, str]:
    """Both sentences with the figures that differ between them in ［brackets］."""
    a, b = _FIGURE.findall(old), _FIGURE.findall(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    changed_a = {i for op, a1, a2, _, _ in matcher.get_opcodes() if op != "equal" for i in range(a1, a2)}
    changed_b = {j for op, _, _, b1, b2 in matcher.get_opcodes() if op != "equal" for j in range(b1, b2)}
    return _bracket(old, changed_a), _bracket(new, changed_b)


def _bracket(text: str, which: set[int]) -> str:
    count = iter(range(len(text) + 1))
    return _FIGURE.sub(lambda m: f"［{m.group(0)}］" if next(count) in which else m.group(0), text)


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


def _flatten(doc: Document) -> tuple[dict[tuple[str, str, str], str], list[tuple[str, str]], dict[str, str]]:
    cells: dict[tuple[str, str, str], str] = {}
    texts: list[tuple[str, str]] = []
    numbers: dict[str, str] = {}  # table title → 表N
    section = ""
    for block in doc.blocks:
        if isinstance(block, Heading):
            section = block.text
        elif isinstance(block, Table) and block.kind == "budget":  # keyed by 表N: titles name the year
            number = numbers.setdefault(section, f"表{len(numbers) + 1}")
            cells.update(table_cells(number, block))
        elif isinstance(block, Table):
            texts.extend((section, " | ".join(c.text for c in row if c.text)) for row in block.body)
        elif isinstance(block, Paragraph):
            texts.append((section, block.text))
    return cells, texts, numbers


def diff_documents(old: Document, new: Document) -> DocumentDiff:
    old_cells, old_texts, old_numbers = _flatten(old)
    new_cells, new_texts, new_numbers = _flatten(new)
    titles = {n: t for t, n in (*old_numbers.items(), *new_numbers.items())}  # 表N → the new title
    cells = [
        CellChange(titles[key[0]], *key[1:], old_cells.get(key, ""), new_cells.get(key, ""), key[0])
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
    lines = []
    if diff.inputs:
        lines.append(f"输入的修改 changed inputs ({len(diff.inputs)}):")
        lines += [f"  {i.where}: {i.old or '（空）'} → {i.new or '（空）'}" for i in diff.inputs]
    if diff.empty:
        lines.append("公开内容无变化 / no change in the published document")
        return "\n".join(lines)
    if diff.cells:
        lines.append(f"表格数字 table figures ({len(diff.cells)}):")
        table = None
        for c in diff.cells:
            if c.table != table:
                table = c.table
                lines.append(f"  {c.number} {table}".rstrip() if c.number else f"  {table}")
            lines.append(f"    {c.row} | {c.column}: {c.old or '（空）'} → {c.new or '（空）'}")
    if diff.texts:
        lines.append(f"文字 sentences ({len(diff.texts)}, 变化的数字在［］中 / changed figures in ［］):")
        for t in diff.texts:
            old, new = marked(t.old, t.new)
            lines += [f"  [{t.section}]", f"    - {old or '（无）'}", f"    + {new or '（无）'}"]
    return "\n".join(lines)


def change_note(diff: DocumentDiff, old: str, new: str) -> str:
    """The diff as a 修改说明 (HTML) a head of office can read and sign."""
    import jinja2

    from generator.writers.html_writer import TEMPLATE_DIR

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    texts = [(t.section, *marked(t.old, t.new)) for t in diff.texts]
    return env.get_template("changes.html.j2").render(diff=diff, texts=texts, old=old, new=new)
