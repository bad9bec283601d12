"""Font chains per role, and a glyph-coverage check run before rendering.

Each role (title, heading, body, table) is printed with the family named in
`Document.fonts`, followed by free fallbacks. Families are resolved with fontconfig, as
WeasyPrint (through Pango) does; a family that is not installed is skipped, as Pango
skips it. Before rendering, every character of every text is looked up in the cmaps of
its chain: a character no font covers raises `RenderError`, so the PDF never shows tofu.
"""

from __future__ import annotations

import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import cache

from generator.compose.tree import (
    Chart,
    Document,
    FontRole,
    Fonts,
    Heading,
    Paragraph,
    Table,
    TableOfContents,
)
from generator.errors import RenderError
from generator.writers import fontconfig
from generator.writers.typography import (
    DRAFT_ROLE,
    FOOTER_ROLE,
    HEADING_ROLES,
    PARAGRAPH_ROLES,
    TABLE_ROLE,
    TABLE_TITLE_ROLE,
    TOC_ENTRY_ROLE,
    TOC_TITLE_ROLE,
)

#: Free fallbacks by the look of the requested family (标宋 → title, 宋/仿宋/明 → serif,
#: 黑 → sans, 楷 → kai): the closest freely embeddable faces Debian packages. 小标宋 is a
#: heavy Song: Noto Serif CJK SemiBold (fonts-noto-cjk-extra). 楷体: LXGW WenKai
#: (fonts-lxgw-wenkai, OFL). Debian has no simplified-Chinese 仿宋 (cwTeX 仿宋 lacks the
#: simplified characters), so 仿宋 falls back to the regular Song, Noto Serif CJK.
FALLBACKS: dict[str, tuple[str, ...]] = {
    "title": ("Noto Serif CJK SC SemiBold", "Noto Serif CJK SC", "AR PL UMing CN"),
    "serif": ("Noto Serif CJK SC", "AR PL UMing CN"),
    "sans": ("Noto Sans CJK SC",),
    "kai": ("LXGW WenKai", "AR PL UKai CN", "Noto Serif CJK SC"),
}
#: Faces Windows itself has, by the look of a requested family, for a DOCX opened where
#: that family is not installed: Windows 10 and 11 have 仿宋, 楷体, 黑体 and 宋体, but
#: neither the _GB2312 faces nor 方正小标宋. Word tries them in order before a face of like
#: metrics (the font table's w:altName, ISO/IEC 29500-1 §17.8.3.1); LibreOffice does not.
WINDOWS_FACES: dict[str, tuple[str, ...]] = {
    "title": ("方正小标宋_GBK", "华文中宋", "宋体"),
    "fangsong": ("仿宋", "FangSong"),
    "serif": ("宋体", "SimSun"),
    "sans": ("黑体", "SimHei"),
    "kai": ("楷体", "KaiTi"),
}
#: Free CJK families for the charts, tried in order; the first one installed is used.
CHART_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                 "AR PL UMing CN", "AR PL UKai CN")
_TITLE_MARKS = ("标宋", "biaosong")
_SANS_MARKS = ("黑", "hei", "sans", "gothic")
_KAI_MARKS = ("楷", "kai")
_FANGSONG_MARKS = ("仿宋", "fangsong")

#: Characters the writer itself prints: page numbers, TOC leaders (the footer's own text
#: around the number is the tree's, `Document.page_number`).
WRITER_TEXT: dict[FontRole, str] = {"body": "0123456789."}
#: Characters `charts.py` adds around the labels (amounts, shares).
CHART_TEXT = "0123456789.%万元（）"
_MAX_LISTED = 20


@dataclass(frozen=True)
class FontFace:
    """One installed font face: the family as requested, its file and face index."""

    family: str
    path: str
    index: int


def fallback_category(family: str) -> str:
    """'title', 'serif', 'sans' or 'kai': which free fallbacks suit a (possibly missing) family."""
    lowered = family.lower()
    if any(mark in lowered for mark in _TITLE_MARKS):
        return "title"
    if any(mark in lowered for mark in _SANS_MARKS):
        return "sans"
    if any(mark in lowered for mark in _KAI_MARKS):
        return "kai"
    return "serif"


def windows_faces(family: str) -> tuple[str, ...]:
    """The faces of Windows that stand in for `family` where it is missing (WINDOWS_FACES)."""
    fangsong = any(mark in family.lower() for mark in _FANGSONG_MARKS)
    return tuple(f for f in WINDOWS_FACES["fangsong" if fangsong else fallback_category(family)] if f != family)


def family_chain(family: str) -> tuple[str, ...]:
    """The requested family followed by its free fallbacks, without duplicates."""
    return tuple(dict.fromkeys((family, *FALLBACKS[fallback_category(family)])))


def role_chains(fonts: Fonts) -> dict[FontRole, tuple[str, ...]]:
    roles: tuple[FontRole, ...] = ("title", "heading", "subheading", "body", "table")
    return {role: family_chain(getattr(fonts, role)) for role in roles}


@cache
def resolve_family(family: str) -> FontFace | None:
    """The installed face fontconfig picks for `family`, or None if it is not installed.

    fc-match always answers with some font; the answer counts only if one of its
    family names (fontconfig lists localized names too) is the requested one.
    """
    found = fontconfig.match(family)
    if found is None:
        return None
    names = {name.strip().casefold() for name in found[0].split(",")}
    return FontFace(family, found[1], found[2]) if family.casefold() in names else None


@cache
def chart_face() -> FontFace:
    """The CJK font the charts are drawn with."""
    for family in CHART_FAMILIES:
        if face := resolve_family(family):
            return face
    raise RenderError("未找到可用于图表的中文字体（请安装 fonts-noto-cjk）",
                      "no CJK font found for charts (install fonts-noto-cjk)")


