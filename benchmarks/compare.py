"""budgetgen per PDF engine against LibreOffice converting the same DOCX, side by side.

    python benchmarks/compare.py [INPUT.yaml] [--runs 3] [--engines typst,weasyprint]

Whole commands, each a fresh process, run in turn (A B C … A B C …) so that a drift of the
machine's speed hits all of them alike:

- `budgetgen render INPUT --engine E` (DOCX + PDF) for each engine,
- `budgetgen render INPUT --format docx` and `budgetgen check INPUT`,
- `soffice --headless --convert-to pdf` of the DOCX budgetgen wrote (own profile, warmed),
- the floor under `check` and `render --format docx`: Python started, the libraries imported
  and the input's validator built, with none of the command's own work.

Prints the median wall time and peak memory (RSS) of each, and per round the ratio of each
render to LibreOffice, with their median. Then the time of each stage inside one fresh
process per engine (start-up imports, load, check, derive, compose, docx, pdf; each the first
call, as a command meets it) and that process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = ROOT / "inputs" / "datong-commerce-2024.yaml"
BUDGETGEN = [sys.executable, "-m", "generator.cli"]
# What any run of the command must do before its own work: start Python, import the stack's
# libraries (pydantic, Jinja, PyYAML; python-docx for a DOCX) and build the input's validator.
FLOOR = ("import jinja2, yaml; from generator.model.schema import BudgetInput; "
         "BudgetInput.model_rebuild(force=True); jinja2.Environment()")


def run_once(command: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system, with its children) and peak RSS (MiB) of
    one run of `command`; it must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in (0,):
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def commands(source: Path, engines: list[str], work: Path) -> dict[str, list[str]]:
    out = str(work / "out")
    named = {f"render {e} (docx+pdf)": [*BUDGETGEN, "render", str(source), "-o", out, "--engine", e]
             for e in engines}
    named["render docx only"] = [*BUDGETGEN, "render", str(source), "-o", out, "--format", "docx"]
    named["check"] = [*BUDGETGEN, "check", str(source)]
    named["floor: check's libraries"] = [sys.executable, "-c", FLOOR]
    named["floor: docx's libraries"] = [sys.executable, "-c", f"{FLOOR}; import docx"]
    docx = work / "out" / f"{source.stem}.docx"
    named["soffice docx→pdf"] = ["soffice", f"-env:UserInstallation=file://{work / 'profile'}",
                                 "--headless", "--convert-to", "pdf", "--outdir", str(work / "lo"),
                                 str(docx)]
    return named


def side_by_side(source: Path, engines: list[str], runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        named = commands(source, engines, Path(tmp))
        for command in named.values():  # warm-up: caches, LibreOffice profile, the DOCX
            run_once(command)
        walls: dict[str, list[float]] = {name: [] for name in named}
        cpus: dict[str, list[float]] = {name: [] for name in named}
        peaks: dict[str, list[float]] = {name: [] for name in named}
        for _ in range(runs):
            for name, command in named.items():
                wall, cpu, peak = run_once(command)
                walls[name].append(wall)
                cpus[name].append(cpu)
                peaks[name].append(peak)
    print(f"{source.name}: whole commands, median of {runs} alternating runs")
    print(f"  {'command':<28} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
    for name in named:
        print(f"  {name:<28} {statistics.median(walls[name]):8.2f} {statistics.median(cpus[name]):8.2f} "
              f"{max(peaks[name]):9.0f}")
    for name in named:
        if name.startswith("render"):
            for label, times in (("wall", walls), ("cpu", cpus)):
                lo = times["soffice docx→pdf"]
                ratios = [a / b for a, b in zip(times[name], lo, strict=True)]
                listed = " ".join(f"{r:.2f}" for r in ratios)
                print(f"  ratio {name} / soffice, {label}: median {statistics.median(ratios):.2f} ({listed})")


def stages(source: Path, engine: str, runs: int) -> dict[str, float]:
    """Median stage times of `runs` fresh processes (each runs `--stages` below)."""
    found = [json.loads(subprocess.run([sys.executable, __file__, str(source), "--stages", engine],
                                       cwd=ROOT, capture_output=True, text=True, check=True).stdout)
             for _ in range(runs)]
    return {key: statistics.median(f[key] for f in found) for key in found[0]}


def _stages_here(source: Path, engine: str) -> None:
    """Time each stage in this process and print them as JSON (called as a subprocess)."""
    import resource

    times: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        times[name] = now - mark
        mark = now

    sys.path.insert(0, str(ROOT))
    from generator.pipeline import check_source  # noqa: F401  (what every command imports)
    from generator.writers.typst_fonts import preload

    preload()  # as `render` does: charts and Typst find their fonts scanned meanwhile
    lap("imports")
    from generator.model.load import validate
    from generator.model.yamlsource import read_yaml

    data = validate(read_yaml(source))
    lap("load")
    from generator.checks import run_checks

    run_checks(data)
    lap("check")
    from generator.derive.figures import derive

    figures = derive(data)  # run_checks derived already: this is the derivation alone, warm
    lap("derive")
    times["check"] -= times["derive"]
    from generator.compose.document import compose

    doc = compose(data, figures)
    lap("compose")
    if engine == "typst":  # as `render` does: the DOCX is built while Typst lays out the PDF
        from generator.commands.render import typst_pdf_and_docx

        typst_pdf_and_docx(doc)
        lap("pdf+docx")
    else:
        from generator.commands.render import pdf_writer
        from generator.writers.docx_writer import write_docx

        pdf_writer(engine)(doc)
        lap("pdf")
        write_docx(doc)
        lap("docx")
    times["peak MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", default="typst,weasyprint")
    parser.add_argument("--stages", metavar="ENGINE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    source = args.input.resolve()
    if args.stages:
        _stages_here(source, args.stages)
        return
    if shutil.which("soffice") is None:
        raise SystemExit("soffice (LibreOffice) is needed for the comparison")
    engines = [e for e in args.engines.split(",") if e]
    side_by_side(source, engines, args.runs)
    order = ("imports", "load", "check", "derive", "compose", "pdf", "docx", "pdf+docx", "peak MiB")
    print(f"stages inside a fresh process (seconds, median of {args.runs}; first call each; "
          "check includes a first derivation, derive is a second one)")
    print("  " + f"{'engine':<11}" + "".join(f"{k:>9}" for k in order))
    for engine in engines:
        found = stages(source, engine, args.runs)
        print("  " + f"{engine:<11}" + "".join(f"{'-':>9}" if k not in found else f"{found[k]:9.2f}"
                                               if k != "peak MiB" else f"{found[k]:9.0f}" for k in order))


if __name__ == "__main__":
    main()
