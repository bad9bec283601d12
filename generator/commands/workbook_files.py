"""Shared by `export`, `import` and `init`: where a converted file goes, never over a file by accident."""

from __future__ import annotations

from pathlib import Path

from generator.errors import UsageError
from generator.output import write_atomic


def target(source: Path, output: Path | None, suffix: str) -> Path:
    """`-o` if given, else the input's name with the other suffix, beside it."""
    return output if output is not None else source.with_suffix(suffix)


def write_new(path: Path, content: bytes, *, force: bool) -> None:
    if path.exists() and not force:
        raise UsageError(f"文件已存在：{path}（用 --force 覆盖）", f"{path} exists (use --force to overwrite)")
    write_atomic(path, content)
    print(path)
