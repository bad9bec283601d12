"""Compose the whole disclosure: render the edition's templates, then build the tree.

The templates write a simple line protocol, one block per line: a directive, a space, the
text. Every value is one line (user text is normalised at load time, generator.model.text),
so user text can never start a directive; it is never evaluated either, because Jinja only renders template files.

    h1 第一部分 概况            heading level 1..3 (in the TOC); "h3- …" keeps it out;
                                "h4- 1、…" a 1、 heading (level 4, never in the TOC);
                                "ht …" is a budget table's title (level 2, in the TOC)
    title 大同市商务局…预算公开  the document's title (PDF and DOCX metadata)
    subject 2024年度部门预算公开 the document's subject (metadata); "keyword X" adds one
    toc-text 表一2024年…        what the TOC prints for the next heading
    p 正文…                     a paragraph; also plain, note, center, caption, label,
                                meta, table-title, cover-title, cover-subtitle
    lead 一、基本支出：          the lead-in of the next paragraph (a 名词解释 term), which
                                the paragraph's text follows; bold where the pack says
                                `bold.lead_ins` (a paragraph of the lead-in alone: all bold)
    table t1                    budget table 1..13 (body from compose.tables)
    chart gpb 标题              chart: gpb (一般公共预算结构) or three_public
    perf 0 （续）               the first published performance table; the title of a
                                continuation page is the last table-title + （续）
    section landscape           a new page section; also portrait; "section portrait
                                restart" numbers its first page 1, the pages before none
    pagebreak                   a page break
    toc 目 录                   the 目录 with its title (the template's; required)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

import jinja2

from generator.compose import layout, tables
from generator.compose.performance import performance_parts
from generator.compose.phrasing import amount_text, environment, template_context
from generator.compose.tree import (
    Block,
    Chart,
    Document,
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
from generator.derive.figures import Figures
from generator.errors import RenderError
from generator.model.schema import BudgetInput
from generator.packs import form_of

PARAGRAPH_STYLES: dict[str, ParagraphStyle] = {
    "p": "body", "plain": "plain", "note": "note", "center": "center", "caption": "caption",
    "label": "table-label", "meta": "table-meta", "unit": "table-unit", "table-title": "table-title",
    "cover-title": "cover-title", "cover-subtitle": "cover-subtitle",
}
_ORIENTATIONS: dict[str, Orientation] = {"portrait": "portrait", "landscape": "landscape"}


def build_tables(data: BudgetInput, f: Figures) -> dict[str, tuple[Table, bool]]:
    """The pack's tables, in its order, with their emptiness (for the empty note)."""
    inputs = tables.Inputs(data, f, data.document.year)
    return {key: tables.build_table(spec, inputs)
            for key, spec in form_of(data).table_specs(data.document.year).items()}


def _charts(f: Figures, amount: Callable[[Decimal], str], thousands: bool
            ) -> dict[str, Callable[[str, str], Chart]]:
    """The charts, their amounts printed by `amount` as the text prints them."""
    def gpb(title: str, anchor: str) -> Chart:
        cats = f.gpb_categories
        return Chart("pie", title, tuple(c.name for c in cats), tuple(c.amount for c in cats), anchor,
                     shares=tuple(c.pct for c in cats), amounts=tuple(amount(c.amount) for c in cats),
                     thousands=thousands)

    def three_public(title: str, anchor: str) -> Chart:
        lines = f.three_public_lines
        return Chart("bar", title, tuple(x.name for x in lines), tuple(x.amount for x in lines), anchor,
                     amounts=tuple(amount(x.amount) for x in lines), thousands=thousands)

    return {"gpb": gpb, "three_public": three_public}


