"""The file store: every file kept once, named by its SHA-256, written whole or not at all."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings


def path_of(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    return Path(settings.FILE_STORE) / sha256[:2] / sha256


def put(content: bytes) -> str:
    """Store `content` (a temporary file renamed into place, after fsync); return its SHA-256."""
    sha256 = hashlib.sha256(content).hexdigest()
    target = path_of(sha256)
    if target.exists():
        return sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sha256


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
