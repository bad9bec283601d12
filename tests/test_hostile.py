"""The hostile-input corpus: every class of bad input the README promises to handle.

Each case runs `budgetgen check` and `budgetgen render` in-process on one input and asserts
the exit code, the bilingual message (with the field and line:column where there is one),
that no traceback is printed, and that render wrote nothing at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.model.schema import MAX_PROJECTS
from generator.model.text import MAX_TEXT
from generator.model.yamlsource import MAX_FILE_BYTES, MAX_NODES
from generator.writers.docx_writer import write_docx
from generator.writers.pdf_writer import write_pdf
from tests.texts import docx_text, missing_in_order, pdf_visible_text, without_charts

ROOT = Path(__file__).resolve().parents[1]
SH = ROOT / "inputs" / "datong-shanghai-office-2024.yaml"
MARK = "#HERE"


@dataclass(frozen=True)
class Hostile:
    """An input (made in a temporary folder) and what both commands must say about it."""

    make: Callable[[Path], Path]
    zh: str
    en: str
    field: str = ""  # the dotted path the message names, if any
    located: bool = False  # the message names the MARK line (and the column of `token`)
    token: str = ""


def edited(old: str, new: str, raw: Callable[[str], bytes] = lambda t: t.encode("utf-8")):
    """A copy of the Shanghai example with one line changed; `new` carries MARK."""
    def make(folder: Path) -> Path:
        text = SH.read_text("utf-8")
        assert text.count(old) == 1, old
        path = folder / "hostile.yaml"
        path.write_bytes(raw(text.replace(old, new)))
        return path
    return make


def scaled(projects: int) -> Callable[[Path], Path]:
    """The scale benchmark's department with this many projects."""
    def make(folder: Path) -> Path:
        from benchmarks.scale import with_projects

        path = folder / "large.yaml"
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        path.write_text(yaml.dump(with_projects(projects, 0), Dumper=dumper, allow_unicode=True), "utf-8")
        return path
    return make


