"""The DOCX writer: maps the document tree onto Word's model.

python-docx supplies the package (parts, relationships, pictures, footers, core
properties); the body is built as raw XML by the helpers in `docx_xml`, which is fast for
long tables. Styles are named Word styles (fonts set in the Latin and East-Asian slots),
so a user can restyle the document in Word.

The table of contents is a real TOC field whose result is pre-filled, so it is not blank
before the user updates fields; Word offers to refresh it on opening (w:updateFields).
Its page numbers are those of the PDF: Typst's layout of the same tree (the one page
model; this writer estimates no pages of its own). The cover and 目录 show no number;
numbering starts at 第一部分 and continues across sections.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PACKAGE_URI
from docx.shared import Emu
from lxml.etree import _Element as Element

from generator.compose.layout import (
    ALIGN,
    BOLD_HEADINGS,
    INDENT_EM,
    PAGE_MM,
    TOC_INDENT_EM,
    draft_top,
    footer_bottom,
    keeps_breaks,
)
from generator.compose.tree import (
    Block,
    BlockAlign,
    Cell,
    CellStyle,
    Chart,
    Document,
    FontRole,
    Fonts,
    Heading,
    Orientation,
    PageBreak,
    PageNumber,
    Paragraph,
    ParagraphStyle,
    Section,
    Table,
    TableOfContents,
)
from generator.writers import charts
from generator.writers.docx_xml import (
    Page,
    ParaFormat,
    bookmarked,
    cell_margins,
    content_types,
    doc_defaults,
    el,
    enable_update_fields,
    field,
    field_end,
    field_start,
    font_table,
    internal_link,
    paragraph,
    parsed,
    ppr,
    rpr,
    run,
    run_markup,
    sect_pr,
    style,
    styled,
    styled_markup,
    table,
    table_borders,
    table_cell,
    table_row,
    theme_fonts,
    theme_language,
    val,
)
from generator.writers.fonts import windows_faces
from generator.writers.typography import (
    CELL_LINE_EM,
    CELL_PAD_PT,
    CHART_GAP_EM,
    DRAFT_COLOUR,
    DRAFT_ROLE,
    FOOTER_ROLE,
    HEADING_ROLES,
    MARGINS_MM,
    PARAGRAPH_ROLES,
    ROW_HEIGHT_EM,
    SIZES,
    SPACING,
    TABLE_TITLE_ROLE,
    TOC_ENTRY_ROLE,
    TOC_TITLE_ROLE,
)


def _page(orientation: Orientation) -> Page:
    """The layout's page (A4, its margins) in twips; the header (a draft's mark) where the
    layout puts the mark, inside the top margin; the footer (the page number) where the
    layout puts the bottom of its line."""
    width, height = (round(mm * TWIPS_PER_MM) for mm in PAGE_MM[orientation])
    top, right, bottom, left = (round(mm * TWIPS_PER_MM) for mm in MARGINS_MM[orientation])
    return Page(orientation, width, height, top=top, bottom=bottom, left=left, right=right,
                footer=round(footer_bottom(orientation) * TWIPS_PER_MM),
                header=round(draft_top(orientation) * TWIPS_PER_MM - DRAFT_LEAD * SIZES["draft"] / 2 * 20))


TWIPS_PER_MM = 1440 / 25.4
# The draft mark's line is this many em taller than its size (an exact pitch of one em clips
# glyphs in Word), half of it above the mark: the header starts that much higher.
DRAFT_LEAD = 0.2
PAGES = {"portrait": _page("portrait"), "landscape": _page("landscape")}
EMU_PER_PT = 12700
CELL_TOP_MARGIN, CELL_SIDE_MARGIN = (round(pt * 20) for pt in CELL_PAD_PT)  # twips
TABLE_STYLE = "BudgetTable"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Look:
    """A named paragraph style: font role, size (pt), weight and paragraph format."""

    style_id: str
    name: str
    role: FontRole
    size: float
    fmt: ParaFormat
    bold: bool = False


WORD_ALIGN: dict[BlockAlign, str] = {"left": "left", "center": "center", "right": "right", "justify": "both"}  # the tree's words in Word's


def _fmt(style: str, **options: Any) -> ParaFormat:
    """The paragraph format of a tree style: pitch, spacing, alignment and first-line
    indent, all from the shared layout."""
    line, before, after = SPACING[style]
    indent = INDENT_EM.get(style)
    return ParaFormat(line=line, before=before, after=after, align=WORD_ALIGN[ALIGN[style]],
                      indent_chars=round(indent) if indent else None, **options)


def _toc_look(level: int) -> Look:
    """A 目录 entry's style; its right tab stop (dot leader, page number) is set per document
    at the right margin of the page the 目录 is on (`_looks`)."""
    left = round(TOC_INDENT_EM[level] * SIZES["toc"] * 20)  # twips
    return Look(f"TOC{level}", f"toc {level}", TOC_ENTRY_ROLE, SIZES["toc"], _fmt("toc", left=left))


_CHART_GAP = CHART_GAP_EM * SIZES["body"]  # pt, as the PDFs space a chart
_CELL = ParaFormat(align="left")
_TITLE = _fmt("table-title")
LOOKS: tuple[Look, ...] = (
    Look("Normal", "Normal", "body", SIZES["body"], replace(_fmt("body"), indent_chars=None)),
    Look("Body", "Body", PARAGRAPH_ROLES["body"], SIZES["body"], _fmt("body")),
    Look("Plain", "Plain", PARAGRAPH_ROLES["plain"], SIZES["plain"], _fmt("plain")),
    Look("Center", "Center", PARAGRAPH_ROLES["center"], SIZES["center"], _fmt("center")),
    Look("CoverTitle", "Cover Title", PARAGRAPH_ROLES["cover-title"], SIZES["cover-title"],
         _fmt("cover-title")),
    Look("CoverSubtitle", "Cover Subtitle", PARAGRAPH_ROLES["cover-subtitle"], SIZES["cover-subtitle"],
         _fmt("cover-subtitle")),
    Look("Heading1", "heading 1", HEADING_ROLES[1], SIZES["h1"], _fmt("h1", outline=0)),
    Look("Heading2", "heading 2", HEADING_ROLES[2], SIZES["h2"], _fmt("h2", outline=1)),
    Look("Heading3", "heading 3", HEADING_ROLES[3], SIZES["h3"], _fmt("h3", outline=2)),
    Look("Heading4", "heading 4", HEADING_ROLES[4], SIZES["h4"], _fmt("h4", outline=3),
         bold=4 in BOLD_HEADINGS),
    Look("TableLabel", "Table Label", PARAGRAPH_ROLES["table-label"], SIZES["table-label"],
         _fmt("table-label")),
    Look("TableTitle", "Table Title", PARAGRAPH_ROLES["table-title"], SIZES["table-title"], _TITLE),
    Look("TableHeading", "Table Heading", TABLE_TITLE_ROLE, SIZES["table-title"],
         replace(_TITLE, outline=1)),
    Look("TableMeta", "Table Meta", PARAGRAPH_ROLES["table-meta"], SIZES["table-meta"],
         _fmt("table-meta")),
    Look("TableUnit", "Table Unit", PARAGRAPH_ROLES["table-unit"], SIZES["table-unit"],
         _fmt("table-unit")),
    Look("Note", "Note", PARAGRAPH_ROLES["note"], SIZES["note"], _fmt("note")),
    # a chart: its title (Word's caption) and picture, with the chart's gap above and below
    Look("Caption", "caption", PARAGRAPH_ROLES["caption"], SIZES["caption"],
         replace(_fmt("caption"), before=SPACING["caption"][1] + _CHART_GAP)),
    Look("Figure", "Figure", "body", SIZES["body"], ParaFormat(align=WORD_ALIGN[ALIGN["chart"]], after=_CHART_GAP)),
    Look("CaptionLine", "Caption Line", PARAGRAPH_ROLES["caption"], SIZES["caption"], _fmt("caption")),
    Look("TOCHeading", "TOC Heading", TOC_TITLE_ROLE, SIZES["toc-title"], _fmt("toc-title")),
    *(_toc_look(level) for level in sorted(TOC_INDENT_EM)),
    Look("Footer", "footer", FOOTER_ROLE, SIZES["footer"], ParaFormat(align=WORD_ALIGN[ALIGN["footer"]])),
    Look("CellText", "Cell Text", "table", 9, _CELL),
    Look("CellLabel", "Cell Label", "table", 9, _CELL),
    Look("CellNumber", "Cell Number", "table", 9, replace(_CELL, align="right")),
    Look("CellHeader", "Cell Header", "table", 9, replace(_CELL, align="center"), bold=True),
    Look("CellTotal", "Cell Total", "table", 9, _CELL, bold=True),
)
LOOK = {look.style_id: look for look in LOOKS}
PARAGRAPH_STYLES: dict[ParagraphStyle, str] = {
    "body": "Body", "plain": "Plain", "center": "Center", "cover-title": "CoverTitle",
    "cover-subtitle": "CoverSubtitle", "table-label": "TableLabel",
    "table-title": "TableTitle", "table-meta": "TableMeta", "table-unit": "TableUnit", "note": "Note",
    "caption": "CaptionLine",
}
CELL_STYLES: dict[CellStyle, str] = {
    "text": "CellText", "label": "CellLabel", "number": "CellNumber",
    "header": "CellHeader", "total": "CellTotal",
}


def write_docx(doc: Document, pages: Mapping[str, int] | Future[dict[str, int]] | None = None) -> bytes:
    """The complete .docx for `doc`; the same tree always gives the same bytes.

    `pages` are the printed page numbers of the 目录's headings by anchor, as Typst lays
    the same tree out (`typst_writer.heading_pages`), or their future: the 目录 is filled
    in last. When not given and the document has a 目录, Typst lays the tree out in a
    thread of its own (it releases the GIL) while the rest of the package is built.
    """
    with ThreadPoolExecutor(max_workers=1) as meanwhile:
        if pages is None and any(isinstance(b, TableOfContents) for b in doc.blocks):
            from generator.writers.typst_writer import heading_pages

            pages = meanwhile.submit(heading_pages, doc)
        flow = _with_breaks(doc.blocks)
        images = chart_pictures(doc)
        package = docx.Document()
        _set_styles(package, doc)
        footer_rids = _set_footers(package, doc.page_number)
        body = _Body(package, images, pages or {}, footer_rids)
        body.header_rids = _draft_headers(package, doc) if doc.draft else {}
        package.element.body.clear()
        package.element.body.extend(body.build(flow, doc.toc_entries))
    _set_properties(package, doc)
    _localize(package, doc)
    enable_update_fields(package.settings.element)
    _drop_template_extras(package)
    return _package_zip(package)


def chart_pictures(doc: Document) -> dict[Chart, bytes]:
    """Each chart's PNG (kept between runs, or drawn by Typst: `charts.chart_pngs`)."""
    return charts.chart_pngs([b for b in doc.blocks if isinstance(b, Chart)])


