"""Hostile input workbooks, built by code from an exported example (no binary fixtures).

`parts(raw)` and `rebuild(raw, changes)` open and rewrite a workbook's zip; `sheet_part` finds
the part of a sheet by its title; `measured` runs the CLI in a subprocess and reports its peak
memory, so that a hang or an explosion fails the test by a timeout or a bound, not by a clock.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from generator.model.yamlsource import read_yaml
from generator.workbook.writer import write_workbook

ROOT = Path(__file__).resolve().parents[1]
SMALLEST = min((ROOT / "inputs").glob("*.yaml"), key=lambda p: p.stat().st_size)
# The peak of this process's own memory (VmHWM starts afresh at exec; ru_maxrss would count
# the memory of the parent that forked it).
_MEASURE = ("import re, sys\n"
            "from generator.cli import main\n"
            "code = main(sys.argv[1:])\n"
            "with open('/proc/self/status') as status:\n"
            "    peak = re.search(r'VmHWM:\\s+(\\d+)', status.read()).group(1)\n"
            "sys.stderr.write(f'\\nPEAK_KB {peak}\\n')\n"
            "sys.exit(code)\n")


def example_book() -> bytes:
    return write_workbook(read_yaml(SMALLEST))


def parts(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rebuild(raw: bytes, changes: dict[str, bytes | None], level: int = 6) -> bytes:
    """The workbook with parts replaced, added or (None) removed."""
    content = {**parts(raw), **changes}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in content.items():
            if data is not None:
                archive.writestr(name, data)
    return out.getvalue()


def sheet_part(raw: bytes, title: str) -> str:
    content = parts(raw)
    workbook = content["xl/workbook.xml"].decode("utf-8")
    rid = re.search(rf'name="{re.escape(title)}"[^>]*r:id="(\w+)"', workbook).group(1)
    rels = content["xl/_rels/workbook.xml.rels"].decode("utf-8")
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*/>', rels).group(0)
    path = re.search(r'Target="([^"]+)"', target).group(1).lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    peak_mb: float


def measured(*args: str | Path, cwd: Path, timeout: float = 120) -> Run:
    """`budgetgen ARGS` in a subprocess; its peak resident memory in MB."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=timeout)
    found = re.search(r"PEAK_KB (\d+)", done.stderr)
    peak = int(found.group(1)) / 1024 if found else float("nan")
    return Run(done.returncode, done.stdout, done.stderr, peak)


def extra_row(row: int, cells: str):
    return lambda xml: xml.replace("</sheetData>", f'<row r="{row}">{cells}</row></sheetData>')


def with_sheet_xml(book: bytes, title: str, edit) -> bytes:
    part = sheet_part(book, title)
    return rebuild(book, {part: edit(parts(book)[part].decode("utf-8")).encode("utf-8")})


def _huge_rows(book: bytes) -> bytes:
    """About a million project rows in a file under 20 MB."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="C{r}"><v>{r}</v></c></row>'
                   for r in range(300, 1_000_300))
    return with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"))


def _empty_cells(book: bytes) -> bytes:
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in "ABCDEFGHIJ") + "</row>"
                   for r in range(300, 300 + 110_000))
    return with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"))


def _bomb(book: bytes) -> bytes:
    """A string of 1.1 GB in a zip of about 1 MB, deflated in chunks (never held whole)."""
    out = io.BytesIO(book)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=6) as archive, \
            archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
        part.write(b"<sst><si><t>")
        chunk = b"7" * (1 << 20)
        for _ in range(1100):
            part.write(chunk)
        part.write(b"</t></si></sst>")
    return out.getvalue()


def _empty_rows(book: bytes) -> bytes:
    rows = "".join(f'<row r="{r}"/>' for r in range(300, 1_000_300))
    return with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", rows + "</sheetData>"))


def _frame(book: bytes) -> bytes:
    """A sheet whose extension list holds 1.4 million elements (openpyxl parses them one by one)."""
    many = "<x/>" * 1_400_000
    return with_sheet_xml(book, "项目", lambda xml: xml.replace("</sheetData>", f"</sheetData><extLst>{many}</extLst>"))


WORST = {  # the worst workbooks under 20 MB, each as a function of a valid workbook
    "last-row": lambda book: with_sheet_xml(book, "项目", extra_row(1_048_576, '<c r="A1048576" s="1"/>')),
    "a-million-rows": _huge_rows,
    "a-million-empty-cells": _empty_cells,
    "a-million-empty-rows": _empty_rows,
    "a-sheet-frame-of-1.4M": _frame,
    "gigabyte-string": _bomb,
}
