"""One page model: both PDF engines put every heading on the same page, and the DOCX's
目录 prints those pages (it takes them from Typst's layout of the same tree; the DOCX
writer estimates no pages of its own). Every example at ×1, ×10, ×100 and ×10,000."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest

from generator.compose.tree import Heading
from generator.pipeline import document_from_bytes
from generator.writers import pdf_writer, typst_writer
from generator.writers.docx_writer import write_docx
from tests.test_typesetting import scaled_document
from tests.variants import INPUTS, dump, load

EXAMPLES = sorted(p.name for p in INPUTS.glob("*.yaml"))


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
    weasy_pages = typst_writer.heading_pages(doc, pdf_writer.write_pdf(doc))
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
