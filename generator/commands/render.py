"""`budgetgen render FILE|DIR… [-o DIR] [--format docx,pdf] [-j N]`.

Each file is rendered in memory to every requested format first; then its outputs replace
the previous ones as a set (`generator.output.write_set`), so a failure leaves the previous
good outputs untouched. Files are independent: one failure never stops the others, and a
worker process that dies fails only its file (after one retry in a fresh process). With
several files they run in parallel processes, with a progress line and a summary table.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.commands.messages import describe, pad, yaml_files
from generator.errors import BudgetgenError, UsageError
from generator.model.text import display_width
from generator.model.yamlsource import InputError, read_input
from generator.output import output_stem, recover_folder, write_set
from generator.pipeline import document_from_bytes

if TYPE_CHECKING:
    from generator.compose.tree import Document

FORMATS = ("docx", "pdf", "xlsx", "json")  # xlsx, json: the tables and figures as data
# What each format's file is called after the input's stem: the data workbook is not named
# like an input workbook (x.xlsx beside the clerk's own x.xlsx).
SUFFIXES = {"docx": "docx", "pdf": "pdf", "xlsx": "data.xlsx", "json": "json"}
ENGINES = ("typst", "weasyprint")  # PDF engines; the first is the default


@dataclass(frozen=True)
class Options:
    output: Path
    formats: tuple[str, ...] = FORMATS
    pdfa: bool = False
    engine: str = ENGINES[0]
    draft: bool = False  # render despite placeholders and errors, every page marked (the pack's draft mark)


@dataclass
class Outcome:
    file: str
    ok: bool
    seconds: float = 0.0
    pages: int | None = None
    warnings: int = 0
    message: str = ""
    first_error: str = ""
    written: list[str] = field(default_factory=list)
    retried: bool = False  # its worker died once; rendered again in a fresh process
    draft: str = ""  # the mark on every page of a draft (its format pack's), "" when final


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"不支持的格式：{value}（可选 docx、pdf、xlsx、json，用逗号分隔）",
                         f"unknown format {value!r}: use docx, pdf, xlsx, json, comma-separated")
    return formats


def input_files(paths: Iterable[Path]) -> list[Path]:
    """The inputs to render, refusing two that would write the same output."""
    files = yaml_files(paths)
    stems = [output_stem(f) for f in files]
    clashes = sorted({s for s in stems if stems.count(s) > 1})
    if clashes:
        raise UsageError(f"多个输入文件的输出名相同：{', '.join(clashes)}",
                         f"several inputs would write the same output: {', '.join(clashes)}")
    return files


@dataclass(frozen=True)
class Job:
    """One input as a worker gets it: its name and its bytes (no shared disk needed)."""

    file: str
    content: bytes
    stem: str


def render_job(job: Job, options: Options, *, beside: bool = True) -> tuple[Outcome, dict[str, bytes]]:
    """Render one input in memory to every requested format. Never raises. With `beside`,
    the DOCX is built while Typst lays out the PDF (`typst_pdf_and_docx`): quicker where
    this process has a core to spare, but its peak is both writers' at once."""
    start = time.perf_counter()
    outcome = Outcome(job.file, ok=False)
    produced: dict[str, bytes] = {}
    try:
        typst_pdf = "pdf" in options.formats and options.engine == "typst"
        if "docx" in options.formats or typst_pdf:  # fonts are scanned while the tree is composed
            from generator.writers.typst_fonts import preload

            preload()
        doc, checked = document_from_bytes(job.content, job.file, draft=options.draft)
        outcome.warnings = len(checked.report.of("warning"))
        outcome.draft = doc.draft
        attachments = [(Path(job.file).name, job.content)] if options.pdfa else []
        if typst_pdf and "docx" in options.formats and beside:
            produced["pdf"], produced["docx"] = typst_pdf_and_docx(doc, attachments=attachments, pdfa=options.pdfa)
        elif typst_pdf and "docx" in options.formats:
            from generator.writers.docx_writer import write_docx
            from generator.writers.typst_writer import pdf_and_pages

            produced["pdf"], pages = pdf_and_pages(doc, attachments=attachments, pdfa=options.pdfa)
            produced["docx"] = write_docx(doc, pages)
        elif "pdf" in options.formats:
            produced["pdf"] = pdf_writer(options.engine)(doc, attachments=attachments, pdfa=options.pdfa)
        if "docx" in options.formats and "docx" not in produced:
            from generator.writers.docx_writer import write_docx

            produced["docx"] = write_docx(doc)  # its 目录 laid out by Typst meanwhile
        if "xlsx" in options.formats:
            from generator.writers.data_xlsx import write_data_xlsx

            produced["xlsx"] = write_data_xlsx(doc)
        if "json" in options.formats:
            from generator.writers.data_json import write_data_json

            assert checked.figures is not None  # a document is composed only from derived figures
            produced["json"] = write_data_json(doc, checked.figures)
        outcome.ok = True
    except BudgetgenError as error:
        _fail(outcome, error)
    except Exception as error:  # a bug: report it without stopping the batch
        outcome.message = f"内部错误 / internal error: {error!r}\n{traceback.format_exc(limit=3)}"
        outcome.first_error = f"internal error: {error!r}"
    outcome.seconds = time.perf_counter() - start
    return outcome, (produced if outcome.ok else {})


