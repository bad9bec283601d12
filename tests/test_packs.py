"""Format packs: a variant pack made here from the Shanxi one changes only what it changes;
a pack's required facts are checked; a broken pack or unknown format is a clear error."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.compose.tree import Heading, PageNumber, Paragraph, Table, TableOfContents
from generator.errors import RenderError
from generator.packs import BUILTIN, PACKS_ENV
from generator.pipeline import check_file, document_for
from generator.writers import pdf_writer, typst_writer
from generator.writers.docx_writer import write_docx
from generator.writers.fonts import role_texts
from generator.writers.typography import FOOTER_ROLE
from tests.conftest import ROOT
from tests.texts import docx_text, pdf_visible_text, squash

BASE = "datong-commerce-2024.yaml"  # 部门, 2024 edition
OLD_TITLE, NEW_TITLE = "2024年预算收入总表", "2024年部门收入预算汇总表"
OLD_SENTENCE, NEW_SENTENCE = "支出预算{{ f.total|amt }}万元，其中：基本支出", "支出预算{{ f.total|amt }}万元，包括基本支出"
OLD_TEXT, NEW_TEXT = "万元，其中：基本支出", "万元，包括基本支出"


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture(scope="module")
def variant_pack(tmp_path_factory) -> Path:
    """The Shanxi pack with 表2 renamed, 表3's 项目支出 column dropped and one sentence of
    §三 reworded: three edits of files, none of Python."""
    pack = tmp_path_factory.mktemp("pack") / "shanxi-variant"
    shutil.copytree(BUILTIN / "shanxi", pack)
    spec = pack / "pack.yaml"
    _replace_once(spec, 'title: "{year}年预算收入总表"', 'title: "{year}年部门收入预算汇总表"')
    _replace_once(spec, """    params: {sources: null, period: null}
    header:
      - [{text: 项目, colspan: 2}, {text: "{year}年预算数", colspan: 3}]
      - [科目编码, 科目名称, 合计, 基本支出, 项目支出]
    widths: [1.2, 4, 1.3, 1.3, 1.3]""", """    params: {sources: null, period: null, columns: [total, basic]}
    header:
      - [{text: 项目, colspan: 2}, {text: "{year}年预算数", colspan: 2}]
      - [科目编码, 科目名称, 合计, 基本支出]
    widths: [1.2, 4, 1.3, 1.3]""")
    _replace_once(pack / "common" / "part3.j2", OLD_SENTENCE, NEW_SENTENCE)
    return pack


def _blocks(monkeypatch, pack: Path | None):
    if pack is not None:
        monkeypatch.setenv(PACKS_ENV, str(pack))
    else:
        monkeypatch.delenv(PACKS_ENV, raising=False)
    return document_for(ROOT / "inputs" / BASE)[0].blocks


def test_the_variant_pack_changes_the_tree_in_three_places_only(monkeypatch, variant_pack):
    before, after = _blocks(monkeypatch, None), _blocks(monkeypatch, variant_pack)
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 3, [type(b).__name__ for b, _ in changed]
    (h_old, h_new), (t_old, t_new), (p_old, p_new) = changed
    assert isinstance(h_new, Heading) and (h_old.text, h_new.text) == (OLD_TITLE, NEW_TITLE)
    assert h_new.toc_text is not None and NEW_TITLE in h_new.toc_text
    assert isinstance(t_new, Table) and isinstance(t_old, Table)
    assert [c.text for c in t_new.header[1]] == ["科目编码", "科目名称", "合计", "基本支出"]
    assert [tuple(c.text for c in row) for row in t_new.body] == \
        [tuple(c.text for c in row[:-1]) for row in t_old.body]  # the 项目支出 column is gone
    assert isinstance(p_new, Paragraph) and p_new.text == p_old.text.replace(OLD_TEXT, NEW_TEXT)
    assert p_new.text != p_old.text


def _outside(text: str, start: str, end: str) -> tuple[str, str]:
    """`text` without the part from `start` up to `end` (表3's page), and that part; the
    目录's leader dots left out (a longer title has fewer)."""
    text = re.sub(r"\.{2,}", "", text)
    i, j = text.index(squash(start)), text.index(squash(end))
    return text[:i] + text[j:], text[i:j]


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_the_variant_pack_renders_through_the_command_line(run_cli, tmp_path, variant_pack, engine):
    """DOCX and PDF carry the three changes, and every other text is as before."""
    plain, varied = tmp_path / "plain", tmp_path / "varied"
    source = ROOT / "inputs" / BASE
    result = run_cli("render", source, "-o", plain, "--engine", engine)
    assert result.returncode == 0, result.stderr
    result = run_cli("render", source, "-o", varied, "--engine", engine, "--format-pack", variant_pack)
    assert result.returncode == 0, result.stderr
    stem = Path(BASE).stem
    for suffix, read in ((".docx", docx_text), (".pdf", pdf_visible_text)):
        old = read((plain / f"{stem}{suffix}").read_bytes())
        new = read((varied / f"{stem}{suffix}").read_bytes())
        assert OLD_TITLE not in new and NEW_TITLE in new, suffix
        assert squash(NEW_TEXT) in new and squash(OLD_TEXT) not in new, suffix
        expected = old.replace(OLD_TITLE, NEW_TITLE).replace(squash(OLD_TEXT), squash(NEW_TEXT))
        new_rest, new_t3 = _outside(new, "预算公开表3", "预算公开表4")
        old_rest, old_t3 = _outside(expected, "预算公开表3", "预算公开表4")
        assert new_rest == old_rest, suffix
        assert "项目支出" in old_t3 and "项目支出" not in new_t3, suffix


def _pack_requiring(tmp_path: Path, facts: list[str]) -> Path:
    pack = tmp_path / "requiring"
    shutil.copytree(BUILTIN / "shanxi", pack)
    _replace_once(pack / "pack.yaml", "requires: []", "requires: [" + ", ".join(facts) + "]")
    return pack


def test_a_fact_the_format_requires_is_named_where_it_is_missing(monkeypatch, tmp_path):
    source = ROOT / "inputs" / "datong-shanghai-office-2024.yaml"
    monkeypatch.setenv(PACKS_ENV, str(_pack_requiring(tmp_path, ["three_public.overseas.reason",
                                                                 "expenditure.name", "prior_year.total"])))
    checked = check_file(source)
    missing = [f for f in checked.report.errors if f.id == "E-FORMAT-FACT"]
    paths = [f.path for f in missing]
    assert ("three_public", "overseas", "reason") in paths
    rows = len(checked.data.expenditure)
    assert [p for p in paths if p[0] == "expenditure"] == [("expenditure", i, "name") for i in range(rows)]
    assert ("prior_year", "total") not in paths  # given
    overseas = next(f for f in missing if f.path[0] == "three_public")
    assert "格式 shanxi 需要 three_public.overseas.reason" in overseas.zh
    assert "format shanxi needs three_public.overseas.reason" in overseas.en
    lines = source.read_text("utf-8").splitlines()
    assert lines[overseas.line - 1].strip().startswith("overseas:")  # its nearest given ancestor


def test_check_fails_on_a_missing_fact_from_the_command_line(run_cli, tmp_path):
    pack = _pack_requiring(tmp_path, ["three_public.overseas.reason"])
    result = run_cli("check", ROOT / "inputs" / "datong-shanghai-office-2024.yaml", "--format-pack", pack)
    assert result.returncode == 1
    assert "E-FORMAT-FACT" in result.stdout + result.stderr


def test_an_unknown_builder_is_a_clear_error(monkeypatch, tmp_path):
    pack = tmp_path / "broken"
    shutil.copytree(BUILTIN / "shanxi", pack)
    _replace_once(pack / "pack.yaml", "builder: economic", "builder: economics")
    monkeypatch.setenv(PACKS_ENV, str(pack))
    with pytest.raises(Exception, match="builder 未知：economics") as error:
        document_for(ROOT / "inputs" / BASE)
    assert "unknown builder economics" in str(error.value)


def test_a_folder_without_a_pack_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("render", ROOT / "inputs" / BASE, "-o", tmp_path, "--format-pack", tmp_path)
    assert result.returncode == 2
    assert "pack.yaml" in result.stderr
    assert not list(tmp_path.glob("*.docx"))


def test_a_required_fact_the_model_lacks_is_an_error_of_the_pack(monkeypatch, tmp_path):
    monkeypatch.setenv(PACKS_ENV, str(_pack_requiring(tmp_path, ["prior_year.executed"])))
    report = check_file(ROOT / "inputs" / BASE).report
    assert [(f.id, f.path) for f in report.errors] == [("E-FORMAT", ("document", "format"))]
    assert "prior_year.executed" in report.errors[0].zh


def test_the_format_goes_through_the_workbook_and_back(run_cli, variant, tmp_path):
    written = variant(BASE, ("  year: 2024\n", "  year: 2024\n  format: shanxi\n"))
    book, back = tmp_path / "book.xlsx", tmp_path / "back.yaml"
    assert run_cli("export", written.path, "-o", book).returncode == 0
    assert run_cli("import", book, "-o", back).returncode == 0
    assert "format: shanxi" in back.read_text("utf-8")
    plain = tmp_path / "plain.xlsx"
    assert run_cli("export", ROOT / "inputs" / BASE, "-o", plain).returncode == 0
    assert run_cli("import", plain, "-o", tmp_path / "plain.yaml").returncode == 0
    assert "format:" not in (tmp_path / "plain.yaml").read_text("utf-8")  # nothing added when not given


def test_budgetgen_templates_still_overrides_one_template(monkeypatch, tmp_path):
    """$BUDGETGEN_TEMPLATES as before packs: a folder of templates searched first."""
    from generator.packs import TEMPLATES_ENV

    (tmp_path / "common").mkdir()
    part4 = tmp_path / "common" / "part4.j2"
    shutil.copy2(BUILTIN / "shanxi" / "common" / "part4.j2", part4)
    _replace_once(part4, "h1 第四部分 名词解释", "h1 第四部分 名词解释（本局）")
    monkeypatch.delenv(PACKS_ENV, raising=False)
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    texts = [b.text for b in document_for(ROOT / "inputs" / BASE)[0].blocks if isinstance(b, Heading)]
    assert "第四部分 名词解释（本局）" in texts and "第四部分 名词解释" not in texts


def test_budgetgen_templates_may_name_a_pack(monkeypatch, variant_pack):
    from generator.packs import TEMPLATES_ENV

    monkeypatch.delenv(PACKS_ENV, raising=False)
    monkeypatch.setenv(TEMPLATES_ENV, str(variant_pack))
    texts = [b.text for b in document_for(ROOT / "inputs" / BASE)[0].blocks if isinstance(b, Heading)]
    assert NEW_TITLE in texts


def _pack_edited(tmp_path: Path, old: str, new: str) -> Path:
    pack = tmp_path / "edited"
    shutil.copytree(BUILTIN / "shanxi", pack)
    _replace_once(pack / "pack.yaml", old, new)
    return pack


def test_a_part_may_start_a_section_of_its_own_orientation(monkeypatch, tmp_path):
    from generator.compose.tree import Section

    pack = _pack_edited(tmp_path, "  - template: part4.j2", "  - template: part4.j2\n    orientation: landscape")
    monkeypatch.setenv(PACKS_ENV, str(pack))
    blocks = document_for(ROOT / "inputs" / BASE)[0].blocks
    part4 = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "第四部分 名词解释")
    assert blocks[part4 - 1] == Section("landscape")
    assert sum(1 for b in blocks if b == Section("landscape")) == 2  # and the performance tables' own


