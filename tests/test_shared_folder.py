"""A shared output folder holds files budgetgen did not write: recovery trusts none of them
(issue 19). Planted journals, symlinks and look-alike temporaries are left alone and
reported; nothing outside the output folder is created, changed or removed."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.journal import MARK, VERSION
from generator.output import complete_stems, recover_folder, write_set

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "inputs" / "synthetic-unit-2023.yaml"


@pytest.fixture
def place(tmp_path: Path):
    """An input x.yaml, an output folder, and a victim file outside it."""
    source = tmp_path / "x.yaml"
    shutil.copy(SMALL, source)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    return source, out, victim


def render(source: Path, out: Path, capsys) -> tuple[int, str]:
    code = main(["render", str(source), "-o", str(out), "--format", "json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


def outside(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file() and not p.is_symlink()}


def journal(entries: list[dict], stem: str = "x", run: str = "0badc0de", state: str = "renaming") -> bytes:
    return json.dumps({"mark": MARK, "version": VERSION, "stem": stem, "run": run, "state": state,
                       "entries": entries}).encode()


@pytest.mark.parametrize("entries", [
    [{"target": "{victim}", "temp": ".x~json~0badc0de.tmp", "backup": None}],
    [{"target": "x.json", "temp": ".x~json~0badc0de.tmp", "backup": "{victim}"}],
    [{"target": "../victim.txt", "temp": ".x~json~0badc0de.tmp", "backup": None}],
    [{"target": "x.json", "temp": "../victim.txt", "backup": None}],
    [{"target": "x.json", "temp": ".x~json~0badc0de.tmp", "backup": "../victim.txt"}],
], ids=["absolute-target", "absolute-backup", "parent-target", "parent-temp", "parent-backup"])
def test_a_planted_journal_naming_other_files_is_not_acted_on(tmp_path, place, capsys, entries):
    source, out, victim = place
    before = outside(tmp_path)
    planted = json.loads(json.dumps(entries).replace("{victim}", str(victim)))
    (out / ".x~0badc0de.txn").write_bytes(journal(planted))
    code, err = render(source, out, capsys)
    assert code == 0
    assert outside(tmp_path) == before
    assert ".x~0badc0de.txn" in err and "left" in err
    assert (out / ".x~0badc0de.txn").exists()  # reported, left for a person to look at


VALID = {"target": "x.json", "temp": ".x~json~0badc0de.tmp", "backup": None}


@pytest.mark.parametrize("entries", [
    [VALID, {**VALID, "also": "{victim}"}],
    [VALID, {"target": "x.json", "temp": ".x~json~0badc0de.tmp"}],
    [VALID, "{victim}"],
], ids=["extra-key", "missing-backup", "not-a-dict"])
def test_a_journal_whose_entry_is_not_target_temp_and_backup_is_reported_not_followed(tmp_path, place, capsys,
                                                                                       entries):
    source, out, victim = place
    before = outside(tmp_path)
    planted = json.loads(json.dumps(entries).replace("{victim}", str(victim)))
    (out / ".x~0badc0de.txn").write_bytes(journal(planted))
    (out / ".x~json~0badc0de.tmp").write_bytes(b"named by the valid entry")  # a rollback would remove it
    code, err = render(source, out, capsys)
    assert code == 0 and outside(tmp_path) == before
    assert "left .x~0badc0de.txn in the output folder alone: an entry is not target, temp and backup" in err
    assert "left .x~json~0badc0de.tmp in the output folder alone: no journal of budgetgen names it" in err
    assert (out / ".x~json~0badc0de.tmp").read_bytes() == b"named by the valid entry"
    assert (out / ".x~0badc0de.txn").read_bytes() == journal(planted)


@pytest.mark.parametrize("content", [b"\x00garbage", b"[]", b'{"mark": "x"}', b"{" * 100_000,
                                     journal([{"target": "x.json", "temp": ".x~json~0badc0de.tmp",
                                               "backup": None}], stem="y")],
                         ids=["binary", "old-list", "no-mark", "huge", "other-stem"])
def test_a_corrupt_journal_never_crashes_later_renders(tmp_path, place, capsys, content):
    source, out, _ = place
    (out / ".x~0badc0de.txn").write_bytes(content)
    for _ in range(2):
        code, err = render(source, out, capsys)
        assert code == 0 and ".x~0badc0de.txn" in err
    assert (out / "x.json").is_file()


def test_a_folder_with_a_journal_name_never_crashes_later_renders(tmp_path, place, capsys):
    source, out, _ = place
    (out / ".x~0badc0de.txn").mkdir()
    (out / ".x~0badc0de.txn" / "inside").write_bytes(b"kept")
    code, err = render(source, out, capsys)
    assert code == 0 and "a folder" in err
    assert (out / ".x~0badc0de.txn" / "inside").read_bytes() == b"kept"


def test_a_symlink_journal_is_not_followed(tmp_path, place, capsys):
    source, out, victim = place
    (tmp_path / "elsewhere.txn").write_bytes(journal([{"target": "x.json", "temp": ".x~json~0badc0de.tmp",
                                                       "backup": None}]))
    (out / "x.json").write_bytes(b"old")
    (out / ".x~0badc0de.txn").symlink_to(tmp_path / "elsewhere.txn")
    code, err = render(source, out, capsys)
    assert code == 0 and "a symlink" in err
    assert (tmp_path / "elsewhere.txn").exists() and victim.read_bytes() == b"precious"


@pytest.mark.parametrize("kind", ["symlink", "folder", "fifo"])
def test_a_planted_lock_creates_nothing_outside_the_folder(tmp_path, place, capsys, kind):
    source, out, _ = place
    lock = out / ".x~lock"
    target = tmp_path / "created-by-render"
    if kind == "symlink":
        lock.symlink_to(target)
    elif kind == "folder":
        lock.mkdir()
    else:
        os.mkfifo(lock)
    code, err = render(source, out, capsys)
    assert code == 1
    assert ".x~lock" in err and "budgetgen" in err and "Traceback" not in err
    assert not target.exists()
    assert not (out / "x.json").exists()


def test_look_alike_temporaries_and_backups_are_never_deleted(tmp_path, place, capsys):
    source, out, _ = place
    planted = {".x~json~12345678.tmp": b"a", ".x~json~12345678.old": b"b", ".report.txt~12345678.tmp": b"c",
               ".x~12345678~txn.tmp": b"d"}
    for name, data in planted.items():
        (out / name).write_bytes(data)
    code, err = render(source, out, capsys)
    assert code == 0
    assert {n: (out / n).read_bytes() for n in planted} == planted
    assert ".x~json~12345678.old" in err


@pytest.mark.parametrize("kind", ["symlink", "folder"])
def test_an_output_that_is_not_a_regular_file_is_not_replaced(tmp_path, place, capsys, kind):
    source, out, victim = place
    if kind == "symlink":
        (out / "x.json").symlink_to(victim)
    else:
        (out / "x.json").mkdir()
    code, err = render(source, out, capsys)
    assert code == 1 and "x.json" in err and "not a regular file" in err
    assert victim.read_bytes() == b"precious"
    assert (out / "x.json").is_symlink() or (out / "x.json").is_dir()


def test_output_a_regular_file_or_dev_null_is_a_usage_error(tmp_path, place, capsys):
    source, _, victim = place
    for target in (victim, Path("/dev/null")):
        assert main(["render", str(source), "-o", str(target), "--format", "json"]) == 2
        err = capsys.readouterr().err
        assert "不是文件夹" in err and "not a folder" in err and "File exists" not in err
    assert victim.read_bytes() == b"precious"


def test_complete_stems_leave_out_only_a_set_between_its_renames(tmp_path):
    write_set(tmp_path, "a", {"json": b"{}"})
    for state, complete in (("prepared", {"a"}), ("renaming", set()), ("committed", {"a"})):
        entries = [{"target": "a.json", "temp": ".a~json~0badc0de.tmp", "backup": None}]
        (tmp_path / ".a~0badc0de.txn").write_bytes(journal(entries, stem="a", state=state))
        assert complete_stems(tmp_path) == complete, state


def test_complete_stems_leave_out_a_set_being_replaced(tmp_path):
    write_set(tmp_path, "a", {"json": b"{}", "docx": b"d"})
    write_set(tmp_path, "b", {"json": b"{}"})
    assert complete_stems(tmp_path) == {"a", "b"}
    (tmp_path / ".b~0badc0de.txn").write_bytes(b"a run of b is replacing its files")
    assert complete_stems(tmp_path) == {"a"}
    assert recover_folder(tmp_path)  # the planted journal is reported, not trusted
    assert complete_stems(tmp_path) == {"a"}
