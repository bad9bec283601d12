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
from decimal import Decimal
from pathlib import Path

from pypdf import PdfReader

from generator.compose.tree import (
    Cell,
    Chart,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Section,
    Table,
    TableOfContents,
)
from generator.writers.pdf_writer import write_pdf

CHINESE_NUMBERS = "一二三四五六七八九十"
SENTENCE = ("贯彻执行国家国内外贸易和国际经济合作的发展战略、方针、政策，制定我市国内外贸易、"
            "外商投资、对外投资和对外经济合作的地方性法规、规章草案、政策措施和实施办法。")


def _num(i: int) -> Cell:
    return Cell(f"{(i * 37.13) % 900:.2f}", align="right", style="number")


def _budget_table(n_rows: int, n_numbers: int) -> Table:
    header = (
        (Cell("项目", colspan=2, align="center", style="header"),
         Cell("2024年预算数", colspan=n_numbers, align="center", style="header")),
        (Cell("科目编码", align="center", style="header"),
         Cell("科目名称", align="center", style="header"),
         *(Cell(f"列{i + 1}", align="center", style="header") for i in range(n_numbers))),
    )
    body = tuple(
        (Cell(f"2011{i:03d}"), Cell("行政事业单位养老支出" if i % 3 else "其他商贸事务支出"),
         *(_num(i + j) for j in range(n_numbers)))
        for i in range(n_rows))
    return Table(header=header, body=body, widths=(1.2, 3, *([1] * n_numbers)))


def _performance_table(k: int) -> Table:
    def row(*texts: str) -> tuple[Cell, ...]:
        return tuple(Cell(t) for t in texts)

    body = [
        (Cell("项目名称", style="label"), Cell(f"J项目{k}商务运行工作经费", colspan=6)),
        (Cell("主管部门及代码", style="label"), Cell("084-大同市商务局[部门]", colspan=2),
         Cell("实施单位", style="label"), Cell("大同市商务局", colspan=3)),
        (Cell("项目资金（元）", rowspan=3, style="label"), Cell("实施期资金总额", colspan=2),
         Cell("5,040,000", align="right"), Cell("年度资金总额", colspan=2),
         Cell("5,040,000", align="right")),
        (Cell("其中：市县(区)财政资金", colspan=2), Cell("5,040,000", align="right"),
         Cell("其中：市县(区)财政资金", colspan=2), Cell("5,040,000", align="right")),
        (Cell("单位自筹", colspan=2), Cell("0", align="right"), Cell("单位自筹", colspan=2),
         Cell("0", align="right")),
        (Cell("总体目标", style="label"), Cell(SENTENCE, colspan=3), Cell(SENTENCE, colspan=3)),
    ]
    for j in range(14):
        body.append(row("绩效指标", "产出指标", f"数量指标{j}", "≥90%", f"质量指标{j}",
                        "保障率", "100%"))
    return Table(header=(), body=tuple(body), widths=(1, 1, 2, 1, 1, 2, 1), kind="performance")


def _part1() -> list:
    blocks: list = [Heading(1, "第一部分 概况", "part1"), Heading(2, "一、本部门职责", "p1-1")]
    blocks += [Paragraph(f"（{CHINESE_NUMBERS[i % 10]}）{SENTENCE * 2}") for i in range(18)]
    blocks += [Heading(2, "二、机构设置情况", "p1-2")]
    blocks += [Paragraph(SENTENCE * 3) for _ in range(4)]
    return blocks


def _part2() -> list:
    blocks: list = [PageBreak(), Heading(1, "第二部分 2024年部门预算报表", "part2")]
    sizes = (36, 30, 30, 40, 30, 45, 2, 2, 2, 6, 3, 28, 2)
    for i, n_rows in enumerate(sizes, start=1):
        blocks += [
            Paragraph(f"预算公开表{i}", style="table-label"),
            Heading(2, f"2024年预算表{i}", f"t{i}", toc_text=f"表{i}2024年预算表{i}"),
            Paragraph("部门名称：大同市商务局[部门]", style="table-meta"),
            Paragraph("单位：万元", style="table-meta"),
            _budget_table(n_rows, 3 + i % 4),
        ]
        if n_rows <= 3:
            blocks.append(Paragraph("注：本表无数据", style="note"))
        blocks.append(PageBreak())
    return blocks


def _part3() -> list:
    blocks: list = [Heading(1, "第三部分 2024年度部门预算情况说明", "part3")]
    for i in range(10):
        blocks += [Heading(2, f"{CHINESE_NUMBERS[i]}、情况说明{i}", f"s{i}"),
                   Paragraph(SENTENCE * 2), Paragraph(SENTENCE)]
    blocks += [
        Chart("pie", "一般公共预算当年拨款结构图",
              ("一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"),
              (Decimal("2300.11"), Decimal("200.70"), Decimal("120.00"), Decimal("109.70")),
              "chart-gpb"),
        Chart("bar", "三公经费分布图",
              ("因公出国（境）费", "公务接待费", "公务用车运行维护费", "公务用车购置费"),
              (Decimal("0"), Decimal("1.10"), Decimal("3.00"), Decimal("0")), "chart-3p"),
        Section("landscape"),
    ]
    for k in range(11):
        blocks += [Paragraph("大同市市级预算部门（单位）项目支出绩效目标表", style="table-title"),
                   Paragraph("(2024年度)", style="center"), _performance_table(k), PageBreak()]
    blocks += [Section("portrait"), Heading(2, "十一、国有资产占有使用情况", "s11"),
               Paragraph(SENTENCE)]
    return blocks


def big_document() -> Document:
    blocks = [
        Paragraph("大同市商务局[部门]", style="cover-title"),
        Paragraph("2024年度部门预算公开", style="cover-subtitle"),
        PageBreak(), TableOfContents(), PageBreak(),
        *_part1(), *_part2(), *_part3(),
        PageBreak(), Heading(1, "第四部分 名词解释", "part4"),
        *(Paragraph(SENTENCE * 2) for _ in range(12)),
    ]
    return Document(title="大同市商务局[部门]2024年度部门预算公开", language="zh-CN",
                    blocks=tuple(blocks))


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
    from generator.compose.document import compose
    from generator.derive.figures import derive
    from generator.model.load import load_input

    data, _ = load_input(path)
    return compose(data, derive(data))


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
