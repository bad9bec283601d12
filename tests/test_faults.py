"""Faults while writing: after any of them the folder holds the old set or the new set.

Three kinds: a system call failing (ENOSPC, EIO) at each step of the write transaction,
monkeypatched; a real render killed (SIGKILL) at each step, paused there by a fault-injection
wrapper that runs the CLI with `os.replace` patched (the product has no test hook); and
concurrent renders of one stem into one folder.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from generator import output
from generator.commands.render import Options, Outcome, save
from generator.output import recover_folder, write_set

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "inputs" / "synthetic-unit-2023.yaml"
OTHER = ROOT / "inputs" / "datong-shanghai-office-2024.yaml"
OLD = {"docx": b"old docx", "pdf": b"old pdf"}
NEW = {"docx": b"new docx", "pdf": b"new pdf"}
FAILING = ("open", "write", "fsync", "link", "replace")
PAUSED = "PAUSED AT"
# The CLI with os.replace patched: after the n-th rename into the output folder (argv[1], [2])
# it says so on stderr and sleeps, so that a test can kill it exactly there.
_PAUSING = f"""
import os, sys, time
folder, at = os.path.realpath(sys.argv.pop(1)), int(sys.argv.pop(1))
real, calls = os.replace, [0]
def replace(src, dst, *args, **kwargs):
    real(src, dst, *args, **kwargs)
    if os.path.dirname(os.path.realpath(dst)) == folder:
        calls[0] += 1
        if calls[0] == at:
            sys.stderr.write("{PAUSED} %d\\n" % at)
            sys.stderr.flush()
            time.sleep(600)
os.replace = replace
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""
# The renames into the folder of a render of two formats: the journal (prepared), the journal
# (renaming), the two outputs, the journal (committed).
STEPS = {"prepared": 1, "temporaries": 2, "renamed-1": 3, "renamed-2": 4, "committed": 5}


def _contents(folder: Path) -> dict[str, bytes]:
    """Every file of the folder; hidden leftovers (temporaries, journal, lock) show up too."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _as_files(contents: dict[str, bytes], stem: str = "x") -> dict[str, bytes]:
    return {f"{stem}.{fmt}": data for fmt, data in contents.items()}


class _Faults:
    """Counts the transaction's system calls and fails the n-th one with `code`."""

    def __init__(self, monkeypatch, fail_at: int | None = None, code: int = errno.ENOSPC) -> None:
        self.calls, self.fail_at, self.code = 0, fail_at, code
        for name in FAILING:
            monkeypatch.setattr(output.os, name, self._wrap(getattr(os, name)))

    def _wrap(self, real):
        def call(*args, **kwargs):
            self.calls += 1
            if self.calls == self.fail_at:
                raise OSError(self.code, os.strerror(self.code))
            return real(*args, **kwargs)
        return call


def _steps(tmp_path: Path, monkeypatch, old: dict[str, bytes]) -> int:
    folder = tmp_path / "count"
    folder.mkdir()
    for name, data in _as_files(old).items():
        (folder / name).write_bytes(data)
    with monkeypatch.context() as patch:
        faults = _Faults(patch)
        write_set(folder, "x", NEW)
    assert _contents(folder) == _as_files(NEW)
    return faults.calls


