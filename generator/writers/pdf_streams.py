"""Streams whose end no reader can mistake, in a PDF with a classic cross-reference table.

A stream's data is followed by an end-of-line and `endstream`, and the end-of-line may be
CR, LF or CR LF. Compressed data ends in the low byte of its Adler-32 checksum, so one
compressed stream in 256 ends in a CR: it then reads as ending in a CR LF before
`endstream`, and a PDF/A validator (page-validation's PDFA3B-STREAM-LENGTH-001) finds its
/Length one byte too long. A Typst PDF holds some 60 streams: about one document in five
had one. Such a stream is written uncompressed (its data is then a page's or a form's
content or a character map: text, which does not end in a CR), and the cross-reference
table follows. The WeasyPrint writer, whose files have a cross-reference stream instead of a
table, does the same as it writes, and writes a PDF/A again when one of the two streams
pydyf makes itself ends in a CR (`pdf_writer._archival_streams`).
"""

from __future__ import annotations

import re
import zlib

_AMBIGUOUS_END = re.compile(rb"\r\nendstream")
_START_XREF = re.compile(rb"startxref\s+(\d+)")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_DICTIONARY_END = re.compile(rb">>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_FLATE = re.compile(rb"/Filter\s*/FlateDecode")


def unambiguous_streams(pdf: bytes) -> bytes:
    """`pdf` with every compressed stream whose data ends in a CR written uncompressed: the
    same bytes when there is none (most documents) or when one cannot be (a filter with
    parameters, no classic cross-reference table, data that ends in a CR uncompressed)."""
    ends = [end.start() + 1 for end in _AMBIGUOUS_END.finditer(pdf)]
    xref = _START_XREF.search(pdf, pdf.rfind(b"startxref"))
    if not ends or xref is None or pdf[int(xref[1]):int(xref[1]) + 4] != b"xref":
        return pdf
    table_start = int(xref[1])
    table_end = pdf.find(b"trailer", table_start)
    starts = sorted(int(e[1]) for e in _XREF_ENTRY.finditer(pdf, table_start, table_end) if e[3] == b"n")
    edits = [edit for end in ends if (edit := _uncompressed(pdf, max((s for s in starts if s < end), default=0), end))]
    if not edits:
        return pdf
    out, position = bytearray(), 0
    for start, stop, replacement in edits:
        out += pdf[position:start] + replacement
        position = stop
    out += pdf[position:]

    def moved(offset: int) -> int:
        return offset + sum(len(new) - (stop - start) for start, stop, new in edits if start < offset)

    def entry(found: re.Match[bytes]) -> bytes:
        offset = moved(int(found[1])) if found[3] == b"n" else int(found[1])
        return b"%010d %s %s" % (offset, found[2], found[3])

    table = _XREF_ENTRY.sub(entry, pdf[table_start:table_end])
    new_start = moved(table_start)
    return (bytes(out[:new_start]) + table + pdf[table_end:xref.start(1)] + b"%d" % new_start
            + pdf[xref.end(1):])


def _uncompressed(pdf: bytes, object_start: int, data_end: int) -> tuple[int, int, bytes] | None:
    """(start, end, new bytes) of the dictionary and data of the stream in the object at
    `object_start` whose data ends at `data_end` (before its LF and `endstream`), written
    uncompressed; None when it cannot be."""
    opened = pdf.find(b"<<", object_start, data_end)
    closed = _DICTIONARY_END.search(pdf, opened, data_end) if opened >= 0 else None
    if closed is None:
        return None
    dictionary, data = pdf[opened:closed.start() + 2], pdf[closed.end():data_end]
    length = _LENGTH.search(dictionary)
    if (length is None or int(length[1]) != len(data) or len(_FLATE.findall(dictionary)) != 1
            or b"/DecodeParms" in dictionary):
        return None
    try:
        plain = zlib.decompress(data)
    except zlib.error:
        return None
    if plain.endswith(b"\r"):
        return None
    dictionary = _LENGTH.sub(b"/Length %d" % len(plain), _FLATE.sub(b"", dictionary), count=1)
    return opened, data_end, dictionary + pdf[closed.start() + 2:closed.end()] + plain