@pytest.mark.parametrize(("old", "new", "path", "zh"), [
    ("kinds: [部门, 单位]", "kinds: [部门]", ("document", "kind"), "格式 shanxi 没有单位预算公开"),
    ("  - punctuation\n", "  - punctuation\n  - spelling\n", ("document", "format"), "未知的检查：spelling"),
])
def test_what_a_format_lacks_is_named_at_its_field(monkeypatch, tmp_path, old, new, path, zh):
    monkeypatch.setenv(PACKS_ENV, str(_pack_edited(tmp_path, old, new)))
    report = check_file(ROOT / "inputs" / "datong-shanghai-office-2024.yaml").report  # a 单位
    assert [(f.id, f.path) for f in report.errors] == [("E-FORMAT", path)]
    assert zh in report.errors[0].zh


def test_the_key_figures_are_phrased_by_the_pack(run_cli, tmp_path):
    pack = tmp_path / "summary"
    shutil.copytree(BUILTIN / "shanxi", pack)
    _replace_once(pack / "common" / "summary.j2", "政府采购 |", "政府采购预算 |")
    said = run_cli("check", ROOT / "inputs" / BASE, "--format-pack", pack).stdout
    assert re.search(r"政府采购预算 +21\.78 万元", said)
    assert re.search(r"政府采购 +21\.78 万元", run_cli("check", ROOT / "inputs" / BASE).stdout)


