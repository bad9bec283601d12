"""Raw WordprocessingML builders for what python-docx has no API for.

East-Asian fonts, outline levels, character-based indents, fields (TOC, PAGEREF, PAGE),
bookmarks, section properties and tables are built here in the child order the schema
requires: as lxml elements (`el`), or as markup (`tag`) where a table's cells are made of it
(runs, run and paragraph properties, rows, cells), so that a table is parsed at once
(`parsed`): building its thousands of nodes one by one took half the writer's time. Nothing
here knows the document tree. Units: sizes in points, lengths in twips (1/20 pt) unless a
name says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from docx.opc.constants import CONTENT_TYPE
from docx.opc.part import Part
from docx.opc.spec import default_content_types
from docx.oxml.ns import qn
from docx.oxml.parser import element_class_lookup, oxml_parser
from lxml import etree
from lxml.etree import _Element as Element

from generator.compose.layout import BORDER_PT
from generator.errors import RenderError
from generator.writers.xml_text import escaped_attribute, escaped_text

Child = Element | None
# Characters XML 1.0 cannot hold (a YAML "\x07" escape can produce them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_ROOT_NAME = re.compile(r"<[\w:]+")
# python-docx's parser (its element classes) for any length of text: a cell's can be as long as
# an input file (20 MB), past libxml2's limit of 10 MB, which `el` never had.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, huge_tree=True)
_PARSER.set_element_class_lookup(element_class_lookup)


@cache
def _clark(tag: str) -> str:
    return qn(tag)


def el(tag: str, attrs: dict[str, str] | None = None, *children: Child) -> Element:
    """An element `tag` ("w:p") with prefixed attributes and the non-None children."""
    node = oxml_parser.makeelement(_clark(tag))
    if attrs:
        for name, value in attrs.items():
            node.set(_clark(name), value)
    if children:
        node.extend([child for child in children if child is not None])
    return node


def val(tag: str, value: str | int) -> Element:
    """The common `<tag w:val="value"/>` element."""
    return el(tag, {"w:val": str(value)})


def tag(name: str, attrs: dict[str, str] | None = None, *children: str | None) -> str:
    """The markup of element `name` ("w:p") with attributes and the children's markup (None
    and "" are nothing): `el` for what is built by the thousand, parsed at once (`parsed`)."""
    head = name
    if attrs:
        head += "".join(f' {key}="{escaped_attribute(value)}"' for key, value in attrs.items())
    inner = "".join(child for child in children if child)
    return f"<{head}>{inner}</{name}>" if inner else f"<{head}/>"


def val_tag(name: str, value: str | int) -> str:
    """The markup of the common `<name w:val="value"/>` element."""
    return tag(name, {"w:val": str(value)})


def parsed(markup: str) -> Element:
    """The element of one element's `markup` (`tag`'s, in the w prefix), of python-docx's
    element classes as if built by `el`."""
    declared = _ROOT_NAME.sub(lambda root: f'{root[0]} xmlns:w="{_W}"', markup, count=1)
    return etree.fromstring(declared, _PARSER)


# ---------------------------------------------------------------------------------- runs


def rfonts(family: str) -> str:
    """Set one family in the Latin, East-Asian and complex-script slots (markup)."""
    return tag("w:rFonts", {"w:ascii": family, "w:hAnsi": family, "w:eastAsia": family, "w:cs": family})


@cache
def rpr(family: str | None = None, size: float | None = None, bold: bool = False,
        colour: str | None = None) -> str:
    """Run properties' markup, "" when there is nothing to set (`colour`: RRGGBB). Cached:
    a table's cells ask for the same few thousands of times."""
    if family is None and size is None and not bold and colour is None:
        return ""
    half_points = None if size is None else str(round(size * 2))
    return tag("w:rPr", None,
               rfonts(family) if family else None,
               tag("w:b") if bold else None,
               tag("w:bCs") if bold else None,
               val_tag("w:color", colour) if colour else None,
               val_tag("w:sz", half_points) if half_points else None,
               val_tag("w:szCs", half_points) if half_points else None)


