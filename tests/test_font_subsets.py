"""Typst prints with the document's faces cut down to its characters, and the pages are
those of the whole faces: the same glyphs in the same places, in the same named fonts.

Each comparison lays the same data out twice: with a Typst compiler over the installed font
folders (the whole faces, as budgetgen compiled before it cut them) and with `write_pdf`.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import typst
from fontTools.ttLib import TTFont

from generator.compose.tree import Document
from generator.pipeline import document_for
from generator.writers import font_subsets, typst_fonts, typst_writer
from generator.writers.dates import document_date
from generator.writers.fonts import role_texts
from tests.sample_tree import sample_document

ROOT = Path(__file__).resolve().parents[1]


def _whole_faces_pdf(doc: Document) -> bytes:
    fonts = typst_fonts._typst_fonts(*typst_writer.doc_font_folders(doc))
    data = json.dumps(typst_writer.typst_data(doc), ensure_ascii=False)
    result = typst.Compiler(input=str(typst_writer.TEMPLATE), font_paths=fonts, sys_inputs={"data": data}).compile(
        format="pdf", timestamp=document_date(doc), pdf_standards=[typst_writer.PDFUA_STANDARD])
    assert isinstance(result, bytes)
    return result


def _printed(pdf: bytes) -> list[tuple]:
    """Every character with its page, place, size and font (the subset tag cut off)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [(page.page_number, c["text"], round(c["x0"], 2), round(c["top"], 2), round(c["size"], 2),
                 c["fontname"].split("+")[-1]) for page in document.pages for c in page.chars]


@pytest.fixture(scope="module")
def commerce() -> Document:
    return document_for(ROOT / "inputs" / "datong-foreign-affairs-2023.yaml")[0]


def test_the_cut_faces_print_the_pages_of_the_whole_ones(commerce) -> None:
    """An example with every role's face (the 2023 edition prints bold and 楷体 too)."""
    cut, whole = typst_writer.write_pdf(commerce), _whole_faces_pdf(commerce)
    printed = _printed(cut)
    assert printed == _printed(whole)
    assert len({font for *_, font in printed}) >= 5  # SemiBold title, Song, bold Song, 黑体, 楷体


def test_a_face_is_cut_to_the_documents_characters(commerce) -> None:
    """Each cut face maps exactly the characters of the document (and of the Typst file,
    and printable ASCII) that its whole face maps, and is a small fraction of its size."""
    fonts = typst_writer.document_fonts(commerce)
    wanted = ({ord(c) for _, text in role_texts(commerce) for c in text}
              | {ord(c) for c in typst_writer._source().decode()} | set(range(0x20, 0x7F)))
    cut = {f.name: f for f in fonts.folder.iterdir()}
    assert len(cut) >= 5
    for name, (path, index) in fonts.faces.items():
        whole = set(TTFont(path, fontNumber=index, lazy=True).getBestCmap())
        assert set(TTFont(cut[name]).getBestCmap()) == whole & wanted, name
        assert cut[name].stat().st_size < os.path.getsize(path) / 10


def test_a_face_harfbuzz_cannot_cut_is_used_whole(monkeypatch) -> None:
    doc = sample_document()
    expected = _printed(_whole_faces_pdf(doc))
    monkeypatch.setattr(font_subsets, "cut_face", lambda *_args: None)
    typst_fonts._recent.clear()
    fonts = typst_writer.document_fonts(doc)
    assert all(f.is_symlink() for f in fonts.folder.iterdir())
    assert _printed(typst_writer.write_pdf(doc)) == expected
    typst_fonts._recent.clear()


def test_a_cut_face_typst_names_otherwise_is_replaced_by_the_whole_one(monkeypatch) -> None:
    """Were a cut to lose a face's name, Typst would print with another font: the cut is
    checked against the whole face's name and weight, and replaced."""
    doc = sample_document()
    expected = _printed(_whole_faces_pdf(doc))
    cut, chart = font_subsets.cut_face, typst_fonts.chart_face()

    def as_the_chart_font(_path: str, _index: int, codepoints) -> bytes | None:
        return cut(chart.path, chart.index, codepoints)  # named otherwise than all the others

    monkeypatch.setattr(font_subsets, "cut_face", as_the_chart_font)
    typst_fonts._recent.clear()
    fonts = typst_writer.document_fonts(doc)
    whole = [f for f in fonts.folder.iterdir() if f.is_symlink()]
    assert len(whole) >= 3
    assert _printed(typst_writer.write_pdf(doc)) == expected
    typst_fonts._recent.clear()


def test_the_folders_of_cut_faces_are_removed(tmp_path) -> None:
    """A process keeps the two most recent sets of cut faces and leaves none when it ends;
    it removes those a process that ended left, not those of a process at work."""
    script = """
import tempfile
from pathlib import Path
from generator.writers import typst_fonts
folders = typst_fonts.font_folders()
face = typst_fonts.chart_face()
for text in ("一", "二", "三", "四"):
    typst_fonts.print_fonts(folders, [(face.path, face.index)], text)
print(len(list(Path(tempfile.gettempdir()).glob("budgetgen-fonts-*"))))
"""
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    left = tmp_path / f"budgetgen-fonts-{ended.stdout.strip()}-x"  # by a process killed mid-document
    running = tmp_path / f"budgetgen-fonts-{os.getpid()}-y"  # another process's, still at work
    for folder in (left, running):
        folder.mkdir()
        (folder / "00-face-0.otf").write_bytes(b"cut")
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=True)
    assert int(done.stdout.split()[-1]) == typst_fonts.RECENT_FONTS + 1  # its two, and the running one's
    assert list(tmp_path.glob("budgetgen-fonts-*")) == [running]


def test_the_names_of_the_faces_are_kept_between_runs(monkeypatch, page_cache) -> None:
    """The second process reads Typst's names of the installed faces without a scan; a font
    file changed since is scanned again."""
    folders = typst_writer.doc_font_folders(sample_document())
    first = typst_fonts._kept_faces(folders)
    assert len(list(page_cache.glob("__budgetgen_faces_*.json"))) == 1

    def no_scan(*_folders: str) -> typst.Fonts:
        raise AssertionError("scanned again")

    monkeypatch.setattr(typst_fonts, "_typst_fonts", no_scan)
    assert typst_fonts._kept_faces(folders) == first
    monkeypatch.setattr(typst_fonts, "file_stamps", lambda paths: [b"a font file changed"])
    with pytest.raises(AssertionError, match="scanned again"):
        typst_fonts._kept_faces(folders)
