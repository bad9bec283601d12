"""The document tree as print-ready HTML for WeasyPrint.

The template only maps nodes onto elements; this module prepares what the template
cannot: page groups (front matter, portrait, landscape), the TOC entries, the font
rules per role and the inline SVG of the charts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.compose.layout import (
    ALIGN,
    BOLD_HEADINGS,
    INDENT_EM,
    TOC_INDENT_EM,
    alignment,
    footer_baseline,
    name_tags,
)
from generator.compose.tree import (
    Block,
    BlockAlign,
    Chart,
    Document,
    Fonts,
    Heading,
    Orientation,
    PageBreak,
    Paragraph,
    Section,
    Table,
    TableOfContents,
)

from .charts import chart_svg
from .fonts import installed_chain, role_chains, vertical_metrics
from .typography import (
    BORDER_PT,
    CELL_LINE_EM,
    CELL_PAD_PT,
    CHART_GAP_EM,
    DRAFT_COLOUR,
    DRAFT_ROLE,
    FOOTER_ROLE,
    HEADING_ROLES,
    LINE_EDGES_EM,
    MARGINS_MM,
    MM_PER_PT,
    PARAGRAPH_ROLES,
    ROW_HEIGHT_EM,
    SIZES,
    SPACING,
    TABLE_GAP_EM,
    TABLE_ROLE,
    TABLE_TITLE_ROLE,
    TOC_ENTRY_ROLE,
    TOC_TITLE_ROLE,
)

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "html"
#: Font role per node kind, for the template's role-* classes (the same tables fonts.py
#: checks the glyphs with).
ROLES: dict[str, object] = {
    "paragraph": PARAGRAPH_ROLES,
    "heading": HEADING_ROLES,
    "table_title": TABLE_TITLE_ROLE,
    "table": TABLE_ROLE,
    "toc_title": TOC_TITLE_ROLE,
    "toc_entry": TOC_ENTRY_ROLE,
    "caption": PARAGRAPH_ROLES["caption"],
    "body": "body",
}


@dataclass(frozen=True)
class Item:
    block: Block
    break_before: bool = False


@dataclass
class PageGroup:
    """Consecutive blocks on pages of one kind; each group starts on a new page."""

    orientation: Orientation
    front: bool = False  # cover and TOC: unnumbered, not counted
    items: list[Item] = field(default_factory=list)


def render_html(doc: Document) -> str:
    """The whole document as one HTML string (stylesheet included)."""
    template = _environment().get_template("document.html.j2")
    return template.render(
        doc=doc,
        groups=page_groups(doc.blocks),
        toc_entries=doc.toc_entries,
        roles=ROLES,
        align=alignment,
        aligns=ALIGN,
        draft_css=Markup(draft_css(doc)),
        stylesheet=Markup(_stylesheet()),
        font_css=Markup(font_css(doc.fonts) + "\n" + layout_css(doc)),
    )


# The page-margin box of a mark in the top or bottom margin, by the layout's alignment.
_BOX: dict[BlockAlign, str] = {"left": "left", "center": "center", "right": "right", "justify": "left"}
FOOTER_BOX = f"@bottom-{_BOX[ALIGN['footer']]}"  # the page number
DRAFT_BOX = f"@top-{_BOX[ALIGN['draft']]}"  # a draft's mark


def draft_css(doc: Document) -> str:
    """A draft's mark in the top page margin where the layout aligns it, in DRAFT_ROLE's fonts ("" when final);
    the mark as a CSS string."""
    if not doc.draft:
        return ""
    return (f"@page {{ {DRAFT_BOX} {{ content: {_css_string(doc.draft)}; color: #{DRAFT_COLOUR}; "
            f"font-family: {_families(role_chains(doc.fonts)[DRAFT_ROLE])}; "
            f"font-size: {SIZES['draft']}pt; font-weight: bold; }} }}")


def page_groups(blocks: tuple[Block, ...]) -> list[PageGroup]:
    """Split the blocks where the page kind changes.

    Pages before a Section that restarts numbering are front matter: unnumbered and not
    counted. A `PageBreak` becomes `break_before` on the next block; a break at the
    start of a group is dropped, since every group starts on a new page anyway.
    """
    front = any(isinstance(b, Section) and b.restart_numbering for b in blocks)
    groups = [PageGroup("portrait", front=front)]
    pending = False
    for block in blocks:
        if isinstance(block, Section):
            front = front and not block.restart_numbering  # a section before the restart is front matter too
            groups.append(PageGroup(block.orientation, front=front))
            pending = False
        elif isinstance(block, PageBreak):
            pending = bool(groups[-1].items)
        else:
            groups[-1].items.append(Item(block, pending))
            pending = False
    return [group for group in groups if group.items]


def font_css(fonts: Fonts) -> str:
    """One font-family rule per role: the requested family, then the free fallbacks."""
    chains = role_chains(fonts)
    rules = [f".role-{role} {{ font-family: {_families(chain)}; }}"
             for role, chain in chains.items()]
    rules.append(f"@page {{ {FOOTER_BOX} {{ font-family: {_families(chains[FOOTER_ROLE])}; }} }}")
    return "\n".join(rules)


# The selectors of each spaced style (see typography.SPACING).
_SPACED = {
    **{style: f".p-{style}" for style in ("body", "plain", "cover-title", "cover-subtitle",
                                          "table-label", "table-meta",
                                          "table-unit", "note", "caption", "center")},
    "h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4",
    "table-title": ".p-table-title, h2.table-title", "toc-title": ".toc-title", "toc": ".toc li",
}


def layout_css(doc: Document) -> str:
    """Margins, font sizes, line pitch and first-line indents from the shared layout; the
    tree's page number in the footer, its baseline where the layout puts it."""
    rules = []
    pages: tuple[tuple[Orientation, str], ...] = (
        ("portrait", "@page"), ("landscape", "@page landscape"),
        ("landscape", "@page front-landscape"),  # a named page: the landscape rule does not reach it
    )
    above = _footer_above_baseline(doc.fonts)
    for orientation, selector in pages:
        top, right, bottom, left = MARGINS_MM[orientation]
        padding = round(bottom - footer_baseline(orientation) - above, 3)
        rules.append(f"{selector} {{ margin: {top}mm {right}mm {bottom}mm {left}mm; "
                     f"{FOOTER_BOX} {{ padding-top: {padding}mm; }} }}")
    number = doc.page_number
    rules.append(f"@page {{ {FOOTER_BOX} {{ vertical-align: top; }} }}")
    rules += [f"@page {front} {{ {FOOTER_BOX} {{ content: none; }} }}" for front in ("front", "front-landscape")]
    rules.append(f"@page {{ {FOOTER_BOX} {{ content: {_css_string(number.before)} counter(page) "
                 f"{_css_string(number.after)}; font-size: {SIZES['footer']}pt; line-height: 0; }} }}")
    for style, selector in _SPACED.items():
        line, before, after = SPACING[style]
        size = SIZES["toc" if style == "toc" else style]
        rules.append(f"{selector} {{ font-size: {size}pt; line-height: {line}pt; margin: 0; "
                     f"padding-top: {before}pt; padding-bottom: {after}pt; "
                     f"text-indent: {INDENT_EM.get(style, 0)}em; }}")
    rules += [f".toc-l{level} {{ padding-left: {em}em; }}" for level, em in TOC_INDENT_EM.items()]
    rules += [f"h{level}:not(.table-title) {{ font-weight: bold; }}" for level in sorted(BOLD_HEADINGS)]
    rules.append(f"table {{ margin-top: {TABLE_GAP_EM}em; margin-bottom: {TABLE_GAP_EM}em; }}")
    rules.append(f"figure.chart {{ margin-top: {CHART_GAP_EM}em; margin-bottom: {CHART_GAP_EM}em; }}")
    vertical, side = CELL_PAD_PT
    rules.append(f"tr {{ height: {ROW_HEIGHT_EM}em; }} th, td {{ line-height: {CELL_LINE_EM}; "
                 f"padding: {vertical}pt {side}pt; border: {BORDER_PT}pt solid #000; }}")
    return "\n".join(rules)