def run_markup(text: str, props: str = "") -> str:
    """A run's markup, with properties `props` (`rpr`'s); newlines become line breaks and
    tabs become tab characters."""
    if _NOT_XML.search(text):
        raise RenderError(f"文本含有 Word 文档无法保存的控制字符：{text!r}",
                          f"text has a control character a Word file cannot hold: {text!r}")
    lines = ("<w:tab/>".join(_text(part) for part in line.split("\t")) for line in text.split("\n"))
    return f"<w:r>{props}{'<w:br/>'.join(lines)}</w:r>"


def _text(part: str) -> str:
    """A w:t holding `part`; none for an empty part (next to a tab or a line break)."""
    return f'<w:t xml:space="preserve">{escaped_text(part)}</w:t>' if part else ""


def run(text: str, props: str = "") -> Element:
    """`run_markup`'s run as an element."""
    return parsed(run_markup(text, props))


def _fld_char(kind: str) -> Element:
    return el("w:r", None, el("w:fldChar", {"w:fldCharType": kind}))


def field_start(instr: str) -> list[Element]:
    """The runs that open a complex field up to its result."""
    code = el("w:instrText", {"xml:space": "preserve"})
    code.text = f" {instr} "
    return [_fld_char("begin"), el("w:r", None, code), _fld_char("separate")]


def field_end() -> Element:
    return _fld_char("end")


def field(instr: str, result: str, props: str = "") -> list[Element]:
    """A complete complex field with a pre-filled result (its run's properties `props`)."""
    return [*field_start(instr), run(result, props), field_end()]


def bookmarked(bookmark_id: int, name: str, content: Iterable[Element]) -> list[Element]:
    ident = str(bookmark_id)
    return [el("w:bookmarkStart", {"w:id": ident, "w:name": name}), *content,
            el("w:bookmarkEnd", {"w:id": ident})]


def internal_link(bookmark: str, content: Iterable[Element]) -> Element:
    link = el("w:hyperlink", {"w:anchor": bookmark, "w:history": "1"})
    link.extend(content)
    return link


# ---------------------------------------------------------------------------- paragraphs


@dataclass(frozen=True)
class ParaFormat:
    """Paragraph properties shared by styles and direct formatting."""

    align: str | None = None  # left, center, right, both
    line: float | None = None  # exact line pitch in pt; None = single
    before: float = 0.0
    after: float = 0.0
    indent_chars: int | None = None  # first-line indent in characters
    left: int = 0  # left indent in twips
    outline: int | None = None  # 0-based outline level, 9 = body text
    keep_next: bool = False
    page_break_before: bool = False
    tab_right: int | None = None  # a right tab stop with dot leader, in twips


def _spacing(fmt: ParaFormat) -> Element:
    attrs = {"w:before": str(round(fmt.before * 20)), "w:after": str(round(fmt.after * 20))}
    if fmt.line is None:
        attrs |= {"w:line": "240", "w:lineRule": "auto"}
    else:
        attrs |= {"w:line": str(round(fmt.line * 20)), "w:lineRule": "exact"}
    return el("w:spacing", attrs)


def _indent(fmt: ParaFormat, size: float) -> Element | None:
    if fmt.indent_chars is None and not fmt.left:
        return None
    attrs = {"w:left": str(fmt.left)}
    if fmt.indent_chars is not None:
        # firstLine (twips) is the fallback for readers that ignore the character unit
        attrs |= {"w:firstLineChars": str(fmt.indent_chars * 100),
                  "w:firstLine": str(round(fmt.indent_chars * size * 20))}
    return el("w:ind", attrs)


