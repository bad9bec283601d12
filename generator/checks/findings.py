"""What a check reports: an id, a severity, a located bilingual message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.model.yamlsource import PathKey, Source, where

Severity = Literal["error", "warning", "note"]
SEVERITY_ZH = {"error": "错误", "warning": "警告", "note": "提示"}
# Warnings that block `render` as errors do: what the clerk has not filled in or chosen yet.
UNFILLED = frozenset({"W-PLACEHOLDER", "W-DEFAULT"})


def blocks(severity: str, id: str) -> bool:
    """Whether a finding keeps a file from being published: an error, or anything unfilled."""
    return severity == "error" or id in UNFILLED


@dataclass(frozen=True)
class Finding:
    id: str
    severity: Severity
    path: PathKey
    zh: str
    en: str
    line: int | None = None
    column: int | None = None
    cell: str | None = None

    def render(self) -> str:
        place = where(self.path, self.line, self.column, self.cell)
        return f"{SEVERITY_ZH[self.severity]} {self.id} {place}\n  {self.zh}\n  {self.en}"


class Report:
    """Collects findings while the checks run, locating each path in the source file."""

    def __init__(self, source: Source | None) -> None:
        self.source = source
        self.findings: list[Finding] = []

    def add(self, id: str, severity: Severity, path: PathKey, zh: str, en: str) -> None:
        location = self.source.locate(path) if self.source else None
        line, column = location or (None, None)
        cell = self.source.cell(path) if self.source else None
        if cell:  # a workbook: its labels, not YAML field names
            from generator.workbook.wording import for_workbook

            zh = for_workbook(zh)
        self.findings.append(Finding(id, severity, tuple(path), zh, en, line, column, cell))

    def at_line(self, id: str, severity: Severity, line: int, zh: str, en: str) -> None:
        """A finding about a line of the file rather than a field (e.g. a placeholder)."""
        self.findings.append(Finding(id, severity, (), zh, en, line, 1))

    def error(self, id: str, path: PathKey, zh: str, en: str) -> None:
        self.add(id, "error", path, zh, en)

    def warning(self, id: str, path: PathKey, zh: str, en: str) -> None:
        self.add(id, "warning", path, zh, en)

    def note(self, id: str, path: PathKey, zh: str, en: str) -> None:
        self.add(id, "note", path, zh, en)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def blocking(self) -> list[Finding]:
        """What `render` refuses to publish (without --draft): errors and anything unfilled."""
        return [f for f in self.findings if blocks(f.severity, f.id)]

    def of(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]
