"""Shared by `export`, `import` and `init`: where a converted file goes, never over a file by accident.

The output is refused before anything is written when it could not be a file of its kind: a
name with the other suffix, the command's own input, a folder, a symlink or a device (even
with --force), a path below a regular file. A write that fails anyway (read-only folder,
full disk) is reported in both languages, never as a traceback.
"""

from __future__ import annotations

from pathlib import Path

from generator.errors import BudgetgenError, UsageError
from generator.journal import kind_of
from generator.output import write_atomic

SUFFIXES = {".xlsx": (".xlsx",), ".yaml": (".yaml", ".yml"), ".html": (".html", ".htm")}


def target(source: Path, output: Path | None, suffix: str) -> Path:
    """`-o` if given, else the input's name with the other suffix, beside it."""
    return output if output is not None else source.with_suffix(suffix)


def check_suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() not in SUFFIXES[suffix]:
        raise UsageError(f"输出文件名应以 {suffix} 结尾：{path}（文件内容是 {suffix} 格式）",
                         f"the output must end in {suffix}: {path} (its content is {suffix})")


def write_new(path: Path, content: bytes, *, force: bool, suffix: str, source: Path | None = None) -> None:
    """Write `content` to `path` (a file of the kind `suffix` names), refusing what is not safe."""
    check_suffix(path, suffix)
    if source is not None and path.exists() and path.resolve() == source.resolve():
        raise UsageError(f"输出文件就是输入文件：{path}（请用 -o 另选文件名）",
                         f"the output is the command's own input: {path} (choose another -o)")
    _refuse_place(path, force)
    try:
        write_atomic(path, content)
    except OSError as error:
        reason = error.strerror or str(error)
        raise BudgetgenError(f"无法写入 {path}：{reason}（未写入任何文件）",
                             f"cannot write {path}: {reason} (nothing was written)") from None
    print(path)


def _refuse_place(path: Path, force: bool) -> None:
    what = kind_of(path)
    if what == "a file" and not force:
        raise UsageError(f"文件已存在：{path}（用 --force 覆盖）", f"{path} exists (use --force to overwrite)")
    zh = {"a folder": "文件夹", "a symlink": "符号链接", "a special file": "设备或特殊文件"}.get(what)
    if zh:
        raise UsageError(f"{path} 是{zh}，不是普通文件，不予覆盖（--force 也不覆盖）",
                         f"{path} is {what}, not a regular file: not replaced (not even with --force)")
    for parent in path.parents:
        if parent.exists() or parent.is_symlink():
            if not parent.is_dir():
                raise UsageError(f"无法写入 {path}：{parent} 不是文件夹", f"cannot write {path}: {parent} is not a folder")
            return
