"""The document tree as PDF: HTML (html_writer) rendered by WeasyPrint.

The bytes are reproducible: the dates come from `Document.created` (through
<meta name=dcterms.created/modified>, and for attachments directly) and the PDF
identifier is derived from the title and that date, so the same input gives the same file.
WeasyPrint subsets the fonts with HarfBuzz when libharfbuzz-subset is installed
(much faster than its fontTools fallback for CJK fonts).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

import pydyf
from weasyprint import HTML, Attachment
from weasyprint.urls import URLFetcher, URLFetcherResponse

from generator.compose.tree import Document, Heading, Section

from .attachments import mime_type
from .dates import document_date
from .fonts import check_coverage
from .html_writer import TEMPLATE_DIR, render_html

PDFA_VARIANT = "pdf/a-3b"
# A stream whose data ends in a CR, read as ending in CR LF (see _archival_streams).
_AMBIGUOUS_END = b"\r\nendstream"
# How many times a PDF/A is written at most while a stream of it ends in a CR (see
# _archival_streams): one file in 128 is written a second time; four writes in a row end
# so once in 268 million. A stream whose data ends in a CR uncompressed as well as
# compressed ends so in every write: the last write is kept.
_WRITES = 4


def write_pdf(doc: Document, *, attachments: Sequence[tuple[str, bytes]] = (),
              pdfa: bool = False) -> bytes:
    """Render `doc` to PDF bytes.

    `attachments` are (file name, content) pairs embedded in the PDF; with `pdfa` the
    file is PDF/A-3b, tagged, and they become associated files (relationship Source),
    e.g. the input YAML the document was generated from.
    """
    check_coverage(doc)
    created = document_date(doc)
    options: dict[str, object] = {
        "pdf_identifier": _identifier(doc),
        # A structure tree (headings, tables, lists, figures) for the archival PDF/A only:
        # it costs about a tenth more render time.
        "pdf_tags": pdfa,
    }
    if pdfa:
        options["pdf_variant"] = PDFA_VARIANT
    first = first_numbered_anchor(doc)

    def finish(document: Any, pdf: Any, padding: int) -> None:
        _dedupe_associated_files(document, pdf)
        _page_labels(document, pdf, first)
        if pdfa:
            _archival_streams(pdf, padding)

    # HTML.write_pdf in its two steps, so that a PDF/A can be written again from one layout
    # (the attachments are read as a PDF is written, and only once: new ones for each).
    document = HTML(string=render_html(doc), base_url=TEMPLATE_DIR.as_uri() + "/").render(**options)
    for padding in range(_WRITES if pdfa else 1):
        pdf: bytes = document.write_pdf(
            finisher=partial(finish, padding=padding), **options,
            attachments=[_attachment(name, data, created) for name, data in attachments])
        if _AMBIGUOUS_END not in pdf:
            break
    return pdf


def first_numbered_anchor(doc: Document) -> str | None:
    """The anchor of the first heading after the Section that restarts numbering at 1
    (None if no section does: every page is numbered)."""
    restarted = False
    for block in doc.blocks:
        if isinstance(block, Section) and block.restart_numbering:
            restarted = True
        elif restarted and isinstance(block, Heading):
            return block.anchor
    return None


def _page_labels(document: Any, pdf: Any, anchor: str | None) -> None:
    """Page labels equal to the printed numbers: front matter (cover, 目录) i, ii…, then
    1, 2… from the page that prints 1, so a viewer's page number is the printed one."""
    front = next((i for i, page in enumerate(document.pages) if anchor in page.anchors), 0) \
        if anchor else 0
    numbers: list[object] = [front, pydyf.Dictionary({"S": "/D", "St": 1})]
    if front:
        numbers[:0] = [0, pydyf.Dictionary({"S": "/r"})]
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(numbers)})


def _identifier(doc: Document) -> bytes:
    """A stable PDF file identifier: same title and date, same identifier."""
    seed = f"{doc.title}\n{doc.created}".encode()
    return hashlib.md5(seed, usedforsecurity=False).hexdigest().encode()


def _attachment(name: str, data: bytes, created: datetime) -> Attachment:
    """PDF/A-3 wants a MIME type for associated files; Python < 3.13 does not know YAML, and
    teaching the process-wide `mimetypes` registry would change it for everyone: the
    attachment comes through a fetcher of its own, which says the type."""
    return Attachment(url=f"budgetgen-input:{name}", url_fetcher=_Fetcher(data, mime_type(name)), name=name,
                      created=created, modified=created, relationship="Source")


class _Fetcher(URLFetcher):
    def __init__(self, data: bytes, media_type: str) -> None:
        super().__init__()
        self.data, self.media_type = data, media_type

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        return URLFetcherResponse(url, body=self.data, headers={"Content-Type": self.media_type})


def _archival_streams(pdf: Any, padding: int) -> None:
    """What PDF/A-3b validators find in WeasyPrint 70's output (page-validation): the XMP
    metadata stream must not be compressed, and a compressed stream whose last byte is a
    CR reads as ending in CR LF before `endstream`, so its /Length seems one too long —
    such a stream is written uncompressed.

    pydyf makes two compressed streams itself as it writes, after this finisher: the object
    stream, which holds the file's dictionaries, and the cross-reference stream. Each ends
    in a CR once in 256 files, and neither can be seen here: `write_pdf` looks at the
    written file and, when a stream ends in a CR, writes it again from the same layout with
    `padding` empty objects more, added here. Each is one more object in the object stream
    and one more entry in the cross-reference stream, which changes both streams' bytes,
    and nothing refers to it, so no reader ever reads it: neither ISO 32000 nor PDF/A-3
    asks every object to be referred to (an incremental update leaves the ones it
    replaces), and page-validation finds nothing. The same input still gives the same file.

    Not `pdf_streams.unambiguous_streams` on the written file, as for Typst: pydyf writes
    WeasyPrint's PDF 1.7 (with or without PDF/A) with an object stream and a compressed
    cross-reference stream, no classic cross-reference table, and that function rewrites
    only a classic table (it leaves such a file as it is)."""
    metadata = int(pydyf._to_bytes(pdf.catalog["Metadata"]).split()[0])
    for number, obj in enumerate(pdf.objects):
        if isinstance(obj, pydyf.Stream) and obj.compress:
            data = b"\n".join(pydyf._to_bytes(item) for item in obj.stream)
            packed = zlib.compressobj(level=9)
            if number == metadata or (packed.compress(data) + packed.flush()).endswith(b"\r"):
                obj.compress = False
    for _ in range(padding):
        pdf.add_object(pydyf.Dictionary())


def _dedupe_associated_files(_document: object, pdf: Any) -> None:
    """WeasyPrint 70 lists each PDF/A-3 attachment twice in the catalog's /AF: keep one."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"][:] = list(dict.fromkeys(pdf.catalog["AF"]))
