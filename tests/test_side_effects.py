"""Product code changes no process-wide state per call and swallows no error (issue 17):
a PDF leaves the gc thresholds and the mimetypes registry as it found them, and the font
warm-up thread's failure is raised in the caller's thread by the next compile."""

from __future__ import annotations

import gc
import mimetypes
import threading
from pathlib import Path
from typing import cast

import pytest

from generator.pipeline import document_for
from generator.writers import typst_fonts
from generator.writers.pdf_writer import write_pdf

SMALL = Path(__file__).resolve().parents[1] / "inputs" / "synthetic-unit-2023.yaml"


def test_a_pdf_leaves_the_collector_and_the_mimetypes_registry_alone():
    doc, _ = document_for(SMALL)
    mimetypes.init()
    def registry() -> tuple[object, ...]:
        """The strict map, the non-strict one (add_type(strict=False) fills only that) and a lookup."""
        return dict(mimetypes.types_map), dict(mimetypes.common_types), mimetypes.guess_type("x.yaml", False)

    before, thresholds = registry(), gc.get_threshold()
    pdf = write_pdf(doc, attachments=[("input.yaml", b"a: 1\n")], pdfa=True)
    assert b"/application#2fyaml" in pdf  # the attachment is typed all the same
    assert gc.get_threshold() == thresholds and registry() == before


def test_the_warm_up_threads_failure_is_raised_by_the_next_compile(monkeypatch):
    def broken(*_args):
        raise RuntimeError("no fonts here")

    monkeypatch.setattr(typst_fonts, "font_folders", broken)
    typst_fonts.preload()
    for thread in threading.enumerate():  # (it may have failed already)
        if thread.name == typst_fonts._WARM_UP_THREAD:
            thread.join(timeout=60)
    with pytest.raises(RuntimeError, match="no fonts here"):
        typst_fonts.compile_typst(cast(typst_fonts.PrintFonts, None), b"x", format="pdf")
    assert not typst_fonts._warm_up_errors  # raised once, not again


def test_an_earlier_documents_warm_up_failure_is_not_the_next_ones(monkeypatch):
    """In a worker, a document that failed early (bad input) may leave its warm-up running:
    the next document's warm-up waits for it, so that its failure is never raised as the
    next document's."""
    import time

    calls: list[int] = []

    def slow_then_broken() -> None:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            time.sleep(0.3)
            typst_fonts._warm_up_errors.append(RuntimeError("the first document's"))

    monkeypatch.setattr(typst_fonts, "_warm_up", slow_then_broken)
    typst_fonts.preload()
    typst_fonts.preload()
    for thread in threading.enumerate():
        if thread.name == typst_fonts._WARM_UP_THREAD:
            thread.join(timeout=60)
    assert calls == [1, 2]
    assert not typst_fonts._warm_up_errors
