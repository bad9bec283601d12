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
