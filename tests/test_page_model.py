"""One page model: both PDF engines put every heading on the same page, and the DOCX's
目录 prints those pages (it takes them from Typst's layout of the same tree; the DOCX
writer estimates no pages of its own). Every example at ×1, ×10, ×100 and ×10,000."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from generator.compose.tree import Document, Heading
from generator.pipeline import document_from_bytes
from generator.writers import pdf_writer, typst_writer
from generator.writers.docx_writer import write_docx
from tests.test_typesetting import scaled_document
from tests.variants import INPUTS, dump, load

EXAMPLES = sorted(p.name for p in INPUTS.glob("*.yaml"))


def _bookmark_pages(doc: Document, pdf: bytes) -> dict[str, int]:
    """Each 目录 heading's printed page, by anchor, read from the PDF's bookmarks (in the
    目录's order and words) and page labels."""
    reader = PdfReader(BytesIO(pdf))
    marks = list(_flat(reader.outline))
    headings = [b for b in doc.blocks if isinstance(b, Heading) and b.in_toc]
    assert [m.title for m in marks] == [h.toc_text or h.text for h in headings]
    labels = reader.page_labels
    return {h.anchor: int(labels[reader.get_destination_page_number(m)]) for h, m in zip(headings, marks, strict=True)}


def _flat(outline: list) -> Iterator[Any]:
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def _docx_toc_pages(docx: bytes) -> list[int]:
    """The page numbers the DOCX's 目录 prints, in order (the PAGEREF fields' results)."""
    xml = zipfile.ZipFile(BytesIO(docx)).read("word/document.xml").decode("utf-8")
    found = re.findall(r"PAGEREF [^<]*</w:instrText>.*?<w:t(?:\s[^>]*)?>(\d+)</w:t>", xml)
    return [int(page) for page in found]


@pytest.mark.parametrize("factor", [1, 10, 100, 10_000])
@pytest.mark.parametrize("name", EXAMPLES)
def test_both_engines_and_the_docx_toc_agree_on_every_heading_page(name: str, factor: int) -> None:
    doc = scaled_document(name, factor)
    typst_pages = typst_writer.heading_pages(doc)
    weasy_pages = _bookmark_pages(doc, pdf_writer.write_pdf(doc))
    texts = {b.anchor: b.text for b in doc.blocks if isinstance(b, Heading)}
    assert [(texts[a], typst_pages[a], weasy_pages[a]) for a in typst_pages
            if typst_pages[a] != weasy_pages[a]] == []
    toc = [b.anchor for b in doc.blocks if isinstance(b, Heading) and b.in_toc]
    assert _docx_toc_pages(write_docx(doc, typst_pages)) == [typst_pages[a] for a in toc]


def test_the_docx_lays_out_its_toc_pages_with_typst_when_not_given() -> None:
    doc, _ = document_from_bytes(dump(load("datong-commerce-2024.yaml")), "commerce.yaml")
    pages = typst_writer.heading_pages(doc)
    assert len(set(pages.values())) > 10  # the headings spread over many pages
    assert write_docx(doc) == write_docx(doc, pages)


def test_the_typst_pdfs_pages_are_its_bookmarks_and_its_layouts() -> None:
    """The pages `render` reads beside the PDF, from the layout that wrote it, are those its
    bookmarks point to, and those of Typst's layout alone."""
    doc, _ = document_from_bytes(dump(load("putuo-finance-bureau-2025.yaml")), "finance.yaml")
    pdf, pages = typst_writer.pdf_and_pages(doc)
    assert pages == _bookmark_pages(doc, pdf) == typst_writer.heading_pages(doc)
    assert len(set(pages.values())) > 5