def special(kind: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / f"{kind}.yaml"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "sparse":  # 3 GiB that take no disk: refused by size, never read
            with open(path, "wb") as handle:
                handle.truncate(3 * 1024**3)
        elif kind == "socket":
            import socket

            server = socket.socket(socket.AF_UNIX)
            server.bind(str(path))
        else:
            path.symlink_to({"zero": "/dev/zero", "null": "/dev/null", "mem": "/proc/self/mem"}[kind])
        return path
    return make


AREA = "  office_area: 583.47    # 平方米"
OTHER = "  other: 无"
CASES = {
    # --- numbers (defect 3) ----------------------------------------------------------------
    "area 1e9999999999": Hostile(edited(AREA, f"  office_area: 1e9999999999 {MARK}"),
                                 "数字位数过多（最多 11 位）", "no more than 11 digits", "assets.office_area",
                                 True, "office_area"),
    "area 1e999999": Hostile(edited(AREA, f"  office_area: 1e999999 {MARK}"),
                             "数字位数过多", "no more than 11 digits", "assets.office_area", True),
    "area above 100 km²": Hostile(edited(AREA, f"  office_area: 100000001 {MARK}"),
                                  "不能大于 100000000", "less than or equal to 100000000",
                                  "assets.office_area", True),
    "area 3 decimals": Hostile(edited(AREA, f"  office_area: 1.001 {MARK}"),
                               "小数位数过多（最多 2 位）", "no more than 2 decimal places", "assets.office_area", True),
    "count of 5000 digits": Hostile(edited("  equipment_over_500k: 0", f"  equipment_over_500k: {'9' * 5000} {MARK}"),
                                    "数字过大", "exceeded maximum size", "assets.equipment_over_500k", True),
    "count above the bound": Hostile(edited("    quota: 2             # 编制2辆", f"    quota: 100001 {MARK}"),
                                     "不能大于 100000", "less than or equal to 100000",
                                     "assets.vehicles.quota", True),
    "amount 1e400": Hostile(edited("  general_budget: 826700", f"  general_budget: 1e400 {MARK}"),
                            "数字位数过多（最多 16 位）", "no more than 16 digits", "prior_year.general_budget", True),
    # --- user text (defects 2, 7) ----------------------------------------------------------
    "escaped BEL": Hostile(edited(OTHER, f'  other: "无\\a" {MARK}'), "控制字符 U+0007", "control character U+0007",
                           "other_notes.other", True),
    "escaped ESC in a key": Hostile(edited(OTHER, f'  "\\e[31mother": 无 {MARK}'), "控制字符 U+001B",
                                    "control character U+001B", "other_notes", True),
    "C1 control": Hostile(edited(OTHER, f'  other: "无\\x9b" {MARK}'), "控制字符 U+009B",
                          "control character U+009B", "other_notes.other", True),
    "a megabyte without a space": Hostile(edited(OTHER, f"  other: {'x' * 1024 * 1024} {MARK}"),
                                          f"每段最多 {MAX_TEXT} 个", "text too long", "other_notes.other", True),
    # --- raw bytes (defect 5) ------------------------------------------------------------------
    "raw NUL": Hostile(edited(OTHER, f"  other: 无\x00 {MARK}"), "控制字符 U+0000", "control character U+0000",
                       located=True, token="\x00"),
    "raw ESC": Hostile(edited(OTHER, f"  other: 无\x1b[2J {MARK}"), "控制字符 U+001B", "control character U+001B",
                       located=True, token="\x1b"),
    "raw VT": Hostile(edited(OTHER, f"  other: 无\x0b {MARK}"), "控制字符 U+000B", "control character U+000B",
                      located=True, token="\x0b"),
    "raw noncharacter": Hostile(edited(OTHER, f"  other: 无\ufffe {MARK}"), "控制字符 U+FFFE",
                                "control character U+FFFE", located=True, token="\ufffe"),
    # --- files that are no input file (defect 5) ---------------------------------------------
    "FIFO": Hostile(special("fifo"), "不是普通文件，而是命名管道（FIFO）", "not a regular file but a named pipe (FIFO)"),
    "/dev/zero": Hostile(special("zero"), "不是普通文件，而是字符设备", "not a regular file but a character device"),
    "/dev/null": Hostile(special("null"), "不是普通文件，而是字符设备", "not a regular file but a character device"),
    "socket": Hostile(special("socket"), "不是普通文件，而是套接字", "not a regular file but a socket"),
    "/proc/self/mem": Hostile(special("mem"), "无法读取文件", "cannot read the file"),
    "3 GiB sparse file": Hostile(special("sparse"), f"文件过大（3221225472 字节，上限 {MAX_FILE_BYTES} 字节）",
                                 "file too large (3221225472 bytes"),
    # --- size (defect 9) ---------------------------------------------------------------------
    "one project too many": Hostile(scaled(MAX_PROJECTS + 1), f"条目过多（最多 {MAX_PROJECTS} 项）",
                                    f"at most {MAX_PROJECTS} items", "projects"),
    "30,000 projects": Hostile(scaled(30_000), f"文件中的值超过 {MAX_NODES} 个，超出一份文件的上限（如项目最多",
                                "more than one document may hold (e.g. at most"),
    # --- glyphs (defect 6) -------------------------------------------------------------------
    "CJK extension B": Hostile(edited(OTHER, f"  other: 无𠀀 {MARK}"), "E-GLYPH", "𠀀（U+20000）",
                               "other_notes.other", True),
    "emoji in a unit name": Hostile(edited("  - name: 大同市人民政府驻上海招商联络处\n",
                                           f"  - name: 大同市人民政府驻上海招商联络处🏢 {MARK}\n"),
                                    "E-GLYPH", "🏢（U+1F3E2）", "units[0].name", True),
    "private use character": Hostile(edited(OTHER, f"  other: 无\ue000 {MARK}"), "E-GLYPH", "U+E000",
                                     "other_notes.other", True),
}


def _run(*args: str | Path, capsys) -> tuple[int, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.mark.parametrize("name", CASES)
def test_hostile_input_is_refused_cleanly_and_nothing_is_written(name, tmp_path, capsys):
    case = CASES[name]
    path = case.make(tmp_path)
    out = tmp_path / "out"
    for args in (("check", path), ("render", path, "-o", out)):
        code, printed = _run(*args, capsys=capsys)
        assert code == 1, printed[-2000:]
        assert "Traceback" not in printed
        assert case.zh in printed and case.en in printed, printed[-2000:]
        assert len(printed) < 20_000  # the input itself is never echoed
        if case.field:
            assert f"{case.field} (line" in printed, printed[-2000:]
        if case.located:
            lines = path.read_bytes().decode("utf-8").split("\n")
            line = next(n for n, text in enumerate(lines, 1) if MARK in text)
            column = lines[line - 1].index(case.token) + 1 if case.token else None
            assert f"(line {line}:{column or ''}" in printed, printed[-2000:]
    assert not out.exists() or not any(out.iterdir())


def test_a_folder_given_as_a_file_is_named_as_a_folder(tmp_path):
    from generator.model.yamlsource import InputError, read_input

    with pytest.raises(InputError) as info:
        read_input(tmp_path)
    assert info.value.problems[0].en == "not a regular file but a folder"


def test_minus_zero_is_printed_as_zero(tmp_path):
    from generator.compose.tree import Paragraph
    from generator.pipeline import document_for

    path = edited(AREA, "  office_area: -0.00")(tmp_path)
    doc, _ = document_for(path)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any("总面积0平方米" in t for t in texts) and not any("-0" in t for t in texts)


def test_an_unwritable_output_folder_fails_without_claiming_a_file(tmp_path, capsys):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    code, printed = _run("render", SH, "-o", blocker / "below", "--format", "docx", capsys=capsys)
    assert code == 1 and "Traceback" not in printed
    assert "无法写入输出" in printed and "cannot write the outputs" in printed
    assert ".docx" not in printed.replace(str(SH), "")


def test_a_read_only_output_folder_keeps_the_old_set(tmp_path, capsys, make_unwritable):
    out = tmp_path / "out"
    out.mkdir()
    (out / "datong-shanghai-office-2024.docx").write_bytes(b"old")
    make_unwritable(out)
    code, printed = _run("render", SH, "-o", out, "--format", "docx", capsys=capsys)
    assert code == 1 and "cannot write the outputs" in printed
    assert [p.name for p in out.iterdir()] == ["datong-shanghai-office-2024.docx"]


# Text that is accepted: it must reach the PDF exactly as it reaches the DOCX (defect 7).
ACCEPTED = {
    "a 5,000-letter word": "x" * 5000,
    "a URL with no break": "https://example.gov.cn/" + "a1b2c3" * 200,
    "next line and separators": "第一句\x85h1 伪造标题\u2028table t1\u2029section landscape",
    "right-to-left override": "\u202e反向文字\u202c与零宽\u200b空格",
    "markup and template syntax": "<b>&amp;</b> {{ 7*7 }} {% raw %} ]]> <w:t>",
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_hostile_text_is_the_same_in_pdf_and_docx(name, tmp_path):
    from generator.pipeline import document_for

    value = ACCEPTED[name].replace("\\", "\\\\").replace('"', '\\"')
    path = edited(OTHER, f'  other: "{value}"')(tmp_path)
    doc, _ = document_for(path)
    doc = without_charts(doc)
    assert missing_in_order(pdf_visible_text(write_pdf(doc)), doc) == []
    assert missing_in_order(docx_text(write_docx(doc)), doc) == []
