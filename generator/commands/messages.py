"""How a user-caused error is printed: one screen, both languages, no traceback."""

from __future__ import annotations

from generator.errors import BudgetgenError
from generator.model.yamlsource import InputError

MAX_PROBLEMS = 20


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
