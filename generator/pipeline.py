"""The one direction of budgetgen: load → check → derive → compose → write."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.checks import Report, run_checks
from generator.compose.tree import Document
from generator.derive.figures import Figures
from generator.model.load import validate
from generator.model.schema import BudgetInput
from generator.model.yamlsource import InputError, Problem, Source, parse_yaml, read_input
from generator.packs import form_of


@dataclass(frozen=True)
class Checked:
    data: BudgetInput
    source: Source
    report: Report
    figures: Figures | None


class DataErrors(InputError):
    """The checks found errors, or something left unfilled: nothing is rendered."""

    def __init__(self, checked: Checked) -> None:
        problems = [Problem(f.path, f"{f.id} {f.zh}", f.en, f.line, f.column, f.cell)
                    for f in checked.report.blocking]
        if not checked.report.errors and checked.figures is not None:
            mark = form_of(checked.data).draft_mark
            problems.append(Problem((), "还有未填写的内容或未选择的默认值，不能发布；"
                                        f"用 render --draft 可生成每页标有“{mark}”的文件",
                                    "something is still unfilled or a default was not chosen: nothing "
                                    f"is published; render --draft writes a draft marked {mark} on every page"))
        super().__init__(checked.source.file, problems)
        self.checked = checked


WORKBOOK_SUFFIX = ".xlsx"


YAML_SUFFIXES = (".yaml", ".yml")


def parse_source(raw: bytes, file: str) -> Source:
    """A YAML file's or an input workbook's content, told by the content (the suffix must agree)."""
    if file.lower().endswith(YAML_SUFFIXES) and not any(b < 0x20 and b not in b"\t\n\r" for b in raw[:8]):
        return parse_yaml(raw, file)  # text named as YAML: the workbook reader (openpyxl, 0.1 s) stays unread
    from generator.workbook import container

    if not container.is_container(raw):
        if file.lower().endswith(container.WORKBOOK_SUFFIXES):
            raise container.refuse_text_as_workbook(file)
        return parse_yaml(raw, file)
    if not file.lower().endswith(WORKBOOK_SUFFIX):
        container.check_container(raw, file).close()  # an .xls, .ods, .xlsm … is named by its content
        raise container.refuse(file, "内容是 .xlsx 工作簿，文件名却不是 .xlsx：请把文件名改为 .xlsx",
                               "the content is an .xlsx workbook but its name does not end in .xlsx: "
                               "rename it to .xlsx")
    from generator.workbook.reader import read_workbook

    return read_workbook(raw, file)


def read_source(path: Path) -> Source:
    """Either kind of input file, read as `read_input` reads (regular files, size first)."""
    return parse_source(read_input(path), str(path))


def check_source(source: Source) -> Checked:
    """Validate and check parsed YAML. Raises InputError if it does not fit the schema."""
    data = validate(source)
    report, figures = run_checks(data, source)
    return Checked(data, source, report, figures)


def check_file(path: Path) -> Checked:
    return check_source(read_source(path))


def document_for(path: Path) -> tuple[Document, Checked]:
    """The composed document of a file whose checks found no error."""
    return document_for_source(read_source(path))


def document_from_bytes(raw: bytes, file: str, *, draft: bool = False) -> tuple[Document, Checked]:
    """The same, from a file's content (a worker on another machine has no access to it)."""
    return document_for_source(parse_source(raw, file), draft=draft)


def document_for_source(source: Source, *, draft: bool = False) -> tuple[Document, Checked]:
    """The document of a checked input: refused while anything blocks publishing (errors,
    placeholders, defaults nobody chose) unless `draft`, which composes whatever can be
    composed and marks every page with the format pack's draft mark (`words.draft_mark`)."""
    from generator.compose.document import compose  # Jinja: not for `check`

    checked = check_source(source)
    if checked.figures is None or (checked.report.blocking and not draft):
        raise DataErrors(checked)
    doc = compose(checked.data, checked.figures)
    return (replace(doc, draft=form_of(checked.data).draft_mark) if draft else doc), checked