class _Builder:
    def __init__(self, data: BudgetInput, figures: Figures,
                 built: dict[str, tuple[Table, bool]]) -> None:
        self.data, self.figures, self.built = data, figures, built
        self.charts = _charts(figures, amount_text(data), data.style.thousands)
        self.blocks: list[Block] = []
        self.toc_text: str | None = None
        self.lead: str | None = None  # a `lead` line's text, for the next paragraph
        self.form = form_of(data)
        self.title = ""
        self.subject = ""
        self.keywords: tuple[str, ...] = ()
        self.count = 0
        self.orientation: Orientation = "portrait"
        self.toc_orientation: Orientation = "portrait"  # the page the 目录 is on

    def anchor(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-{self.count}"

    def line(self, number: int, line: str) -> None:
        directive, _, rest = line.partition(" ")
        if self.lead is not None and directive not in PARAGRAPH_STYLES:
            raise RenderError(f"模板第 {number} 行：lead 行之后应为段落，而不是：{line[:60]}",
                              f"template output line {number}: a lead line must be followed by a "
                              f"paragraph, not: {line[:60]}")
        if directive in PARAGRAPH_STYLES:
            self.blocks.append(layout.paragraph(self._paragraph(rest, PARAGRAPH_STYLES[directive]),
                                                self.orientation))
        elif directive == "lead" and rest:
            self.lead = rest
        elif directive in {"h1", "h2", "h3", "h1-", "h2-", "h3-", "h4-", "ht"}:
            level = 2 if directive == "ht" else int(directive[1])
            in_toc = not directive.endswith("-")
            heading = Heading(level, rest, self.anchor("h"), self.toc_text, in_toc=in_toc,
                              table_title=directive == "ht",
                              toc_bold=in_toc and level in self.form.bold_toc_levels)
            self.blocks.append(layout.heading(heading, self.orientation, self.toc_orientation))
            self.toc_text = None
        elif directive == "toc-text":
            self.toc_text = rest
        elif directive == "title":
            self.title = rest
        elif directive == "subject":
            self.subject = rest
        elif directive == "keyword":
            self.keywords += (rest,)
        elif directive == "table" and rest in self.built:
            room = layout.room_below(self._this_page(), self.orientation)
            self.blocks.append(layout.budget_table(self.built[rest][0], self.orientation, room))
        elif directive == "chart" and rest.partition(" ")[0] in self.charts:
            key, _, title = rest.partition(" ")
            self.blocks.append(layout.chart(self.charts[key](title, self.anchor("chart"))))
        elif directive == "perf" and self._perf(rest):
            return
        elif directive == "section" and rest.split(" ")[0] in _ORIENTATIONS \
                and rest.split(" ")[1:] in ([], ["restart"]):
            name, *restart = rest.split(" ")
            self.orientation = _ORIENTATIONS[name]
            self.blocks.append(Section(self.orientation, restart_numbering=bool(restart)))
        elif directive == "pagebreak":
            self.blocks.append(PageBreak())
        elif directive == "toc":
            if not rest:
                raise RenderError(f"模板第 {number} 行：toc 须写明目录的标题（如 toc 目 录）",
                                  f"template output line {number}: toc needs the 目录's title (e.g. toc 目 录)")
            self.toc_orientation = self.orientation
            self.blocks.append(TableOfContents(rest))
        else:
            raise RenderError(f"模板第 {number} 行无法识别：{line[:60]}",
                              f"template output line {number} is not a known directive: {line[:60]}")

    def _paragraph(self, rest: str, style: ParagraphStyle) -> Paragraph:
        """A paragraph, after the lead-in a `lead` line gave it (bold as the pack says)."""
        lead, self.lead = self.lead or "", None
        if not (lead and self.form.bold_lead_ins):
            return Paragraph(lead + rest, style)
        return Paragraph(lead + rest, style, bold=not rest, bold_prefix=len(lead) if rest else 0)

    def _this_page(self) -> list[Block]:
        """The blocks since the last page break or section."""
        start = max((i for i, b in enumerate(self.blocks) if isinstance(b, PageBreak | Section)),
                    default=-1)
        return self.blocks[start + 1:]

    def _perf(self, rest: str) -> bool:
        """A performance table after its title and (年度) line, on one page or several."""
        number, _, continued = rest.partition(" ")
        published = self.figures.projects.published
        if not number.isdigit() or int(number) >= len(published) or len(self.blocks) < 2:
            return False
        title, subtitle = self.blocks[-2:]
        if not isinstance(title, Paragraph) or not isinstance(subtitle, Paragraph):
            return False
        del self.blocks[-2:]
        parts = performance_parts(self.data, published[int(number)])
        self.blocks.extend(layout.performance_blocks(parts, title, subtitle, continued))
        return True


def _part(env: jinja2.Environment, part: Mapping[str, str], context: dict[str, object]) -> str:
    """One part of the pack's document, after a section line if it names an orientation."""
    section = f"section {part['orientation']}\n" if part.get("orientation") else ""
    return section + env.get_template(part["template"]).render(context)


def compose(data: BudgetInput, figures: Figures) -> Document:
    """The one document tree that both writers consume."""
    built = build_tables(data, figures)
    env, context = environment(data), template_context(data, figures, built)
    text = "".join(_part(env, part, context) for part in form_of(data).parts)
    builder = _Builder(data, figures, built)
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            builder.line(number, line.strip())
    if builder.lead is not None:
        raise RenderError(f"模板的最后一个 lead 行之后没有段落：{builder.lead[:60]}",
                          f"the template's last lead line is followed by no paragraph: {builder.lead[:60]}")
    doc = data.document
    fonts = Fonts(**{k: v for k, v in data.style.fonts.items()})
    published = doc.published.isoformat() if doc.published else f"{doc.year}-01-01"
    return Document(
        title=builder.title,
        language="zh-CN",
        blocks=tuple(builder.blocks),
        fonts=fonts,
        created=f"{published}T00:00:00+00:00",
        author=doc.plain_name,
        subject=builder.subject,
        keywords=builder.keywords,
        page_number=PageNumber(*form_of(data).page_number),
    )
