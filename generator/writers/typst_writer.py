"""The document tree as PDF through Typst (the PyPI `typst` package), compiled in memory.

The tree becomes JSON data that one fixed Typst file (generator/writers/templates/typst/document.typ) maps
onto pages: every text is a string in that data, never markup, so user text cannot inject
Typst code. Page groups, fonts per role, sizes and margins are the same as the other
writers'. The bytes are reproducible: the document date is `Document.created`, given both
to `set document` and as the compile timestamp.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import typst

from generator.compose.layout import (
    ALIGN,
    TOC_INDENT_EM,
    alignment,
    draft_top,
    heading_bold,
    indent_em,
    long_run_pattern,
    whole_in_text,
)
from generator.compose.tree import (
    Cell,
    Chart,
    Document,
    Heading,
    Paragraph,
    Table,
    TableOfContents,
    positions,
)
from generator.errors import RenderError
from generator.kept import file_stamps, keep, kept_path, read_kept

from .attachments import mime_type
from .charts import chart_svg
from .dates import document_date
from .fonts import chart_face, check_coverage, installed_chain, role_chains, role_texts
from .html_writer import ROLES, page_groups
from .pdf_streams import unambiguous_streams
from .typography import (
    BORDER_PT,
    CELL_LINE_EM,
    CELL_PAD_PT,
    CHART_GAP_EM,
    DRAFT_COLOUR,
    DRAFT_ROLE,
    FOOTER_GAP_MM,
    FOOTER_ROLE,
    HEADING_ROLES,
    JUSTIFY_TRACKING_EM,
    LINE_EDGES_EM,
    MARGINS_MM,
    RUNT_COST,
    SIZES,
    SPACING,
    TABLE_GAP_EM,
)
from .typst_fonts import (
    PrintFonts,
    font_folders,
    font_paths,
    print_fonts,
    printed_faces,
    typeset,
    typst_families,
    typst_weights,
)

TEMPLATE = Path(__file__).resolve().parent / "templates" / "typst" / "document.typ"
PDFA_STANDARD = "a-3b"
PDFUA_STANDARD = "ua-1"  # every Typst PDF: tagged, figures with alternative text, pdfuaid


def write_pdf(doc: Document, *, attachments: Sequence[tuple[str, bytes]] = (),
              pdfa: bool = False) -> bytes:
    """Render `doc` to PDF bytes; with `pdfa`, PDF/A-3b with `attachments` as its sources."""
    return pdf_and_pages(doc, attachments=attachments, pdfa=pdfa)[0]


def pdf_and_pages(doc: Document, *, attachments: Sequence[tuple[str, bytes]] = (),
                  pdfa: bool = False) -> tuple[bytes, dict[str, int]]:
    """`doc`'s PDF (as `write_pdf`) and the printed page of every heading in its 目录, by
    anchor, read from the same layout (Typst memoized it: reading costs nothing)."""
    check_coverage(doc)
    data = typst_data(doc, attachments)
    pdf, laid_out = _typeset(document_fonts(doc), data, timestamp=document_date(doc),
                             pdf_standards=[PDFA_STANDARD, PDFUA_STANDARD] if pdfa else [PDFUA_STANDARD])
    assert pdf is not None
    return unambiguous_streams(pdf), _toc_pages(doc, laid_out)


def heading_pages(doc: Document) -> dict[str, int]:
    """The printed page number of every heading in the 目录, by anchor, as Typst lays the
    document out: the one page model the DOCX's 目录 takes its numbers from. Typst's layout
    alone, no PDF written; kept between runs."""
    check_coverage(doc)
    layout = _layout_data(doc)
    kept = _kept_pages(doc, layout)
    if (found := _read_pages(kept, _toc_anchors(doc))) is not None:
        return found  # no Typst at all
    _, laid_out = _typeset(document_fonts(doc), {**layout, **_font_data(doc)})
    found = _toc_pages(doc, laid_out)
    keep(kept, found, "pages", KEPT_PAGES)
    return found


def _typeset(fonts: PrintFonts, data: dict[str, Any], **pdf: Any) -> tuple[bytes | None, object]:
    """Lay the Typst file out for `data`; with `pdf` options, write the PDF. Also the
    headings' pages, the template's (anchor, page) pairs."""
    try:
        return typeset(fonts, TEMPLATE, {"data": json.dumps(data, ensure_ascii=False)}, "<heading-pages>", **pdf)
    except typst.TypstError as error:
        raise RenderError(f"Typst 排版失败：{error.message}", f"Typst failed: {error.message}") from error


def _toc_anchors(doc: Document) -> set[str]:
    """The anchors of the headings in `doc`'s 目录: those whose pages are asked for."""
    return {h.anchor for h in doc.toc_entries}