def installed_chain(chain: tuple[str, ...]) -> tuple[FontFace, ...]:
    return tuple(face for family in chain if (face := resolve_family(family)))


def prefetch() -> None:
    """Ask fontconfig about the default fonts (the families and the first face's coverage
    per role) in a daemon thread while the command imports its modules: each answer is a
    process of its own, awaited outside the GIL. Its answers are cached like any other; a
    failure is met again, and reported, by the check or the writer that asks in turn."""
    threading.Thread(target=_prefetch, daemon=True, name="budgetgen-fontconfig").start()


def _prefetch() -> None:
    with suppress(Exception):  # (see prefetch)
        chains = role_chains(Fonts())
        resolve_all(family for chain in chains.values() for family in chain)
        for face in {installed_chain(chain)[0] for chain in chains.values() if installed_chain(chain)}:
            _cmap(face.path, face.index)


def resolve_all(families: Iterable[str]) -> None:
    """Ask fontconfig about `families` at once (see `fontconfig.match_all`)."""
    for family in fontconfig.match_all(families):
        resolve_family(family)


class Coverage:
    """The code points a font face has glyphs for, as sorted ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.starts = [lo for lo, _ in ranges]
        self.ends = [hi for _, hi in ranges]

    def __contains__(self, code: int) -> bool:
        i = bisect_right(self.starts, code) - 1
        return i >= 0 and code <= self.ends[i]


@cache
def _cmap(path: str, index: int) -> Coverage:
    """Coverage as fontconfig (and so Pango) sees it. Reading a CJK font's cmap with
    fontTools instead cost over 100 MB per worker."""
    return Coverage(fontconfig.charset(path, index))


@cache
def vertical_metrics(face: FontFace) -> tuple[float, float]:
    """A face's ascent and descent (em) as HarfBuzz, and so Pango and WeasyPrint, set lines
    with them: OS/2's typographic values when the font asks for them, else hhea's."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]  # WeasyPrint's: only its writer asks

    with TTFont(face.path, fontNumber=face.index, lazy=True) as font:
        units = font["head"].unitsPerEm
        os2 = font.get("OS/2")
        if os2 is not None and os2.fsSelection & 1 << 7:  # USE_TYPO_METRICS
            return os2.sTypoAscender / units, -os2.sTypoDescender / units
        return font["hhea"].ascent / units, -font["hhea"].descent / units


def _needs_glyph(char: str) -> bool:
    """Whitespace, controls and format characters are not drawn with a glyph."""
    if char in " \t\r\n" or 0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF:
        return False
    return unicodedata.category(char) not in ("Cc", "Cf")


def uncovered(chars: set[str], faces: tuple[FontFace, ...]) -> set[str]:
    """The characters of `chars` that no face covers. Cmaps are loaded only as needed."""
    missing = {c for c in chars if _needs_glyph(c)}
    for face in faces:
        if not missing:
            break
        cmap = _cmap(face.path, face.index)
        missing = {c for c in missing if ord(c) not in cmap}
    return missing


def role_texts(doc: Document) -> Iterator[tuple[FontRole | None, str]]:
    """Every printed text with its font role; None means the chart font."""
    yield from WRITER_TEXT.items()
    yield FOOTER_ROLE, doc.page_number.text + "0123456789"
    yield DRAFT_ROLE, doc.draft
    for block in doc.blocks:
        if isinstance(block, Heading):
            yield TABLE_TITLE_ROLE if block.table_title else HEADING_ROLES[block.level], block.text
            if block.in_toc:
                yield TOC_ENTRY_ROLE, block.toc_text or block.text
        elif isinstance(block, Paragraph):
            yield PARAGRAPH_ROLES[block.style], block.text
        elif isinstance(block, Table):
            for row in (*block.header, *block.body):
                yield from ((TABLE_ROLE, cell.text) for cell in row)
        elif isinstance(block, Chart):
            yield PARAGRAPH_ROLES["caption"], block.title
            yield None, chart_text(block)
        elif isinstance(block, TableOfContents):
            yield TOC_TITLE_ROLE, block.title


def chart_text(chart: Chart) -> str:
    """Every character a chart's drawing may print (its title is a caption of the text's)."""
    return "".join(chart.labels) + CHART_TEXT


def check_coverage(doc: Document) -> None:
    """Raise RenderError if a character of the document is in none of its fonts."""
    chains = role_chains(doc.fonts)
    resolve_all(family for chain in chains.values() for family in chain)
    wanted: dict[FontRole | None, set[str]] = {}
    for role, text in role_texts(doc):
        wanted.setdefault(role, set()).update(text)
    missing: set[str] = set()
    for role, chars in wanted.items():
        missing |= uncovered(chars, _faces(role, chains))
    if missing:
        _raise_missing(missing)


def _faces(role: FontRole | None, chains: dict[FontRole, tuple[str, ...]]
           ) -> tuple[FontFace, ...]:
    if role is None:
        return (chart_face(),)
    faces = installed_chain(chains[role])
    if not faces:
        families = "、".join(chains[role])
        raise RenderError(f"未安装任何可用字体：{families}（请安装 fonts-noto-cjk）",
                          f"none of these fonts is installed: {', '.join(chains[role])} "
                          "(install fonts-noto-cjk)")
    return faces


def _raise_missing(missing: set[str]) -> None:
    listed = sorted(missing)[:_MAX_LISTED]
    names = ", ".join(f"{c} (U+{ord(c):04X})" for c in listed)
    more = f" … (+{len(missing) - len(listed)})" if len(missing) > len(listed) else ""
    raise RenderError(f"字体缺少字符：{names}{more}", f"fonts lack characters: {names}{more}")
