"""The text a reader gets from each format, for comparing the formats with the tree.

The PDF's text is what poppler's `pdftotext` extracts, which is only what lies on the page
(pypdf also returns text drawn outside it); the page-number footer is left out. The DOCX's
text is every `w:t` of the body in document order.
"""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO

from generator.compose.tree import Chart, Document, Heading, Paragraph, Table

_FOOTER = re.compile(r"—\s*\d+\s*—")


def squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def pdf_visible_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode("utf-8")
    pages = []
    for page in out.split("\f"):
        lines = page.rstrip("\n").splitlines()
        if lines and _FOOTER.fullmatch(lines[-1].strip()):
            lines = lines[:-1]
        pages.append("".join(lines))
    return squash("".join(pages))


def docx_text(data: bytes) -> str:
    xml = zipfile.ZipFile(BytesIO(data)).read("word/document.xml").decode("utf-8")
    return squash(html.unescape("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml))))


def without_charts(doc: Document) -> Document:
    """The document without its charts: the DOCX holds them as pictures, the PDF as vector
    text that poppler reads out of order, so they are compared elsewhere, not as text."""
    return replace(doc, blocks=tuple(b for b in doc.blocks if not isinstance(b, Chart)))


def tree_texts(doc: Document) -> Iterator[str]:
    """Every printed text of the tree in reading order: paragraphs, headings, table cells."""
    for block in doc.blocks:
        if isinstance(block, Paragraph | Heading):
            yield block.text
        elif isinstance(block, Table):
            for row in (*block.header, *block.body):
                yield from (cell.text for cell in row)


def missing_in_order(text: str, doc: Document) -> list[str]:
    """The tree's texts that `text` does not carry, each searched after the previous one."""
    position, missing = 0, []
    for wanted in filter(None, map(squash, tree_texts(doc))):
        found = text.find(wanted, position)
        if found < 0:
            missing.append(wanted[:80])
        else:
            position = found + len(wanted)
    return missing