def _with_breaks(blocks: Sequence[Block]) -> list[tuple[Block, bool]]:
    """Fold each PageBreak into a "starts a new page" flag on the next block.

    A break before a Section or at the end is dropped (a section already starts a new
    page); two breaks in a row keep the first as an empty page.
    """
    flow: list[tuple[Block, bool]] = []
    pending = False
    for block in blocks:
        if isinstance(block, PageBreak):
            if pending:
                flow.append((block, True))
            pending = True
            continue
        flow.append((block, pending and not isinstance(block, Section)))
        pending = False
    return flow


# ------------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class _Slot:
    """A cell placed on the grid; `cell` is None where a rowspan from above continues."""

    col: int
    span: int
    cell: Cell | None
    merge: str | None


def _slots(tbl: Table, columns: int) -> Iterator[list[_Slot]]:
    """Rows of placed cells, inserting the vMerge continuation cells HTML leaves out."""
    below: dict[int, tuple[int, int]] = {}  # column -> (rows still covered, colspan)
    for number, row in enumerate((*tbl.header, *tbl.body), start=1):
        cells = iter(row)
        slots: list[_Slot] = []
        col = 0
        while col < columns:
            if col in below:
                left, span = below.pop(col)
                if left > 1:
                    below[col] = (left - 1, span)
                slots.append(_Slot(col, span, None, "continue"))
            else:
                cell = next(cells, None)
                if cell is None or col + cell.colspan > columns:
                    raise ValueError(f"table row {number} does not fill {columns} columns")
                span = cell.colspan
                if cell.rowspan > 1:
                    below[col] = (cell.rowspan - 1, span)
                slots.append(_Slot(col, span, cell, "restart" if cell.rowspan > 1 else None))
            col += span
        if next(cells, None) is not None:
            raise ValueError(f"table row {number} has more than {columns} columns")
        yield slots
    if below:
        raise ValueError("a rowspan extends beyond the last table row")


