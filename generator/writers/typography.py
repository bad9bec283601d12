"""Page geometry and type sizes that the DOCX and the PDF writer share.

Both formats are the same document: the same margins, the same sizes and the same body
line pitch, so that they break into pages alike. Sizes follow 公文 practice: body text in
三号 (16 pt) on a 28 pt line, part headings in 二号 (22 pt).
"""

from __future__ import annotations

from typing import Literal

from generator.compose.tree import FontRole, ParagraphStyle

# Margins in millimetres: top, right, bottom, left. Portrait: the 公文 page (GB/T 9704).
# Landscape pages hold the wide performance tables, so their margins are narrow.
MARGINS_MM: dict[Literal["portrait", "landscape"], tuple[float, float, float, float]] = {
    "portrait": (37, 26, 35, 28),
    "landscape": (12, 18, 13, 18),
}
FOOTER_MM = {"portrait": 25, "landscape": 6}  # from the page edge to the footer

PAGE_NUMBER = ("— ", " —")  # text before and after the page number in the footer
BODY_LINE = 28.0  # pt, exact line pitch of running text
ROW_HEIGHT_EM = 1.55  # minimum table row height, in em of the table's font size

# The font role (title, heading, body, table; see tree.Fonts) of each paragraph style and
# heading level. 公文: titles in 小标宋, headings in 黑体, text in 仿宋, tables in 宋体.
PARAGRAPH_ROLES: dict[ParagraphStyle, FontRole] = {
    "body": "body", "plain": "body", "center": "body", "note": "body",
    "cover-title": "title", "cover-subtitle": "title", "table-title": "title",
    "table-label": "heading", "caption": "heading",
    "table-meta": "table", "table-unit": "table",
}
HEADING_ROLES: dict[int, FontRole] = {1: "title", 2: "heading", 3: "heading"}
TOC_TITLE_ROLE: FontRole = "title"
TOC_ENTRY_ROLE: FontRole = "body"
TABLE_ROLE: FontRole = "table"

# Font sizes in pt, by paragraph style of the tree (plus headings, TOC and footer).
SIZES: dict[str, float] = {
    "body": 16, "plain": 16,
    "center": 12,  # the (2024年度) line under a performance table's title
    "cover-title": 26, "cover-subtitle": 22,
    "h1": 22, "h2": 16, "h3": 16,
    "table-label": 12, "table-title": 18, "table-meta": 11, "table-unit": 11, "note": 12,
    "caption": 14, "toc-title": 22, "toc": 14, "footer": 14,
}
