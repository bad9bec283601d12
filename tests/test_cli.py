"""The command line as a user meets it: render, batch, diff, init, exit codes, safety."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.seeds import input_path

SHANGHAI = input_path("000")


def budgetgen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def _break(text: str) -> str:
    """An input with a data error: 表6 no longer equals 基本支出 (E-I10)."""
    return text.replace("amount: 1000         # 0.10", "amount: 1001         # 0.10")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = budgetgen("render", SHANGHAI, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def test_render_writes_docx_and_pdf_named_after_the_input(rendered):
    assert sorted(p.name for p in rendered.iterdir()) == [
        "datong-shanghai-office-2024.docx", "datong-shanghai-office-2024.pdf"]
    assert (rendered / "datong-shanghai-office-2024.pdf").read_bytes().startswith(b"%PDF-")


def test_same_input_gives_the_same_bytes(rendered, tmp_path):
    assert budgetgen("render", SHANGHAI, "-o", tmp_path).returncode == 0
    for name in ("datong-shanghai-office-2024.docx", "datong-shanghai-office-2024.pdf"):
        assert (tmp_path / name).read_bytes() == (rendered / name).read_bytes(), name


def test_a_failed_render_leaves_the_previous_output_untouched(tmp_path):
    data = tmp_path / "dept.yaml"
    data.write_text(SHANGHAI.read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    assert budgetgen("render", data, "-o", out, "--format", "docx").returncode == 0
    before = (out / "dept.docx").read_bytes()
    data.write_text(_break(SHANGHAI.read_text("utf-8")), "utf-8")
    result = budgetgen("render", data, "-o", out, "--format", "docx")
    assert result.returncode == 1
    assert "E-I10" in result.stderr and "Traceback" not in result.stderr
    assert (out / "dept.docx").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["dept.docx"]  # no temporary leftovers


def test_batch_renders_the_good_files_and_reports_the_bad_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = SHANGHAI.read_text("utf-8")
    (folder / "a.yaml").write_text(text, "utf-8")
    (folder / "b.yaml").write_text(_break(text), "utf-8")
    (folder / "c.yaml").write_text(text, "utf-8")
    out = tmp_path / "out"
    result = budgetgen("render", folder, "-o", out, "--format", "docx", "-j", "2")
    assert result.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "c.docx"]
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["file", "status"]
    statuses = {Path(line.split()[0]).name: line.split()[1] for line in lines[1:4]}
    assert statuses == {"a.yaml": "ok", "b.yaml": "FAILED", "c.yaml": "ok"}
    assert lines[-1] == "3 files: 2 ok, 1 failed"


def test_output_names_come_from_the_file_name_only(tmp_path):
    data = tmp_path / "a b;c.yaml"
    shutil.copy(SHANGHAI, data)
    assert budgetgen("render", data, "-o", tmp_path / "out", "--format", "docx").returncode == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a_b_c.docx"]


def test_diff_lists_changed_figures_and_sentences(tmp_path):
    new = tmp_path / "new.yaml"
    text = SHANGHAI.read_text("utf-8").replace("amount: 50000        # 5.00", "amount: 60000")
    new.write_text(text.replace("project: 389550", "project: 399550"), "utf-8")  # and 项目支出
    result = budgetgen("diff", SHANGHAI, new, "--json")
    assert result.returncode == 1, result.stderr  # as diff(1): the published content changes
    changes = json.loads(result.stdout)
    cell = {(c["table"], c["row"], c["column"]): (c["old"], c["new"]) for c in changes["tables"]}
    assert cell[("2024年项目支出预算表（本年预算）", "z招商引资", "合计")] == ("5.00", "6.00")
    assert any("39.96万元" in t["new"] for t in changes["text"])
    # The project moved money only within 项目支出: 表6 is unchanged.
    assert not any("基本支出分经济科目表" in c["table"] for c in changes["tables"])


def test_diff_of_a_file_with_itself_is_empty():
    result = budgetgen("diff", SHANGHAI, SHANGHAI)
    assert result.returncode == 0
    assert result.stdout.strip() == "公开内容无变化 / no change in the published document"


@pytest.mark.parametrize("kind", ["部门", "单位"])
@pytest.mark.parametrize("year", ["2023", "2025"])
def test_init_writes_a_starter_that_checks_once_filled_in(tmp_path, kind, year):
    starter = tmp_path / "new.yaml"
    assert budgetgen("init", "--kind", kind, "--year", year, "-o", starter).returncode == 0
    result = budgetgen("check", starter)
    assert result.returncode == 0
    assert "W-PLACEHOLDER" in result.stdout
    filled = starter.read_text("utf-8").replace("【待填写】", "0").replace("【待填写", "示例").replace("】", "")
    filled = filled.replace("XX局", "商务局")  # the name's hint: a blank left from it is W-TEMPLATE-TEXT
    result = budgetgen("check", starter, "--strict")
    assert result.returncode == 1 and "W-DEFAULT" in result.stdout  # 000 and the sample row
    sample = re.search(r"expenditure:.*\n((?:    .*\n|  - .*\n)+)", filled)
    filled = filled.replace('supervisor_code: "000"', 'supervisor_code: "083"').replace(sample.group(1), "")
    starter.write_text(filled, "utf-8")
    result = budgetgen("check", starter, "--strict")
    assert result.returncode == 0, result.stdout


def test_init_refuses_to_overwrite(tmp_path):
    target = tmp_path / "x.yaml"
    target.write_text("keep", "utf-8")
    result = budgetgen("init", "-o", target)
    assert result.returncode == 2
    assert target.read_text("utf-8") == "keep"


@pytest.mark.parametrize("args", [
    ("render", "--format", "odt", str(SHANGHAI)),
    ("render", "missing.yaml"),
    ("render", "-j", "0", str(SHANGHAI)),
    ("frobnicate",),
])
def test_usage_errors_exit_2_without_traceback(args):
    result = budgetgen(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "错误" in result.stderr and "error" in result.stderr


def test_user_text_is_printed_literally(tmp_path):
    """Template syntax, markup and line breaks in user text are data, never evaluated."""
    text = SHANGHAI.read_text("utf-8")
    hostile = '"{{ 7*7 }} {% if 1 %}x{% endif %} <b>&amp;</b>\\np 伪造段落"'
    data = tmp_path / "hostile.yaml"
    data.write_text(text.replace("  other: 无", f"  other: {hostile}"), "utf-8")
    from generator.compose.tree import Paragraph
    from generator.pipeline import document_for

    doc, _ = document_for(data)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "{{ 7*7 }} {% if 1 %}x{% endif %} <b>&amp;</b> p 伪造段落" in paragraphs
    assert "伪造段落" not in paragraphs
    result = budgetgen("render", data, "-o", tmp_path / "out", "--format", "docx")
    assert result.returncode == 0, result.stderr


def test_pdfa_attaches_the_input_yaml(tmp_path):
    result = budgetgen("render", SHANGHAI, "-o", tmp_path, "--format", "pdf", "--pdfa")
    assert result.returncode == 0, result.stderr
    from pypdf import PdfReader

    reader = PdfReader(tmp_path / "datong-shanghai-office-2024.pdf")
    attached = reader.attachments
    assert list(attached) == ["datong-shanghai-office-2024.yaml"]
    assert attached["datong-shanghai-office-2024.yaml"][0] == SHANGHAI.read_bytes()
    assert b"pdfaid" in reader.xmp_metadata.stream.get_data()  # declares PDF/A


def test_check_takes_a_folder_and_refuses_a_missing_file(tmp_path):
    result = budgetgen("check", SHANGHAI.parent)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("错误 errors: 0") == len(list(SHANGHAI.parent.glob("*.yaml")))
    missing = budgetgen("check", tmp_path / "nope.yaml")
    assert missing.returncode == 2
    assert "找不到文件" in missing.stderr and "no such file" in missing.stderr


def test_diff_with_an_invalid_file_exits_1_naming_its_problem(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("amount_unit: 元\n", "utf-8")
    result = budgetgen("diff", SHANGHAI, bad)
    assert result.returncode == 1
    assert "bad.yaml" in result.stderr and "document" in result.stderr
    assert "Traceback" not in result.stderr and not result.stdout


def test_an_unwritable_output_fails_cleanly(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be", "utf-8")
    result = budgetgen("render", SHANGHAI, "-o", blocker / "below", "--format", "docx")
    assert result.returncode == 1
    assert "无法写入输出" in result.stderr and "Traceback" not in result.stderr
    assert "warning" not in result.stderr
    result = budgetgen("render", SHANGHAI, "-o", blocker, "--format", "docx")  # a file, not a folder
    assert result.returncode == 2 and "not a folder" in result.stderr and "File exists" not in result.stderr