def _grid(widths: Sequence[float]) -> list[int]:
    """Column widths (mm, from the tree) in twips; rounding errors do not add up."""
    edges = [round(sum(widths[:i]) * TWIPS_PER_MM) for i in range(len(widths) + 1)]
    return [b - a for a, b in itertools.pairwise(edges)]


def _min_row_height(size: float) -> int:
    return round(size * ROW_HEIGHT_EM * 20)


_TEXT = "\x00"  # where a cell's run goes in the markup of its empty cell (no XML text holds NUL)


@lru_cache(maxsize=4096)
def _empty_cell(width: int, span: int, merge: str | None, style_id: str, align: str | None,
                keep: bool, line: float | None) -> tuple[str, str]:
    """The markup of an empty cell before and after where its text run goes: the cells of a
    table are of a few kinds, each made once (made one by one, they took most of the time);
    bounded, for a server that writes many layouts."""
    empty = table_cell(width, span, merge,
                       styled_markup(style_id, _TEXT, align=align, keep_next=keep, line=line))
    before, _, after = empty.partition(_TEXT)
    return before, after


def _cell_markup(slot: _Slot, width: int, tbl: Table, keep: bool) -> str:
    """A cell's markup: its paragraph with its forced lines (where the DOCX keeps them), the
    table's size and exact cell line pitch; `keep` keeps the row on the page of the next
    row."""
    cell = slot.cell
    size = tbl.font_size
    look = LOOK[CELL_STYLES[cell.style if cell else "text"]]
    align = cell.align if cell and cell.align != look.fmt.align else None
    line = None if size == look.size else size * CELL_LINE_EM
    before, after = _empty_cell(width, slot.span, slot.merge, look.style_id, align, keep, line)
    if not (cell and cell.text):
        return before + after
    text = "\n".join(cell.lines) if keeps_breaks(tbl, cell) else cell.text
    return before + run_markup(text, rpr(size=size) if size != look.size else "") + after


