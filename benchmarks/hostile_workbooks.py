"""Time and peak memory of `budgetgen check` on the worst input workbooks under 20 MB.

The target (issue 19): any input workbook up to the CLI's 20 MB answers within 5 s and
500 MB, refused or read. Each case runs the CLI in a fresh process; its peak is VmHWM.

    python benchmarks/hostile_workbooks.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hostile_books import WORST, example_book, measured
from tests.variants import dump, load, many_projects


def _largest_valid() -> bytes:
    """A valid workbook of 10,000 projects (the limit), for comparison."""
    from generator.model.yamlsource import parse_yaml
    from generator.workbook.writer import write_workbook

    data = many_projects(load("datong-commerce-2024.yaml"), 10_000)
    return write_workbook(parse_yaml(dump(data), "x.yaml"))


def main() -> None:
    book = example_book()
    cases = {name: build(book) for name, build in WORST.items()}
    cases["10,000 projects (valid)"] = _largest_valid()
    print(f"{'case':<26}{'size':>10}{'exit':>6}{'time':>9}{'peak':>10}")
    with tempfile.TemporaryDirectory() as folder:
        for name, raw in cases.items():
            path = Path(folder) / "in.xlsx"
            path.write_bytes(raw)
            start = time.perf_counter()
            run = measured("check", path, cwd=Path(folder), timeout=600)
            seconds = time.perf_counter() - start
            print(f"{name:<26}{len(raw) / 2**20:>8.1f}MB{run.code:>6}{seconds:>8.2f}s{run.peak_mb:>8.0f}MB")


if __name__ == "__main__":
    main()
