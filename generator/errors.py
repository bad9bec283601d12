"""Errors a user can cause. Each carries a Chinese and an English message."""

from __future__ import annotations


class BudgetgenError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback.

    `exit_code` follows the documented codes: 1 for bad data, 2 for usage.
    """

    exit_code = 1

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class UsageError(BudgetgenError):
    exit_code = 2


class RenderError(BudgetgenError):
    """The data is valid but the document cannot be produced (e.g. a missing glyph)."""
