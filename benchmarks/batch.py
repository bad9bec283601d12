"""Batch benchmark: N synthetic departments of realistic size, rendered with -j 1 and -j 2.

    python benchmarks/batch.py [--count 12] [--format docx,pdf] [--engine typst|weasyprint] [--keep DIR]

Prints throughput, time per document, the speed-up of -j 2 over -j 1, peak memory per
worker, and how long LibreOffice takes to convert the largest DOCX to PDF. The departments
vary in units (1–5), function codes, 表6 items, projects (8–40) and performance tables.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

LEAVES = ["2010101", "2010102", "2010301", "2010302", "2011301", "2011302", "2011350", "2013101",
          "2080501", "2080502", "2080505", "2080506", "2101101", "2101102", "2101103",
          "2120101", "2120102", "2130101", "2130199", "2210201", "2210202"]
ITEMS = [("30101", "工资奖金津补贴"), ("30102", "工资奖金津补贴"), ("30107", "工资奖金津补贴"),
         ("30108", "社会保障缴费"), ("30110", "社会保障缴费"), ("30113", "住房公积金"),
         ("30201", "办公经费"), ("30205", "办公经费"), ("30206", "办公经费"), ("30211", "办公经费"),
         ("30217", "公务接待费"), ("30228", "办公经费"), ("30231", "公务用车运行维护费"),
         ("30299", "其他商品和服务支出"), ("30302", "离退休费")]
INDICATORS = {"数量指标": [{"完成工作任务数": "≥10项"}], "质量指标": [{"任务完成合格率": "100%"}],
              "时效指标": [{"完成及时率": "≥95%"}], "成本指标": [{"成本控制": "≤预算"}],
              "社会效益指标": [{"服务保障水平": "提高"}], "服务对象满意度指标": [{"服务对象满意度": "≥90%"}]}


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` 元 split into `parts` positive whole amounts."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def department(index: int) -> dict:
    rng = random.Random(index)
    units = [{"name": f"示例单位{index}-{u}", "type": "行政单位" if u == 0 else "事业单位"}
             for u in range(rng.randint(1, 5))]
    basic_total = rng.randint(2_000_000, 30_000_000)
    project_total = rng.randint(1_000_000, 40_000_000)
    leaves = sorted(rng.sample(LEAVES, rng.randint(8, len(LEAVES))))
    basic = _split(rng, basic_total, len(leaves))
    project_codes = leaves[: max(1, len(leaves) // 3)]
    n_projects = rng.randint(8, 40)
    project_amounts = _split(rng, project_total, n_projects)
    by_code = {c: 0 for c in project_codes}
    projects = []
    for i, amount in enumerate(project_amounts):
        code = project_codes[i % len(project_codes)]
        by_code[code] += amount
        projects.append({"name": f"J示例项目{i + 1}", "unit": units[i % len(units)]["name"],
                         "code": code, "amount": amount,
                         "category": "特定目标类" if i % 4 == 0 else "其他运转类"})
    expenditure = [{"code": c, "basic": b, "project": by_code.get(c, 0)}
                   for c, b in zip(leaves, basic, strict=True)]
    items = rng.sample(ITEMS, rng.randint(8, len(ITEMS)))
    economic = [{"code": code, "gov": gov, "amount": a}
                for (code, gov), a in zip(items, _split(rng, basic_total, len(items)), strict=True)]
    public = sum(e["amount"] for e in economic if e["code"].startswith("302"))
    units[0]["operating_costs"] = public // 2
    published = rng.sample(projects, max(1, n_projects // 2))
    tables = [{"project": p["name"], "unit": p["unit"], "overview": "保障单位正常运转。" * 3,
               "basis": "有关文件", "necessity": "保障工作开展", "measures": "内部管理制度",
               "plan": "按年度计划实施", "period_goal": "完成年度工作任务，保障单位正常运转。",
               "period_indicators": INDICATORS} for p in published]
    econ = {e["code"]: e["amount"] for e in economic}
    return {
        "amount_unit": "元",
        "document": {"name": f"示例市第{index}局[部门]", "kind": "部门", "year": 2024, "city": "示例",
                     "supervisor_code": f"{index % 1000:03d}", "supervisor_name": f"示例市第{index}局[部门]"},
        "overview": {"duties": [f"负责第{i}项工作。" for i in range(1, 12)],
                     "organisation": "内设若干科室。"},
        "units": units,
        "expenditure": expenditure,
        "economic_items": economic,
        "three_public": {"reception": {"amount": econ.get("30217", 0), "prior": econ.get("30217", 0)},
                         "vehicle_operation": {"amount": econ.get("30231", 0),
                                               "prior": econ.get("30231", 0)}},
        "operating_costs": {"prior": public // 2, "reason": "无"},
        "prior_year": {"total": basic_total + project_total, "general_budget": basic_total + project_total},
        "reasons": {"income": "无变化"},
        "projects": projects,
        "performance_tables": tables,
        "assets": {"as_of": "2023年12月31日", "vehicles": {"quota": 2, "other": 2}, "office_area": 1000,
                   "equipment_over_500k": 0, "equipment_over_1m": 0},
        "other_notes": {"purchase_catalogue": "无。", "other": "无。"},
    }


def _descendants(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        kids = [int(k) for k in children.read_text().split()]
    except OSError:
        return []
    return kids + [d for k in kids for d in _descendants(k)]


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, anonymous RSS) of a process in KiB. RSS also counts shared file pages: the
    mapped font files and libraries, which all workers share."""
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {k: int(v.split()[0]) for k, _, v in (line.partition(":") for line in status)
              if k in ("VmRSS", "RssAnon")}
    return values.get("VmRSS", 0), values.get("RssAnon", 0)