def test_a_shanghai_input_is_summarised_with_shanghai_figures(run_cli):
    said = run_cli("check", ROOT / "inputs" / "putuo-welfare-home-2024.yaml").stdout
    figures = said.split("主要数据 key figures:")[1]
    assert re.search(r"收入 / 支出预算 total +1,212\.12 万元", figures)  # the published 收入预算总额
    assert re.search(r"事业 / 经营 / 其他收入 +262\.00 万元", figures)
    assert "公开绩效目标表" not in figures and "表" not in figures


def test_a_draft_prints_its_packs_mark_and_the_messages_name_it(run_cli, tmp_path):
    """The mark on a draft's pages is the pack's word (`words.draft_mark`), not Python's: every
    writer prints it, and the command's messages quote it."""
    pack = _pack_edited(tmp_path, "draft_mark: 草稿", "draft_mark: 征求意见稿")
    starter = tmp_path / "starter.yaml"
    assert run_cli("init", "--year", "2025", "-o", starter).returncode == 0
    refused = run_cli("render", starter, "-o", tmp_path / "refused", "--format-pack", pack)
    assert refused.returncode == 1
    assert "每页标有“征求意见稿”的文件" in refused.stderr and "a draft marked 征求意见稿" in refused.stderr
    out = tmp_path / "out"
    drafted = run_cli("render", starter, "-o", out, "--draft", "--format-pack", pack)
    assert drafted.returncode == 0, drafted.stderr
    assert "每页标有“征求意见稿”" in drafted.stderr and "every page is marked 征求意见稿" in drafted.stderr
    pages = PdfReader(out / "starter.pdf").pages
    assert len(pages) > 10 and all("征求意见稿" in page.extract_text() for page in pages)
    with zipfile.ZipFile(out / "starter.docx") as docx:
        headers = [docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header")]
    assert headers and all("征求意见稿" in h and "草稿" not in h for h in headers)


def test_a_pack_without_a_draft_mark_is_a_clear_error(monkeypatch, tmp_path):
    pack = _pack_edited(tmp_path, "  draft_mark: 草稿", "  draft_mark: ''")
    monkeypatch.setenv(PACKS_ENV, str(pack))
    report = check_file(ROOT / "inputs" / BASE).report
    assert [(f.id, f.path) for f in report.errors] == [("E-FORMAT", ("document", "format"))]
    assert "words.draft_mark" in report.errors[0].zh and "words.draft_mark" in report.errors[0].en


def _footers(pdf: bytes) -> list[str]:
    """The last line of every page as poppler reads it (the footer, where there is one)."""
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    return [(page.strip().splitlines() or [""])[-1].strip() for page in text.split("\f")[:-1]]


def test_the_page_number_is_the_packs_in_every_writer(monkeypatch, tmp_path):
    """`words.page_number` is the footer's form: the tree carries it, and the Typst PDF, the
    WeasyPrint PDF and the DOCX's footer field print it; nothing of Python's "— n —" is left."""
    monkeypatch.setenv(PACKS_ENV, str(_pack_edited(tmp_path, 'page_number: "— {n} —"', 'page_number: "第 {n} 页"')))
    doc = document_for(ROOT / "inputs" / BASE)[0]
    assert doc.page_number == PageNumber("第 ", " 页")
    for write in (typst_writer.write_pdf, pdf_writer.write_pdf):
        footers = [f.replace(" ", "") for f in _footers(write(doc))]
        first = footers.index("第1页")  # after the cover and the 目录
        assert 2 <= first <= 3 and footers[first:] == [f"第{n}页" for n in range(1, len(footers) - first + 1)]
        assert not any("—" in f for f in footers)
    with zipfile.ZipFile(io.BytesIO(write_docx(doc))) as docx:
        footers = [docx.read(n).decode() for n in docx.namelist() if n.startswith("word/footer")]
    numbered = [f for f in footers if "PAGE" in f]
    assert len(numbered) == 1 and re.search(r">第 </w:t>.*PAGE.*> 页</w:t>", numbered[0], re.S)
    assert not any("—" in f for f in footers)


def test_the_glyph_check_sees_the_packs_page_number(monkeypatch, tmp_path):
    monkeypatch.setenv(PACKS_ENV, str(_pack_edited(tmp_path, 'page_number: "— {n} —"', 'page_number: "\ue000{n}"')))
    doc = document_for(ROOT / "inputs" / BASE)[0]
    assert any(role == FOOTER_ROLE and "\ue000" in text for role, text in role_texts(doc))
    with pytest.raises(RenderError, match="U\\+E000"):
        typst_writer.write_pdf(doc)


@pytest.mark.parametrize(("old", "new", "named"), [
    ('  page_number: "— {n} —"', "", "words.page_number"),
    ('  page_number: "— {n} —"', '  page_number: ""', "words.page_number"),
    ('  page_number: "— {n} —"', '  page_number: "— 页 —"', "{n}"),
    ('      rise: 增加\n', '      rise: 增加\n      page_number: "{n}/{n}"\n', "{n}"),
])
def test_a_pack_without_a_page_number_is_a_clear_error(monkeypatch, tmp_path, old, new, named):
    """Like the draft mark, the page number has no Python default: every edition of a pack
    gives it, with one {n}."""
    monkeypatch.setenv(PACKS_ENV, str(_pack_edited(tmp_path, old, new)))
    report = check_file(ROOT / "inputs" / BASE).report
    assert [(f.id, f.path) for f in report.errors] == [("E-FORMAT", ("document", "format"))]
    assert "words.page_number" in report.errors[0].zh and named in report.errors[0].en


def test_the_toc_title_is_the_templates_alone(monkeypatch, tmp_path):
    """The 目录's title comes from the pack's template; a `toc` line without one is an error,
    not a title of Python's."""
    pack = tmp_path / "toc"
    shutil.copytree(BUILTIN / "shanxi", pack)
    _replace_once(pack / "common" / "cover.j2", "toc 目 录", "toc 目录一览")
    monkeypatch.setenv(PACKS_ENV, str(pack))
    doc = document_for(ROOT / "inputs" / BASE)[0]
    assert [b.title for b in doc.blocks if isinstance(b, TableOfContents)] == ["目录一览"]
    _replace_once(pack / "common" / "cover.j2", "toc 目录一览", "toc")
    with pytest.raises(RenderError, match="toc needs the 目录's title"):
        document_for(ROOT / "inputs" / BASE)


# ---- bold, per edition (pack.yaml `bold`): the 2023 edition's 目录 parts and 名词解释 terms


def _glossary(blocks) -> list[Paragraph]:
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == "第四部分 名词解释")
    return [b for b in blocks[start + 1:] if isinstance(b, Paragraph)]


