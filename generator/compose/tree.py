"""The document tree: every decision about content and layout, made once, for all writers.

The composer builds a `Document`; the DOCX writer and the HTML/PDF writer (and any other
PDF engine) only map these nodes onto their format. A writer never decides what to print,
where a line or a page breaks, or how wide a column is; it only maps the decision.

Layout decisions carried by the nodes (made in compose/layout.py):

- Line breaks: `breaks` on a Cell, Heading or Paragraph are character offsets into `text`
  where a new line starts (a forced line break: Word's w:br, HTML's <br>). `text` itself
  never changes, so extracted text and comparisons see the same words. `lines` gives the
  text cut at the breaks. Where there are breaks, the writer must not break a line elsewhere
  (the lines are measured to fit, with a margin); where there are none, the text either
  fits on one line or is running text that the writer wraps.
- Column widths: `Table.widths` are absolute, in millimetres, and sum to the table's width
  (the type area of the page the table is on). Every amount fits on one line at the
  chosen `Table.font_size` (points).
- Pagination: a table's `keep_with_next` rows stay on the page of the row after them (so
  total rows never stand alone); a performance table too long for one page is already
  split into several `Table` nodes, each after a `PageBreak` and its own repeated title
  (…（续）), project name row and column header row.
- Alignment: every paragraph style, heading kind, chart title and the 目录's title has
  one alignment (`layout.alignment(block)`, from `layout.ALIGN`): "justify" means both
  edges straight, the last line left-aligned. The writers map it; none has its own.
- Keep-with-next: a Heading or Paragraph with `keep_with_next` stays on the page of the
  next block's first lines: compose sets it on every heading, on table titles, labels and
  centred lines, and on a lead-in (a 名词解释 term ending in "："); a Chart with
  `title_keep_with_next` has its title on the page of its picture. The writers map them.
- Bold besides titles, headings and total cells (the format pack's `bold`, per edition):
  a Paragraph's `bold` (all of it) or `bold_prefix` (its first characters: a 名词解释
  term), and a Heading's `toc_bold` (its 目录 entry, text and page number).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Align = Literal["left", "center", "right"]
BlockAlign = Literal["left", "center", "right", "justify"]  # "justify": the last line left
Orientation = Literal["portrait", "landscape"]
ParagraphStyle = Literal[
    "body",  # indented running text (首行缩进 2 字)
    "plain",  # running text without first-line indent (lists, table notes)
    "cover-title",  # the entity name on the cover
    "cover-subtitle",  # {y}年度{kind}预算公开
    "table-label",  # 预算公开表N, right-aligned or left above the title
    "table-title",  # centred bold title of a table
    "table-meta",  # 部门名称：… line above a table
    "table-unit",  # 单位：万元, right-aligned above a table
    "note",  # 注：本表无数据
    "caption",  # chart title
    "center",  # centred text (e.g. the (2024年度) subtitle of a performance table)
]
CellStyle = Literal["text", "number", "header", "total", "label"]
ChartKind = Literal["pie", "bar"]
FontRole = Literal["title", "heading", "subheading", "body", "table"]


def split_lines(text: str, breaks: tuple[int, ...]) -> tuple[str, ...]:
    """`text` cut at the character offsets `breaks`."""
    bounds = (0, *breaks, len(text))
    return tuple(text[a:b] for a, b in itertools.pairwise(bounds))


@dataclass(frozen=True)
class Heading:
    """A heading that appears in the table of contents and as a PDF bookmark.

    level 1: 第一部分…; level 2: 一、…, 表一…; level 3: （一）…; level 4: 1、… (never in the
    TOC; set in the body face, bold, as GB/T 9704 sets a 1. heading). `anchor` is unique and
    stable (ASCII), for links and bookmarks. `toc_text` is what the TOC prints when it
    differs from the heading (the 2024 TOC prefixes table titles with 表N).
    """

    level: int
    text: str
    anchor: str
    toc_text: str | None = None
    in_toc: bool = True
    table_title: bool = False  # the title of a budget table: centred, not indented
    breaks: tuple[int, ...] = ()  # forced line breaks in `text` (see module doc)
    toc_breaks: tuple[int, ...] = ()  # forced line breaks in the TOC entry's text
    keep_with_next: bool = False  # on the page of the next block's first lines (see module doc)
    toc_bold: bool = False  # its 目录 entry is bold, text and page number (see module doc)

    @property
    def lines(self) -> tuple[str, ...]:
        return split_lines(self.text, self.breaks)

    @property
    def toc_lines(self) -> tuple[str, ...]:
        return split_lines(self.toc_text or self.text, self.toc_breaks)


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: ParagraphStyle = "body"
    bold: bool = False
    breaks: tuple[int, ...] = ()  # forced line breaks (titles); see module doc
    keep_with_next: bool = False  # on the page of the next block's first lines (a lead-in)
    bold_prefix: int = 0  # its first characters are bold (a 名词解释 term); see module doc

    @property
    def lines(self) -> tuple[str, ...]:
        return split_lines(self.text, self.breaks)

    @property
    def runs(self) -> tuple[tuple[tuple[str, ...], bool], ...]:
        """The text as runs of (lines, bold): the bold prefix, then the rest (one run when
        there is no prefix). A forced break inside a run cuts its lines; the last line of a
        run and the first of the next are on one printed line."""
        cut = self.bold_prefix
        if not 0 < cut < len(self.text):
            return ((self.lines, self.bold or cut > 0),)
        head = split_lines(self.text[:cut], tuple(b for b in self.breaks if b < cut))
        tail = split_lines(self.text[cut:], tuple(b - cut for b in self.breaks if b >= cut))
        return ((head, True), (tail, self.bold))


@dataclass(frozen=True)
class Cell:
    """One table cell. `text` is final (already formatted); zero amounts are ''.

    `breaks` are forced line breaks (offsets into `text`, see module doc). `amount` marks an
    amount printed in a text cell (a 绩效表's 元), for the data exports.
    """

    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    align: Align = "left"
    style: CellStyle = "text"
    breaks: tuple[int, ...] = ()
    amount: bool = False

    @property
    def lines(self) -> tuple[str, ...]:
        return split_lines(self.text, self.breaks)


@dataclass(frozen=True)
class Table:
    """A grid of cells. Cells covered by a span are omitted, as in HTML.

    `header` rows repeat on every page. `widths` are the column widths in millimetres
    (their count is the number of grid columns; they sum to the type area's width once
    compose.layout has laid the table out). `font_size` is in points; every row is at
    least `ROW_HEIGHT_EM` (compose.layout) of it high. `keep_with_next` holds indexes
    of `body` rows that must be on the same page as the body row after them. `subheaders`
    holds indexes of `body` rows that head the columns of the rows below them (a
    performance table's indicator heading 一级指标 二级指标 …): header cells, but never
    repeated by a writer (compose repeats them on a continuation page itself). `continued`
    marks a performance table's continuation page (the same table as the one before it).
    """

    header: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    font_size: float = 9.0
    kind: Literal["budget", "performance"] = "budget"
    keep_with_next: frozenset[int] = frozenset()
    subheaders: frozenset[int] = frozenset()
    continued: bool = False


def positions(table: Table) -> list[tuple[int, int, Cell]]:
    """Every cell of header and body with its 0-based grid row and column (spans cover later
    cells, as in HTML)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate((*table.header, *table.body)):
        column = 0
        for cell in row:
            while (r, column) in taken:
                column += 1
            out.append((r, column, cell))
            if cell.rowspan > 1:  # only the rows below look up what a span covers
                taken.update((r + dr, column + dc) for dr in range(1, cell.rowspan)
                             for dc in range(cell.colspan))
            column += cell.colspan
    return out


@dataclass(frozen=True)
class Chart:
    """A chart drawn from data: labels with values in 万元 (already rounded).

    `shares` are the percentages the narrative prints for the same values (a pie shows
    them), and `amounts` the values as the narrative prints them (thousands separators,
    "0万元"), so that the chart and the sentence can never disagree.
    """

    kind: ChartKind
    title: str
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    anchor: str
    shares: tuple[Decimal | None, ...] = ()
    amounts: tuple[str, ...] = ()  # `values` as the text prints them: 1,826.06 / 0
    thousands: bool = True  # axis ticks with thousands separators, as the text's amounts
    title_keep_with_next: bool = False  # the title on the page of the picture (see module doc)

    @property
    def description(self) -> str:
        """The chart in words, for readers who cannot see it (a PDF's alternative text):
        its title, then every label with its amount (and share)."""
        amounts = self.amounts or tuple(f"{v:.2f}" for v in self.values)
        shares = [f"（{s or 0:.2f}%）" for s in self.shares] if self.shares else [""] * len(amounts)
        parts = (f"{label}{amount}万元{share}"
                 for label, amount, share in zip(self.labels, amounts, shares, strict=True))
        return f"{self.title}：{'；'.join(parts)}。"


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Section:
    """Starts a new page section with its orientation; page numbering continues.

    `restart_numbering` makes this section's first page number 1. When a document has
    such a section, the pages before it (the cover and 目录) carry no page number.
    """

    orientation: Orientation = "portrait"
    restart_numbering: bool = False


@dataclass(frozen=True)
class TableOfContents:
    """The 目录: entries are the `Heading`s with in_toc=True, in document order; the title
    is the pack's (its template's `toc` line)."""

    title: str


Block = Heading | Paragraph | Table | Chart | PageBreak | Section | TableOfContents


@dataclass(frozen=True)
class Fonts:
    """Font family names per role, set in both Latin and East-Asian slots (GB/T 9704:
    titles 小标宋, 一级 headings 黑体, 二级 headings 楷体, text 仿宋; tables 宋体)."""

    title: str = "方正小标宋简体"
    heading: str = "黑体"
    subheading: str = "楷体_GB2312"
    body: str = "仿宋_GB2312"
    table: str = "宋体"


@dataclass(frozen=True)
class PageNumber:
    """The footer of every numbered page: the number between these two texts (the format
    pack's `words.page_number`, "— {n} —" → "— ", " —"). Every writer prints it so."""

    before: str
    after: str

    @property
    def text(self) -> str:
        """The characters the footer prints besides the number's digits."""
        return self.before + self.after


@dataclass(frozen=True)
class Document:
    title: str  # metadata title, e.g. 大同市商务局[部门]2024年度部门预算公开
    language: str  # "zh-CN"
    blocks: tuple[Block, ...]
    fonts: Fonts = field(default_factory=Fonts)
    created: str = "2024-01-01T00:00:00+00:00"  # fixed per input, for reproducible bytes
    author: str = ""  # the entity that publishes the document
    subject: str = ""  # e.g. 2024年度部门预算公开
    keywords: tuple[str, ...] = ()
    draft: str = ""  # a draft's mark (the pack's words.draft_mark), stamped on every page by every writer; "" when final
    page_number: PageNumber = field(kw_only=True)  # the footer's form (the pack's words.page_number)

    @property
    def toc_entries(self) -> tuple[Heading, ...]:
        """The 目录's entries: the headings with in_toc, in document order (every writer's)."""
        return tuple(b for b in self.blocks if isinstance(b, Heading) and b.in_toc)
