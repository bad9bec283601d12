"""Answers kept between runs, in the cache folder: small JSON files here, and Jinja's
compiled templates (compose/phrasing.py).

The folder is $BUDGETGEN_TEMPLATE_CACHE, or else a private folder of the user's in the
temporary folder; the cache is off when that variable says "off" or the folder cannot be
made or written. Each answer is a file named by a hash of everything the answer depends on, written whole or not at
all (a reader in another process never sees half a file), and only the most recent few of a
kind are kept. When the cache is off or cannot be written, nothing is kept and the answer is
worked out again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

CACHE_ENV = "BUDGETGEN_TEMPLATE_CACHE"  # a folder, or "off"; default: the user's private temporary folder


@cache
def cache_folder() -> Path | None:
    """The cache folder, made if need be; None when the cache is off or cannot be written."""
    setting = os.environ.get(CACHE_ENV) or None
    if setting == "off":
        return None
    try:
        folder = Path(setting) if setting else _private_folder()
        if folder is None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def _private_folder() -> Path | None:
    """budgetgen-cache-<uid> in the temporary folder, readable by its owner alone: anyone may
    make folders there, so one that is not the user's own, or that others may read or
    write, is not used."""
    if not hasattr(os, "getuid"):
        return None
    folder = Path(tempfile.gettempdir()) / f"budgetgen-cache-{os.getuid()}"
    folder.mkdir(mode=stat.S_IRWXU, exist_ok=True)
    status = folder.lstat()
    safe = status.st_uid == os.getuid() and stat.S_ISDIR(status.st_mode) and stat.S_IMODE(status.st_mode) == stat.S_IRWXU
    return folder if safe else None


def kept_path(kind: str, inputs: Iterable[bytes]) -> Path | None:
    """Where the answer of `kind` for exactly `inputs` is kept; None when the cache is off."""
    folder = cache_folder()
    if folder is None:
        return None
    key = hashlib.sha256(b"\0".join(inputs)).hexdigest()
    return folder / f"__budgetgen_{kind}_{key[:32]}.json"


def read_kept(path: Path | None) -> Any:
    """The answer kept at `path`, or None if none is (or it cannot be read)."""
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def keep(path: Path | None, answer: Any, kind: str, most: int) -> None:
    """Keep `answer` at `path`, and only the `most` most recent answers of `kind`."""
    if path is None:
        return
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(json.dumps(answer, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)
        kept = sorted(path.parent.glob(f"__budgetgen_{kind}_*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-most]:
            old.unlink(missing_ok=True)
    except OSError:
        partial.unlink(missing_ok=True)


def file_stamps(paths: Iterable[str]) -> list[bytes]:
    """Each file's path, size and modification time: what says it is still the same file.
    Raises OSError for a file gone meanwhile."""
    stamps = []
    for path in paths:
        status = os.stat(path)
        stamps.append(f"{path}:{status.st_size}:{status.st_mtime_ns}".encode())
    return stamps
