"""The one direction of budgetgen: load → check → derive → compose → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.checks import Report, run_checks
from generator.compose.document import compose
from generator.compose.tree import Document
from generator.derive.figures import Figures
from generator.model.load import load_input
from generator.model.schema import BudgetInput
from generator.model.yamlsource import InputError, Problem, Source


@dataclass(frozen=True)
class Checked:
    data: BudgetInput
    source: Source
    report: Report
    figures: Figures | None


class DataErrors(InputError):
    """The checks found errors: nothing is rendered."""

    def __init__(self, checked: Checked) -> None:
        problems = [Problem(f.path, f"{f.id} {f.zh}", f.en, f.line, f.column)
                    for f in checked.report.errors]
        super().__init__(checked.source.file, problems)
        self.checked = checked


def check_file(path: Path) -> Checked:
    """Load and check one file. Raises InputError if it cannot be read or validated."""
    data, source = load_input(path)
    report, figures = run_checks(data, source)
    return Checked(data, source, report, figures)


def document_for(path: Path) -> tuple[Document, Checked]:
    """The composed document of a file whose checks found no error."""
    checked = check_file(path)
    if checked.report.errors or checked.figures is None:
        raise DataErrors(checked)
    return compose(checked.data, checked.figures), checked