def _no_autospace() -> tuple[Element, Element]:
    """No extra space between Chinese and Latin letters or digits: the PDF has none, so
    lines break alike. Set on every style too: LibreOffice ignores the document default."""
    return val("w:autoSpaceDE", 0), val("w:autoSpaceDN", 0)


def ppr(style: str | None, fmt: ParaFormat | None = None, *, size: float = 0.0,
        mark: Element | None = None, sect: Element | None = None) -> Element:
    """Paragraph properties in schema order.

    `size` is the font size (pt) the character indent is measured in; `mark` is the
    paragraph mark's rPr and `sect` the properties of a section ending here.
    """
    fmt = fmt or ParaFormat()
    tabs = None
    if fmt.tab_right is not None:
        tabs = el("w:tabs", None, el("w:tab", {"w:val": "right", "w:leader": "dot",
                                              "w:pos": str(fmt.tab_right)}))
    return el("w:pPr", None,
              val("w:pStyle", style) if style else None,
              el("w:keepNext") if fmt.keep_next else None,
              el("w:pageBreakBefore") if fmt.page_break_before else None,
              tabs,
              *_no_autospace(),
              _spacing(fmt),
              _indent(fmt, size),
              val("w:jc", fmt.align) if fmt.align else None,
              val("w:outlineLvl", fmt.outline) if fmt.outline is not None else None,
              mark, sect)


def paragraph(props: Element, content: Iterable[Element] = ()) -> Element:
    node = el("w:p", None, props)
    node.extend(content)
    return node


def styled_markup(style: str, content: str = "", *, page_break_before: bool = False,
                  align: str | None = None, no_indent: bool = False, outline: int | None = None,
                  keep_next: bool = False, line: float | None = None) -> str:
    """The markup of a paragraph of a named style with only the given direct overrides
    (`line`: an exact line pitch in pt), holding the markup `content`."""
    spacing = None if line is None else tag("w:spacing", {"w:line": str(round(line * 20)),
                                                          "w:lineRule": "exact"})
    props = tag("w:pPr", None, val_tag("w:pStyle", style),
                tag("w:keepNext") if keep_next else None,
                tag("w:pageBreakBefore") if page_break_before else None,
                spacing,
                tag("w:ind", {"w:firstLineChars": "0", "w:firstLine": "0"}) if no_indent else None,
                val_tag("w:jc", align) if align else None,
                val_tag("w:outlineLvl", outline) if outline is not None else None)
    return tag("w:p", None, props, content)


def styled(style: str, content: Iterable[Element] = (), **overrides: Any) -> Element:
    """`styled_markup`'s paragraph (`overrides` are its keywords) holding the elements `content`."""
    node = parsed(styled_markup(style, **overrides))
    node.extend(content)
    return node


# -------------------------------------------------------------------------------- styles


def style(kind: str, style_id: str, name: str, *, based_on: str | None = None,
          default: bool = False, props: Sequence[Child] = ()) -> Element:
    """A `w:style`; `props` are its pPr/rPr/tblPr children in schema order."""
    attrs = {"w:type": kind, "w:styleId": style_id}
    if default:
        attrs["w:default"] = "1"
    return el("w:style", attrs, val("w:name", name),
              val("w:basedOn", based_on) if based_on else None,
              el("w:qFormat"), *props)


def doc_defaults(family: str, size: float, language: str) -> Element:
    """Default run and paragraph properties. Latin text is tagged en-US and East-Asian
    text `language`: tagged zh-CN, WPS and LibreOffice break a number like 2,730.51 as
    Chinese text, between any two characters."""
    return el("w:docDefaults", None,
              el("w:rPrDefault", None, el("w:rPr", None, parsed(rfonts(family)),
                                          val("w:sz", round(size * 2)),
                                          val("w:szCs", round(size * 2)),
                                          el("w:lang", {"w:val": LATIN_LANGUAGE,
                                                        "w:eastAsia": language}))),
              el("w:pPrDefault", None, el("w:pPr", None, el("w:widowControl"),
                                          *_no_autospace(),
                                          el("w:spacing", {
                  "w:before": "0", "w:after": "0", "w:line": "240", "w:lineRule": "auto"}))))