def _table_xml(tbl: Table) -> Element:
    grid = _grid(tbl.widths)
    min_height = _min_row_height(tbl.font_size)
    rows = []
    for index, slots in enumerate(_slots(tbl, len(grid))):
        keep = index - len(tbl.header) in tbl.keep_with_next
        cells = (_cell_markup(s, sum(grid[s.col:s.col + s.span]), tbl, keep) for s in slots)
        rows.append(table_row(cells, header=index < len(tbl.header), min_height=min_height))
    return table(grid, TABLE_STYLE, rows)


# --------------------------------------------------------------------------------- body


def _heading_look(heading: Heading) -> Look:
    return LOOK["TableHeading" if heading.table_title else f"Heading{heading.level}"]


def _bookmark_name(index: int, anchor: str) -> str:
    """A valid Word bookmark name (hidden: leading "_", ≤ 40 chars) for an anchor."""
    return f"_bg{index}_{re.sub(r'[^A-Za-z0-9_]', '_', anchor)}"[:40]


def _chart_size(png: bytes, page: Page) -> tuple[int, int]:
    """The picture size in EMU: the chart's own size, as the PDFs print its SVG (the PNG is
    that SVG at charts.PNG_DPI), shrunk to the text width if it is wider."""
    image = Image.from_blob(png)
    width, height = (px * 72 / charts.PNG_DPI for px in (image.px_width, image.px_height))
    scale = min(1.0, page.text_width / 20 / width)
    return round(width * scale * EMU_PER_PT), round(height * scale * EMU_PER_PT)


