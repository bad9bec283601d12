"""Time the PDF writer on a synthetic document the size of the largest real one (~40 pages).

    python benchmarks/pdf_speed.py [input.yaml ...] [file.docx ...]

Prints the page count and the render time of `write_pdf` (cold: first call in the
process, including font loading; warm: best of the following runs), as wall-clock and CPU
time (CPU time is steadier on a busy machine). Each YAML argument is also run through the
pipeline (load → derive → compose) and timed the same way. Each DOCX argument is converted
with `soffice --headless --convert-to pdf`, for comparison with the DOCX route.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.compose.tree import Document
from generator.writers.pdf_writer import write_pdf
from tests.sample_tree import big_document


def _timed(doc: Document) -> tuple[bytes, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = write_pdf(doc)
    return pdf, time.perf_counter() - wall, time.process_time() - cpu


def time_pdf(label: str, doc: Document, runs: int = 3) -> None:
    pdf, cold_wall, cold_cpu = _timed(doc)
    warm = [_timed(doc)[1:] for _ in range(runs)]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{label}: {pages} pages, {len(pdf) / 1024:.0f} KiB; "
          f"cold {cold_wall:.2f} s (cpu {cold_cpu:.2f}), "
          f"warm {min(w for w, _ in warm):.2f} s (cpu {min(c for _, c in warm):.2f}); "
          "target < 3 s")


def composed(path: Path) -> Document:
    """The document tree of a real input (imported here: only needed for YAML arguments)."""
    from generator.pipeline import document_for

    return document_for(path)[0]


def time_soffice(docx: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        print("soffice not found")
        return
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", out,
                        str(docx)], check=True, capture_output=True)
        print(f"soffice --convert-to pdf {docx.name}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    time_pdf("synthetic", big_document())
    for arg in map(Path, sys.argv[1:]):
        if arg.suffix == ".docx":
            time_soffice(arg)
        else:
            time_pdf(arg.name, composed(arg))
