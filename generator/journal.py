"""The journal of one output transaction, and the proof that a file found in a folder is its own.

A shared output folder may hold anything: files planted by others, a journal naming
`/etc/passwd`, a folder or a symlink where a journal should be. Recovery therefore acts only
on what it can prove budgetgen wrote:

* a journal is a regular file (never a symlink: `O_NOFOLLOW`) of at most `MAX_JOURNAL`
  bytes, JSON with budgetgen's mark and version, its stem and run id matching its own name;
* every name in it is exactly the name budgetgen gives that stem, format and run
  (`entry_for`): a single path component, no separator, inside the folder;
* every file it acts on is a regular file, checked with lstat (a symlink is never followed,
  and a symlink or folder in its place is left alone and reported).

Anything else is reported, never followed, never deleted, and never a crash.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import asdict, dataclass, replace
from pathlib import Path

MARK = "budgetgen output journal"
VERSION = 2
MAX_JOURNAL = 64 * 1024
SEP = "~"
STATES = ("prepared", "renaming", "committed")  # temporaries being written; targets being replaced; done
_FORMAT = re.compile(r"[a-z0-9]{1,8}")
_STEM = re.compile(r"[\w\-.\u4e00-\u9fff]{1,120}")


@dataclass(frozen=True)
class Entry:
    target: str
    temp: str
    backup: str | None  # None: there was no old file


@dataclass(frozen=True)
class Journal:
    stem: str
    run: str
    state: str
    entries: tuple[Entry, ...]

    @property
    def name(self) -> str:
        return journal_name(self.stem, self.run)

    def moved(self, state: str, entries: tuple[Entry, ...] | None = None) -> Journal:
        return replace(self, state=state, entries=self.entries if entries is None else entries)

    def encode(self) -> bytes:
        return json.dumps({"mark": MARK, "version": VERSION, "stem": self.stem, "run": self.run,
                           "state": self.state, "entries": [asdict(e) for e in self.entries]},
                          ensure_ascii=False).encode("utf-8")


def journal_name(stem: str, run: str) -> str:
    return f".{stem}{SEP}{run}.txn"


def entry_for(stem: str, fmt: str, run: str) -> Entry:
    """The names budgetgen gives the output `fmt` of `stem` in the run `run`."""
    return Entry(f"{stem}.{fmt}", f".{stem}{SEP}{fmt}{SEP}{run}.tmp", f".{stem}{SEP}{fmt}{SEP}{run}.old")


def valid_stem(stem: str) -> bool:
    return bool(_STEM.fullmatch(stem)) and stem.strip(".") != "" and SEP not in stem


class Refused(ValueError):
    """A file that is not (provably) budgetgen's own; the message says why."""


def regular(path: Path) -> bool:
    """Whether `path` is a regular file itself (a symlink is not followed)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False


def kind_of(path: Path) -> str:
    """What stands at `path`, for a message: a symlink, a folder …"""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "nothing"
    for test, name in ((stat.S_ISLNK, "a symlink"), (stat.S_ISDIR, "a folder"), (stat.S_ISREG, "a file")):
        if test(mode):
            return name
    return "a special file"


_JOURNAL_NAME = re.compile(rf"\.(.+){SEP}([0-9a-f]{{8}})\.txn")
PENDING_NAME = re.compile(rf"\.(.+){SEP}([0-9a-f]{{8}}){SEP}txn\.tmp")  # a journal being written


def read_journal(folder: Path, name: str, pattern: re.Pattern[str] = _JOURNAL_NAME) -> Journal:
    """The journal `folder/name`, proven budgetgen's own; raises Refused otherwise."""
    found = pattern.fullmatch(name)
    if not found or not valid_stem(found.group(1)):
        raise Refused("its name is not a journal's")
    path = folder / name
    if not regular(path):
        raise Refused(f"it is {kind_of(path)}, not a file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        try:
            raw = os.read(fd, MAX_JOURNAL + 1)
        finally:
            os.close(fd)
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_JOURNAL else None
    except (OSError, ValueError) as exc:
        raise Refused(f"it cannot be read as a journal ({type(exc).__name__})") from None
    return _parse(data, stem=found.group(1), run=found.group(2))


def _parse(data: object, *, stem: str, run: str) -> Journal:
    if not isinstance(data, dict) or data.get("mark") != MARK or data.get("version") != VERSION:
        raise Refused("it does not carry budgetgen's journal mark")
    if data.get("stem") != stem or data.get("run") != run or data.get("state") not in STATES:
        raise Refused("its stem, run or state does not match its name")
    entries = data.get("entries")
    if not isinstance(entries, list) or not 0 < len(entries) <= 8:
        raise Refused("its entries are not a list of outputs")
    parsed = []
    for item in entries:
        if not isinstance(item, dict) or set(item) != {"target", "temp", "backup"}:
            raise Refused("an entry is not target, temp and backup")
        fmt = str(item["target"]).removeprefix(f"{stem}.")
        expected = entry_for(stem, fmt, run)
        if not _FORMAT.fullmatch(fmt) or item["target"] != expected.target or item["temp"] != expected.temp \
                or item["backup"] not in (expected.backup, None):
            raise Refused(f"an entry names a file that is not its own: {str(item['target'])[:80]!r}")
        parsed.append(Entry(item["target"], item["temp"], item["backup"]))
    return Journal(stem, run, data["state"], tuple(parsed))


def looks_like_ours(name: str) -> bool:
    """A hidden name in the form of budgetgen's temporaries, backups and journals."""
    return bool(re.fullmatch(rf"\..+{SEP}([a-z0-9]{{1,8}}{SEP})?[0-9a-f]{{8}}(\.tmp|\.old|\.txn|{SEP}txn\.tmp)",
                             name))