@pytest.mark.parametrize("old", [OLD, {}], ids=["replacing", "first-render"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
def test_a_failing_system_call_at_any_step_leaves_the_old_set(tmp_path, monkeypatch, old, code):
    steps = _steps(tmp_path, monkeypatch, old)
    assert steps >= 12  # open, write, fsync of two temporaries and the journal, renames, syncs
    for step in range(1, steps + 1):
        folder = tmp_path / f"step-{step}"
        folder.mkdir()
        for name, data in _as_files(old).items():
            (folder / name).write_bytes(data)
        with monkeypatch.context() as patch:
            _Faults(patch, step, code)
            with pytest.raises(OSError) as info:
                write_set(folder, "x", NEW)
        assert info.value.errno == code
        assert _contents(folder) == _as_files(old), f"step {step}"


def test_a_failed_write_is_not_reported_as_written(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    for name, data in _as_files(OLD).items():
        (folder / name).write_bytes(data)
    outcome = Outcome("x.yaml", ok=True)
    with monkeypatch.context() as patch:
        _Faults(patch, fail_at=7)  # the second temporary's write
        save(outcome, dict(NEW), Options(output=folder), "x")
    assert not outcome.ok and outcome.written == []
    assert "No space left" in outcome.message and "previous ones are unchanged" in outcome.message
    assert _contents(folder) == _as_files(OLD)


def test_files_no_journal_names_are_left_alone_and_reported(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    planted = {".x~docx~deadbeef.tmp": b"half", ".x~pdf~deadbeef.old": b"backup", ".y~pdf~deadbeef.tmp": b"half"}
    for name, data in planted.items():
        (folder / name).write_bytes(data)
    write_set(folder, "x", NEW)
    notes = recover_folder(folder)  # what `render` does once per run: every stem's
    assert _contents(folder) == {**planted, **_as_files(NEW)}
    assert sorted(n.split()[1] for n in notes) == sorted(planted)


def _render(source: Path, folder: Path, pause: str | None = None, formats: str = "docx,pdf"):
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    folder.mkdir(parents=True, exist_ok=True)
    start = [sys.executable, "-c", _PAUSING, str(folder), str(STEPS[pause])] if pause else \
        [sys.executable, "-m", "generator"]
    return subprocess.Popen([*start, "render", str(source), "-o", str(folder), "--format", formats],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_pause(process: subprocess.Popen, step: str) -> None:
    for line in process.stderr:
        if line.strip() == f"{PAUSED} {STEPS[step]}":
            return
    raise AssertionError(f"the render never reached {step}: exit {process.wait()}")


def _titles(folder: Path, stem: str) -> tuple[str, str]:
    """The document title carried by the DOCX and by the PDF of one stem."""
    word = docx.Document(BytesIO((folder / f"{stem}.docx").read_bytes())).core_properties.title
    pdf = PdfReader(BytesIO((folder / f"{stem}.pdf").read_bytes())).metadata.title
    return word, pdf


@pytest.mark.parametrize("step", list(STEPS))
def test_a_render_killed_at_any_step_leaves_one_set(tmp_path, step):
    folder = tmp_path / "out"
    folder.mkdir()
    source = tmp_path / "x.yaml"
    shutil.copy(SMALL, source)
    for name, data in _as_files(OLD).items():
        (folder / name).write_bytes(data)
    killed = _render(source, folder, pause=step)
    _wait_for_pause(killed, step)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    if step in {"prepared", "temporaries"}:  # nothing renamed yet: the old set is in place
        assert {n: d for n, d in _contents(folder).items() if not n.startswith(".")} == _as_files(OLD)
    # The next render into the folder (of another input) finishes or undoes the killed one.
    other = tmp_path / "y.yaml"
    shutil.copy(SMALL, other)
    assert _render(other, folder, formats="docx").wait() == 0
    files = _contents(folder)
    assert sorted(files) == ["x.docx", "x.pdf", "y.docx"], sorted(files)
    if step == "committed":
        word, pdf = _titles(folder, "x")
        assert word == pdf and word.startswith("示例市城市建设档案馆")
    else:
        assert {n: files[n] for n in ("x.docx", "x.pdf")} == _as_files(OLD)


def _blocked_on_a_lock(pid: int) -> bool:
    """Whether `pid` waits for a lock (a `->` line of /proc/locks)."""
    return any("->" in line and str(pid) in line.split()
               for line in Path("/proc/locks").read_text().splitlines())


def test_concurrent_renders_of_one_stem_take_turns(tmp_path):
    folder = tmp_path / "out"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(SMALL, tmp_path / "a" / "x.yaml")
    shutil.copy(OTHER, tmp_path / "b" / "x.yaml")
    first = _render(tmp_path / "a" / "x.yaml", folder, pause="temporaries")
    _wait_for_pause(first, "temporaries")  # holds the stem's lock, its journal written
    second = _render(tmp_path / "b" / "x.yaml", folder)
    while not _blocked_on_a_lock(second.pid):
        assert second.poll() is None, second.stderr.read()
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert second.wait() == 0
    assert sorted(_contents(folder)) == ["x.docx", "x.pdf"]
    word, pdf = _titles(folder, "x")
    assert word == pdf and word.startswith("大同市人民政府驻上海招商联络处")


def test_concurrent_renders_without_a_pause_leave_a_matching_pair(tmp_path):
    folder = tmp_path / "out"
    for name, source in (("a", SMALL), ("b", OTHER)):
        (tmp_path / name).mkdir()
        shutil.copy(source, tmp_path / name / "x.yaml")
    runs = [_render(tmp_path / name / "x.yaml", folder) for name in ("a", "b")]
    assert [r.wait() for r in runs] == [0, 0]
    assert sorted(_contents(folder)) == ["x.docx", "x.pdf"]
    word, pdf = _titles(folder, "x")
    assert word == pdf


def test_recovery_leaves_a_folder_without_leftovers_alone(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"doc")
    recover_folder(tmp_path)
    assert _contents(tmp_path) == {"x.docx": b"doc"}
