"""The file store: every file kept once, named by its SHA-256, written whole or not at all."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings


def path_of(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    return Path(settings.FILE_STORE) / sha256[:2] / sha256


def put(content: bytes) -> str:
    """Store `content` (a temporary file renamed into place, after fsync); return its SHA-256."""
    sha256 = hashlib.sha256(content).hexdigest()
    if path_of(sha256).exists():
        return sha256
    return put_written(lambda out: out.write(content))


def put_written(write: Callable[[BinaryIO], object]) -> str:
    """Store what `write` writes into a file (a batch's zip, too large to hold in memory): written
    whole to a temporary, hashed, then renamed into place; return its SHA-256."""
    folder = Path(settings.FILE_STORE) / "tmp"  # beside the stored files: one file system, one rename
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w+b") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
            out.seek(0)
            digest = hashlib.sha256()
            while chunk := out.read(1 << 20):
                digest.update(chunk)
        target = path_of(digest.hexdigest())
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def get(sha256: str) -> bytes:
    return path_of(sha256).read_bytes()


def remove_temporaries(older_than: float = 3600) -> None:
    """Remove what a killed writer left (never a stored file: those are only ever renamed in whole).

    Only temporaries older than an hour: another server on the same store may be writing one now.
    """
    now = time.time()
    for temporary in Path(settings.FILE_STORE).glob("*/.tmp-*"):
        if now - temporary.stat().st_mtime > older_than:
            temporary.unlink(missing_ok=True)
