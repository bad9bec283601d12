"""Writing outputs safely: a render either replaces a file whole or leaves it untouched."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_UNSAFE = re.compile(r"[^\w\-.\u4e00-\u9fff]+")


def output_stem(input_path: Path) -> str:
    """The output name comes from the input file's stem, never from data inside it."""
    stem = _UNSAFE.sub("_", input_path.stem).strip("._") or "output"
    return stem[:120]


def write_atomic(path: Path, content: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