def _toc_pages(doc: Document, laid_out: object) -> dict[str, int]:
    assert isinstance(laid_out, list)  # the template's (anchor, page) pairs
    toc = _toc_anchors(doc)
    return {anchor: page for anchor, page in laid_out if anchor in toc}


def _kept_pages(doc: Document, layout: dict[str, Any]) -> Path | None:
    """Where the heading pages of exactly this layout are kept between runs (a DOCX alone
    spent 0.25 s of CPU on Typst's layout for them): none when the template cache is off.
    The name is a hash of all the layout depends on: the Typst file, the tree's data, the
    faces fontconfig picks for each role, Typst's version, every font file Typst may print
    with and the code that finds the names Typst knows the fonts by and cuts the faces
    (with the picked faces, they settle those names and the faces, asked only when laying
    out)."""
    try:
        stamps = file_stamps(font_paths(doc_font_folders(doc)))
    except OSError:  # a font file gone meanwhile: lay the tree out, keep nothing
        return None
    faces = [f"{role}:{face.path}:{face.index}".encode() for role, chain in role_chains(doc.fonts).items()
             for face in installed_chain(chain)]
    data = json.dumps(layout, ensure_ascii=False, sort_keys=True)
    code = [Path(__file__).with_name(name).read_bytes() for name in ("typst_fonts.py", "font_subsets.py")]
    return kept_path("pages", [_source(), data.encode(), version("typst").encode(), *code, *faces, *stamps])


def _read_pages(path: Path | None, toc: set[str]) -> dict[str, int] | None:
    """The kept pages, if kept and whole (else None: Typst lays the tree out)."""
    found = read_kept(path)
    if not isinstance(found, dict) or set(found) != toc or not all(type(p) is int for p in found.values()):
        return None
    return found


KEPT_PAGES = 200  # files of kept pages at most (a server re-rendering edited trees adds one each)


def doc_font_folders(doc: Document) -> tuple[str, ...]:
    """The font folders Typst scans for `doc`: those of its role fonts and the fallbacks."""
    return font_folders(chain[0] for chain in role_chains(doc.fonts).values())


def document_fonts(doc: Document) -> PrintFonts:
    """The faces Typst may print `doc` with (its roles' and its charts'), cut to the
    characters of its texts and of the Typst file."""
    folders = doc_font_folders(doc)
    fonts = _font_data(doc)
    faces = [*printed_faces(folders, fonts["fonts"], fonts["weights"]), (chart_face().path, chart_face().index)]
    return print_fonts(folders, faces, {c for _, text in role_texts(doc) for c in text} | set(_source().decode()))


def typst_data(doc: Document, attachments: Sequence[tuple[str, bytes]] = ()) -> dict[str, Any]:
    """Everything the Typst file prints, as JSON-ready data."""
    return {**_layout_data(doc, attachments), **_font_data(doc)}


def _font_data(doc: Document) -> dict[str, Any]:
    """Each role's fonts as Typst names them (Typst's scan of the font folders tells)."""
    return {"fonts": typst_families(doc.fonts, doc_font_folders(doc)),
            "weights": typst_weights(doc.fonts, doc_font_folders(doc))}


def _layout_data(doc: Document, attachments: Sequence[tuple[str, bytes]] = ()) -> dict[str, Any]:
    """The Typst file's data but the fonts: the tree, the layout's figures, the metadata."""
    created = document_date(doc)
    lang, _, region = doc.language.lower().partition("-")
    groups = page_groups(doc.blocks)
    headings = [b for b in doc.blocks if isinstance(b, Heading)]
    outline = _outline_levels(headings)
    return {
        "title": doc.title,
        "draft": doc.draft,
        "draft_colour": "#" + DRAFT_COLOUR,
        "draft_top": {orientation: draft_top(orientation) for orientation in MARGINS_MM},
        "author": [doc.author] if doc.author else [],
        "subject": doc.subject or None,
        "keywords": list(doc.keywords),
        "lang": lang,
        "region": region or None,
        "date": [created.year, created.month, created.day, created.hour, created.minute, created.second],
        "roles": {"paragraph": ROLES["paragraph"], "table": ROLES["table"], "body": ROLES["body"], "footer": FOOTER_ROLE,
                  "draft": DRAFT_ROLE,
                  "heading": {str(k): v for k, v in HEADING_ROLES.items()},
                  "table_title": ROLES["table_title"],
                  "toc_title": ROLES["toc_title"], "toc_entry": ROLES["toc_entry"]},
        "sizes": SIZES,
        "spacing": SPACING,
        "cell_line": CELL_LINE_EM,
        "cell_pad": CELL_PAD_PT,
        "border": BORDER_PT,
        "toc_indent": {str(k): v for k, v in TOC_INDENT_EM.items()},
        "margins": MARGINS_MM,
        "footer_gap": FOOTER_GAP_MM,
        "line_edges": LINE_EDGES_EM,
        "table_gap": TABLE_GAP_EM,
        "chart_gap": CHART_GAP_EM,
        "tracking_em": JUSTIFY_TRACKING_EM,
        "runt_cost": RUNT_COST,
        "long_run": long_run_pattern(),
        "whole": whole_in_text(),
        "page_number": [doc.page_number.before, doc.page_number.after],
        "footer_align": ALIGN["footer"],
        "draft_align": ALIGN["draft"],
        "first_numbered": next((i for i, g in enumerate(groups) if not g.front), 0),
        "headings": {h.anchor: {"lines": h.lines, "table_title": h.table_title, "level": h.level,
                                "align": alignment(h), "indent": indent_em(h), "keep": h.keep_with_next,
                                "bold": heading_bold(h)}
                     for h in headings},
        "toc": [{"level": h.level, "lines": h.toc_lines, "anchor": h.anchor, "bold": h.toc_bold}
                for h in doc.toc_entries],
        "groups": [{"orientation": g.orientation, "front": g.front,
                    "items": [{**_node(item.block, outline), "break_before": item.break_before}
                              for item in g.items]}
                   for g in groups],
        "attachments": [{"name": name, "bytes": list(content), "mime": mime_type(name)}
                        for name, content in attachments],
    }


