"""Writing the outputs of one input as a set: a reader sees the old set or the new set.

One transaction per input, under a per-stem lock (`.STEM~lock`, fcntl) so that concurrent
runs into one folder take turns:

1. recover: a journal left by a killed run is rolled back or finished (for every stem of
   the folder by `recover_folder`, which `render` calls once per run);
2. a journal `.STEM~RUN.txn` naming every file the run will create is written and fsynced
   first (state "prepared"), so that every file recovery removes is named by a journal;
3. every format is written to a temporary `.STEM~FMT~RUN.tmp`, fsynced, and each existing
   output gets a backup (a hard link `.STEM~FMT~RUN.old`);
4. the journal is rewritten (state "renaming", the backups that exist), then the
   temporaries are renamed over the targets, one after the other;
5. commit: the journal is rewritten (state "committed"); then the backups and the journal
   are removed.

A failure before the commit rolls back at once (backups renamed back, new files removed);
a kill is rolled back (or, once committed, finished) by the next run for that stem.
Recovery acts only on what `generator.journal` proves is budgetgen's own and reports the
rest. Output stems never contain "~" (see `output_stem`).

The window: between the first and the last rename of step 4 (microseconds, unless the
process is killed there) the folder holds a mixed set until the next run for the stem rolls
it back. A server publishing the folder serves only the stems `complete_stems` names (no
run between its renames), which closes that window for its readers.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from generator.journal import (
    PENDING_NAME,
    SEP,
    Entry,
    Journal,
    Refused,
    entry_for,
    kind_of,
    looks_like_ours,
    read_journal,
    regular,
    valid_stem,
)

_UNSAFE = re.compile(r"[^\w\-.\u4e00-\u9fff]+")


class UnsafeOutput(OSError):
    """Something that is not budgetgen's stands where it must write (a symlink, a folder …)."""


def output_stem(input_path: Path) -> str:
    """The output name comes from the input file's stem, never from data inside it."""
    stem = _UNSAFE.sub("_", input_path.stem).strip("._") or "output"
    return stem[:120]


def write_set(folder: Path, stem: str, contents: dict[str, bytes]) -> list[Path]:
    """Replace the outputs `folder/stem.FMT` of one input together; the paths written.

    Raises OSError after rolling back: then the previous outputs are all still in place.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder, stem):
        recover(folder, stem)
        for fmt in contents:
            _refuse_unsafe(folder / f"{stem}.{fmt}", "not replaced")
        run = secrets.token_hex(4)
        journal = Journal(stem, run, "prepared", tuple(entry_for(stem, fmt, run) for fmt in contents))
        try:
            _write_journal(folder, journal)
            entries = tuple(_write_temporary(folder, entry, contents[fmt])
                            for entry, fmt in zip(journal.entries, contents, strict=True))
            journal = journal.moved("renaming", entries)
            _write_journal(folder, journal)
            for entry in entries:
                os.replace(folder / entry.temp, folder / entry.target)
            _sync_folder(folder)
            _write_journal(folder, journal.moved("committed"))
        except BaseException:
            _roll_back(folder, journal)
            raise
        _finish(folder, journal)
    return [folder / entry.target for entry in journal.entries]


def write_atomic(path: Path, content: bytes) -> None:
    """One file on its own (e.g. `init`): a temporary beside it, renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _refuse_unsafe(path, "not replaced")
    temp = path.with_name(f".{path.name}{SEP}{secrets.token_hex(4)}.tmp")
    with _locked(path.parent, path.name):
        _write_replacing(temp, path, content)


def recover_folder(folder: Path) -> list[str]:
    """Recover every stem a killed run left a journal of, unless a live run holds its lock.

    Returns what was found but not acted on (bilingual lines), for the caller to report.
    """
    if not folder.is_dir():
        return []
    notes: list[str] = []
    stems = set()
    for path in folder.glob(f".*{SEP}*"):
        if not looks_like_ours(path.name):
            continue
        stem = path.name[1:].partition(SEP)[0]
        if valid_stem(stem):
            stems.add(stem)
        else:
            notes.append(_note(path.name, "its name holds no output stem"))
    for stem in sorted(stems):
        try:
            with _locked(folder, stem, wait=False) as mine:
                if mine:
                    notes += recover(folder, stem)
        except UnsafeOutput as error:
            notes.append(str(error))
    return notes


def recover(folder: Path, stem: str) -> list[str]:
    """Undo (or finish) what a killed run for `stem` left, as its journal says; call with the
    stem's lock held. Returns what was found but, not being provably its own, left alone."""
    notes, named = [], set()
    for path in sorted(folder.glob(f"{_escape(f'.{stem}{SEP}')}*")):
        name = path.name
        try:
            if name.endswith(".txn"):
                journal = read_journal(folder, name)
                named |= _names(journal)
                (_finish if journal.state == "committed" else _roll_back)(folder, journal)
            elif PENDING_NAME.fullmatch(name):
                named |= _names(read_journal(folder, name, PENDING_NAME))
                path.unlink()
        except Refused as refused:
            notes.append(_note(name, str(refused)))
    for path in sorted(folder.glob(f"{_escape(f'.{stem}{SEP}')}*")):
        if looks_like_ours(path.name) and path.name not in named and not path.name.endswith(".txn"):
            notes.append(_note(path.name, "no journal of budgetgen names it"))
    return notes


