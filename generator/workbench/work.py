"""What the worker processes do: parse, check, edit, diff and render untrusted input.

Nothing here imports Django: these functions run in the worker pool (`generator.workbench.pool`),
so a hostile workbook that exhausts memory or crashes the parser kills a worker, never the server.
They call the same pipeline as the CLI (parse_source → check_source → compose → writers).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from generator.compose.key_figures import key_figures
from generator.model.yamlsource import InputError, PathKey, Source, dotted
from generator.pipeline import check_source, document_for_source, parse_source
from generator.workbench import wording

PREVIEW_PAGES = 6  # pages of the preview shown as pictures beside the findings


def _problems(error: InputError) -> list[list[str]]:
    """Each problem with the place a clerk finds it at: the workbook's sheet!cell (a missing sheet:
    its name), or a YAML file's line and path."""
    from generator.workbook.schema import sheet_title

    def place(p) -> str:
        if p.cell:
            return p.cell.rstrip("!")
        if p.line:
            return f"第{p.line}行 {dotted(p.path)}".rstrip()
        return sheet_title(p.path) or dotted(p.path)
    return [[place(p), p.zh, p.en] for p in error.problems]


def _single_value(data: object, path: PathKey) -> bool:
    """Whether `path` names one value that `edit` can replace (not a table, a group or nothing)."""
    if not path:
        return False
    for part in path:
        found = ((isinstance(data, dict) and isinstance(part, str) and part in data)
                 or (isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)))
        if not found:
            return False
        data = data[part]  # type: ignore[index]
    return not isinstance(data, (dict, list))


def _value(data: object, path: PathKey) -> str:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return ""
    return "" if data is None or isinstance(data, (dict, list)) else str(data)


def _texts(source: Source) -> list[list[str]]:
    """The 文字 paragraphs (the workbook's 文字 sheet), each with its path, editable in the page."""
    from generator.workbook.schema import SHEETS, TextSheet

    paragraphs = []
    for sheet in SHEETS:
        if not isinstance(sheet, TextSheet):
            continue
        for field in sheet.fields:
            value = _value_or_list(source.data, field.key)
            items = value if isinstance(value, list) else [value]
            for n, text in enumerate(items):
                if isinstance(text, str):
                    path: PathKey = (*field.key, n) if isinstance(value, list) else field.key
                    paragraphs.append([dotted(path), field.label, text])
    return paragraphs


def _value_or_list(data: object, key: tuple) -> object:
    for part in key:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def check(raw: bytes, filename: str) -> dict:
    """The checks of one file, as the page shows them; {"ok": False, messages} if it cannot be read."""
    from generator.workbook.schema import sheet_title

    try:
        source = parse_source(raw, filename)
        checked = check_source(source)
    except InputError as error:
        return {"ok": False, "messages": _problems(error)}
    findings = []
    for f in checked.report.findings:
        if f.severity == "note":
            continue
        sheet = f.cell.split("!", 1)[0] if f.cell else (sheet_title(f.path) or wording.WHOLE_FILE)
        place = f.cell or (f"第{f.line}行" if f.line else "")
        findings.append({"check_id": f.id, "severity": f.severity, "path": dotted(f.path), "sheet": sheet,
                         "place": place, "value": _value(source.data, f.path), "zh": f.zh, "en": f.en,
                         "editable": _single_value(source.data, f.path)})
    report = checked.report
    return {"ok": True, "findings": findings, "errors": len(report.errors),
            "warnings": len(report.of("warning")),
            "blocking": len(report.blocking),
            "figures": [list(pair) for pair in key_figures(checked.data, checked.figures)] if checked.figures else [],
            "texts": _texts(source), "year": checked.data.document.year}


_PART = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def parse_path(text: str) -> PathKey:
    """`expenditure[3].code` → ("expenditure", 3, "code")."""
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        match = _PART.match(text, position)
        if not match:
            raise ValueError(f"无效的位置 / invalid path: {text}")
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    return tuple(parts)


def edit(raw: bytes, filename: str, path: str, value: str) -> dict:
    """The file with one value replaced, written as the same kind of file (workbook or YAML)."""
    try:
        source = parse_source(raw, filename)
        key = parse_path(path)
        container: Any = source.data  # a wrong path: KeyError, IndexError or TypeError below
        for part in key[:-1]:
            container = container[part]
        if isinstance(container[key[-1]], (dict, list)):
            raise ValueError(path)  # only a single value or paragraph is edited in the page
        container[key[-1]] = value
        if filename.lower().endswith(".xlsx"):
            from generator.workbook.writer import write_workbook

            return {"ok": True, "content": write_workbook(Source(file=filename, data=source.data))}
        from generator.workbook.yamlout import to_yaml

        return {"ok": True, "content": to_yaml(source.data).encode("utf-8")}
    except InputError as error:
        return {"ok": False, "messages": _problems(error)}
    except (KeyError, IndexError, TypeError, ValueError):
        return {"ok": False, "messages": [[path, "找不到要修改的位置", "no such place in the file"]]}


def blank_workbook(kind: str, year: int) -> bytes:
    """The starter workbook of `budgetgen init --xlsx`."""
    from generator.commands.init import starter
    from generator.model.yamlsource import parse_yaml
    from generator.workbook.writer import write_workbook

    return write_workbook(parse_yaml(starter(kind, year).encode("utf-8"), "starter.yaml"))


def next_year_workbook(raw: bytes, filename: str, year: int) -> bytes:
    """Next year's workbook from last year's approved input (`budgetgen init --from … --xlsx`)."""
    from generator.commands.init import carried_over_source
    from generator.workbook.writer import write_workbook

    data, year = carried_over_source(parse_source(raw, filename), year)
    return write_workbook(Source(file="starter.yaml", data=data))


def diff(old: tuple[bytes, str], new: tuple[bytes, str]) -> dict:
    """`budgetgen diff` of two versions, as data: what `render --draft` composes of each, so a
    version the gate holds back (a 【待填写】, a default nobody chose) is compared too; only one with
    errors cannot be."""
    from generator.docdiff import diff_documents

    try:
        old_doc, _ = document_for_source(parse_source(*old), draft=True)
        new_doc, _ = document_for_source(parse_source(*new), draft=True)
    except InputError:
        return {"ok": False}
    return {"ok": True, **diff_documents(old_doc, new_doc).as_dict()}


def render(raw: bytes, filename: str, engine: str, draft: bool = False) -> dict:
    """Every output of `budgetgen render --format docx,pdf,xlsx,json` (`--draft`: every page marked
    with the format pack's draft mark), and preview pictures."""
    from generator.commands.render import FORMATS, Job, Options, worker_render_job

    outcome, produced = worker_render_job(Job(filename, raw, Path(filename).stem),
                                          Options(output=Path("."), formats=FORMATS, engine=engine, draft=draft))
    if not outcome.ok:
        return {"ok": False, "message": outcome.message}
    return {"ok": True, "files": produced, "pages": preview_pages(produced["pdf"])}


def preview_pages(pdf: bytes) -> list[bytes]:
    """The first pages as PNG (poppler's pdftoppm), or none where it is not installed or
    the temporary folder cannot take them (the files themselves are made and kept)."""
    try:
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "doc.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", str(PREVIEW_PAGES),
                            str(source), str(Path(folder) / "page")], check=True, capture_output=True,
                           timeout=120)
            return [p.read_bytes() for p in sorted(Path(folder).glob("page-*.png"))]
    except (OSError, subprocess.SubprocessError):
        return []