LATIN_LANGUAGE = "en-US"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def content_types(parts: Iterable[Part]) -> bytes:
    """The package's [Content_Types].xml, as python-docx's save writes it: the usual type
    of an extension as its Default, any other part's type as an Override; each sorted."""
    defaults = {"rels": CONTENT_TYPE.OPC_RELATIONSHIPS, "xml": CONTENT_TYPE.XML}
    overrides = {}
    for part in parts:
        extension = part.partname.ext.lower()
        if (extension, part.content_type) in default_content_types:
            defaults[extension] = part.content_type
        else:
            overrides[str(part.partname)] = part.content_type
    root = etree.fromstring(f'<Types xmlns="{_CONTENT_TYPES}"/>')  # the default namespace
    for extension in sorted(defaults):
        etree.SubElement(root, f"{{{_CONTENT_TYPES}}}Default", Extension=extension, ContentType=defaults[extension])
    for name in sorted(overrides):
        etree.SubElement(root, f"{{{_CONTENT_TYPES}}}Override", PartName=name, ContentType=overrides[name])
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def font_table(families: dict[str, tuple[str, ...]]) -> bytes:
    """A font table naming the document's families, as GB2312 (charset 86) fonts, each with
    the faces to try where it is missing (w:altName)."""
    root = etree.Element(_clark("w:fonts"), nsmap={"w": _W})
    for family, alternates in families.items():
        root.append(el("w:font", {"w:name": family}, *([val("w:altName", ",".join(alternates))] if alternates else []),
                       val("w:charset", "86"), val("w:family", "auto"), val("w:pitch", "variable")))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def theme_fonts(theme: bytes, major: str, minor: str) -> bytes:
    """The theme with `major` (headings) and `minor` (body) fonts in its Latin and
    East-Asian slots and no script-specific fonts of other languages."""
    root = etree.fromstring(theme)
    for tag, family in (("majorFont", major), ("minorFont", minor)):
        for scheme in root.iter(f"{{{_A}}}{tag}"):
            for child in list(scheme):
                if child.tag in (f"{{{_A}}}latin", f"{{{_A}}}ea"):
                    child.set("typeface", family)
                elif child.tag == f"{{{_A}}}font":
                    scheme.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def theme_language(settings: Element, language: str) -> None:
    """The theme fonts' languages: Latin en-US, East-Asian `language`; the template's
    revision ids and math font (Cambria Math) go."""
    for node in settings.iter(_clark("w:themeFontLang")):
        node.set(_clark("w:val"), LATIN_LANGUAGE)
        node.set(_clark("w:eastAsia"), language)
    for tag in ("w:rsids", "m:mathPr"):
        for node in list(settings.iter(_clark(tag))):
            settings.remove(node)


def table_borders() -> str:
    """Single borders (compose.layout.BORDER_PT) around and between all cells (markup)."""
    line = {"w:val": "single", "w:sz": str(round(BORDER_PT * 8)), "w:space": "0", "w:color": "000000"}
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    return tag("w:tblBorders", None, *(tag(f"w:{side}", line) for side in sides))


def cell_margins(top: int, side: int) -> Element:
    return el("w:tblCellMar", None,
              el("w:top", {"w:w": str(top), "w:type": "dxa"}),
              el("w:left", {"w:w": str(side), "w:type": "dxa"}),
              el("w:bottom", {"w:w": str(top), "w:type": "dxa"}),
              el("w:right", {"w:w": str(side), "w:type": "dxa"}))


