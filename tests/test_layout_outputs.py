"""The writers apply the tree's layout and describe the document: DOCX for WPS and
LibreOffice (language tags, no template leftovers, 目录 entries that survive a field
update, core properties), PDF metadata, page labels and tags."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from generator.compose.tree import Heading, Table
from generator.pipeline import document_for, document_from_bytes
from generator.writers.docx_writer import write_docx
from generator.writers.pdf_writer import write_pdf

INPUT = Path(__file__).resolve().parents[1] / "inputs" / "datong-shanghai-office-2024.yaml"


@pytest.fixture(scope="module")
def tree():
    return document_for(INPUT)[0]


@pytest.fixture(scope="module")
def package(tree) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(write_docx(tree))) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}


@pytest.fixture(scope="module")
def pdf(tree) -> PdfReader:
    return PdfReader(io.BytesIO(write_pdf(tree)))


def test_docx_tags_latin_text_english_so_numbers_stay_whole(package) -> None:
    assert '<w:lang w:val="en-US" w:eastAsia="zh-CN"/>' in package["word/styles.xml"]
    assert 'w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"' in package["word/settings.xml"]


def test_docx_has_no_template_leftovers(package, tree) -> None:
    text = "".join(package.values())
    for leftover in ("ja-JP", "ＭＳ", "Calibri", "Cambria", "Jpan"):
        assert leftover not in text, leftover
    assert f'w:name="{tree.fonts.body}"' in package["word/fontTable.xml"]


def test_docx_names_the_windows_face_for_each_missing_family(package) -> None:
    """Windows 10 and 11 have 仿宋, 楷体, 黑体 and 宋体 but not the _GB2312 faces nor
    方正小标宋: the font table tells Word which to use instead of a face of like metrics."""
    table = package["word/fontTable.xml"]
    alternates = dict(re.findall(r'<w:font w:name="([^"]+)"><w:altName w:val="([^"]+)"/>', table))
    assert alternates == {"方正小标宋简体": "方正小标宋_GBK,华文中宋,宋体", "黑体": "SimHei", "楷体_GB2312": "楷体,KaiTi",
                          "仿宋_GB2312": "仿宋,FangSong", "宋体": "SimSun"}


def test_a_chosen_family_gets_the_windows_faces_of_its_look() -> None:
    from generator.writers.fonts import windows_faces

    assert windows_faces("方正仿宋_GBK") == ("仿宋", "FangSong")
    assert windows_faces("华文楷体") == ("楷体", "KaiTi")
    assert windows_faces("方正书宋_GBK") == ("宋体", "SimSun")
    assert windows_faces("微软雅黑") == ("黑体", "SimHei") and windows_faces("Microsoft YaHei") == ("黑体", "SimHei")
    assert windows_faces("思源黑体") == ("黑体", "SimHei")


def test_docx_core_properties_describe_the_document(tree) -> None:
    props = docx.Document(io.BytesIO(write_docx(tree))).core_properties
    assert props.title == tree.title and props.author == "大同市人民政府驻上海招商联络处"
    assert props.subject == "2024年度单位预算公开" and props.language == "zh-CN"
    assert "预算公开" in props.keywords and "2024年" in props.keywords


def test_docx_toc_entries_with_their_table_number_come_from_tc_fields(package, tree) -> None:
    body = package["word/document.xml"]
    entries = [h.toc_text for h in tree.blocks if isinstance(h, Heading) and h.toc_text]
    assert len(entries) == 13
    for entry in entries:
        assert f'TC "{entry}" \\l 2' in body
    assert 'TOC \\o "1-3" \\f \\h \\z \\u' in body
    # the table title itself is not an outline heading, or the TOC would list it twice
    title = re.search(r'<w:pStyle w:val="TableHeading"/>.*?</w:pPr>', body)
    assert title and '<w:outlineLvl w:val="9"/>' in title.group()


def test_docx_maps_forced_breaks_and_kept_rows(package, tree) -> None:
    body = package["word/document.xml"]
    broken = next(c for b in tree.blocks if isinstance(b, Table) for row in b.header for c in row
                  if c.breaks)
    first, second = broken.lines[:2]
    assert f"{first}</w:t><w:br/><w:t xml:space=\"preserve\">{second}" in body
    assert "<w:keepNext/>" in body


def test_pdf_metadata_names_author_subject_keywords(pdf) -> None:
    meta = pdf.metadata
    assert meta["/Author"] == "大同市人民政府驻上海招商联络处"
    assert meta["/Subject"] == "2024年度单位预算公开"
    assert "预算公开" in meta["/Keywords"]


def test_pdf_page_labels_are_the_printed_numbers(pdf) -> None:
    labels = pdf.page_labels
    printed = [re.search(r"—\s*(\d+)\s*—", page.extract_text() or "") for page in pdf.pages]
    numbered = [(label, m.group(1)) for label, m in zip(labels, printed, strict=True) if m]
    assert numbered and all(label == number for label, number in numbered)
    assert labels[0] == "i"  # the cover


def test_archival_pdf_is_tagged(tree, pdf) -> None:
    root = PdfReader(io.BytesIO(write_pdf(tree, pdfa=True))).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root
    assert "/StructTreeRoot" not in pdf.trailer["/Root"]  # the everyday PDF: faster without


def test_publication_date_sets_the_creation_date() -> None:
    data = yaml.safe_load(INPUT.read_text("utf-8"))
    data["document"]["published"] = "2024-02-01"
    raw = yaml.safe_dump(data, allow_unicode=True).replace("published: '2024-02-01'",
                                                           "published: 2024-02-01")
    doc = document_from_bytes(raw.encode("utf-8"), "dated.yaml")[0]
    assert doc.created.startswith("2024-02-01")
    assert document_for(INPUT)[0].created.startswith("2024-01-01")