def typst_pdf_and_docx(doc: Document, **pdf_options: Any) -> tuple[bytes, bytes]:
    """The Typst PDF and the DOCX of `doc`, built side by side: Typst lays the PDF out in a
    thread (it releases the GIL) while the DOCX is built, its 目录 filled in last with the
    pages of that same layout."""
    from generator.writers.docx_writer import write_docx
    from generator.writers.typst_writer import pdf_and_pages

    with ThreadPoolExecutor(max_workers=1) as beside:
        typeset = beside.submit(pdf_and_pages, doc, **pdf_options)
        pages = beside.submit(lambda: typeset.result()[1])
        docx = write_docx(doc, pages)
        return typeset.result()[0], docx


def worker_render_job(job: Job, options: Options) -> tuple[Outcome, dict[str, bytes]]:
    """`render_job` in one of several processes that render documents one after another (a
    pool's, a Dask cluster's, the workbench's): its writers one after the other (the other
    processes use the other cores; both writers at once took a worker's peak from 280 to
    320 MB), and Typst's memory of each document let go afterwards (`forget_typst`)."""
    try:
        return render_job(job, options, beside=False)
    finally:
        forget_typst()


def forget_typst() -> None:
    """Let Typst go of what it keeps of the documents rendered so far, in a process that goes
    on to render others, so that it stays the size of one document (a process that never
    loaded Typst, rendering only xlsx or json, has nothing to forget)."""
    typst_fonts = sys.modules.get("generator.writers.typst_fonts")
    if typst_fonts is not None:
        typst_fonts.forget_layouts()


def pdf_writer(engine: str) -> Callable[..., bytes]:
    """The `write_pdf` of a PDF engine, imported only when a PDF is asked for."""
    if engine == "typst":
        from generator.writers.typst_writer import write_pdf
    else:
        from generator.writers.pdf_writer import write_pdf
    return write_pdf


def _fail(outcome: Outcome, error: BudgetgenError) -> None:
    outcome.ok = False
    outcome.message = describe(error)
    problems = getattr(error, "problems", None)
    outcome.first_error = f"{problems[0].where()} {problems[0].zh}" if problems else error.zh


def save(outcome: Outcome, produced: dict[str, bytes], options: Options, stem: str) -> None:
    """Replace the outputs of one input as a set; report them only once all are in place."""
    try:
        named = {SUFFIXES[fmt]: content for fmt, content in produced.items()}
        outcome.written = [str(p) for p in write_set(options.output, stem, named)]
    except OSError as error:
        reason = error.strerror or str(error)
        _fail(outcome, BudgetgenError(f"无法写入输出（原有文件保持不变）：{reason}",
                                      f"cannot write the outputs (the previous ones are unchanged): {reason}"))


def jobs_for(files: list[Path]) -> tuple[list[Job], list[Outcome]]:
    """The inputs read into memory, and the outcomes of those that cannot be read."""
    jobs, unreadable = [], []
    for f in files:
        try:
            jobs.append(Job(str(f), read_input(f), output_stem(f)))
        except InputError as error:
            outcome = Outcome(str(f), ok=False)
            _fail(outcome, error)
            unreadable.append(outcome)
    return jobs, unreadable


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


def draft_note(marks: Iterable[str]) -> str:
    """What a draft is told: the marks its pages carry (each format pack's own)."""
    names = sorted(set(marks))
    return (f"草稿：每页标有“{'”“'.join(names)}”，不能发布 / "
            f"draft: every page is marked {', '.join(names)}, not for publication")


