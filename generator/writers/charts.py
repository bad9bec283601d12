"""Charts drawn from `Chart` nodes as SVG (for the PDFs) and PNG (for the DOCX).

The SVG is written directly, without a plotting library (importing one cost half a second
per command); the PNG is that same SVG rasterised by Typst, so the two documents show the
same chart. The chart title is not drawn: the writers print `Chart.title` as a caption.
Text stays text in the chart font, so the PDF embeds it as a font subset and keeps it
searchable. Output is byte-for-byte reproducible: no dates, no random ids.

Coordinates are in pt; floats only place shapes, every printed figure is a Decimal string.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from generator.compose.tree import Chart
from generator.kept import file_stamps, keep, kept_path, read_kept
from generator.money import text_amount

from .fonts import chart_face, chart_text
from .xml_text import escaped_attribute, escaped_text

if TYPE_CHECKING:
    from .typst_fonts import PrintFonts  # imported where used: an SVG alone needs no Typst

COLORS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47",
          "#264478", "#9E480E", "#636363", "#997300")
WIDTH, HEIGHT = 402.0, 196.0  # pt: fits the portrait text width of both writers
FONT_SIZE = 9.0
PNG_DPI = 200  # the DOCX's picture: its size in pt is its pixels at this resolution
CENT = Decimal("0.01")
PIE_RADIUS = 78.0
BIG_WEDGE = 10  # shares are printed on wedges of at least this percentage


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document."""
    shapes, width = _pie(chart) if chart.kind == "pie" else _bar(chart)
    family = f'"{escaped_attribute(chart_face().family)}"'
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1f}pt" height="{HEIGHT:.1f}pt" '
            f'viewBox="0 0 {width:.1f} {HEIGHT:.1f}" font-family={family} font-size="{FONT_SIZE:g}">\n'
            + "\n".join(shapes) + "\n</svg>\n")


def chart_png(chart: Chart, dpi: int = PNG_DPI, fonts: PrintFonts | None = None) -> bytes:
    """The chart as PNG bytes at `dpi`: the SVG, rasterised by Typst with `fonts` (by
    default the chart font cut to this chart's text: `chart_fonts`)."""
    from .typst_fonts import compile_typst

    source = (b'#set page(width: auto, height: auto, margin: 0pt, fill: white)\n'
              b'#image(bytes(sys.inputs.svg), format: "svg")\n')
    return compile_typst(fonts or chart_fonts([chart]), source, format="png", ppi=float(dpi),
                         sys_inputs={"svg": chart_svg(chart)})


KEPT_PICTURES = 50  # PNGs kept between runs at most


def chart_pngs(charts: Sequence[Chart]) -> dict[Chart, bytes]:
    """Each chart's PNG at PNG_DPI, as `chart_png` draws it: kept between runs in the
    template cache, keyed by the chart's SVG, the chart font's file and the code that draws
    it (a DOCX of the same charts, written again after a correction elsewhere, spent 0.1 s
    on cutting the font and drawing them); those not kept drawn by one compiler."""
    kept = {chart: _kept_png(chart) for chart in charts}
    found = {chart: png for chart, (_, png) in kept.items() if png is not None}
    missing = [chart for chart in charts if chart not in found]
    fonts = chart_fonts(missing) if missing else None
    for chart in missing:
        found[chart] = chart_png(chart, fonts=fonts)
        keep(kept[chart][0], {"png": base64.b64encode(found[chart]).decode()}, "chart", KEPT_PICTURES)
    return found


def _kept_png(chart: Chart) -> tuple[Path | None, bytes | None]:
    """Where `chart`'s PNG is kept, and the PNG if it is."""
    face = chart_face()
    try:
        stamps = file_stamps([face.path])
    except OSError:  # the font file gone meanwhile: draw, keep nothing
        return None, None
    code = [Path(__file__).with_name(name).read_bytes() for name in ("charts.py", "typst_fonts.py", "font_subsets.py")]
    path = kept_path("chart", [chart_svg(chart).encode(), str(PNG_DPI).encode(), version("typst").encode(),
                               str(face.index).encode(), *stamps, *code])
    found = read_kept(path)
    try:
        return path, base64.b64decode(found["png"], validate=True) if isinstance(found, dict) else None
    except (KeyError, TypeError, ValueError):  # not whole: draw it again
        return path, None