class _Body:
    """Builds the body elements, closing a section at each Section node."""

    def __init__(self, package: WordDocument, images: dict[Chart, bytes],
                 pages: Mapping[str, int] | Future[dict[str, int]], footer_rids: dict[str, str]) -> None:
        self.package = package
        self.images = images
        self.pages = pages
        self.footer_rids = footer_rids
        self.header_rids: dict[str, str] = {}  # a draft's mark, in the first section (all inherit)
        self.page = PAGES["portrait"]
        self.first_section = True
        self.footers_pending = True  # the first numbered section carries the footers
        self.numbered = True  # does the current section show page numbers?
        self.restart = False  # does the current section restart numbering at 1?
        self.out: list[Element] = []
        self.section_start = 0
        self.bookmarks: dict[str, tuple[int, str]] = {}
        self.toc: list[Heading] = []
        self.toc_at: int | None = None  # where the 目录's entries go, once its pages are known

    def build(self, flow: Sequence[tuple[Block, bool]], toc: Sequence[Heading]) -> list[Element]:
        self.numbered = not any(isinstance(b, Section) and b.restart_numbering for b, _ in flow)
        anchors = [b.anchor for b, _ in flow if isinstance(b, Heading | Chart)]
        self.bookmarks = {a: (i, _bookmark_name(i, a)) for i, a in enumerate(anchors)}
        self.toc = list(toc)
        for block, page_break in flow:
            self._block(block, page_break)
        self.out.append(self._sect_pr())
        if self.toc_at is not None:
            self.out[self.toc_at:self.toc_at] = self._toc_entries()
        return self.out

    def _block(self, block: Block, page_break: bool) -> None:
        match block:
            case Section(orientation=orientation, restart_numbering=restart):
                self._section(orientation, restart)
            case Heading():
                self._heading(block, page_break)
            case Paragraph(style=name):
                content = [run("\n".join(lines), rpr(bold=bold)) for lines, bold in block.runs]
                self.out.append(styled(PARAGRAPH_STYLES[name], content,
                                       page_break_before=page_break, keep_next=block.keep_with_next))
            case Table():
                if page_break:
                    self.out.append(styled("Plain", page_break_before=True))
                self.out.append(_table_xml(block))
            case Chart():
                self._chart(block, page_break)
            case TableOfContents(title=title):
                self.out.append(styled("TOCHeading", [run(title)], page_break_before=page_break))
                self.toc_at = len(self.out)
            case PageBreak():
                self.out.append(styled("Plain", page_break_before=True))

    def _sect_pr(self) -> Element:
        """The section properties of the section ending here.

        Later sections have no footer reference: they inherit the first one's footer.
        """
        first = self.first_section
        footers = {}
        if self.numbered and self.footers_pending:
            footers, self.footers_pending = self.footer_rids, False
        self.first_section = False
        return sect_pr(self.page, footers, title_page=first and self.numbered,
                       restart=self.restart, headers=self.header_rids if first else {})

    def _section(self, orientation: str, restart: bool) -> None:
        if len(self.out) > self.section_start:
            tiny = ParaFormat(line=1)
            mark = el("w:rPr", None, val("w:sz", 2))
            self.out.append(paragraph(ppr("Plain", tiny, mark=mark, sect=self._sect_pr())))
            self.section_start = len(self.out)
        self.page = PAGES[orientation]
        self.restart = restart
        self.numbered = self.numbered or restart

    def _heading(self, heading: Heading, page_break: bool) -> None:
        """A heading paragraph. One whose TOC entry differs from it (表一… in the 2024 目录)
        enters the TOC through a TC field holding that entry, not through its outline
        level, so that Word's field update keeps the entry's text."""
        content = bookmarked(*self.bookmarks[heading.anchor], [run("\n".join(heading.lines))])
        entry = heading.in_toc and heading.toc_text is not None
        if entry:
            text = (heading.toc_text or "").replace('"', '\\"')
            content += [*field_start(f'TC "{text}" \\l {heading.level}')[:2], field_end()]
        self.out.append(styled(_heading_look(heading).style_id, content, page_break_before=page_break,
                               keep_next=heading.keep_with_next,
                               outline=9 if entry or not heading.in_toc else None))

    def _chart(self, chart: Chart, page_break: bool) -> None:
        cx, cy = _chart_size(self.images[chart], self.page)
        inline = self.package.part.new_pic_inline(BytesIO(self.images[chart]), Emu(cx), Emu(cy))
        picture = el("w:r", None, el("w:drawing", None, inline))
        caption = bookmarked(*self.bookmarks[chart.anchor], [run(chart.title)])
        self.out.append(styled("Caption", caption, page_break_before=page_break,
                               keep_next=chart.title_keep_with_next))
        self.out.append(styled("Figure", [picture]))

    def _toc_entries(self) -> list[Element]:
        """One paragraph per TOC heading inside one TOC field, with estimated pages."""
        depth = max((h.level for h in self.toc), default=2)
        pages = self.pages.result() if isinstance(self.pages, Future) else self.pages
        entries = []
        for heading in self.toc:
            name = self.bookmarks[heading.anchor][1]
            page = str(pages[heading.anchor])
            link = internal_link(name, [run("\n".join(heading.toc_lines) + "\t", rpr(bold=heading.toc_bold)),
                                        *field(f"PAGEREF {name} \\h", page, rpr(bold=heading.toc_bold))])
            entries.append(styled(f"TOC{heading.level}", [link]))
        if not entries:
            entries.append(styled("TOC1"))
        start = field_start(f'TOC \\o "1-{depth}" \\f \\h \\z \\u')
        entries[0][1:1] = start  # after the pPr
        entries[-1].append(field_end())
        return entries