def summary_table(outcomes: list[Outcome]) -> str:
    rows = [("file", "status", "pages", "time", "warnings", "errors")]
    for o in outcomes:
        first_error = "" if o.ok else o.first_error[:80]
        rows.append((o.file, "ok" if o.ok else "FAILED", str(o.pages or "–"), f"{o.seconds:.2f}s",
                     str(o.warnings), first_error))
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    failed = sum(not o.ok for o in outcomes)
    marks = [o.draft for o in outcomes if o.ok and o.draft]
    lines.append(f"{len(outcomes)} files: {len(outcomes) - failed} ok, {failed} failed"
                 + (f"（{draft_note(marks)}）" if marks else ""))
    retried = sum(o.retried for o in outcomes)
    if retried:
        lines.append(f"{retried} 个文件的渲染进程意外退出，已在新进程中重试一次 / "
                     f"{retried} file(s) rendered again after their worker process died")
    return "\n".join(lines)


def _local_results(jobs: list[Job], options: Options, workers: int) -> Iterator[tuple[Job, tuple]]:
    """Render in this process (one worker) or in a pool of processes.

    A worker that dies breaks the whole pool: every job it took down is rendered once more,
    each in a fresh process of its own, so only the file that kills its worker fails.
    """
    if workers == 1:  # the writers of each document side by side: this process has the cores
        for index, job in enumerate(jobs):
            result = render_job(job, options)
            if index < len(jobs) - 1:
                forget_typst()
            yield job, result
        return
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    broken: list[Job] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(worker_render_job, job, options): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except BrokenProcessPool:
                broken.append(futures[future])
    with ThreadPoolExecutor(max_workers=workers) as threads:
        yield from zip(broken, threads.map(lambda job: _in_fresh_process(job, options), broken),
                       strict=True)


def _in_fresh_process(job: Job, options: Options) -> tuple[Outcome, dict[str, bytes]]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1) as pool:
            outcome, produced = pool.submit(render_job, job, options).result()
    except BrokenProcessPool:
        outcome, produced = Outcome(job.file, ok=False), {}
        outcome.message = (f"{job.file}: 渲染进程意外退出，重试一次后仍然失败 / "
                           "the worker process died, and again when retried")
        outcome.first_error = "渲染进程意外退出 / worker died (retried once)"
    outcome.retried = True
    return outcome, produced


def results(jobs: list[Job], options: Options, workers: int | None = None,
            scheduler: str | None = None) -> Iterator[tuple[Job, tuple[Outcome, dict[str, bytes]]]]:
    """Render jobs in worker processes or on a Dask cluster, yielding each as it is done."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    if scheduler:
        from generator.distributed import dask_results

        return dask_results(jobs, options, scheduler, worker_render_job)
    return _local_results(jobs, options, workers)


def run(paths: list[Path], options: Options, workers: int | None = None,
        scheduler: str | None = None) -> int:
    """Render every input; `scheduler` is a Dask scheduler address (or "local")."""
    files = input_files(paths)
    overwritten = [f for f in files for fmt in options.formats
                   if (options.output / f"{output_stem(f)}.{SUFFIXES[fmt]}").resolve() == f.resolve()]
    if overwritten:
        raise UsageError(f"输出会覆盖输入文件：{overwritten[0]}（请用 -o 另选目录）",
                         f"an output would overwrite the input {overwritten[0]}: choose another -o folder")
    if options.output.exists() and not options.output.is_dir():
        raise UsageError(f"-o 应为输出文件夹，{options.output} 却不是文件夹",
                         f"-o takes the output folder, but {options.output} is not a folder")
    for note in recover_folder(options.output):  # what a killed run left there, before anything is rendered
        print(note, file=sys.stderr)
    jobs, outcomes = jobs_for(files)
    for job, (outcome, produced) in results(jobs, options, workers, scheduler):
        if outcome.ok and len(files) > 1 and "pdf" in produced:  # for the summary only
            outcome.pages = _page_count(produced["pdf"])
        if outcome.ok:
            save(outcome, produced, options, job.stem)
        outcomes.append(outcome)
        if len(files) > 1:
            _progress(len(outcomes), len(files), outcome)
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
            if o.ok and o.draft:
                print(draft_note([o.draft]), file=sys.stderr)
            if o.ok and o.warnings:
                print(f"{o.warnings} 个警告，用 budgetgen check 查看 / {o.warnings} warning(s): "
                      "see budgetgen check", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1