def test_the_2023_edition_bolds_the_tocs_parts_and_the_glossarys_terms(monkeypatch):
    monkeypatch.delenv(PACKS_ENV, raising=False)
    blocks = document_for(ROOT / "inputs" / "datong-foreign-affairs-2023.yaml")[0].blocks
    bold = [b.text for b in blocks if isinstance(b, Heading) and b.toc_bold]
    assert bold == ["第一部分 概况", "第二部分 2023年部门预算报表", "第三部分 2023年度部门预算情况说明",
                    "第四部分 名词解释"]
    terms = {p.text[:p.bold_prefix]: p.text[p.bold_prefix:p.bold_prefix + 2] for p in _glossary(blocks)
             if p.bold_prefix}
    assert len(terms) == 11 and terms["一、基本支出："] == "指为" and terms["九、一般公共预算"] == "是指"
    assert terms["十一、国有资本经营预算"] == "是对"  # the published 九 and 十一 have no colon
    alone = [p.text for p in _glossary(blocks) if p.bold]
    assert alone == ["六、财政专户管理资金："]  # a paragraph of the term alone: all bold
    assert _glossary(blocks)[0].runs == ((("一、基本支出：",), True), ((
        "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",), False))


def test_the_2024_edition_prints_the_same_words_without_bold(monkeypatch):
    monkeypatch.delenv(PACKS_ENV, raising=False)
    blocks = document_for(ROOT / "inputs" / BASE)[0].blocks
    assert not any(b.toc_bold for b in blocks if isinstance(b, Heading))
    glossary = _glossary(blocks)
    assert not any(p.bold or p.bold_prefix for p in glossary)
    assert glossary[0].text.startswith("一、基本支出：指为") and glossary[5].text == "六、财政专户管理资金："


