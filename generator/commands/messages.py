"""How a user-caused error is printed: one screen, both languages, no traceback."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.errors import BudgetgenError, UsageError
from generator.model.text import display_width
from generator.model.yamlsource import InputError

MAX_PROBLEMS = 20


INPUT_SUFFIXES = (".yaml", ".yml", ".xlsx")


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for its .yaml, .yml and .xlsx inputs, sorted.

    Two inputs of one stem in a folder (x.yaml beside x.xlsx) are refused, naming both: they
    would write the same outputs, and neither can be told to be the one meant.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in INPUT_SUFFIXES and p.is_file())
            _one_per_stem(found)
            files += found
        elif path.exists():  # not a regular file? reading it says what it is
            files.append(path)
        else:
            raise UsageError(f"找不到文件：{path}", f"no such file or folder: {path}")
    if not files:
        raise UsageError("没有要处理的输入文件（.yaml、.yml 或 .xlsx）", "no input files (.yaml, .yml or .xlsx) given")
    return files


def _one_per_stem(files: list[Path]) -> None:
    stems: dict[str, Path] = {}
    for f in files:
        other = stems.setdefault(f.stem, f)
        if other != f:
            raise UsageError(f"同一文件夹中有两个同名输入：{other} 和 {f}（会写出相同的输出文件）。"
                             "请删除或改名其中一个",
                             f"two inputs of one name in a folder: {other} and {f} (they would write "
                             "the same outputs); remove or rename one")


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
