"""Time the DOCX writer on the synthetic disclosure-sized tree of tests/sample_tree.py.

    python benchmarks/docx_speed.py [out.docx]

Prints the time of `write_docx` (cold: first call, including chart rendering and
imports warm-up; warm: best of the following runs; target < 0.5 s) and the time spent
in `chart_png`, which is part of it. With an argument, also writes the DOCX there.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.compose.tree import Chart
from generator.writers import charts
from generator.writers.docx_writer import write_docx
from tests.sample_tree import big_document


def main(runs: int = 5) -> None:
    doc = big_document()
    start = time.perf_counter()
    data = write_docx(doc)
    cold = time.perf_counter() - start
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        write_docx(doc)
        warm.append(time.perf_counter() - start)
    start = time.perf_counter()
    for block in doc.blocks:
        if isinstance(block, Chart):
            charts.chart_png(block)
    chart_time = time.perf_counter() - start
    rows = sum(len(b.body) for b in doc.blocks if hasattr(b, "body"))
    print(f"write_docx: {rows} table rows, {len(data) / 1024:.0f} KiB, cold {cold:.3f} s, "
          f"warm {min(warm):.3f} s (of which chart_png {chart_time:.3f} s; target < 0.5 s)")
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_bytes(data)


if __name__ == "__main__":
    main()
