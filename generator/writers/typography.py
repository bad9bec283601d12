"""Page geometry and type sizes that the DOCX and the PDF writer share.

Both formats are the same document: the same margins, the same sizes and the same body
line pitch, so that they break into pages alike. Sizes follow 公文 practice: body text in
三号 (16 pt) on a 28 pt line, part headings in 二号 (22 pt).
"""

from __future__ import annotations

from generator.compose.layout import (  # noqa: F401 (re-exported for the writers)
    BODY_LINE,
    BORDER_PT,
    CELL_LINE_EM,
    CELL_PAD_PT,
    CHART_GAP_EM,
    DRAFT_COLOUR,
    FOOTER_GAP_MM,
    JUSTIFY_TRACKING_EM,
    LINE_EDGES_EM,
    MARGINS_MM,
    MM_PER_PT,
    ROW_HEIGHT_EM,
    RUNT_COST,
    SIZES,
    SPACING,
    TABLE_GAP_EM,
)
from generator.compose.tree import FontRole, ParagraphStyle

# Page geometry, the type scale and table metrics are layout decisions: compose.layout
# makes them; they are re-exported here for the writers.

# The font role (title, heading, body, table; see tree.Fonts) of each paragraph style and
# heading level. 公文 (GB/T 9704): titles in 小标宋, 一、 headings in 黑体, （一） headings in
# 楷体, 1、 headings and text in 仿宋 (the 1、 headings bold: layout.BOLD_HEADINGS), tables in
# 宋体.
PARAGRAPH_ROLES: dict[ParagraphStyle, FontRole] = {
    "body": "body", "plain": "body", "center": "body", "note": "body",
    "cover-title": "title", "cover-subtitle": "title", "table-title": "title",
    "table-label": "heading", "caption": "heading",
    "table-meta": "table", "table-unit": "table",
}
HEADING_ROLES: dict[int, FontRole] = {1: "title", 2: "heading", 3: "subheading", 4: "body"}
TABLE_TITLE_ROLE: FontRole = PARAGRAPH_ROLES["table-title"]  # budget-table headings too
TOC_TITLE_ROLE: FontRole = "title"
TOC_ENTRY_ROLE: FontRole = "body"
TABLE_ROLE: FontRole = "table"
FOOTER_ROLE: FontRole = "table"  # the page number: 宋体, as GB/T 9704 and the format ask
DRAFT_ROLE: FontRole = "body"  # a draft's mark (render --draft), bold