def _footer_above_baseline(fonts: Fonts) -> float:
    """How far (mm) below the top of the footer's line box its baseline lies. CSS places a
    baseline only through the font's ascent and descent: in a line box of no height
    (`line-height: 0`) it lies (ascent − descent) / 2 below the top, so the padding above
    the box makes up the rest of the layout's distance."""
    faces = installed_chain(role_chains(fonts)[FOOTER_ROLE])
    ascent, descent = vertical_metrics(faces[0]) if faces else LINE_EDGES_EM  # none: the writer refuses
    return (ascent - descent) / 2 * SIZES["footer"] * MM_PER_PT


def inline_svg(chart: Chart) -> Markup:
    """The chart's SVG without its XML prolog, ready to sit inside HTML."""
    svg = chart_svg(chart)
    return Markup(svg[svg.index("<svg"):])


def _families(chain: tuple[str, ...]) -> str:
    return ", ".join(_css_string(family) for family in chain)


def _css_string(text: str) -> str:
    """A quoted CSS string; characters that could end it or the <style> are escaped."""
    escaped = "".join(f"\\{ord(c):06x}" if c in '"\\<>&\'' or ord(c) < 0x20 else c
                      for c in text)
    return f'"{escaped}"'


@cache
def _stylesheet() -> str:
    return (TEMPLATE_DIR / "print.css").read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.tests.update({
        "heading": lambda b: isinstance(b, Heading),
        "paragraph": lambda b: isinstance(b, Paragraph),
        "table": lambda b: isinstance(b, Table),
        "chart": lambda b: isinstance(b, Chart),
        "toc": lambda b: isinstance(b, TableOfContents),
    })
    env.filters["svg"] = inline_svg
    env.filters["whole"] = _whole
    return env


@cache
def _tag_pattern() -> re.Pattern[str]:
    return re.compile(name_tags())


def _whole(text: str) -> Markup:
    """`text`, escaped, with each of the name's tags that running text keeps whole
    (layout.whole_in_text) in a span that never breaks. (A number needs none: WeasyPrint
    never breaks a run of digits.)"""
    out, start = [], 0
    for found in _tag_pattern().finditer(text):
        out += [escape(text[start:found.start()]), Markup('<span class="whole">'), escape(found.group()),
                Markup("</span>")]
        start = found.end()
    out.append(escape(text[start:]))
    return Markup("").join(out)
