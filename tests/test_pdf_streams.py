"""A compressed stream whose data ends in a CR is written uncompressed, and the
cross-reference table follows it (generator/writers/pdf_streams.py); a WeasyPrint PDF/A
one of whose streams still ends in a CR is written again (pdf_writer)."""

from __future__ import annotations

import re
import zlib
from io import BytesIO

import pikepdf
import pytest
from weasyprint.document import Document

from generator.writers.pdf_streams import unambiguous_streams


def _content_ending_in_cr() -> bytes:
    """Page content whose compressed form ends in a CR (its Adler-32's low byte)."""
    for number in range(10_000):
        content = b"BT /F1 12 Tf 72 700 Td (page %d) Tj ET\n" % number
        if zlib.compress(content).endswith(b"\r"):
            return content
    raise AssertionError("no such content found")


def _pdf(content: bytes, extra: bytes = b"") -> bytes:
    """A one-page PDF with `content` compressed (and `extra` in its dictionary), after the
    page a further object, and a classic cross-reference table."""
    packed = zlib.compress(content)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d/Filter/FlateDecode%s>>\nstream\n%s\nendstream" % (len(packed), extra, packed),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF" % (len(objects) + 1, xref)
    return bytes(out)


def _offsets_point_at_their_objects(pdf: bytes) -> bool:
    xref = int(re.search(rb"startxref\s+(\d+)", pdf)[1])
    assert pdf[xref:xref + 4] == b"xref"
    entries = re.findall(rb"(\d{10}) \d{5} n", pdf[xref:])
    return all(pdf[int(o):].startswith(b"%d 0 obj" % n) for n, o in enumerate(entries, 1))


def test_a_stream_ending_in_a_cr_is_written_uncompressed() -> None:
    content = _content_ending_in_cr()
    before = _pdf(content)
    after = unambiguous_streams(before)
    assert b"\r\nendstream" in before and b"\r\nendstream" not in after
    assert _offsets_point_at_their_objects(after)
    with pikepdf.open(BytesIO(after)) as pdf:
        assert not pdf.get_warnings()
        stream = pdf.pages[0].Contents
        assert "/Filter" not in stream and stream.read_bytes() == content
        assert int(stream.Length) == len(content)


def test_a_pdf_without_such_a_stream_is_left_as_it_is() -> None:
    content = next(b"q %d Q\n" % n for n in range(1000) if not zlib.compress(b"q %d Q\n" % n).endswith(b"\r"))
    pdf = _pdf(content)
    assert unambiguous_streams(pdf) is pdf


@pytest.mark.parametrize(("extra", "filters"), [
    (b"/DecodeParms<</Predictor 12>>", b"/FlateDecode"), (b"", b"[/FlateDecode]"),
    (b"", b"[/ASCIIHexDecode/FlateDecode]")])
def test_a_stream_it_cannot_rewrite_is_left_as_it_is(extra: bytes, filters: bytes) -> None:
    """A filter with parameters, or filters in an array: uncompressing would change its meaning."""
    pdf = _pdf(_content_ending_in_cr(), extra).replace(b"/Filter/FlateDecode", b"/Filter" + filters)
    assert b"\r\nendstream" in pdf
    assert unambiguous_streams(pdf) == pdf


@pytest.mark.parametrize("pdfa", [False, True], ids=["plain", "pdfa"])
def test_weasyprint_writes_a_cross_reference_stream_which_it_leaves_alone(pdfa: bool) -> None:
    """Why the WeasyPrint writer keeps its own CR rule (`pdf_writer._archival_streams`): its
    files have no classic cross-reference table for `unambiguous_streams` to follow. Should
    that change, this fails, and the writer can use `unambiguous_streams` instead."""
    from generator.writers.pdf_writer import write_pdf
    from tests.sample_tree import sample_document

    pdf = write_pdf(sample_document(), pdfa=pdfa)
    start = int(re.findall(rb"startxref\s+(\d+)", pdf)[-1])
    assert re.match(rb"\d+ 0 obj\s*<<\s*/Type\s*/XRef", pdf[start:])
    assert unambiguous_streams(pdf) is pdf


def _objects_in_object_stream(pdf: bytes) -> int:
    return int(re.search(rb"/Type /ObjStm/N (\d+)", pdf)[1])


@pytest.mark.parametrize(("pdfa", "ambiguous", "writes"), [(True, 1, 2), (True, 9, 4), (False, 9, 1)],
                         ids=["once", "always", "plain"])
def test_a_pdfa_one_of_whose_streams_ends_in_a_cr_is_written_again(
        monkeypatch: pytest.MonkeyPatch, pdfa: bool, ambiguous: int, writes: int) -> None:
    """The first `ambiguous` writes are made to read as ending a stream in a CR: a PDF/A is
    written again, each time with one more empty object, at most four times (the last
    write is kept); a PDF that is not PDF/A is written once."""
    from generator.writers import pdf_writer
    from tests.sample_tree import sample_document

    written: list[bytes] = []
    returned: list[bytes] = []
    write = Document.write_pdf

    def ambiguous_at_first(document: Document, *args: object, **kwargs: object) -> bytes:
        written.append(write(document, *args, **kwargs))
        returned.append(written[-1] + b"\r\nendstream" if len(written) <= ambiguous else written[-1])
        return returned[-1]

    monkeypatch.setattr(Document, "write_pdf", ambiguous_at_first)
    attachments = [("input.yaml", b"title: sample\n")] if pdfa else []
    pdf = pdf_writer.write_pdf(sample_document(), attachments=attachments, pdfa=pdfa)
    assert len(written) == writes and pdf == returned[-1]
    padding = [_objects_in_object_stream(w) - _objects_in_object_stream(written[0]) for w in written]
    assert padding == list(range(writes))