def _run(args: list[str]) -> tuple[float, int, int]:
    """Wall time, and the peak RSS and peak anonymous RSS (KiB) of the largest process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = peak_anon = 0
    while process.poll() is None:
        for pid in (process.pid, *_descendants(process.pid)):
            rss, anon = _memory(pid)
            peak, peak_anon = max(peak, rss), max(peak_anon, anon)
        time.sleep(0.05)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode})")
    return time.perf_counter() - start, peak, peak_anon


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--format", default="docx,pdf")
    parser.add_argument("--engine", default="typst", help="PDF engine (render --engine)")
    parser.add_argument("--keep", type=Path, default=None, help="keep inputs and outputs here")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="budgetgen-bench-"))
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for i in range(1, args.count + 1):
        text = yaml.safe_dump(department(i), allow_unicode=True, sort_keys=False)
        (inputs / f"dept{i:03d}.yaml").write_text(text, "utf-8")
    cmd = [sys.executable, "-m", "generator", "render", str(inputs), "--format", args.format,
           "--engine", args.engine]
    results = {}
    for jobs in (1, 2):
        out = work / f"out-j{jobs}"
        results[jobs] = _run([*cmd, "-o", str(out), "-j", str(jobs)])
    t1, t2 = results[1][0], results[2][0]
    print(f"machine: {Path('/proc/cpuinfo').read_text().count('processor')} cores; "
          f"{args.count} departments; formats {args.format}; PDF engine {args.engine}")
    print(f"-j 1: {t1:.1f} s, {t1 / args.count:.2f} s per document, {args.count / t1 * 60:.0f} documents/min")
    print(f"-j 2: {t2:.1f} s, {t2 / args.count:.2f} s per document, {args.count / t2 * 60:.0f} documents/min")
    print(f"speed-up of -j 2 over -j 1: {t1 / t2:.2f}x")
    print(f"peak memory of one worker: {results[2][1] / 1024:.0f} MB RSS, of which private "
          f"(anonymous) {results[2][2] / 1024:.0f} MB; the rest is shared font files and libraries")
    docx = sorted((work / "out-j1").glob("*.docx"), key=lambda p: p.stat().st_size)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if docx and soffice:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, *_ = _run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx[-1])])
        print(f"LibreOffice DOCX → PDF of the largest document ({docx[-1].name}): {seconds:.1f} s")
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
