"""Document trees for testing and timing the writers on their own: a small one with every
node type, and a disclosure-sized one (~40 pages)."""

from decimal import Decimal

from generator.compose.layout import budget_table, scaled
from generator.compose.tree import (
    Cell,
    Chart,
    Document,
    Heading,
    PageBreak,
    PageNumber,
    Paragraph,
    Section,
    Table,
    TableOfContents,
)

PAGE = PageNumber("— ", " —")  # the page number of both shipped packs ("— {n} —")
TOC = TableOfContents("目 录")


def _budget_table() -> Table:
    header = (
        (Cell("项目", colspan=2, align="center", style="header"),
         Cell("2024年预算数", colspan=3, align="center", style="header")),
        (Cell("科目编码", align="center", style="header"),
         Cell("科目名称", align="center", style="header"),
         Cell("合计", align="center", style="header"),
         Cell("基本支出", align="center", style="header"),
         Cell("项目支出", align="center", style="header")),
    )
    rows = [(Cell(""), Cell("合计", align="center", style="total"),
             Cell("81.61", align="right", style="number"),
             Cell("42.66", align="right", style="number"),
             Cell("38.96", align="right", style="number"))]
    for i in range(60):  # long enough to cross a page
        rows.append((Cell(f"20113{i:02d}"), Cell("招商引资"),
                     Cell("1.00", align="right", style="number"),
                     Cell("1.00", align="right", style="number"),
                     Cell("", align="right", style="number")))
    return budget_table(Table(header=header, body=tuple(rows), widths=(1.2, 3, 1, 1, 1)))


def _performance_table() -> Table:
    def row(*texts: str) -> tuple[Cell, ...]:
        return tuple(Cell(t) for t in texts)

    header = ()
    body = (
        (Cell("项目名称", style="label"), Cell("J残疾人保障金", colspan=6)),
        (Cell("一级指标", rowspan=2, style="label"), *row("数量指标", "安排残疾人就业人数",
                                                          "≤0人", "数量指标", "安排人数", "≤0人")),
        row("质量指标", "保障率", "100%", "质量指标", "保障率", "100%"),
    )
    return scaled(Table(header=header, body=body, widths=(1, 1, 2, 1, 1, 2, 1), kind="performance"),
                  "landscape")


