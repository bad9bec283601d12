"""`budgetgen render FILE|DIR… [-o DIR] [--format docx,pdf] [-j N]`.

Each file is rendered in memory to every requested format first; only then are the
outputs renamed into place, so a failure leaves the previous good outputs untouched. Files
are independent: one failure never stops the others. With several files they run in
parallel processes, with a progress line and a summary table at the end.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from generator.commands.messages import describe
from generator.errors import BudgetgenError, UsageError
from generator.output import output_stem, write_atomic
from generator.pipeline import document_for

FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Options:
    output: Path
    formats: tuple[str, ...] = FORMATS
    pdfa: bool = False


@dataclass
class Outcome:
    file: str
    ok: bool
    seconds: float = 0.0
    pages: int | None = None
    warnings: int = 0
    message: str = ""
    written: list[str] = field(default_factory=list)


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"不支持的格式：{value}（可选 docx、pdf、docx,pdf）",
                         f"unknown format {value!r}: use docx, pdf or docx,pdf")
    return formats


def input_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for its *.yaml and *.yml files, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"找不到文件：{path}", f"no such file or folder: {path}")
    if not files:
        raise UsageError("没有要处理的 YAML 文件", "no YAML files to render")
    stems = [output_stem(f) for f in files]
    clashes = sorted({s for s in stems if stems.count(s) > 1})
    if clashes:
        raise UsageError(f"多个输入文件的输出名相同：{', '.join(clashes)}",
                         f"several inputs would write the same output: {', '.join(clashes)}")
    return files


def render_one(path: Path, options: Options) -> Outcome:
    """Render one file; never raises (the outcome says what went wrong)."""
    start = time.perf_counter()
    outcome = Outcome(str(path), ok=False)
    try:
        doc, checked = document_for(path)
        outcome.warnings = len(checked.report.of("warning"))
        produced: dict[str, bytes] = {}
        if "docx" in options.formats:
            from generator.writers.docx_writer import write_docx

            produced["docx"] = write_docx(doc)
        if "pdf" in options.formats:
            from generator.writers.pdf_writer import write_pdf

            attachments = [(path.name, path.read_bytes())] if options.pdfa else []
            produced["pdf"] = write_pdf(doc, attachments=attachments, pdfa=options.pdfa)
            outcome.pages = _page_count(produced["pdf"])
        stem = output_stem(path)
        for fmt, content in produced.items():
            target = options.output / f"{stem}.{fmt}"
            write_atomic(target, content)
            outcome.written.append(str(target))
        outcome.ok = True
    except BudgetgenError as error:
        outcome.message = describe(error)
    except Exception as error:  # a bug: report it without stopping the batch
        outcome.message = f"内部错误 / internal error: {error!r}\n{traceback.format_exc(limit=3)}"
    outcome.seconds = time.perf_counter() - start
    return outcome


def _page_count(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def _progress(done: int, total: int, outcome: Outcome) -> None:
    status = "ok" if outcome.ok else "FAILED"
    if sys.stderr.isatty():
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {status:<6}")
        if done == total:
            sys.stderr.write("\n")
    else:
        sys.stderr.write(f"[{done}/{total}] {status} {outcome.file}\n")
    sys.stderr.flush()


def summary_table(outcomes: list[Outcome]) -> str:
    rows = [("file", "status", "pages", "time", "warnings", "errors")]
    for o in outcomes:
        first_error = "" if o.ok else o.message.splitlines()[0][:60] if o.message else "?"
        rows.append((o.file, "ok" if o.ok else "FAILED", str(o.pages or "–"), f"{o.seconds:.2f}s",
                     str(o.warnings), first_error))
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    failed = sum(not o.ok for o in outcomes)
    lines.append(f"{len(outcomes)} files: {len(outcomes) - failed} ok, {failed} failed")
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def run(paths: list[Path], options: Options, jobs: int | None = None) -> int:
    files = input_files(paths)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(files)))
    outcomes: list[Outcome] = []
    if jobs == 1:
        for path in files:
            outcomes.append(render_one(path, options))
            if len(files) > 1:
                _progress(len(outcomes), len(files), outcomes[-1])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(render_one, path, options): path for path in files}
            for future in as_completed(futures):
                outcomes.append(future.result())
                _progress(len(outcomes), len(files), outcomes[-1])
        order = {str(p): i for i, p in enumerate(files)}
        outcomes.sort(key=lambda o: order[o.file])
    for o in outcomes:
        if not o.ok:
            print(o.message, file=sys.stderr)
    if len(files) > 1:
        print(summary_table(outcomes))
    else:
        for o in outcomes:
            for written in o.written:
                print(written)
    return 0 if all(o.ok for o in outcomes) else 1