def test_an_inputs_own_glossary_has_its_terms_bold_in_2023(monkeypatch, tmp_path):
    monkeypatch.delenv(PACKS_ENV, raising=False)
    source = (ROOT / "inputs" / "datong-foreign-affairs-2023.yaml").read_text("utf-8")
    entries = ["一、甲经费：指某项支出。", "二、乙经费：", "指某项支出，其中：丙。", "三、不带冒号的条目。"]
    path = tmp_path / "glossary-2023.yaml"
    path.write_text(source + "glossary:\n" + "".join(f"  - {e}\n" for e in entries), "utf-8")
    glossary = _glossary(document_for(path)[0].blocks)
    assert [p.text for p in glossary] == entries
    assert [(p.bold, p.bold_prefix) for p in glossary] == [(False, 6), (True, 0), (False, 0), (False, 0)]


def test_the_bold_levels_must_be_levels(monkeypatch, tmp_path):
    from generator.packs import PackError

    pack = _pack_edited(tmp_path, "    bold:\n      toc_levels: [1]", "    bold:\n      toc_levels: 一")
    monkeypatch.setenv(PACKS_ENV, str(pack))
    with pytest.raises(PackError, match=r"bold\.toc_levels"):
        document_for(ROOT / "inputs" / "datong-foreign-affairs-2023.yaml")


@pytest.mark.parametrize("levels", ["[4]", "[0, 1]"])
def test_the_bold_levels_must_be_levels_a_template_gives(monkeypatch, tmp_path, levels):
    """A level no heading has (templates give h1 … h3) would bold nothing, silently."""
    from generator.packs import PackError

    pack = _pack_edited(tmp_path, "    bold:\n      toc_levels: [1]", f"    bold:\n      toc_levels: {levels}")
    monkeypatch.setenv(PACKS_ENV, str(pack))
    with pytest.raises(PackError, match=r"bold\.toc_levels"):
        document_for(ROOT / "inputs" / "datong-foreign-affairs-2023.yaml")


def test_a_lead_line_needs_a_paragraph_after_it(monkeypatch, tmp_path):
    from generator.errors import RenderError

    pack = tmp_path / "lead"
    shutil.copytree(BUILTIN / "shanxi", pack)
    _replace_once(pack / "common" / "part4.j2", "h1 第四部分 名词解释\n", "lead 第四部分\nh1 第四部分 名词解释\n")
    monkeypatch.setenv(PACKS_ENV, str(pack))
    with pytest.raises(RenderError, match="lead"):
        document_for(ROOT / "inputs" / BASE)