def sample_document() -> Document:
    return Document(
        title="示例单位2024年度单位预算公开",
        language="zh-CN",
        blocks=(
            Paragraph("示例单位", style="cover-title"),
            Paragraph("2024年度单位预算公开", style="cover-subtitle"),
            PageBreak(),
            TOC,
            Section("portrait", restart_numbering=True),
            Heading(1, "第一部分 概况", "part1"),
            Heading(2, "一、本单位职责", "p1-duties"),
            Paragraph("为大同市社会经济发展提供服务，贯彻市委市政府各项具体方针政策。"),
            PageBreak(),
            Heading(1, "第二部分 2024年单位预算报表", "part2"),
            Paragraph("预算公开表3", style="table-label"),
            Heading(2, "2024年预算支出总表", "t3", toc_text="表三2024年预算支出总表",
                    table_title=True),
            Paragraph("单位名称：示例单位", style="table-meta"),
            Paragraph("单位：万元", style="table-unit"),
            _budget_table(),
            Paragraph("注：本表无数据", style="note"),
            PageBreak(),
            Heading(1, "第三部分 2024年度单位预算情况说明", "part3"),
            Heading(2, "五、一般公共预算支出情况说明", "s5"),
            Heading(3, "（二）一般公共预算当年支出结构情况", "s5-2"),
            Paragraph("2024年度示例单位一般公共预算当年支出81.61万元，主要用于以下方面："
                      "一般公共服务支出68.60万元，占84.06%。"),
            Chart("pie", "一般公共预算当年拨款结构图",
                  ("一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "住房保障支出"),
                  (Decimal("68.60"), Decimal("7.69"), Decimal("1.63"), Decimal("3.69")),
                  "chart-gpb"),
            Chart("bar", "三公经费分布图",
                  ("因公出国（境）费", "公务接待费", "公务用车运行维护费", "公务用车购置费"),
                  (Decimal("0"), Decimal("4.22"), Decimal("5.70"), Decimal("0")), "chart-3p"),
            Section("landscape"),
            Paragraph("大同市市级预算部门（单位）项目支出绩效目标表", style="table-title"),
            Paragraph("(2024年度)", style="center"),
            _performance_table(),
            Section("portrait"),
            Heading(1, "第四部分 名词解释", "part4"),
            Paragraph("一、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
        ),
        page_number=PAGE,
    )


SENTENCE = "贯彻执行国家国内外贸易和国际经济合作的发展战略、方针、政策，制定地方性法规、规章草案和实施办法。"


def big_document(tables: int = 13, rows: int = 60) -> Document:
    """A disclosure-sized tree (~40 pages): `tables` budget tables of `rows` rows each,
    narrative, two charts and landscape performance tables."""
    blocks: list = [Paragraph("大同市商务局[部门]", style="cover-title"),
                    Paragraph("2024年度部门预算公开", style="cover-subtitle"), PageBreak(),
                    TOC, PageBreak(),
                    Heading(1, "第一部分 概况", "part1"), Heading(2, "一、本部门职责", "p1-1"),
                    *(Paragraph(f"（{i}）{SENTENCE * 2}") for i in range(1, 19)), PageBreak(),
                    Heading(1, "第二部分 2024年部门预算报表", "part2")]
    for t in range(1, tables + 1):
        blocks += [Paragraph(f"预算公开表{t}", style="table-label"),
                   Heading(2, f"2024年预算表{t}", f"t{t}", toc_text=f"表{t}2024年预算表{t}",
                           table_title=True),
                   Paragraph("部门名称：大同市商务局[部门]", style="table-meta"),
                   Paragraph("单位：万元", style="table-unit"),
                   _big_budget_table(rows, 3 + t % 5), PageBreak()]
    blocks += [Heading(1, "第三部分 2024年度部门预算情况说明", "part3")]
    for i in range(1, 11):
        blocks += [Heading(2, f"{i}、情况说明", f"s{i}"), Paragraph(SENTENCE * 3)]
    blocks += [Chart("pie", "一般公共预算当年拨款结构图", ("一般公共服务支出", "住房保障支出"),
                     (Decimal("2300.11"), Decimal("109.70")), "chart-gpb"),
               Section("landscape")]
    for k in range(8):
        blocks += [Paragraph("大同市市级预算部门（单位）项目支出绩效目标表", style="table-title"),
                   Paragraph("(2024年度)", style="center"), _big_performance_table(k), PageBreak()]
    blocks += [Section("portrait"), Heading(1, "第四部分 名词解释", "part4"),
               *(Paragraph(SENTENCE) for _ in range(10))]
    return Document(title="大同市商务局[部门]2024年度部门预算公开", language="zh-CN",
                    blocks=tuple(blocks), page_number=PAGE)


def _big_budget_table(rows: int, numbers: int) -> Table:
    header = ((Cell("项目", colspan=2, align="center", style="header"),
               Cell("2024年预算数", colspan=numbers, align="center", style="header")),
              (Cell("科目编码", align="center", style="header"),
               Cell("科目名称", align="center", style="header"),
               *(Cell(f"列{j}", align="center", style="header") for j in range(numbers))))
    body = tuple((Cell(f"2011{i:03d}"), Cell("行政事业单位养老支出"),
                  *(Cell(f"{i * 7 + j}.{j}5", align="right", style="number")
                    for j in range(numbers))) for i in range(rows))
    return budget_table(Table(header=header, body=body, widths=(1.2, 3, *([1] * numbers))))


def _big_performance_table(k: int) -> Table:
    body = [(Cell("项目名称", style="label"), Cell(f"J项目{k}工作经费", colspan=6)),
            (Cell("总体目标", style="label"), Cell(SENTENCE, colspan=3),
             Cell(SENTENCE, colspan=3)),
            (Cell("绩效指标", rowspan=12, style="label"),
             *(Cell(t) for t in ("产出指标", "数量指标0", "≥90%", "质量指标", "保障率", "100%")))]
    body += [tuple(Cell(t) for t in ("产出指标", f"数量指标{j}", "≥90%", "质量指标", "保障率",
                                     "100%")) for j in range(1, 12)]
    return scaled(Table(header=(), body=tuple(body), widths=(1, 1, 2, 1, 1, 2, 1),
                        kind="performance"), "landscape")
