"""The one direction of budgetgen: load → check → derive → compose → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.checks import Report, run_checks
from generator.compose.document import compose
from generator.compose.tree import Document
from generator.derive.figures import Figures
from generator.model.load import validate
from generator.model.schema import BudgetInput
from generator.model.yamlsource import InputError, Problem, Source, parse_yaml, read_yaml


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


def check_source(source: Source) -> Checked:
    """Validate and check parsed YAML. Raises InputError if it does not fit the schema."""
    data = validate(source)
    report, figures = run_checks(data, source)
    return Checked(data, source, report, figures)


def check_file(path: Path) -> Checked:
    return check_source(read_yaml(path))


def document_for(path: Path) -> tuple[Document, Checked]:
    """The composed document of a file whose checks found no error."""
    return document_for_source(read_yaml(path))


def document_from_bytes(raw: bytes, file: str) -> tuple[Document, Checked]:
    """The same, from a file's content (a worker on another machine has no access to it)."""
    return document_for_source(parse_yaml(raw, file))


def document_for_source(source: Source) -> tuple[Document, Checked]:
    checked = check_source(source)
    if checked.report.errors or checked.figures is None:
        raise DataErrors(checked)
    return compose(checked.data, checked.figures), checked