# ----------------------------------------------------------------------------- package


def _toc_page(blocks: Sequence[Block]) -> Page:
    """The page the 目录 is on (that of the section before it)."""
    orientation: Orientation = "portrait"
    for block in blocks:
        if isinstance(block, TableOfContents):
            break
        if isinstance(block, Section):
            orientation = block.orientation
    return PAGES[orientation]


def _looks(doc: Document) -> Iterator[Look]:
    """The styles of `doc`: the 目录's entries with their page numbers at the right margin
    of the 目录's page (a landscape 目录's reach further), bold for a level whose entries
    are all bold (so that Word's update of the 目录 keeps them bold)."""
    width = _toc_page(doc.blocks).text_width
    toc = {_toc_look(level).style_id for level in TOC_INDENT_EM}
    entries = doc.toc_entries
    bold = {_toc_look(h.level).style_id for h in entries if h.toc_bold} \
        - {_toc_look(h.level).style_id for h in entries if not h.toc_bold}
    for look in LOOKS:
        if look.style_id in toc:
            look = replace(look, fmt=replace(look.fmt, tab_right=width), bold=look.style_id in bold)
        yield look


def _style_element(look: Look, fonts: Fonts) -> Element:
    return style("paragraph", look.style_id, look.name,
                 based_on=None if look.style_id == "Normal" else "Normal",
                 default=look.style_id == "Normal",
                 props=[ppr(None, look.fmt, size=look.size),
                        parsed(rpr(getattr(fonts, look.role), look.size, look.bold))])


def _set_styles(package: WordDocument, doc: Document) -> None:
    """Replace the template's styles with ours."""
    root = package.styles.element
    root.clear()
    root.append(doc_defaults(doc.fonts.body, LOOK["Normal"].size, doc.language))
    root.extend(_style_element(look, doc.fonts) for look in _looks(doc))
    root.append(style("character", "DefaultParagraphFont", "Default Paragraph Font",
                      default=True))
    root.append(style("table", "TableNormal", "Normal Table", default=True, props=[
        el("w:tblPr", None, cell_margins(0, 108))]))
    root.append(style("table", TABLE_STYLE, "Budget Table", based_on="TableNormal", props=[
        parsed(rpr(doc.fonts.table)),
        el("w:tblPr", None, parsed(table_borders()), cell_margins(CELL_TOP_MARGIN, CELL_SIDE_MARGIN)),
    ]))


