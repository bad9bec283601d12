"""How a user-caused error is printed: one screen, both languages, no traceback."""

from __future__ import annotations

from pathlib import Path

from generator.errors import BudgetgenError, UsageError
from generator.model.yamlsource import InputError

MAX_PROBLEMS = 20


def yaml_files(paths: list[Path] | tuple[Path, ...]) -> list[Path]:
    """Files as given; a folder stands for its *.yaml and *.yml files, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
        elif path.exists():  # not a regular file? reading it says what it is
            files.append(path)
        else:
            raise UsageError(f"找不到文件：{path}", f"no such file or folder: {path}")
    if not files:
        raise UsageError("没有要处理的 YAML 文件", "no YAML files given")
    return files


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def describe(error: BudgetgenError) -> str:
    if not isinstance(error, InputError):
        return f"错误：{error.zh}\nerror: {error.en}"
    lines = [f"{error.file}: 发现 {len(error.problems)} 个问题 / {len(error.problems)} problem(s)"]
    for p in error.problems[:MAX_PROBLEMS]:
        lines += [f"  {p.where()}", f"    {p.zh}", f"    {p.en}"]
    if len(error.problems) > MAX_PROBLEMS:
        rest = len(error.problems) - MAX_PROBLEMS
        lines.append(f"  …另有 {rest} 个问题 / {rest} more")
    return "\n".join(lines)
