"""Writing the outputs of one input as a set: a reader sees the old set or the new set.

One transaction per input, under a per-stem lock (`.STEM~lock`, fcntl) so that concurrent
runs into one folder take turns:

1. recover: a journal left by a killed run is rolled back, its temporaries and backups removed
   (for every stem of the folder by `recover_folder`, which `render` calls once per run);
2. every format is written to a temporary `.STEM~FMT~ID.tmp` in the output folder, fsynced;
3. each existing output gets a backup (a hard link `.STEM~FMT~ID.old`), then a journal
   `.STEM~ID.txn` naming target, temporary and backup is written and fsynced;
4. the temporaries are renamed over the targets, one after the other;
5. commit: the journal is removed and the folder fsynced; then the backups are removed.

A failure before the commit rolls back at once (backups renamed back, new files removed);
a kill before the commit is rolled back by the next run for that stem. Output stems never
contain "~" (see `output_stem`), so a stem's files are known by their prefix.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path

_UNSAFE = re.compile(r"[^\w\-.\u4e00-\u9fff]+")
SEP = "~"
PAUSE_ENV = "BUDGETGEN_TEST_PAUSE"  # tests: stop at a named step so a kill can land there


def output_stem(input_path: Path) -> str:
    """The output name comes from the input file's stem, never from data inside it."""
    stem = _UNSAFE.sub("_", input_path.stem).strip("._") or "output"
    return stem[:120]


@dataclass(frozen=True)
class _Entry:
    target: str
    temp: str
    backup: str | None  # None: there was no old file


def write_set(folder: Path, stem: str, contents: dict[str, bytes]) -> list[Path]:
    """Replace the outputs `folder/stem.FMT` of one input together; the paths written.

    Raises OSError after rolling back: then the previous outputs are all still in place.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder, stem):
        recover(folder, stem)
        entries: list[_Entry] = []
        journal = folder / f".{stem}{SEP}{secrets.token_hex(4)}.txn"
        try:
            for fmt, content in contents.items():
                entries.append(_write_temporary(folder, stem, fmt, content))
            _pause("temporaries")
            _write_journal(journal, entries)
            _pause("journal")
            for number, entry in enumerate(entries, 1):
                os.replace(folder / entry.temp, folder / entry.target)
                _pause(f"renamed-{number}")
            _sync_folder(folder)
            journal.unlink()  # the commit
            _sync_folder(folder)
        except BaseException:
            _roll_back(folder, entries, journal)
            raise
        _pause("committed")
        with suppress(OSError):  # a backup left here is removed by the next run
            for entry in entries:
                if entry.backup:
                    (folder / entry.backup).unlink(missing_ok=True)
    return [folder / entry.target for entry in entries]


def write_atomic(path: Path, content: bytes) -> None:
    """One file on its own (e.g. `init`): a temporary beside it, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}{SEP}{secrets.token_hex(4)}.tmp")
    with _locked(path.parent, path.name):
        _write_replacing(temp, path, content)


def recover_folder(folder: Path) -> None:
    """Recover every stem a killed run left files of, unless a live run holds its lock."""
    if not folder.is_dir():
        return
    stems = {path.name[1:].partition(SEP)[0] for path in folder.glob(f".*{SEP}*")
             if path.suffix in {".tmp", ".old", ".txn"}}
    for stem in sorted(stems):
        with _locked(folder, stem, wait=False) as mine:
            if mine:
                recover(folder, stem)


def recover(folder: Path, stem: str) -> None:
    """Undo what a killed run for `stem` left: roll back its journal, remove its files.

    Call with the stem's lock held.
    """
    prefix = f".{stem}{SEP}"
    for journal in sorted(folder.glob(f"{_escape(prefix)}*.txn")):
        entries = [_Entry(**item) for item in json.loads(journal.read_text("utf-8"))]
        _roll_back(folder, entries, journal)
    for stale in folder.glob(f"{_escape(prefix)}*"):
        if stale.suffix in {".tmp", ".old"}:
            stale.unlink(missing_ok=True)


def _escape(prefix: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", prefix)


@contextmanager
def _locked(folder: Path, stem: str, wait: bool = True) -> Iterator[bool]:
    """Hold the stem's lock (yields False if `wait` is off and another run holds it).

    The lock file exists only while held: its holder removes it, so a run that opened it
    just before checks that the name still leads to the file it locked.
    """
    path = folder / f".{stem}{SEP}lock"
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            yield False
            return
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield True
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


def _write_temporary(folder: Path, stem: str, fmt: str, content: bytes) -> _Entry:
    """The content in a fsynced temporary, with a backup link of the current output."""
    run = secrets.token_hex(4)
    target = f"{stem}.{fmt}"
    temp = f".{stem}{SEP}{fmt}{SEP}{run}.tmp"
    _write_file(folder / temp, content)
    backup = f".{stem}{SEP}{fmt}{SEP}{run}.old"
    try:
        os.link(folder / target, folder / backup)
    except FileNotFoundError:
        backup = None
    except BaseException:
        (folder / temp).unlink(missing_ok=True)
        raise
    return _Entry(target, temp, backup)


def _write_journal(journal: Path, entries: list[_Entry]) -> None:
    pending = journal.with_name(f"{journal.stem}{SEP}txn.tmp")
    _write_replacing(pending, journal, json.dumps([asdict(e) for e in entries]).encode("utf-8"))


def _write_replacing(temp: Path, target: Path, content: bytes) -> None:
    """`content` into `temp`, fsynced, renamed over `target`; then the folder is synced."""
    _write_file(temp, content)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _write_file(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def _roll_back(folder: Path, entries: list[_Entry], journal: Path) -> None:
    """Put every old output back and remove every new one, then forget the journal.

    A temporary that still exists was never renamed, so its target is untouched.
    """
    for entry in reversed(entries):
        temp, target = folder / entry.temp, folder / entry.target
        backup = folder / entry.backup if entry.backup else None
        if temp.exists():
            temp.unlink()
            if backup:
                backup.unlink(missing_ok=True)
        elif backup is None:
            target.unlink(missing_ok=True)
        elif backup.exists():  # (gone: this entry was rolled back already)
            os.replace(backup, target)
    _sync_folder(folder)
    journal.unlink(missing_ok=True)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pause(step: str) -> None:
    if os.environ.get(PAUSE_ENV) == step:
        sys.stderr.write(f"{PAUSE_ENV} {step}\n")
        sys.stderr.flush()
        time.sleep(600)