def chart_fonts(charts: Iterable[Chart]) -> PrintFonts:
    """The chart font cut to the text of `charts`, for Typst to draw them with."""
    from .typst_fonts import font_folders, print_fonts

    face = chart_face()
    return print_fonts(font_folders(), [(face.path, face.index)], "".join(map(chart_text, charts)))


def _amounts(chart: Chart) -> list[str]:
    """Each value as the running text prints it ("1,826.06万元", "0万元")."""
    shown = chart.amounts or tuple(text_amount(v.quantize(CENT, ROUND_HALF_UP)) for v in chart.values)
    return [f"{amount}万元" for amount in shown]


def _shares(chart: Chart) -> list[str]:
    """The tree's percentages; else shares of the total, rounded half up."""
    if chart.shares:
        return [f"{s or 0:.2f}%" for s in chart.shares]
    values = chart.values
    total = sum(values, Decimal(0))
    if total == 0:
        return ["0.00%" for _ in values]
    return [f"{(v * 100 / total).quantize(CENT, ROUND_HALF_UP)}%" for v in values]


def _ink(background: str) -> str:
    """Black or white, whichever reads better on the hex colour `background`."""
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "#FFFFFF"


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated advance: full width for CJK and full-width forms, about half for the rest."""
    return sum(size if ord(c) >= 0x2E80 else size * 0.56 for c in text)


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = "#000000",
          rotate: bool = False) -> str:
    """A line of text; `y` is its vertical centre."""
    # a quarter turn about (x, y) as an exact matrix: rotate() leaves cos 90° = 6e-17,
    # which makes PDF readers take the rotated text for upright text
    turn = f' transform="matrix(0 -1 1 0 {x - y:.2f} {x + y:.2f})"' if rotate else ""
    return (f'<text x="{x:.2f}" y="{y + FONT_SIZE * 0.35:.2f}" text-anchor="{anchor}" '
            f'fill="{fill}"{turn}>{escaped_text(text)}</text>')


def _color(i: int) -> str:
    return COLORS[i % len(COLORS)]


def _pie(chart: Chart) -> tuple[list[str], float]:
    """Pie on the left, a legend with name, amount and share on the right.

    Wedges run clockwise from the top. Shares are printed on wedges wide enough to hold
    them; the legend always lists every category, including zero ones.
    """
    cx, cy, r = PIE_RADIUS + 20, HEIGHT / 2, PIE_RADIUS
    shares = _shares(chart)
    total = sum(chart.values, Decimal(0))
    shapes = list(_wedges(chart, cx, cy, r)) if total > 0 else [
        f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{r:.2f}" fill="none" stroke="#A5A5A5"/>']
    start = 90.0
    for i, value in enumerate(chart.values):
        sweep = float(value / total) * 360 if total > 0 else 0.0  # drawing only
        if total > 0 and value * 100 >= total * BIG_WEDGE:
            mid = math.radians(start - sweep / 2)
            shapes.append(_text(cx + 0.62 * r * math.cos(mid), cy - 0.62 * r * math.sin(mid),
                                shares[i], "middle", _ink(_color(i))))
        start -= sweep
    entries = [f"{label} {amount}（{share}）"
               for label, amount, share in zip(chart.labels, _amounts(chart), shares, strict=True)]
    x, pitch = cx + r + 14, FONT_SIZE * 1.45
    y = cy - pitch * (len(entries) - 1) / 2
    for i, entry in enumerate(entries):
        shapes.append(f'<rect x="{x:.2f}" y="{y - 3.5:.2f}" width="10.8" height="7" fill="{_color(i)}"/>')
        shapes.append(_text(x + 15, y, entry))
        y += pitch
    width = max([WIDTH, *(x + 15 + _text_width(e) + 4 for e in entries)])
    return shapes, width  # a long legend widens the chart instead of being cut off


def _wedges(chart: Chart, cx: float, cy: float, r: float) -> Iterator[str]:
    total = sum(chart.values, Decimal(0))
    start = 90.0
    for i, value in enumerate(chart.values):
        sweep = float(value / total) * 360
        if sweep >= 359.99:
            yield f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{r:.2f}" fill="{_color(i)}"/>'
        elif sweep > 0:
            a, b = math.radians(start), math.radians(start - sweep)
            large = 1 if sweep > 180 else 0
            yield (f'<path d="M {cx:.2f} {cy:.2f} L {cx + r * math.cos(a):.2f} {cy - r * math.sin(a):.2f} '
                   f'A {r:.2f} {r:.2f} 0 {large} 1 {cx + r * math.cos(b):.2f} {cy - r * math.sin(b):.2f} Z" '
                   f'fill="{_color(i)}" stroke="#FFFFFF" stroke-width="0.8" stroke-linejoin="round"/>')
        start -= sweep


def _ticks(top: Decimal) -> list[Decimal]:
    """Round axis values from 0 up to `top`: at most 7 steps of 1, 2, 2.5 or 5 × 10ⁿ."""
    if top <= 0:
        return [Decimal(0), Decimal(1)]
    exponent = Decimal(10) ** (top.adjusted() - 1)
    step = next(m * exponent for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10),
                                       Decimal(20), Decimal(25), Decimal(50), Decimal(100))
                if top / (m * exponent) <= 7)
    return [step * k for k in range(int(top / step) + 1)]


def _bar(chart: Chart) -> tuple[list[str], float]:
    """Vertical bars with the amount above each bar; zero bars are labelled too.

    The plot box is laid out from its labels: the axis starts right of the widest tick
    label, which starts right of the rotated 万元 axis title, so none overprints another.
    """
    ceiling = max(chart.values, default=Decimal(0)) * Decimal("1.18") or Decimal(1)
    ticks = _ticks(ceiling)
    tick_labels = [f"{t.normalize():,f}" if chart.thousands else f"{t.normalize():f}" for t in ticks]
    title_x = 4 + FONT_SIZE / 2
    left = title_x + FONT_SIZE / 2 + 4 + max(map(_text_width, tick_labels)) + 5.5
    right, top, bottom = WIDTH - 6, 10.0, HEIGHT - 24

    def y_of(value: Decimal) -> float:
        return bottom - float(value / ceiling) * (bottom - top)  # drawing only

    shapes = [f'<path d="M {left:.2f} {top} V {bottom} H {right}" fill="none" stroke="#000000" '
              'stroke-width="0.8"/>']
    for tick, text in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        shapes.append(f'<path d="M {left - 3.5:.2f} {y:.2f} H {left:.2f}" stroke="#000000" stroke-width="0.8"/>')
        shapes.append(_text(left - 5.5, y, text, "end"))
    shapes.append(_text(title_x, (top + bottom) / 2, "万元", "middle", rotate=True))
    slot = (right - left) / max(len(chart.values), 1)
    for i, (label, value, amount) in enumerate(zip(chart.labels, chart.values, _amounts(chart), strict=True)):
        centre, height = left + slot * (i + 0.5), bottom - y_of(value)
        shapes.append(f'<rect x="{centre - slot * 0.275:.2f}" y="{bottom - height:.2f}" '
                      f'width="{slot * 0.55:.2f}" height="{height:.2f}" fill="{_color(i)}"/>')
        shapes.append(_text(centre, bottom - height - 7, amount, "middle"))
        shapes.append(_text(centre, bottom + 10, label, "middle"))
    return shapes, WIDTH
