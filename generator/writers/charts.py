"""Charts drawn from `Chart` nodes with matplotlib: SVG for the PDF, PNG for the DOCX.

Both formats come from the same figure (`_figure`), so the two documents show the same
chart. The chart title is not drawn: the writers print `Chart.title` as a caption.
Output is byte-for-byte reproducible: fixed SVG hash salt, no dates or software names.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import matplotlib
from matplotlib import font_manager, rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Patch

from generator.compose.tree import Chart
from generator.errors import RenderError

matplotlib.use("Agg")  # headless raster backend, whatever MPLBACKEND says

#: Free CJK families tried in order; the first one matplotlib knows is used.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                "AR PL UMing CN", "AR PL UKai CN")
COLORS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47",
          "#264478", "#9E480E", "#636363", "#997300")
FIG_SIZE = (5.8, 3.0)  # inches; fits the portrait text width of both writers
FONT_SIZE = 9
CENT = Decimal("0.01")
# Crop to the drawn content: a long legend may extend the figure instead of being cut off.
SAVE_OPTIONS: dict[str, object] = {"bbox_inches": "tight", "pad_inches": 0.05}


@cache
def chart_font() -> font_manager.FontEntry:
    """The CJK font the charts are drawn with (file and face index)."""
    for family in CJK_FAMILIES:
        prop = font_manager.FontProperties(family=family)
        try:
            path = font_manager.findfont(prop, fallback_to_default=False)
        except ValueError:
            continue
        for entry in font_manager.fontManager.ttflist:
            if entry.name == family and entry.fname == path:
                return entry
    raise RenderError("未找到可用于图表的中文字体（请安装 fonts-noto-cjk）",
                      "no CJK font found for charts (install fonts-noto-cjk)")


def chart_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document.

    Text stays text (font-family: the chart font), so the PDF embeds it as a font subset,
    keeps it searchable, and renders faster than glyph outlines.
    """
    buf = io.BytesIO()
    with rc_context(_rc(chart)):
        _figure(chart).savefig(buf, format="svg", **SAVE_OPTIONS, metadata={
            "Date": None, "Creator": None, "Format": None, "Type": None})
    return buf.getvalue().decode("utf-8")


def chart_png(chart: Chart, dpi: int = 200) -> bytes:
    """The chart as PNG bytes at `dpi`."""
    buf = io.BytesIO()
    with rc_context(_rc(chart)):
        _figure(chart).savefig(buf, format="png", dpi=dpi, **SAVE_OPTIONS,
                               metadata={"Software": None})
    return buf.getvalue()


def _rc(chart: Chart) -> dict[str, object]:
    # The salt includes the anchor so that two charts inlined in one HTML page get
    # different clip-path ids, while the same chart always gets the same ones.
    return {"svg.hashsalt": f"budgetgen-{chart.anchor}", "svg.fonttype": "none",
            "font.family": [chart_font().name], "font.size": FONT_SIZE,
            "axes.unicode_minus": False}


def _figure(chart: Chart) -> Figure:
    fig = Figure(figsize=FIG_SIZE)
    if chart.kind == "pie":
        _draw_pie(fig, chart)
    else:
        _draw_bar(fig, chart)
    return fig


def _amount(value: Decimal) -> str:
    return f"{value.quantize(CENT, ROUND_HALF_UP)}万元"


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


def _draw_pie(fig: Figure, chart: Chart) -> None:
    """Pie on the left, a legend with name, amount and share on the right.

    Shares are printed on the wedges only when the wedge is wide enough to hold them;
    the legend always has every category, including zero ones.
    """
    ax = fig.add_axes((0.0, 0.02, 0.46, 0.96))
    ax.set_aspect("equal")
    ax.axis("off")
    shares = _shares(chart)
    total = sum(chart.values, Decimal(0))
    colors = [COLORS[i % len(COLORS)] for i in range(len(chart.values))]
    if total > 0:
        # float only for drawing: the printed figures are the Decimal strings above
        sizes = [float(v) for v in chart.values]
        big = [v * 10 >= total for v in chart.values]  # wedges of 10 % or more
        wedges, texts = ax.pie(
            sizes, colors=colors, startangle=90, counterclock=False,
            labels=[s if b else "" for s, b in zip(shares, big, strict=True)],
            labeldistance=0.62, wedgeprops={"linewidth": 0.8, "edgecolor": "white"},
            textprops={"fontsize": FONT_SIZE, "ha": "center", "va": "center"})
        for text, color in zip(texts, colors, strict=True):
            text.set_color(_ink(color))
    else:
        ax.add_patch(Circle((0, 0), 1, fill=False, edgecolor="#A5A5A5"))
        ax.set_xlim(-1.1, 1.1)
        ax.set_ylim(-1.1, 1.1)
        wedges = [Patch(color=c) for c in colors]
    entries = [f"{label} {_amount(v)}（{share}）"
               for label, v, share in zip(chart.labels, chart.values, shares, strict=True)]
    fig.legend(wedges, entries, loc="center left", bbox_to_anchor=(0.48, 0.5),
               frameon=False, handlelength=1.2, fontsize=FONT_SIZE)


def _draw_bar(fig: Figure, chart: Chart) -> None:
    """Vertical bars with the amount above each bar; zero bars are labelled too."""
    ax = fig.add_axes((0.09, 0.13, 0.89, 0.80))
    positions = list(range(len(chart.values)))
    # float only for drawing: the printed figures are the Decimal strings
    heights = [float(v) for v in chart.values]
    colors = [COLORS[i % len(COLORS)] for i in positions]
    bars = ax.bar(positions, heights, width=0.55, color=colors)
    ax.bar_label(bars, labels=[_amount(v) for v in chart.values], padding=2,
                 fontsize=FONT_SIZE)
    ax.set_xticks(positions, labels=list(chart.labels))
    ax.set_ylabel("万元")
    top = max(heights, default=0.0)
    ax.set_ylim(0, top * 1.18 if top > 0 else 1.0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", length=0)