def complete_stems(folder: Path) -> set[str]:
    """The stems whose outputs in `folder` form one complete set: no run is between its
    renames (a journal in state "renaming"; one that cannot be proven budgetgen's counts too)."""
    unfinished = set()
    for path in folder.glob(f".*{SEP}*.txn"):
        try:
            if read_journal(folder, path.name).state != "renaming":
                continue
        except Refused:
            pass
        unfinished.add(path.name[1:].rpartition(SEP)[0])
    return {path.stem for path in folder.iterdir()
            if not path.name.startswith(".") and regular(path) and path.stem not in unfinished}


def _names(journal: Journal) -> set[str]:
    return {name for e in journal.entries for name in (e.temp, e.backup) if name}


def _note(name: str, reason: str) -> str:
    return (f"输出目录中的 {name} 不是 budgetgen 本次可以确认的文件，未处理 / "
            f"left {name} in the output folder alone: {reason}")


def _escape(prefix: str) -> str:
    return re.sub(r"([\[\]*?])", r"[\1]", prefix)


@contextmanager
def _locked(folder: Path, stem: str, wait: bool = True) -> Iterator[bool]:
    """Hold the stem's lock (yields False if `wait` is off and another run holds it).

    The lock file exists only while held: its holder removes it, so a run that opened it
    just before checks that the name still leads to the file it locked. A symlink, folder
    or device in its place is never followed: UnsafeOutput says what stands there.
    """
    path = folder / f".{stem}{SEP}lock"
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
        except OSError as error:
            if error.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
                raise
            raise _unsafe(path) from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise _unsafe(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            yield False
            return
        try:
            if os.lstat(path).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield True
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


def _unsafe(path: Path) -> UnsafeOutput:
    what = kind_of(path)
    return UnsafeOutput(errno.EEXIST, f"{path.name} 是{_ZH.get(what, what)}，不是 budgetgen 的锁文件，请删除它 / "
                                      f"{path.name} is {what}, not budgetgen's lock file: remove it")


def _refuse_unsafe(path: Path, action: str) -> None:
    """Refuse to replace anything but a regular file (a symlink, a folder, a device …)."""
    what = kind_of(path)
    if what not in ("nothing", "a file"):
        raise UnsafeOutput(errno.EEXIST, f"{path} 是{_ZH.get(what, what)}，不是普通文件，不予覆盖 / "
                                         f"{path} is {what}, not a regular file: {action}")


_ZH = {"a symlink": "符号链接", "a folder": "文件夹", "a special file": "特殊文件", "a file": "文件"}


def _write_temporary(folder: Path, entry: Entry, content: bytes) -> Entry:
    """The content in a fsynced temporary, with a backup link of the current output."""
    _write_file(folder / entry.temp, content)
    if entry.backup is None:
        return entry
    try:
        os.link(folder / entry.target, folder / entry.backup, follow_symlinks=False)
    except FileNotFoundError:
        return Entry(entry.target, entry.temp, None)
    return entry


def _write_journal(folder: Path, journal: Journal) -> None:
    pending = folder / f".{journal.stem}{SEP}{journal.run}{SEP}txn.tmp"
    _write_replacing(pending, folder / journal.name, journal.encode())


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
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
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


def _roll_back(folder: Path, journal: Journal) -> None:
    """Put every old output back and remove every new one, then forget the journal.

    Prepared: no target was touched; only temporaries and backups go. Renaming (or a commit
    that did not reach the disk): a temporary that still exists was never renamed, so its
    target is untouched; one that is gone was renamed over its target.
    """
    for entry in reversed(journal.entries):
        temp, target = folder / entry.temp, folder / entry.target
        backup = folder / entry.backup if entry.backup else None
        if journal.state == "prepared" or regular(temp):
            _remove(temp)
            if backup:
                _remove(backup)
        elif backup is None:
            _remove(target)
        elif regular(backup):  # (gone: this entry was rolled back already)
            os.replace(backup, target)
    _sync_folder(folder)
    (folder / journal.name).unlink(missing_ok=True)
    _sync_folder(folder)


def _finish(folder: Path, journal: Journal) -> None:
    """After the commit: the backups go, then the journal (a failure is left to the next run)."""
    with suppress(OSError):
        for entry in journal.entries:
            if entry.backup:
                _remove(folder / entry.backup)
        (folder / journal.name).unlink(missing_ok=True)


def _remove(path: Path) -> None:
    """Remove a regular file of ours; a symlink, folder … in its place is left alone."""
    if regular(path):
        path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
