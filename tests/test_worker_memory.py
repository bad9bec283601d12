"""A worker that renders one department after another stays the size of one document.

typst-py keeps Typst's memoized layouts until they go unused for ten compilations; without
`forget_layouts` a worker grew by some 40 MB a document. Measured in a fresh process (its
resident memory after each document, freed memory returned to the system first), for four
different documents: the commerce example with its amounts scaled.
"""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import ctypes, gc, json, sys
from tests import variants
from generator.pipeline import document_from_bytes
from generator.writers.typst_fonts import forget_layouts
from generator.writers.typst_writer import write_pdf

libc = ctypes.CDLL(sys.argv[2])
base = variants.load("datong-commerce-2024.yaml")
sizes = []
for factor in (2, 3, 5, 7):
    doc, _ = document_from_bytes(variants.dump(variants.scaled(base, factor)), "x.yaml")
    write_pdf(doc)
    del doc
    if sys.argv[1] == "forget":
        forget_layouts()
    gc.collect()
    libc.malloc_trim(0)
    with open("/proc/self/status") as status:
        sizes.append(int(status.read().split("VmRSS:")[1].split()[0]) // 1024)
print(json.dumps(sizes))
"""


def _sizes(mode: str, libc: str) -> list[int]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode, libc], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def libc() -> str:
    name = ctypes.util.find_library("c")
    if not Path("/proc/self/status").exists() or not name or not hasattr(ctypes.CDLL(name), "malloc_trim"):
        pytest.skip("needs Linux's /proc and glibc's malloc_trim to read a process's own size")
    return name


def test_a_worker_forgets_each_documents_layouts(libc) -> None:
    sizes = _sizes("forget", libc)
    assert sizes[-1] - sizes[0] < 30, sizes  # MB over three more documents


def test_without_forgetting_the_worker_grows(libc) -> None:
    """The control: what forget_layouts prevents is real (and this measure can see it)."""
    sizes = _sizes("keep", libc)
    assert sizes[-1] - sizes[0] > 80, sizes


def test_a_batch_in_one_process_forgets_between_documents(monkeypatch, tmp_path) -> None:
    """`render` of several files in this process lets Typst forget after each but the last."""
    from generator.commands import render
    from generator.writers import typst_fonts

    forgotten: list[str] = []
    monkeypatch.setattr(typst_fonts, "forget_layouts", lambda: forgotten.append("forgot"))
    inputs = sorted((ROOT / "inputs").glob("datong-*.yaml"))
    assert len(inputs) == 3
    assert render.run(inputs, render.Options(output=tmp_path, formats=("json",)), workers=1) == 0
    assert len(forgotten) == 2  # after the first and the second document: the last ends the process


def test_a_worker_that_never_used_typst_does_not_load_it() -> None:
    """Rendering only the data formats (xlsx, json) leaves Typst unloaded: there is nothing
    to forget, and importing it would cost a worker some 0.2 s for nothing."""
    script = """
import sys
from pathlib import Path
from generator.commands.render import Job, Options, worker_render_job
content = Path("inputs/datong-commerce-2024.yaml").read_bytes()
outcome, produced = worker_render_job(Job("x.yaml", content, "x"),
                                      Options(output=Path("."), formats=("xlsx", "json")))
assert outcome.ok and set(produced) == {"xlsx", "json"}, outcome.message
print("typst" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=True)
    assert done.stdout.strip() == "False"


def test_a_docx_alone_scans_the_fonts_once(tmp_path) -> None:
    """Its charts and, when its 目录's pages are not kept, its 目录's layout take the names of
    the faces from one Typst scan of the font folders (a scan parses every face of every
    file), and each set of cut faces is made once."""
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        "from generator.writers import typst_fonts\n"
        "made = []\n"
        "scans = []\n"
        "cut = typst_fonts.PrintFonts.__init__\n"
        "typst_fonts.PrintFonts.__init__ = lambda self, *a: (made.append(1), cut(self, *a))[1]\n"
        "scan = typst_fonts._typst_fonts\n"
        "typst_fonts._typst_fonts = lambda *folders: (scans.append(folders), scan(*folders))[1]\n"
        f"assert main(['render', 'inputs/datong-commerce-2024.yaml', '-o', {str(tmp_path)!r}, '--format', 'docx']) == 0\n"
        "print(len(typst_fonts._named), len(made), sum('budgetgen-fonts-' not in f[0] for f in scans))\n")
    env = {**__import__("os").environ, "BUDGETGEN_TEMPLATE_CACHE": "off"}  # no kept pages: Typst lays it out
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=True)
    assert done.stdout.split()[-3:] == ["1", "2", "1"]  # one scan; the document's faces and the charts'



def test_a_pool_worker_writes_the_same_bytes_one_writer_after_the_other() -> None:
    """A worker of a pool builds the DOCX after the PDF (its peak one writer's); a render in
    its own process builds them side by side: the same PDF and DOCX either way."""
    from generator.commands.render import Job, Options, render_job, worker_render_job

    job = Job("x.yaml", (ROOT / "inputs" / "synthetic-unit-2023.yaml").read_bytes(), "x")
    options = Options(output=Path("."), formats=("docx", "pdf"))
    alone, beside = worker_render_job(job, options), render_job(job, options)
    assert alone[0].ok and beside[0].ok
    assert alone[1] == beside[1]
