"""Font faces cut down to the characters a document prints, for Typst.

Typst reads every face it prints with whole into private memory and parses it for the PDF:
a Noto CJK collection is 18–27 MB, a document's five to nine faces some 110–200 MB, and
reading, parsing and subsetting them was half of Typst's time for a PDF. A document prints
under a thousand distinct characters. HarfBuzz's subsetter (uharfbuzz) cuts a face to
those in 10–30 ms and keeps everything else the face has for them: every name (Typst
finds a face by its family and weight), every layout feature and the glyphs they reach
(kerning, 'locl', 'halt', vertical forms), metrics and hinting. So Typst shapes and
breaks every line as it does with the whole face, and the pages are the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import uharfbuzz as hb

# Monochrome bitmaps for small sizes on screen (AR PL UMing: 3 MB of them, which the cut
# would keep whole): Typst prints outlines, never these.
BITMAPS = ("EBDT", "EBLC", "EBSC")


def cut_face(path: str, index: int, codepoints: Iterable[int]) -> bytes | None:
    """Face `index` of the font file `path` holding only the glyphs `codepoints` need (and
    what its layout features reach from them), as an OpenType file; None if HarfBuzz
    cannot cut it."""
    face = hb.Face(hb.Blob.from_file_path(path), index)
    wanted = hb.SubsetInput()
    wanted.keep_everything()  # all names, features, tables and flags ...
    wanted.unicode_set.clear()  # ... but only these characters' glyphs
    wanted.glyph_set.clear()
    wanted.unicode_set.update(codepoints)
    wanted.drop_table_tag_set.update(int.from_bytes(tag.encode(), "big") for tag in BITMAPS)
    try:
        cut = hb.subset(face, wanted)
    except Exception:  # uharfbuzz raises its own errors for a font it cannot subset
        return None
    return cut.blob.data if cut is not None and cut.blob.data else None


def write_cut_faces(faces: Iterable[tuple[str, int]], codepoints: frozenset[int],
                    folder: Path) -> dict[tuple[Path, int], tuple[str, int]]:
    """Each face (file, index) in `folder`, cut to `codepoints`, by the file written for it
    and its index there; a face that cannot be cut is linked whole (its file, with every
    face of a collection)."""
    written = {}
    for number, (path, index) in enumerate(faces):
        target = folder / f"{number:02d}-{Path(path).stem}-{index}.otf"
        cut = cut_face(path, index, codepoints)
        if cut is None:
            target = target.with_name(f"{number:02d}-{Path(path).name}")
            os.symlink(path, target)
            written[target, index] = (path, index)
        else:
            target.write_bytes(cut)
            written[target, 0] = (path, index)
    return written
