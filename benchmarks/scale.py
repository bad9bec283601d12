"""Scale benchmark: one department with N projects, timed stage by stage.

    python benchmarks/scale.py [--projects 2500 5000 10000] [--format docx,pdf] [--tables 20]

For each N: the time of every stage (read, validate, check with derive, compose, DOCX,
PDF) in this process, so a stage that grows faster than N shows as a rising time per
project; then the wall time and peak RSS of `budgetgen render` on the same file in a
fresh process (what a user sees).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.batch import INDICATORS, department


def with_projects(count: int, tables: int) -> dict:
    """The synthetic department 1 of batch.py, its projects replaced by `count` of them."""
    data = department(1)
    codes = [row["code"] for row in data["expenditure"] if row["project"]]
    by_code = dict.fromkeys(codes, 0)
    unit_names = [u["name"] for u in data["units"]]
    projects = []
    for i in range(count):
        code, amount = codes[i % len(codes)], 1000 + i
        by_code[code] += amount
        projects.append({"name": f"示例项目{i + 1}", "unit": unit_names[i % len(unit_names)],
                         "code": code, "amount": amount})
    for row in data["expenditure"]:
        row["project"] = by_code.get(row["code"], 0)
    total = sum(r["basic"] + r["project"] for r in data["expenditure"])
    data["prior_year"] = {"total": total, "general_budget": total}
    data["projects"] = projects
    data["performance_tables"] = [
        {"project": p["name"], "unit": p["unit"], "overview": "保障单位正常运转。", "basis": "有关文件",
         "necessity": "保障工作开展", "measures": "内部管理制度", "plan": "按年度计划实施",
         "period_goal": "完成年度工作任务。", "period_indicators": INDICATORS}
        for p in projects[:tables]]
    return data


def _stages(path: Path, formats: tuple[str, ...]) -> dict[str, float]:
    from generator.checks import run_checks
    from generator.compose.document import compose
    from generator.model.load import validate
    from generator.model.yamlsource import read_yaml

    times: dict[str, float] = {}

    def timed(name, call, *args):
        start = time.perf_counter()
        result = call(*args)
        times[name] = time.perf_counter() - start
        return result

    source = timed("read", read_yaml, path)
    data = timed("validate", validate, source)
    report, figures = timed("check+derive", run_checks, data, source)
    assert not report.errors, [f.render() for f in report.errors[:3]]
    doc = timed("compose", compose, data, figures)
    pages = None
    if "pdf" in formats:  # the default engine's PDF and its 目录's pages, then the DOCX with them
        from generator.writers.typst_writer import pdf_and_pages

        _, pages = timed("pdf", pdf_and_pages, doc)
    if "docx" in formats:
        from generator.writers.docx_writer import write_docx

        timed("docx", write_docx, doc, pages)
    return times


def _render(path: Path, formats: str, out: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB and exit code of `budgetgen render` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "generator", "render", str(path), "-o", str(out),
                             "--format", formats], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode:
        print(result.stderr[-1500:])
    return seconds, max(peak, before) / 1024, result.returncode


def main() -> None:
    from generator.cli import tune_collector

    tune_collector()  # as the command line does
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, nargs="+", default=[2500, 5000, 10000])
    parser.add_argument("--format", default="docx,pdf")
    parser.add_argument("--tables", type=int, default=20, help="published performance tables")
    parser.add_argument("--no-render", action="store_true", help="skip the end-to-end render")
    args = parser.parse_args()
    formats = tuple(f for f in args.format.split(",") if f)  # "" times the stages before the writers
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.projects:
            path = Path(tmp) / f"scale-{count}.yaml"
            path.write_text(yaml.safe_dump(with_projects(count, args.tables), allow_unicode=True), "utf-8")
            times = _stages(path, formats)
            per = "  ".join(f"{k} {v:6.2f}s ({v / count * 1e6:5.0f}µs/proj)" for k, v in times.items())
            print(f"{count:>6} projects  {per}", flush=True)
            if not args.no_render:
                seconds, rss, code = _render(path, args.format, Path(tmp) / "out")
                print(f"{count:>6} projects  budgetgen render: {seconds:.1f}s, peak RSS {rss:.0f} MB, "
                      f"exit {code}", flush=True)


if __name__ == "__main__":
    main()