def _outline_levels(headings: Sequence[Heading]) -> dict[str, int]:
    """Each heading's level in the PDF's structure and outline: its own, but never more
    than one below the heading before it, the first at 1 (PDF/UA-1 wants no level
    skipped); the printed look keeps the tree's level."""
    levels, previous = {}, 0
    for heading in headings:
        previous = levels[heading.anchor] = min(heading.level, previous + 1)
    return levels


def _node(block: object, outline: dict[str, int]) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"kind": "heading", "level": outline[block.anchor], "anchor": block.anchor,
                "in_toc": block.in_toc, "label": block.toc_text or block.text}
    if isinstance(block, Paragraph):
        runs = block.runs  # more than one: a bold lead-in, then the rest
        return {"kind": "paragraph", "lines": block.lines, "style": block.style, "bold": block.bold,
                "align": alignment(block), "indent": indent_em(block), "keep": block.keep_with_next,
                "runs": [{"lines": lines, "bold": bold} for lines, bold in runs] if len(runs) > 1 else None}
    if isinstance(block, Table):
        return {"kind": "table", "widths": list(block.widths), "font_size": block.font_size,
                "keep": sorted(block.keep_with_next), "subheaders": sorted(block.subheaders),
                "header": [[_cell(c) for c in row] for row in block.header],
                "body": _body(block)}
    if isinstance(block, Chart):
        svg = chart_svg(block)
        return {"kind": "chart", "title": block.title, "svg": svg[svg.index("<svg"):],
                "alt": block.description, "align": alignment(block), "indent": indent_em(block),
                "keep": block.title_keep_with_next, "figure_align": ALIGN["chart"]}
    if isinstance(block, TableOfContents):
        return {"kind": "toc", "title": block.title, "align": alignment(block)}
    raise TypeError(f"no Typst mapping for {type(block).__name__}")


def _cell(cell: Cell) -> dict[str, Any]:
    return {"lines": cell.lines, "colspan": cell.colspan, "rowspan": cell.rowspan,
            "align": cell.align, "style": cell.style}


def _body(table: Table) -> list[list[dict[str, Any]]]:
    """The body rows' cells. A Typst header holds whole rows, so a cell that spans down from
    a subheader row (the performance table's 绩效指标 label) is cut in two: an empty part in
    the header, open at the bottom, and the rest in the row below, open at the top, its text
    lifted by half the header row (`lift`: that row's lines) to stay in the middle of both."""
    top = len(table.header)
    rows: list[list[tuple[int, dict[str, Any]]]] = [[] for _ in table.body]
    for r, column, cell in positions(table):
        if r < top:
            continue
        row = r - top
        if row in table.subheaders and cell.rowspan > 1:
            lines = max((len(c.lines) for c in table.body[row] if c is not cell), default=1)
            rows[row].append((column, {**_cell(replace(cell, text="", breaks=(), rowspan=1)), "open": "bottom"}))
            rows[row + 1].append((column, {**_cell(replace(cell, rowspan=cell.rowspan - 1)),
                                           "open": "top", "lift": lines}))
        else:
            rows[row].append((column, _cell(cell)))
    return [[c for _, c in sorted(row, key=lambda item: item[0])] for row in rows]


@cache
def _source() -> bytes:
    return TEMPLATE.read_bytes()