def _set_footers(package: WordDocument, page_number: PageNumber) -> dict[str, str]:
    """The tree's page number, centred ("— n —"); an empty footer on the cover page."""
    section = package.sections[0]
    number = styled("Footer", [run(page_number.before), *field("PAGE", "1"), run(page_number.after)])
    footers = {"default": (section.footer.part, number),
               "first": (section.first_page_footer.part, styled("Footer"))}
    rids = {}
    for kind, (part, content) in footers.items():
        part.element.clear()
        part.element.append(content)
        rids[kind] = package.part.relate_to(part, RT.FOOTER)
    return rids


def _draft_headers(package: WordDocument, doc: Document) -> dict[str, str]:
    """A draft's mark in the header of every page (the cover's too), in DRAFT_ROLE's face."""
    section = package.sections[0]
    rids = {}
    props = rpr(getattr(doc.fonts, DRAFT_ROLE), SIZES["draft"], bold=True, colour=DRAFT_COLOUR)
    for kind, part in (("default", section.header.part), ("first", section.first_page_header.part)):
        part.element.clear()
        part.element.append(styled("Footer", [run(doc.draft, props)],
                                   align=WORD_ALIGN[ALIGN["draft"]], line=SIZES["draft"] * (1 + DRAFT_LEAD)))
        rids[kind] = package.part.relate_to(part, RT.HEADER)
    return rids


def _set_properties(package: WordDocument, doc: Document) -> None:
    created = datetime.fromisoformat(doc.created)
    created = created.replace(tzinfo=created.tzinfo or UTC).astimezone(UTC)
    props = package.core_properties
    props.title = doc.title
    props.language = doc.language
    props.author = doc.author
    props.subject = doc.subject
    props.keywords = ", ".join(doc.keywords)
    props.comments = ""
    props.last_modified_by = "budgetgen"
    props.revision = 1
    props.created = created
    props.modified = created


APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties"><Application>budgetgen</Application></Properties>')


def _localize(package: WordDocument, doc: Document) -> None:
    """Replace the template's Japanese and Calibri leftovers: the theme's fonts and
    languages, and the font table (ＭＳ 明朝, Calibri…) with the document's own fonts."""
    fonts = doc.fonts
    theme_language(package.settings.element, doc.language)
    for rel in package.part.rels.values():
        if rel.reltype == RT.THEME:
            rel.target_part._blob = theme_fonts(rel.target_part.blob, fonts.heading, fonts.body)
        elif rel.reltype == RT.FONT_TABLE:
            families = (fonts.title, fonts.heading, fonts.subheading, fonts.body, fonts.table)
            rel.target_part._blob = font_table({family: windows_faces(family) for family in families})


def _drop_template_extras(package: WordDocument) -> None:
    """Drop the template's thumbnail (a blank page) and its Word 2010 style copy, and
    replace its application properties (“Microsoft Macintosh Word”, 1 page) with ours."""
    rels = package.part.package.rels
    for rid in [r for r, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]
    for rel in rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML
    rels = package.part.rels
    for rid in [r for r, rel in rels.items() if rel.reltype.endswith("/stylesWithEffects")]:
        del rels[rid]


def _package_zip(package: WordDocument) -> bytes:
    """The package's zip with fixed timestamps and entry order, for reproducible bytes: its
    parts as python-docx's own save writes them (with their relationships and the content
    types), compressed once (that save stamps every entry with the time of day)."""
    opc = package.part.package
    parts = list(opc.iter_parts())
    entries = {"[Content_Types].xml": content_types(parts), PACKAGE_URI.rels_uri[1:]: opc.rels.xml}
    for part in parts:
        entries[part.partname.membername] = part.blob
        if len(part.rels):
            entries[part.partname.rels_uri.membername] = part.rels.xml
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            target.writestr(info, entries[name])
    return out.getvalue()
