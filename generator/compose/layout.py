"""Layout decisions, made once in the tree: page geometry, type sizes, column widths,
table font sizes, line breaks of titles, headers and cells, and table pagination.

Every writer maps these decisions; none makes its own. Heights are estimated from the
same measure (compose.measure) with a safety margin, so that a table decided to fit a
page fits it in Word, LibreOffice, WeasyPrint and Typst alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal, NamedTuple

from generator.compose import measure
from generator.compose.performance import Indicators, PerformanceParts, performance_table
from generator.compose.tree import (
    Block,
    BlockAlign,
    Cell,
    Chart,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
    positions,
)

Orientation = Literal["portrait", "landscape"]

# Margins in millimetres: top, right, bottom, left. Portrait: the 公文 page (GB/T 9704).
# Landscape pages hold the wide performance tables, so their margins are narrow.
MARGINS_MM: dict[Orientation, tuple[float, float, float, float]] = {
    "portrait": (37, 26, 35, 28),
    "landscape": (12, 18, 13, 18),
}
PAGE_MM: dict[Orientation, tuple[float, float]] = {"portrait": (210, 297), "landscape": (297, 210)}
BODY_LINE = 28.0  # pt, exact line pitch of running text
ROW_HEIGHT_EM = 1.55  # usual minimum table row height, in em of the table's font size
CELL_LINE_EM = 1.3  # exact line pitch inside table cells, in em
CELL_PAD_PT = (1.2, 4.25)  # cell padding: top and bottom, left and right
MM_PER_PT = 25.4 / 72
BORDER_PT = 0.5  # a cell border's width: every writer draws it so, and a row's height holds it
TABLE_GAP_EM = 0.3  # space above and below a table, in em of its font size
CHART_GAP_EM = 0.8  # space above and below a chart, in em of the body size
# Justified running text stretches between characters by at most this much (em) and never
# squeezes full-width punctuation; a paragraph's last line of one character costs this
# much (percent of a normal line) in the line breaker, so the paragraph is re-broken.
JUSTIFY_TRACKING_EM = 0.1
RUNT_COST = 1000
# Every line box of the PDFs is one em high: this much of it (em) above the baseline and
# this much below (the Typst template's top and bottom edge).
LINE_EDGES_EM = (0.8, 0.2)
# From the bottom of the type area to the top of the page number's line box (one em of the
# footer size): the one figure that places the footer; `footer_bottom` and `footer_baseline`
# derive the rest, for every writer. Portrait: 7 mm, as GB/T 9704 and the format ask; the
# landscape pages' narrow margins leave 2 mm.
FOOTER_GAP_MM: dict[Orientation, float] = {"portrait": 7, "landscape": 2}

# One typographic scale (pt) for every paragraph style, heading level, TOC and footer.
# All titles share it: cover 26, parts and 目录 22, table titles 18 (budget and
# performance tables alike), headings in the text 16 like the body.
SIZES: dict[str, float] = {
    "body": 16, "plain": 16,
    "center": 12,  # the (2024年度) line under a performance table's title
    "cover-title": 26, "cover-subtitle": 22,
    "h1": 22, "h2": 16, "h3": 16, "h4": 16,
    "table-label": 12, "table-title": 18, "table-meta": 11, "table-unit": 11, "note": 12,
    "caption": 14, "toc-title": 22, "toc": 14, "footer": 14,
    "draft": 20,  # a draft's mark (render --draft)
}
# A draft's mark: bold, this colour, in the top margin (aligned as ALIGN["draft"] says) of
# every page, the cover's too. Every writer stamps it so.
DRAFT_COLOUR = "C00000"
# Line pitch, space before and space after (pt) per paragraph style and heading level.
# Both writers apply exactly these (CSS as padding, which never collapses, as in Word), so
# the pages break alike and the estimates here hold for both.
SPACING: dict[str, tuple[float, float, float]] = {
    "body": (BODY_LINE, 0, 0), "plain": (BODY_LINE, 0, 0),
    "h1": (36, 12, 12), "h2": (BODY_LINE, 0, 0), "h3": (BODY_LINE, 0, 0), "h4": (BODY_LINE, 0, 0),
    "cover-title": (44, 160, 12), "cover-subtitle": (36, 12, 0),
    "table-label": (17, 6, 0), "table-title": (25, 4, 4), "center": (17, 0, 4),
    "table-meta": (15, 0, 0), "table-unit": (15, 0, 0), "note": (17, 3, 0),
    "caption": (20, 6, 0), "toc-title": (36, 0, 12), "toc": (26, 0, 0),
}
# How the text of every paragraph style, heading kind, chart and the 目录 aligns, for every
# writer: running text justified (both edges straight, the last line left-aligned), titles
# centred, the unit right; headings in the text left-aligned, indented like running text:
# their lines are broken here (`heading`) and a justified line before a forced break would
# be spread over the whole width in Word and LibreOffice.
ALIGN: dict[str, BlockAlign] = {
    "body": "justify", "plain": "justify", "center": "center",
    "cover-title": "center", "cover-subtitle": "center",
    "h1": "center", "h2": "left", "h3": "left", "h4": "left",
    "table-label": "left", "table-title": "center", "table-meta": "left", "table-unit": "right",
    "note": "left", "caption": "center", "chart": "center", "toc-title": "center", "toc": "left",
    "footer": "center",  # the page number, in the bottom margin
    "draft": "right",  # a draft's mark, in the top margin
}
# First-line indent (em of the block's size) of the styles that have one: running text and
# the headings in it (首行缩进 2 字).
INDENT_EM: dict[str, float] = {"body": 2.0, "h2": 2.0, "h3": 2.0, "h4": 2.0}
# Heading levels set in bold: a 1、 heading is in the body face (仿宋, GB/T 9704), and bold
# tells it from the running text.
BOLD_HEADINGS = frozenset({4})
BUDGET_FONT = (9.0, 7.0)  # budget tables: preferred size and floor, pt
PERFORMANCE_FONT = (8.0, 7.0)  # performance tables: preferred size and floor, pt
FONT_STEP = 0.5
MIN_LAST_PAGE = 0.35  # least share of the type area the rows on a table's last page fill
SAFETY = 0.97  # lines are measured to fill at most this share of their width
# Cell styles whose forced line breaks an editable document (the DOCX) keeps: headers,
# labels and total rows are set like titles (see `keeps_breaks`).
EDITABLE_BREAKS = frozenset({"header", "label", "total"})


def keeps_breaks(table: Table, cell: Cell) -> bool:
    """Whether an editable document (the DOCX) keeps a cell's forced line breaks: those of
    headers, labels and total rows, and the names of a budget table (set like labels);
    the prose of a performance table (项目概况, 实施计划, 总体目标, indicator texts) wraps by
    itself there, so that edited text never keeps the old breaks."""
    return cell.style in EDITABLE_BREAKS or table.kind == "budget"
CODE_SHARE = 0.3  # a number, date or code up to this share of a table's width never breaks
# A run of this many characters without a break opportunity (no CJK, space or punctuation)
# is no word: where it does not fit, it breaks at any character (check: W-LONG-WORD).
LONG_RUN = 20


def _no_break() -> str:
    """A character that is no break opportunity, as a regular expression's class: one below
    U+2E80 (every CJK character and all after it may break) that is neither a space
    (`str.isspace`) nor punctuation. Each character is written as its code point (\\uXXXX,
    \\UXXXXXXXX), which Python's and Typst's (Rust's) engines read alike; their `\\s`
    differ (Python's also takes U+001C–U+001F)."""
    ranges: list[list[int]] = []
    for point in range(0x2E80):  # as ranges: a class of 600 single characters took 14 ms to compile
        if chr(point).isspace() or unicodedata.category(chr(point)).startswith("P"):
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1][1] = point
            else:
                ranges.append([point, point])
    ranges.append([0x2E80, 0x10FFFF])

    def code(point: int) -> str:
        return f"\\u{point:04X}" if point <= 0xFFFF else f"\\U{point:08X}"

    return "[^" + "".join(code(a) + (f"-{code(b)}" if b > a else "") for a, b in ranges) + "]"


@cache
def long_run_pattern() -> str:
    """Such a run (W-LONG-WORD's and the Typst template's: one definition, given to Typst as
    data). Built on first use: the class takes 9 ms to build and 6 ms to compile."""
    return f"{_no_break()}{{{LONG_RUN},}}"


# A number ("2,730.51", "0.26%", "2024") is set as one piece: a justified line stretches
# between characters, never between its digits (a regular expression both Python's and
# Typst's engines read alike).
NUMBER = r"\d[\d,.]*%?"
TOC_NUMBER_EM = 4.0  # room for the dot leader and page number at the end of a TOC line
TOC_INDENT_EM = {1: 0.0, 2: 2.0, 3: 4.0}  # TOC entry indent per level, in em of its size


def style_of(block: Heading | Paragraph | Chart | TableOfContents) -> str:
    """The key of a block's text in SIZES, SPACING, ALIGN and INDENT_EM: its paragraph
    style, its heading level ("h1"…"h4") or "table-title"; a chart's title is a "caption",
    the 目录's title a "toc-title"."""
    if isinstance(block, Heading):
        return "table-title" if block.table_title else f"h{min(block.level, 4)}"
    if isinstance(block, Paragraph):
        return block.style
    return "caption" if isinstance(block, Chart) else "toc-title"


def alignment(block: Heading | Paragraph | Chart | TableOfContents) -> BlockAlign:
    """How a block's text aligns (a chart's title, the 目录's title): the one decision every
    writer maps."""
    return ALIGN[style_of(block)]


def heading_bold(block: Heading) -> bool:
    """Whether a heading is set in bold (its role's face, bold): a 1、 heading."""
    return not block.table_title and block.level in BOLD_HEADINGS


def indent_em(block: Heading | Paragraph | Chart | TableOfContents) -> float:
    """A block's first-line indent, in em of its size (a chart's title, the 目录's title)."""
    return INDENT_EM.get(style_of(block), 0.0)


def draft_top(orientation: Orientation) -> float:
    """From the top of the page to the top of a draft's mark (mm): the mark is centred in the
    top margin, so that it never reaches into the type area (a landscape page's margin is
    narrow)."""
    return MARGINS_MM[orientation][0] / 2 - SIZES["draft"] * MM_PER_PT / 2


def footer_bottom(orientation: Orientation) -> float:
    """From the foot of the page to the bottom of the page number's line box (mm): FOOTER_GAP_MM
    and one em of the footer size below the type area. The DOCX's footer distance."""
    return MARGINS_MM[orientation][2] - FOOTER_GAP_MM[orientation] - SIZES["footer"] * MM_PER_PT


def footer_baseline(orientation: Orientation) -> float:
    """From the foot of the page to the page number's baseline (mm): exact in both PDFs; Word
    and LibreOffice put it the footer font's descent above `footer_bottom` instead of 0.2 em
    (宋体 0.14 em, DejaVu Sans 0.24 em: within 1 pt at the footer's size)."""
    return footer_bottom(orientation) + LINE_EDGES_EM[1] * SIZES["footer"] * MM_PER_PT


def type_area(orientation: Orientation) -> tuple[float, float]:
    """Width and height of the type area in mm."""
    top, right, bottom, left = MARGINS_MM[orientation]
    width, height = PAGE_MM[orientation]
    return width - left - right, height - top - bottom


def _em_limit(width_mm: float, size: float) -> float:
    """How many em of `size` pt fit in `width_mm` (cell padding not included)."""
    return width_mm / MM_PER_PT / size * SAFETY


# ------------------------------------------------------------------------ grid placement


class Placed(NamedTuple):  # a tuple: a table of 10,000 rows places 80,000 of them per pass
    row: int  # 0-based, header rows first
    col: int
    cell: Cell


def placed(table: Table) -> list[Placed]:
    """Every cell of header and body with its grid row and column."""
    return list(map(Placed._make, positions(table)))


def _cell_widths(widths: Sequence[float]) -> dict[tuple[int, int], float]:
    """The text width (mm) inside a cell by (first column, colspan), for these widths."""
    pad = 2 * CELL_PAD_PT[1] * MM_PER_PT
    return {(col, span): sum(widths[col:col + span]) - pad
            for col in range(len(widths)) for span in range(1, len(widths) - col + 1)}


def _bold(cell: Cell) -> bool:
    return cell.style in ("header", "total")


# --------------------------------------------------------------------------- line breaks


def _cell_breaks(cell: Cell, width_mm: float, size: float) -> Cell:
    """The cell with its forced line breaks for a column `width_mm` wide."""
    if not cell.text:
        return cell
    limit = _em_limit(width_mm, size)
    bold = _bold(cell)
    if cell.style in ("header", "label", "total"):
        breaks = measure.balanced_breaks(cell.text, limit, bold)
        if breaks is None:
            breaks = measure.wrap_breaks(cell.text, limit, bold)
    else:
        breaks = measure.wrap_breaks(cell.text, limit, bold)
    return replace(cell, breaks=breaks) if breaks else cell


def _with_breaks(table: Table, widths: Sequence[float], size: float) -> tuple[tuple[Cell, ...], ...]:
    """Header and body rows with every cell's line breaks for these widths."""
    out: list[list[Cell]] = [[] for _ in (*table.header, *table.body)]
    inside = _cell_widths(widths)
    for p in placed(table):
        out[p.row].append(_cell_breaks(p.cell, inside[p.col, p.cell.colspan], size))
    return tuple(tuple(r) for r in out)


def title_breaks(text: str, width_mm: float, size: float) -> tuple[int, ...]:
    """Balanced breaks of a centred title, never a single character on a line."""
    limit = _em_limit(width_mm, size)
    breaks = measure.balanced_breaks(text, limit, bold=True)
    return measure.wrap_breaks(text, limit, bold=True) if breaks is None else breaks


def heading(block: Heading, orientation: Orientation, toc_orientation: Orientation = "portrait") -> Heading:
    """A heading with the breaks of its text and of its TOC entry (on a page of `toc_orientation`)."""
    width = type_area(orientation)[0]
    size = SIZES[style_of(block)]
    if alignment(block) == "center":
        breaks = title_breaks(block.text, width, size)
    else:  # indented like the body text
        breaks = measure.wrap_breaks(block.text, _em_limit(width, size) - indent_em(block))
    toc_width = type_area(toc_orientation)[0]
    toc_size = SIZES["toc"]
    limit = _em_limit(toc_width, toc_size) - TOC_INDENT_EM[min(block.level, 3)] - TOC_NUMBER_EM
    toc_breaks = measure.balanced_breaks(block.toc_text or block.text, limit, bold=block.toc_bold)
    if toc_breaks is None:
        toc_breaks = measure.wrap_breaks(block.toc_text or block.text, limit, bold=block.toc_bold)
    return replace(block, breaks=breaks, toc_breaks=toc_breaks, keep_with_next=True)


def chart(block: Chart) -> Chart:
    """A chart whose title stays on the page of its picture, as every caption keeps with
    what it introduces."""
    return replace(block, title_keep_with_next="caption" in KEPT_WITH_NEXT)


def lead_in(block: Paragraph, orientation: Orientation) -> bool:
    """A one-line paragraph ending in a colon introduces the next one (a 名词解释 term
    such as "六、财政专户管理资金：") and is never left alone at the foot of a page."""
    return block.text.endswith(("：", ":")) and block_height(block, orientation) <= BODY_LINE * MM_PER_PT


def name_tags() -> str:
    """A name's tag ([部门], （单位）, as the lexicon names them), as a regular expression both
    Python's and Typst's engines read: running text never breaks inside one
    ("大同市商务局[部⏎门]" once)."""
    return "|".join(re.escape(tag) for tag in measure.name_tags())


def whole_in_text() -> str:
    """What running text sets as one piece, never broken across lines: a number (NUMBER; a
    justified line never spreads its digits either) and a name's tag (`name_tags`)."""
    return f"{NUMBER}|{name_tags()}"


# Paragraph styles that introduce what follows, and stay on its page.
KEPT_WITH_NEXT = frozenset({"table-label", "table-title", "table-meta", "table-unit", "center", "caption"})


def paragraph(block: Paragraph, orientation: Orientation) -> Paragraph:
    """Titles get balanced breaks; a lead-in, a title or a label keeps with next."""
    if block.style in ("body", "plain"):
        return replace(block, keep_with_next=lead_in(block, orientation))
    if block.style in KEPT_WITH_NEXT:
        block = replace(block, keep_with_next=True)
    if block.style in ("table-title", "cover-title", "cover-subtitle"):
        width = type_area(orientation)[0]
        return replace(block, breaks=title_breaks(block.text, width, SIZES[block.style]))
    return block


# ----------------------------------------------------------------------- column widths


_AMOUNT = re.compile(r"-?[\d,]+(\.\d+)?")


def _is_amount(cell: Cell) -> bool:
    """An amount cell: a table amount, or 元 right-aligned in a performance table."""
    return cell.style == "number" or (cell.align == "right" and bool(_AMOUNT.fullmatch(cell.text)))


def _numeric_columns(table: Table) -> set[int]:
    return {p.col for p in placed(table)
            if p.row >= len(table.header) and _is_amount(p.cell) and p.cell.colspan == 1}


def _pad_mm() -> float:
    return 2 * CELL_PAD_PT[1] * MM_PER_PT + 0.6  # padding and the borders


@dataclass(frozen=True)
class _Measures:
    """What a table's column widths are worked out from, at any size: each cell that sets
    a column's width with its kind ("header", "amount" or "text") and the widths (em) of
    its text and of its longest word. Measured once per table, not once per size tried."""

    cells: tuple[tuple[Placed, str, float, float], ...]


def _measures(table: Table) -> _Measures:
    numeric = _numeric_columns(table)
    cells = []
    for p in placed(table):
        if p.cell.style == "header":
            kind = "header"
        elif p.cell.colspan == 1 and p.col in numeric and _is_amount(p.cell):
            kind = "amount"
        elif p.cell.colspan == 1:
            kind = "text"
        else:
            continue
        bold = _bold(p.cell)
        words = max((measure.width(w, bold) for w in measure.segments(p.cell.text)), default=0.0)
        cells.append((p, kind, measure.width(p.cell.text, bold), words))
    return _Measures(tuple(cells))


def _column_needs(table: Table, size: float, width: float, measures: _Measures
                  ) -> tuple[list[float], list[float], list[float], list[float]]:
    """Per column, in mm: the width it must have (amounts, header words), the width its
    text takes unwrapped, a comfortable least width when it wraps, and its longest word
    (a word wider than CODE_SHARE of the table `width` wraps anywhere: it counts as that)."""
    columns = len(table.widths)
    em = size * MM_PER_PT
    need = [0.0] * columns
    natural = [0.0] * columns
    least = [0.0] * columns
    word = [0.0] * columns
    pad = _pad_mm()
    for p, kind, text_em, words_em in measures.cells:
        text_mm = text_em * em / SAFETY + pad
        words_mm = min(words_em * em / SAFETY + pad, width * CODE_SHARE)
        if kind == "header":
            # a header may take two lines (more only for a long word list), between words
            share = max(words_mm, (text_mm - pad) / 2 + pad)
            for c in range(p.col, p.col + p.cell.colspan):
                need[c] = max(need[c], share / p.cell.colspan)
        elif kind == "amount":
            need[p.col] = max(need[p.col], text_mm if p.cell.text else 0.0)
        else:
            natural[p.col] = max(natural[p.col], text_mm)
            least[p.col] = max(least[p.col], min(text_mm, 12 * em + pad), words_mm)
            word[p.col] = max(word[p.col], words_mm)
    for c in range(columns):
        natural[c] = max(natural[c], need[c])
        least[c] = max(least[c], need[c])
        word[c] = max(word[c], need[c])
    return need, natural, least, word


def _distribute(base: list[float], weights: Sequence[float], total: float) -> list[float]:
    """`base` widths grown to `total`, the slack shared in proportion to `weights`."""
    slack = total - sum(base)
    scale = slack / sum(weights)
    return [b + w * scale for b, w in zip(base, weights, strict=True)]


def _widths(table: Table, size: float, width: float, measures: _Measures, tight: bool = False
            ) -> list[float] | None:
    """Column widths at `size`: every text unwrapped if it fits, else text columns wrapping
    to a comfortable width; `tight` lets them wrap down to their longest word. None if
    the amounts and header words do not fit."""
    _, natural, least, word = _column_needs(table, size, width, measures)
    if sum(natural) <= width:
        return _distribute(natural, table.widths, width)
    for base in (least, word) if tight else (least,):
        if sum(base) <= width:
            grow = [n - m for n, m in zip(natural, base, strict=True)]
            return _distribute(base, grow if sum(grow) else table.widths, width)
    return None


def budget_table(table: Table, orientation: Orientation = "portrait",
                 room_mm: float | None = None) -> Table:
    """Widths (mm), font size and line breaks of a budget table.

    The largest size from BUDGET_FONT down to its floor at which every amount and header
    word fits; text columns wrap before the type gets smaller than the floor. If the
    table would just overflow `room_mm` (its first page), a smaller size that keeps it
    on that page is taken.
    """
    width = type_area(orientation)[0]
    start = min(table.font_size, BUDGET_FONT[0])
    sizes = list(_steps(start, BUDGET_FONT[1]))
    measures = _measures(table)
    chosen = None
    for size in sizes:
        widths = _widths(table, size, width, measures)
        if widths is not None:
            chosen = _laid_out(table, widths, size)
            break
    if chosen is None:  # at the floor, text columns wrap down to their longest word
        size = sizes[-1]
        widths = _widths(table, size, width, measures, tight=True)
        if widths is None:  # wider than the page even so: amounts and codes stay whole
            _, _, _, word = _column_needs(table, size, width, measures)
            widths = _distribute(word, table.widths, max(width, sum(word)))
        chosen = _laid_out(table, widths, size)
    if room_mm is not None and table_height(chosen) > room_mm:
        for size in sizes[sizes.index(chosen.font_size) + 1:]:
            widths = _widths(table, size, width, measures)
            if widths is None:
                break
            smaller = _laid_out(table, widths, size)
            if table_height(smaller) <= room_mm:
                return smaller
        return _full_last_page(chosen, orientation)
    return chosen


def _full_last_page(table: Table, orientation: Orientation) -> Table:
    """A table that runs over its page keeps enough rows together at its end that its
    last page is never a sparse continuation (at least MIN_LAST_PAGE of the page)."""
    heights = row_heights(table)[len(table.header):]
    want = type_area(orientation)[1] * MIN_LAST_PAGE
    tail, count = 0.0, 0
    while count < len(heights) - 1 and tail < want:
        count += 1
        tail += heights[-count]
    keep = frozenset(range(len(heights) - count - 1, len(heights) - 1))
    return replace(table, keep_with_next=table.keep_with_next | keep)


def _steps(start: float, floor: float) -> Iterator[float]:
    size = start
    while size >= floor - 1e-9:
        yield size
        size -= FONT_STEP


def scaled(table: Table, orientation: Orientation) -> Table:
    """A table whose relative widths are scaled to the type area, with its line breaks."""
    return _laid_out(table, _scaled_widths(table, table.font_size, orientation), table.font_size)


def _code_needs(table: Table, size: float, width: float) -> list[tuple[int, int, float]]:
    """Columns `start:end` that must be `mm` wide together so that a cell prints its
    number, date or code (an unbreakable run of digits or Latin letters) on one line.
    A run wider than CODE_SHARE of the table is no code: it wraps anywhere."""
    em = size * MM_PER_PT
    needs = []
    for p in placed(table):
        if p.cell.style == "header" or not p.cell.text:
            continue
        runs = [measure.width(run, _bold(p.cell)) for run in measure.codes(p.cell.text)]
        mm = max(runs, default=0.0) * em / SAFETY + _pad_mm()
        if runs and mm <= width * CODE_SHARE:
            needs.append((p.col, p.col + p.cell.colspan, mm))
    return needs


def _scaled_widths(table: Table, size: float, orientation: Orientation) -> list[float]:
    """Relative widths scaled to the type area; columns too narrow for an amount, date or
    code they print take the width from the widest other text columns."""
    width = type_area(orientation)[0]
    widths = [w * width / sum(table.widths) for w in table.widths]
    numeric = _numeric_columns(table)
    for start, end, mm in sorted(_code_needs(table, size, width), key=lambda n: -n[2]):
        deficit = mm - sum(widths[start:end])
        donors = [d for d in range(len(widths)) if d not in numeric and not start <= d < end]
        if deficit > 0 and donors:
            donor = max(donors, key=lambda d: widths[d])
            widths[end - 1] += deficit
            widths[donor] -= deficit
    return widths


def _laid_out(table: Table, widths: Sequence[float], size: float) -> Table:
    rows = _with_breaks(table, widths, size)
    return replace(table, header=rows[:len(table.header)], body=rows[len(table.header):],
                   widths=tuple(round(w, 2) for w in widths), font_size=size)


# -------------------------------------------------------------------------- row heights


def row_heights(table: Table) -> list[float]:
    """Estimated height (mm) of every row, header rows first. A cell spanning rows that
    needs more than its rows give adds the difference to its last row."""
    rows = (*table.header, *table.body)
    size = table.font_size
    minimum = (ROW_HEIGHT_EM * size + BORDER_PT) * MM_PER_PT
    pad = (2 * CELL_PAD_PT[0] + BORDER_PT) * MM_PER_PT
    heights = [minimum] * len(rows)
    spanning = []
    limits = {key: _em_limit(mm, size) / SAFETY for key, mm in _cell_widths(table.widths).items()}
    for p in placed(table):
        limit = limits[p.col, p.cell.colspan]
        lines = measure.line_count(p.cell.lines, limit, _bold(p.cell)) if p.cell.text else 1
        need = lines * CELL_LINE_EM * size * MM_PER_PT + pad
        if p.cell.rowspan == 1:
            heights[p.row] = max(heights[p.row], need)
        else:
            spanning.append((p, need))
    for p, need in spanning:
        last = min(p.row + p.cell.rowspan, len(rows)) - 1
        have = sum(heights[p.row:last + 1])
        if need > have:
            heights[last] += need - have
    return heights


def table_height(table: Table) -> float:
    return sum(row_heights(table)) + 1.0


def block_height(block: Block, orientation: Orientation) -> float:
    """Estimated height (mm) of a heading or paragraph with its spacing (0 for others)."""
    if not isinstance(block, Heading | Paragraph):
        return 0.0
    style = style_of(block)
    pitch, before, after = SPACING[style]
    limit = _em_limit(type_area(orientation)[0], SIZES[style])
    lines = measure.line_count(block.lines, limit - INDENT_EM.get(style, 0.0))
    return (lines * pitch + before + after) * MM_PER_PT


def room_below(blocks: Sequence[Block], orientation: Orientation) -> float:
    """Height (mm) left on a page under `blocks`, keeping a line for a note below."""
    note = SPACING["note"]
    used = sum(block_height(b, orientation) for b in blocks) + (note[0] + note[1]) * MM_PER_PT
    return (type_area(orientation)[1] - used) * 0.97


# ------------------------------------------------------------------ performance tables


def performance_blocks(parts: PerformanceParts, title: Paragraph, subtitle: Paragraph,
                       continued: str) -> list[Block]:
    """A performance table on as few pages as it reads well on.

    One page at the largest size from PERFORMANCE_FONT down to its floor at which it
    fits; otherwise pages of the preferred size split between first-level indicator groups (between
    二级 blocks only when one group is taller than a page), each continuation page with
    the title + `continued`, the project name row and the indicator column header.
    The footer row always goes with the last indicators.
    """
    height = type_area("landscape")[1]
    title_mm = block_height(title, "landscape") + block_height(subtitle, "landscape")
    room = (height - title_mm) * 0.96
    for size in _steps(*PERFORMANCE_FONT):
        whole = performance_table(parts, parts.indicators, parts.head, True, size)
        widths = tuple(_scaled_widths(whole, size, "landscape"))
        whole = _laid_out(whole, widths, size)
        if table_height(whole) <= room:
            return [title, subtitle, whole]
    size = PERFORMANCE_FONT[0]
    widths = tuple(_scaled_widths(performance_table(parts, parts.indicators, parts.head, True, size),
                                  size, "landscape"))
    chunks = _split(parts, size, widths, room)
    blocks: list[Block] = []
    for number, (indicators, footer) in enumerate(chunks):
        head = parts.head if number == 0 else parts.head[:1]
        if number:
            cont = replace(title, text=title.text + continued, breaks=())
            blocks += [PageBreak(), paragraph(cont, "landscape"), subtitle]
        else:
            blocks += [title, subtitle]
        page = _performance(parts, indicators, head, footer, size, widths)
        blocks.append(replace(page, continued=True) if number else page)
    return blocks


def _performance(parts: PerformanceParts, indicators: tuple[Indicators, ...],
                 head: tuple, footer: bool, size: float, widths: tuple[float, ...]) -> Table:
    table = performance_table(parts, indicators, head, footer, size)
    return _laid_out(table, widths, size)


def _split(parts: PerformanceParts, size: float, widths: tuple[float, ...], room: float
           ) -> list[tuple[tuple[Indicators, ...], bool]]:
    """Indicator blocks per page (and whether the footer comes last on that page).

    Pages are filled with whole 二级 blocks; a page ends at the last 一级 boundary on it
    when that leaves it at least half full, else after the last block that fits.
    """
    def height(page: tuple[Indicators, ...], first: bool, footer: bool) -> float:
        head = parts.head if first else parts.head[:1]
        return table_height(_performance(parts, page, head, footer, size, widths))

    pages: list[tuple[Indicators, ...]] = []
    current: tuple[Indicators, ...] = ()
    last = len(parts.indicators) - 1
    for index, block in enumerate(parts.indicators):
        trial = (*current, block)
        if current and height(trial, not pages, index == last) > room:
            cut = max((i for i in range(1, len(current)) if current[i].first != current[i - 1].first),
                      default=0)
            if not cut or height(current[:cut], not pages, False) < room / 2:
                cut = len(current)
            pages.append(current[:cut])
            trial = (*current[cut:], block)
        current = trial
    pages.append(current)
    return [(indicators, i == len(pages) - 1) for i, indicators in enumerate(pages)]