def enable_update_fields(settings: Element) -> None:
    """Ask Word to refresh fields (the TOC page numbers) when the file is opened."""
    later = {_clark(t) for t in ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr",
                                 "w:compat", "w:docVars", "w:rsids", "m:mathPr",
                                 "w:themeFontLang", "w:clrSchemeMapping")}
    node = val("w:updateFields", "true")
    for child in settings:
        if child.tag in later:
            child.addprevious(node)
            return
    settings.append(node)


# -------------------------------------------------------------------------------- tables


def table(grid: Sequence[int], style_id: str, rows: Iterable[str]) -> Element:
    """A fixed-layout table over `grid` column widths (twips), centred, all borders, of the
    rows' markup, parsed at once."""
    props = tag("w:tblPr", None, val_tag("w:tblStyle", style_id),
                tag("w:tblW", {"w:w": str(sum(grid)), "w:type": "dxa"}),
                val_tag("w:jc", "center"),
                table_borders(),
                tag("w:tblLayout", {"w:type": "fixed"}),
                tag("w:tblLook", {"w:val": "0000", "w:firstRow": "0", "w:lastRow": "0",
                                  "w:firstColumn": "0", "w:lastColumn": "0",
                                  "w:noHBand": "1", "w:noVBand": "1"}))
    columns = tag("w:tblGrid", None, *(tag("w:gridCol", {"w:w": str(w)}) for w in grid))
    return parsed(tag("w:tbl", None, props, columns, *rows))


@cache
def _row_props(header: bool, min_height: int) -> str:
    """A row's properties (cached: the rows of a table share them)."""
    return tag("w:trPr", None, tag("w:cantSplit"),
               tag("w:trHeight", {"w:val": str(min_height), "w:hRule": "atLeast"}),
               tag("w:tblHeader") if header else None)


def table_row(cells: Iterable[str], *, header: bool, min_height: int) -> str:
    """The markup of a row of the cells' markup that never splits across pages; header rows
    repeat on every page."""
    return tag("w:tr", None, _row_props(header, min_height), *cells)


def table_cell(width: int, span: int, merge: str | None, content: str) -> str:
    """The markup of a cell `span` grid columns wide holding the markup `content`; `merge`
    is "restart", "continue" or None."""
    props = tag("w:tcPr", None, tag("w:tcW", {"w:w": str(width), "w:type": "dxa"}),
                val_tag("w:gridSpan", span) if span > 1 else None,
                None if merge is None else
                tag("w:vMerge", {"w:val": merge} if merge == "restart" else None),
                val_tag("w:vAlign", "center"))
    return tag("w:tc", None, props, content)


# ------------------------------------------------------------------------------ sections


@dataclass(frozen=True)
class Page:
    """A page size and its margins, in twips."""

    orientation: str
    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    footer: int
    header: int = 851

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> int:
        return self.height - self.top - self.bottom


def sect_pr(page: Page, footers: dict[str, str], *, title_page: bool, restart: bool = False,
            headers: dict[str, str] | None = None) -> Element:
    """Section properties; `footers` maps footerReference type to relationship id.

    A section without footer references shows its predecessor's footers (none for the
    first section); `restart` numbers its first page 1.
    """
    size = {"w:w": str(page.width), "w:h": str(page.height)}
    if page.orientation == "landscape":
        size["w:orient"] = "landscape"
    refs = [el(f"w:{part}Reference", {"w:type": kind, "r:id": rid})
            for part, rids in (("header", headers or {}), ("footer", footers)) for kind, rid in rids.items()]
    return el("w:sectPr", None, *refs,
              val("w:type", "nextPage"),
              el("w:pgSz", size),
              el("w:pgMar", {"w:top": str(page.top), "w:right": str(page.right),
                             "w:bottom": str(page.bottom), "w:left": str(page.left),
                             "w:header": str(page.header), "w:footer": str(page.footer),
                             "w:gutter": "0"}),
              el("w:pgNumType", {"w:start": "1"}) if restart else None,
              el("w:cols", {"w:space": "425"}),
              el("w:titlePg") if title_page else None)
