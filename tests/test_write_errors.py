"""Write errors, unsafe outputs, extreme amounts and the last messages of issue 19: every case
exits with its code and a bilingual message, never a traceback, and writes nothing it should not."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path

import pytest

from generator import kept, output
from generator.cli import main
from generator.model.schema import MAX_PROJECTS
from tests.variants import dump, load, scaled

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "inputs" / "synthetic-unit-2023.yaml"
WAN = "synthetic-funds-2024.yaml"  # amounts in 万元


def run(capsys, *args: str | Path) -> tuple[int, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out + captured.err


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "in.xlsx"
    assert main(["export", str(SMALL), "-o", str(path)]) == 0
    return path


def commands(tmp_path: Path, book: Path, out: Path) -> list[list[str | Path]]:
    """Each command that writes one file, writing `out` (with the suffix its content needs)."""
    return [["export", SMALL, "-o", out.with_suffix(".xlsx")], ["import", book, "-o", out.with_suffix(".yaml")],
            ["init", "-o", out.with_suffix(".yaml")], ["init", "--xlsx", "-o", out.with_suffix(".xlsx")]]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EIO],
                         ids=["full-disk", "read-only-folder", "read-only-fs", "io-error"])
@pytest.mark.parametrize("call", ["open", "write", "replace"])
def test_a_failing_write_is_reported_not_a_traceback(tmp_path, book, capsys, monkeypatch, code, call):
    real = getattr(os, call)

    def failing(*args, **kwargs):
        if str(tmp_path / "out") in str(args[0]) or (call == "write" and isinstance(args[0], int)):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    (tmp_path / "out").mkdir()
    for command in commands(tmp_path, book, tmp_path / "out" / "x"):
        with monkeypatch.context() as patch:
            patch.setattr(output.os, call, failing)
            status, text = run(capsys, *command)
        assert status == 1, command
        assert "无法写入" in text and "cannot write" in text and os.strerror(code) in text
    assert list((tmp_path / "out").iterdir()) == []


def test_an_output_below_a_regular_file_is_refused(tmp_path, book, capsys):
    (tmp_path / "plain").write_bytes(b"a file")
    for command in commands(tmp_path, book, tmp_path / "plain" / "deeper" / "x"):
        status, text = run(capsys, *command)
        assert status == 2 and "不是文件夹" in text and "plain" in text
    assert (tmp_path / "plain").read_bytes() == b"a file"


@pytest.mark.parametrize("kind", ["folder", "symlink", "fifo"])
def test_force_never_replaces_a_folder_symlink_or_device(tmp_path, book, capsys, kind):
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    for command in commands(tmp_path, book, tmp_path / "x"):
        target = Path(command[-1])
        if kind == "folder":
            target.mkdir()
        elif kind == "symlink":
            target.symlink_to(victim)
        else:
            os.mkfifo(target)
        status, text = run(capsys, *command, "--force")
        assert status == 2 and "not a regular file" in text, command
        assert (target.is_dir() or target.is_symlink() or target.is_fifo()) and victim.read_bytes() == b"precious"
        shutil.rmtree(target) if kind == "folder" else target.unlink()


@pytest.mark.parametrize("args", [
    ["export", "{yaml}", "-o", "{yaml}", "--force"],
    ["import", "{book}", "-o", "{book}", "--force"],
    ["init", "--xlsx", "-o", "{tmp}/starter.yaml"],
    ["init", "-o", "{tmp}/starter.xlsx"],
    ["init", "--from", "{yaml}", "-o", "{yaml}", "--force"],
], ids=["export-own-input", "import-own-input", "init-xlsx-as-yaml", "init-yaml-as-xlsx", "init-from-own"])
def test_an_output_of_the_wrong_kind_or_the_own_input_is_refused(tmp_path, book, capsys, args):
    own = tmp_path / "own.yaml"
    shutil.copy(SMALL, own)
    before = own.read_bytes(), book.read_bytes()
    filled = [a.format(yaml=own, book=book, tmp=tmp_path) for a in args]
    status, text = run(capsys, *filled)
    assert status == 2 and ("own input" in text or "must end in" in text), text
    assert (own.read_bytes(), book.read_bytes()) == before
    assert not (tmp_path / "starter.yaml").exists() and not (tmp_path / "starter.xlsx").exists()


@pytest.mark.parametrize("kind", ["device", "symlink-to-device"])
def test_force_never_writes_into_a_device_with_the_right_suffix(tmp_path, capsys, kind):
    """/dev/null itself is refused by its name (no .xlsx) before the device check: a null device named
    x.xlsx reaches the check (making one needs CAP_MKNOD), and so does a symlink x.xlsx to /dev/null."""
    target = tmp_path / "x.xlsx"
    if kind == "symlink-to-device":
        target.symlink_to("/dev/null")
    else:
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is on Linux
        except PermissionError:
            pytest.skip("making a device needs CAP_MKNOD")
    status, text = run(capsys, "export", SMALL, "-o", target, "--force")
    assert status == 2, text
    if kind == "device":
        assert "是设备或特殊文件，不是普通文件" in text and "is a special file, not a regular file" in text
        assert stat.S_ISCHR(os.lstat(target).st_mode)
    else:
        assert "是符号链接，不是普通文件" in text and "is a symlink, not a regular file" in text
        assert os.readlink(target) == "/dev/null"
    assert "not even with --force" in text and [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]


@pytest.mark.parametrize("year", ["99999", "1999", "2101"])
def test_init_refuses_a_year_check_would_reject(tmp_path, capsys, year):
    status, text = run(capsys, "init", "--year", year, "-o", tmp_path / "x.yaml")
    assert status == 2 and "2000–2100" in text and not (tmp_path / "x.yaml").exists()


def test_an_ascii_terminal_gets_escapes_not_a_traceback(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for args, code in ((["check", str(SMALL)], 0), (["check", str(tmp_path / "missing.yaml")], 2)):
        done = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, cwd=ROOT,
                              env=env, timeout=120)
        assert b"Traceback" not in done.stderr and done.returncode in (0, 2)
        assert done.returncode == code, done.stderr  # (either code would do for either command above)
        assert b"\\u" in done.stdout + done.stderr
    done = subprocess.run([sys.executable, "-m", "generator", "init", "--year", "2025"], capture_output=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0 and "部门".encode() in done.stdout  # the file's bytes stay UTF-8


def test_the_project_limit_is_named_not_an_alias_bomb(tmp_path, capsys):
    data = load(WAN)
    project = data["projects"][0]
    data["projects"] = [{**project, "name": f"项目{i}"} for i in range(MAX_PROJECTS * 10)]
    path = tmp_path / "many.yaml"
    path.write_bytes(dump(data))
    status, text = run(capsys, "check", path)
    assert status == 1 and "项目最多 10000 个" in text and "别名" not in text and "alias" not in text


# --- extreme but valid amounts -------------------------------------------------------------------

def test_an_amount_of_a_trillion_yuan_in_a_wan_file_is_a_located_error(tmp_path, capsys):
    text = (ROOT / "inputs" / WAN).read_text("utf-8").replace("    amount: 60.00\n", "    amount: 100000000\n", 1)
    path = tmp_path / "big.yaml"
    path.write_text(text, "utf-8")
    for command in (["check", path], ["diff", path, ROOT / "inputs" / WAN],
                    ["render", path, "-o", tmp_path / "out", "--format", "json"]):
        status, said = run(capsys, *command)
        assert status == 1 and "projects[0].amount" in said and "1 万亿元" in said and "internal" not in said
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_amounts_just_below_the_bound_render_and_derive(tmp_path, capsys):
    """Every amount of the 万元 example ×40,000 (the prior-year total 9.2 × 10^11 元)."""
    path = tmp_path / "x.yaml"
    path.write_bytes(dump(scaled(load(WAN), 40_000)))
    assert run(capsys, "check", path)[0] == 0
    status, said = run(capsys, "diff", path, ROOT / "inputs" / WAN)
    assert status == 1 and "Traceback" not in said  # 1: the documents differ
    status, said = run(capsys, "render", path, "-o", tmp_path / "out", "--format", "docx,json,xlsx")
    assert status == 0, said


def test_a_project_over_a_trillion_in_sum_derives_its_funds_without_a_crash(tmp_path, capsys):
    data = load(WAN)
    first = data["performance_tables"][0]["project"]
    project = next(p for p in data["projects"] if p["name"] == first)
    project["amount"] = {"general": 99_999_999, "gov_fund": 99_999_999}  # 2 × 10^12 元 in all
    data["performance_tables"][0].pop("annual_funding", None)
    data["performance_tables"][0].pop("period_funding", None)
    path = tmp_path / "x.yaml"
    path.write_bytes(dump(data))
    status, said = run(capsys, "check", path)
    assert status == 1 and "internal" not in said  # the identities fail, each located


# --- the compiled-template cache ------------------------------------------------------------------

@pytest.mark.parametrize("setting", ["off", "{tmp}/plain/below"], ids=["off", "unwritable"])
def test_the_template_cache_is_off_when_asked_or_unwritable(tmp_path, monkeypatch, setting):
    (tmp_path / "plain").write_bytes(b"a file")
    monkeypatch.setenv(kept.CACHE_ENV, setting.format(tmp=tmp_path))
    kept.cache_folder.cache_clear()
    try:
        assert kept.cache_folder() is None
    finally:
        kept.cache_folder.cache_clear()


@pytest.mark.parametrize("made", ["open to all", "a link", "a file"])
def test_the_default_cache_folder_is_not_used_unless_private(tmp_path, monkeypatch, made):
    """In the shared temporary folder, anyone may have made budgetgen-cache-<uid> first."""
    monkeypatch.delenv(kept.CACHE_ENV, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = tmp_path / f"budgetgen-cache-{os.getuid()}"
    if made == "open to all":
        folder.mkdir()
        folder.chmod(0o777)
    elif made == "a link":
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        folder.symlink_to(tmp_path / "elsewhere")
    else:
        folder.write_text("")
    kept.cache_folder.cache_clear()
    try:
        assert kept.cache_folder() is None
        folder.unlink() if made != "open to all" else folder.rmdir()
        kept.cache_folder.cache_clear()
        assert kept.cache_folder() == folder and stat.S_IMODE(folder.stat().st_mode) == 0o700
    finally:
        kept.cache_folder.cache_clear()


def test_a_template_cache_folder_removed_meanwhile_is_no_error(tmp_path, monkeypatch, capsys):
    """A long-running process (the workbench) settles on its cache folder once; a cleaner of
    temporary folders may remove it later: templates are then compiled again."""
    monkeypatch.setenv(kept.CACHE_ENV, str(tmp_path / "cache"))
    kept.cache_folder.cache_clear()
    try:
        assert kept.cache_folder() == tmp_path / "cache"
        shutil.rmtree(tmp_path / "cache")
        assert run(capsys, "render", SMALL, "-o", tmp_path / "out", "--format", "json")[0] == 0
    finally:
        kept.cache_folder.cache_clear()


def test_the_template_cache_goes_where_it_is_told(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(kept.CACHE_ENV, str(tmp_path / "cache"))
    kept.cache_folder.cache_clear()
    try:
        assert run(capsys, "render", SMALL, "-o", tmp_path / "out", "--format", "json")[0] == 0
        assert any((tmp_path / "cache").glob("__budgetgen_*.cache"))
    finally:
        kept.cache_folder.cache_clear()


@pytest.mark.parametrize("which", ["old", "new"])
def test_diff_refuses_a_change_note_over_one_of_its_inputs(tmp_path, capsys, which):
    inputs = {"old": tmp_path / "old.yaml", "new": tmp_path / "new.yaml"}
    for path in inputs.values():
        shutil.copy(SMALL, path)
    status, text = run(capsys, "diff", inputs["old"], inputs["new"], "--html", inputs[which])
    assert status == 2 and "修改说明不能写到输入文件上" in text and "would overwrite an input" in text
    assert all(path.read_bytes() == SMALL.read_bytes() for path in inputs.values())


@pytest.mark.parametrize("command", ["check", "render"])
def test_a_folder_without_inputs_is_a_usage_error(tmp_path, capsys, command):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.txt").write_text("not an input", "utf-8")
    extra = ["-o", tmp_path / "out"] if command == "render" else []
    status, text = run(capsys, command, folder, *extra)
    assert status == 2 and "没有要处理的输入文件（.yaml、.yml 或 .xlsx）" in text and "no input files" in text
    assert not (tmp_path / "out").exists()


# --- no writable temporary folder ----------------------------------------------------------------

PLACES = {"none": ("No usable temporary directory", None), "missing": ("No such file or directory", "missing"),
          "below-a-file": ("Not a directory", "plain/below"), "read-only": (None, "read-only")}


@pytest.fixture(params=list(PLACES))
def no_temporary_folder(request, tmp_path, monkeypatch, make_unwritable) -> tuple[str, str]:
    """No temporary folder can be written, and nothing kept between runs spares Typst: none of
    the folders Python tries can be (its own error, as with TMPDIR=/nonexistent where /tmp
    cannot be written either), or the one it settled on is missing, below a file or read-only.
    The name of the case and the reason the system gives."""
    from generator.writers import typst_fonts

    (tmp_path / "plain").write_bytes(b"a file")
    (tmp_path / "read-only").mkdir()
    reason = PLACES[request.param][0] or make_unwritable(tmp_path / "read-only")
    if request.param == "none":
        monkeypatch.setattr(tempfile, "tempdir", None)
        monkeypatch.setattr(tempfile, "_candidate_tempdir_list",
                            lambda: [str(tmp_path / "missing"), str(tmp_path / "plain" / "below")])
    else:
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / PLACES[request.param][1]))
    monkeypatch.setattr(typst_fonts, "_recent", OrderedDict())  # no faces cut for an earlier test
    monkeypatch.setenv(kept.CACHE_ENV, "off")
    kept.cache_folder.cache_clear()
    yield request.param, reason
    kept.cache_folder.cache_clear()


@pytest.mark.parametrize("args", [
    ["render", SMALL, "-o", "{out}"], ["render", SMALL, "-o", "{out}", "--format", "docx"],
    ["render", SMALL, "-o", "{out}", "--format", "pdf", "--pdfa"], ["render", SMALL, "-o", "{out}", "--format", "xlsx"],
    ["export", SMALL, "-o", "{out}/x.xlsx"], ["init", "--xlsx", "-o", "{out}/x.xlsx"],
], ids=["render", "docx", "pdfa", "data-xlsx", "export", "init-xlsx"])
def test_no_writable_temporary_folder_is_named_not_a_traceback(tmp_path, capsys, no_temporary_folder, args):
    """Typst reads the faces it prints with (cut to the document) from a folder, and openpyxl
    writes a sheet to a file before zipping it: without a temporary folder for them, the
    command says so in both languages, naming the folder and why, and writes nothing."""
    out = tmp_path / "out"
    status, text = run(capsys, *[str(a).format(out=out) for a in args])
    case, reason = no_temporary_folder
    place = PLACES[case][1]
    assert status == 1, text
    assert "无法在临时文件夹中写入文件" in text and "cannot write a file into a temporary folder" in text
    assert "TMPDIR" in text and reason in text and (place is None or str(tmp_path / place) in text)
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("args", [
    ["check", SMALL], ["render", SMALL, "-o", "{out}", "--format", "json"],
    ["render", SMALL, "-o", "{out}", "--format", "pdf", "--engine", "weasyprint"],
], ids=["check", "json", "weasyprint"])
def test_what_needs_no_temporary_folder_works_without_one(tmp_path, capsys, no_temporary_folder, args):
    status, text = run(capsys, *[str(a).format(out=tmp_path / "out") for a in args])
    assert status == 0, text


def test_a_full_temporary_folder_is_named_not_a_traceback(tmp_path, capsys, monkeypatch):
    from generator.writers import font_subsets, typst_fonts

    def full(_faces, _codepoints, folder):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "00-face.otf"))

    monkeypatch.setattr(font_subsets, "write_cut_faces", full)
    monkeypatch.setattr(typst_fonts, "_recent", OrderedDict())
    status, text = run(capsys, "render", SMALL, "-o", tmp_path / "out", "--format", "pdf")
    assert status == 1 and "临时文件夹" in text and os.strerror(errno.ENOSPC) in text
    assert typst_fonts.FOLDER_PREFIX in text and not (tmp_path / "out").exists()
