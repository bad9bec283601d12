"""The two synthetic inputs, checked against figures computed by hand from their YAML.

inputs/synthetic-funds-2024.yaml: a 部门 with all five fund sources, 上年结转, 三公 changes,
two units with 机关运行经费, unknown function codes and both project classes.
inputs/synthetic-unit-2023.yaml: a 参公 单位 in the 2023 wording, every figure down on the
prior year, one 三公 line unchanged.

Every expected figure below is worked out from the YAML in the comments, never with the
generator's own code. Amounts in 万元; "→" is the display rounding (ROUND_HALF_UP, 2 places).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.compose.tree import Heading, Paragraph, Table
from generator.pipeline import document_for

ROOT = Path(__file__).resolve().parents[1]
FUNDS = ROOT / "inputs" / "synthetic-funds-2024.yaml"
UNIT = ROOT / "inputs" / "synthetic-unit-2023.yaml"
DEPT = "示例市住房和城乡建设局[部门]"
ARCHIVE = "示例市城市建设档案馆"


# --- reading the document tree -------------------------------------------------------------


@pytest.fixture(scope="module")
def funds():
    return document_for(FUNDS)[0]


@pytest.fixture(scope="module")
def unit():
    return document_for(UNIT)[0]


def budget_tables(doc) -> dict[int, Table]:
    """表N by the 预算公开表N label printed before it."""
    found, number = {}, None
    for block in doc.blocks:
        if isinstance(block, Paragraph) and block.style == "table-label":
            number = int(block.text.removeprefix("预算公开表"))
        elif isinstance(block, Table) and block.kind == "budget" and number is not None:
            found[number] = block
            number = None
    return found


def table(doc, n: int) -> Table:
    return budget_tables(doc)[n]


def texts(row) -> list[str]:
    return [c.text for c in row]


def after(t: Table, label: str, n: int, occurrence: int = 0) -> list[str]:
    """The n cell texts that follow the cell `label` (its `occurrence`-th appearance)."""
    seen = 0
    for row in t.body:
        cells = texts(row)
        for i, text in enumerate(cells):
            if text == label:
                if seen == occurrence:
                    return cells[i + 1:i + 1 + n]
                seen += 1
    raise AssertionError(f"no cell {label!r} in the table")


def has_cell(t: Table, label: str) -> bool:
    return any(c.text == label for row in t.body for c in row)


def section(doc, heading: str) -> list[str]:
    """The paragraphs of 第三部分 under the level-2 heading that starts with `heading`."""
    out, in_part3, inside = [], False, False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            in_part3, inside = block.text.startswith("第三部分"), False
        elif isinstance(block, Heading) and block.level == 2:
            inside = in_part3 and block.text.startswith(heading)
        elif inside and isinstance(block, Paragraph):
            out.append(block.text)
    return out


def part3(doc) -> list[str]:
    out, inside = [], False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level == 1:
            inside = block.text.startswith("第三部分")
        elif inside and isinstance(block, Paragraph):
            out.append(block.text)
    return out


def all_text(doc) -> str:
    """Every Paragraph, Heading and table cell, one per line."""
    parts = []
    for block in doc.blocks:
        if isinstance(block, Paragraph | Heading):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.extend(c.text for row in (*block.header, *block.body) for c in row)
    return "\n".join(parts)


def performance_tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table) and b.kind == "performance"]


# --- synthetic-funds-2024: the per-code figures used throughout ------------------------------
#
# expenditure (万元)            basic (当年)                        project (当年)        上年结转
# 2050302 中等职业教育          G 260, 专户 48, 单位 30             专户 22, 单位 15.60
# 2080505 养老保险缴费          G 98.76
# 2101101 行政单位医疗          G 40.12
# 2101102 事业单位医疗          G 12.34
# 2120101 行政运行              G 520.3650                                                 basic G 12.00
# 2120102 一般行政管理事务                                          G 180.00              project G 25.50
# 2120104 城管执法              G 310.40                            G 95.2250
# 2121399 (name in the row)                                         基金 300.00           project 基金 40.00
# 2121402 (function_names)                                          基金 40.00
# 2210201 住房公积金            G 72.30
# 2230105 (function_names)                                          国资 65.00
#
# 当年 by source:
#   一般公共预算 G = basic 260 + 98.76 + 40.12 + 12.34 + 520.365 + 310.40 + 72.30 (= 1314.285)
#                    + project 180 + 95.225 (= 275.225)                 = 1589.51
#   政府性基金   = 300 + 40                                             = 340.00
#   国有资本经营 = 65                                                   = 65.00
#   财政专户     = 48 + 22                                              = 70.00
#   单位资金     = 30 + 15.60                                           = 45.60
#   本年收入合计 C = 1589.51 + 340 + 65 + 70 + 45.60                    = 2110.11
#   上年结转     K = 12.00 + 25.50 + 40.00                              = 77.50
#   收入总计     T = 2110.11 + 77.50                                    = 2187.61
# 基本支出 B = 1314.285 + 48 + 30 + 12 (结转) = 1404.285 → 1404.29
# 项目支出 P = 275.225 + 340 + 65 + 22 + 15.60 + 25.50 + 40 (结转) = 783.325 → 783.33


def test_funds_t1_income_side_and_totals(funds):
    t1 = table(funds, 1)
    assert after(t1, "一、一般公共预算", 1) == ["1589.51"]
    assert after(t1, "二、政府性基金预算", 1) == ["340.00"]
    assert after(t1, "三、国有资本经营预算", 1) == ["65.00"]
    assert after(t1, "四、财政专户管理资金", 1) == ["70.00"]
    assert after(t1, "五、单位资金", 1) == ["45.60"]
    # 本年收入合计 2110.11; 本年支出合计: 合计 2187.61 = 当年 2110.11 + 上年结转 77.50
    assert after(t1, "本年收入合计", 5) == ["2110.11", "本年支出合计", "2187.61", "2110.11", "77.50"]
    assert after(t1, "上年结转", 1) == ["77.50"]
    assert after(t1, "收入总计", 5) == ["2187.61", "支出总计", "2187.61", "2110.11", "77.50"]


def test_funds_t1_categories(funds):
    t1 = table(funds, 1)
    # 教育: 260 + 48 + 30 + 22 + 15.60 = 375.60, no carry-over
    assert after(t1, "五、教育支出", 3) == ["375.60", "375.60", ""]
    # 城乡社区: 当年 520.365 + 180 + 310.40 + 95.225 + 300 + 40 = 1445.99;
    # 结转 12 + 25.50 + 40 = 77.50; 合计 1445.99 + 77.50 = 1523.49
    assert after(t1, "十二、城乡社区支出", 3) == ["1523.49", "1445.99", "77.50"]
    assert after(t1, "二十二、国有资本经营预算支出", 3) == ["65.00", "65.00", ""]
    assert after(t1, "一、一般公共服务支出", 3) == ["", "", ""]


def test_funds_t2_source_and_carryover_columns(funds):
    t2 = table(funds, 2)
    # 合计 row: 本年 合计 | 一般 | 基金 | 国资 | 专户 | 单位 | 上年结转
    assert texts(t2.body[0])[1:] == ["2110.11", "1589.51", "340.00", "65.00", "70.00", "45.60", "77.50"]
    # 205: 一般 260; 专户 48 + 22 = 70; 单位 30 + 15.60 = 45.60; 合计 375.60
    assert after(t2, "205", 8) == ["教育支出", "375.60", "260.00", "", "", "70.00", "45.60", ""]
    # 212: 一般 520.365 + 180 + 310.40 + 95.225 = 1105.99; 基金 340; 结转 77.50
    assert after(t2, "212", 8) == ["城乡社区支出", "1445.99", "1105.99", "340.00", "", "", "", "77.50"]
    # 21201: 结转 12 + 25.50 = 37.50
    assert after(t2, "21201", 8)[-1] == "37.50"
    # unknown codes, named in the input
    assert after(t2, "2121399", 8) == ["其他城市基础设施配套费安排的支出", "300.00", "", "300.00",
                                       "", "", "", "40.00"]
    assert after(t2, "2121402", 8) == ["污水处理设施建设和运营", "40.00", "", "40.00", "", "", "", ""]
    assert after(t2, "2230105", 8) == ["国有企业退休人员社会化管理补助支出", "65.00", "", "", "65.00",
                                       "", "", ""]


def test_funds_t3_includes_carryover(funds):
    t3 = table(funds, 3)
    # 合计 2187.61 = 基本 1404.285 → 1404.29 + 项目 783.325 → 783.33 (displayed sum 2187.62: rounding)
    assert texts(t3.body[0])[1:] == ["2187.61", "1404.29", "783.33"]
    # 2120101: 520.365 + 12 (结转) = 532.365 → 532.37
    assert after(t3, "2120101", 4) == ["行政运行", "532.37", "532.37", ""]


def test_funds_t4_fiscal_only(funds):
    t4 = table(funds, 4)
    assert after(t4, "一、一般公共预算", 1) == ["1589.51"]
    assert after(t4, "二、政府性基金预算", 1) == ["340.00"]
    assert after(t4, "三、国有资本经营预算", 1) == ["65.00"]
    # 本年收入合计 = 1589.51 + 340 + 65 = 1994.51 (no 专户 70, no 单位资金 45.60)
    assert after(t4, "本年收入合计", 1) == ["1994.51"]
    # 上年财政拨款结转 77.50 = 一般 12 + 25.50 = 37.50, 基金 40.00, 国资 0
    assert after(t4, "上年财政拨款结转", 1) == ["77.50"]
    assert after(t4, "一、一般公共预算", 1, occurrence=1) == ["37.50"]
    assert after(t4, "二、政府性基金预算", 1, occurrence=1) == ["40.00"]
    assert after(t4, "三、国有资本经营预算", 1, occurrence=1) == [""]
    # 收入总计 = 1994.51 + 77.50 = 2072.01
    assert after(t4, "收入总计", 1) == ["2072.01"]
    # 教育: only the 一般 260 (375.60 − 专户 70 − 单位 45.60)
    assert after(t4, "五、教育支出", 4) == ["260.00", "260.00", "", ""]
    # 城乡社区 (with carry-over): 一般 1105.99 + 37.50 = 1143.49; 基金 340 + 40 = 380; 小计 1523.49
    assert after(t4, "十二、城乡社区支出", 4) == ["1523.49", "1143.49", "380.00", ""]
    assert after(t4, "二十二、国有资本经营预算支出", 4) == ["65.00", "", "", "65.00"]
    # 支出总计 = 收入总计 2072.01: 一般 1589.51 + 37.50 = 1627.01, 基金 380, 国资 65
    # (本年支出合计 carries the same figures: spending of carried-over money is this year's
    # spending, so 收入总计 = 支出总计; spec I8's "T5 合计 = T4 本年支出合计 (一般)" cannot also
    # hold once there is a carry-over.)
    assert after(t4, "支出总计", 4) == ["2072.01", "1627.01", "380.00", "65.00"]
    assert after(t4, "本年支出合计", 4) == ["2072.01", "1627.01", "380.00", "65.00"]


def test_funds_t5_general_current_only(funds):
    t5 = table(funds, 5)
    # 合计 1589.51 = 基本 1314.285 → 1314.29 + 项目 275.225 → 275.23
    assert texts(t5.body[0])[1:] == ["1589.51", "1314.29", "275.23"]
    assert after(t5, "205", 4) == ["教育支出", "260.00", "260.00", ""]
    # 212 一般当年: 基本 520.365 + 310.40 = 830.765 → 830.77; 项目 180 + 95.225 → 275.23
    assert after(t5, "212", 4) == ["城乡社区支出", "1105.99", "830.77", "275.23"]
    # no carry-over: 2120101 is 520.365 → 520.37, not 532.37
    assert after(t5, "2120101", 4) == ["行政运行", "520.37", "520.37", ""]
    for code in ("2121399", "2121402", "223", "2230105"):
        assert not has_cell(t5, code), code


def test_funds_t7_t8_t9(funds):
    t7 = table(funds, 7)
    # 300 + 40 = 340.00
    assert texts(t7.body[0])[-1] == "340.00"
    assert after(t7, "1030156", 2) == ["城市基础设施配套费收入", "300.00"]
    assert after(t7, "1030166", 2) == ["污水处理费收入", "40.00"]
    t8 = table(funds, 8)
    assert [x for x in texts(t8.body[0]) if x != "合计"] == ["340.00", "", "340.00"]
    assert after(t8, "2121399", 4) == ["其他城市基础设施配套费安排的支出", "300.00", "", "300.00"]
    assert after(t8, "2121402", 4) == ["污水处理设施建设和运营", "40.00", "", "40.00"]
    assert not has_cell(t8, "2120101")
    t9 = table(funds, 9)
    # income 50 + 15 = 65.00; spending 65.00, all 项目
    assert [x for x in texts(t9.body[0]) if x and x != "合计"] == ["65.00", "65.00", "65.00"]
    assert after(t9, "1030601", 2) == ["利润收入", "50.00"]
    assert after(t9, "1030603", 2) == ["产权转让收入", "15.00"]
    assert after(t9, "2230105", 4) == ["国有企业退休人员社会化管理补助支出", "65.00", "", "65.00"]


def test_funds_t10_t11(funds):
    t10 = table(funds, 10)
    # 购置 18.00 (一般) + 运行维护 5.60 (一般) + 1.20 (基金) = 24.80; 一般 23.60, 基金 1.20
    assert after(t10, "公务用车购置及运行费", 4) == ["24.80", "23.60", "1.20", ""]
    assert after(t10, "②公务用车运行维护费", 4) == ["6.80", "5.60", "1.20", ""]
    # 合计 = 0 + 3.20 + 24.80 = 28.00; 一般 3.20 + 23.60 = 26.80
    assert after(t10, "合计", 4) == ["28.00", "26.80", "1.20", ""]
    t11 = table(funds, 11)
    # 62.40 + 31.50 = 93.90
    assert after(t11, "部门合计", 4) == ["93.90", "93.90", "", ""]
    assert after(t11, "示例市城市管理综合执法支队", 1) == ["31.50"]
    assert not has_cell(t11, "示例市建设职业技术学校")


def test_funds_t12_projects(funds):
    t12 = table(funds, 12)
    # columns: 合计 | 一般 | 基金 | 国资 | 专户 | 单位
    # 局: 60 + 120 (一般) + 300 + 40 (基金) + 65 (国资) = 585.00
    assert after(t12, "示例市住房和城乡建设局", 6) == ["585.00", "180.00", "340.00", "65.00", "", ""]
    # 支队: 77.225 + 18 = 95.225 → 95.23
    assert after(t12, "示例市城市管理综合执法支队", 6) == ["95.23", "95.23", "", "", "", ""]
    # 学校: 专户 22; 单位 5.60 + 10 = 15.60; 合计 37.60
    assert after(t12, "示例市建设职业技术学校", 6) == ["37.60", "", "", "", "22.00", "15.60"]
    # 部门: 585 + 95.225 + 37.60 = 717.825 → 717.83; 一般 180 + 95.225 → 275.23
    assert after(t12, DEPT, 6) == ["717.83", "275.23", "340.00", "65.00", "22.00", "15.60"]
    assert texts(t12.body[0])[0] == DEPT
    assert after(t12, "实训设备维护经费", 6) == ["27.60", "", "", "", "22.00", "5.60"]
    assert after(t12, "城管执法运行保障经费", 6) == ["77.23", "77.23", "", "", "", ""]
    # the carry-over-only project is not a project of this year
    assert not has_cell(t12, "2023年城市排水管网改造")


def test_funds_t13_carryover(funds):
    t13 = table(funds, 13)
    # 25.50 (一般) + 40.00 (基金) = 65.50
    assert after(t13, DEPT, 4) == ["65.50", "25.50", "40.00", ""]
    assert after(t13, "示例市住房和城乡建设局", 4) == ["65.50", "25.50", "40.00", ""]
    assert after(t13, "老旧小区改造前期工作经费", 4) == ["25.50", "25.50", "", ""]
    assert after(t13, "2023年城市排水管网改造", 4) == ["40.00", "", "40.00", ""]
    assert not has_cell(t13, "城市道路配套设施建设")
    assert "注：本表无数据" not in section_notes(funds, 13)


def section_notes(doc, n: int) -> list[str]:
    """Notes printed after 表N (up to the next label)."""
    out, inside = [], False
    for block in doc.blocks:
        if isinstance(block, Paragraph) and block.style == "table-label":
            inside = block.text == f"预算公开表{n}"
        elif inside and isinstance(block, Paragraph) and block.style == "note":
            out.append(block.text)
    return out


def test_funds_no_table_is_marked_empty(funds):
    for n in range(1, 14):
        assert section_notes(funds, n) == [], n


def test_funds_s1_total_with_carryover(funds):
    # prior 2300.00: Δ = 2187.61 − 2300 = −112.39; 112.39 / 2300 = 4.886… % → 4.89%
    assert section(funds, "一、") == [
        f"2024年度{DEPT}预算收入总计2,187.61万元，其中：本年收入2,110.11万元，上年结转77.50万元，"
        "比上年减少112.39万元，下降4.89%，主要原因是城市基础设施配套费安排的项目支出减少；"
        "本年部门预算支出总计2,187.61万元，其中：本年预算安排2,110.11万元，上年结转77.50万元，"
        "比上年减少112.39万元，下降4.89%，主要原因是城市基础设施配套费安排的项目支出减少。"
    ]


def test_funds_s2_six_shares(funds):
    # shares of T = 2187.61:
    #   1589.51 / 2187.61 = 0.72659 → 72.66%;  340 / 2187.61 = 0.15542 → 15.54%
    #   65 / 2187.61 = 0.02971 → 2.97%;        70 / 2187.61 = 0.03200 → 3.20%
    #   45.60 / 2187.61 = 0.02084 → 2.08%;     77.50 / 2187.61 = 0.03543 → 3.54%
    assert section(funds, "二、") == [
        f"2024年度{DEPT}预算收入2,187.61万元，主要包括一般公共预算拨款收入1,589.51万元，占72.66%；"
        "政府性基金预算拨款收入340.00万元，占15.54%；国有资本经营预算拨款收入65.00万元，占2.97%；"
        "财政专户管理资金收入70.00万元，占3.20%；单位资金45.60万元，占2.08%；"
        "上年结转77.50万元，占3.54%。"
    ]


def test_funds_s3(funds):
    # 1404.29 / 2187.61 = 0.64193 → 64.19%; 783.33 / 2187.61 = 0.35808 → 35.81%
    assert section(funds, "三、") == [
        f"2024年度{DEPT}支出预算2,187.61万元，其中：基本支出1,404.29万元，占64.19%；"
        "项目支出783.33万元，占35.81%。"
    ]


def test_funds_s4_fiscal(funds):
    # F = 1589.51 + 340 + 65 + 77.50 = 2072.01; 当年 1994.51; 结转 77.50
    # categories (财政拨款, with carry-over): 教育 260; 社保 98.76; 卫生 52.46 (40.12 + 12.34);
    # 城乡社区 1143.49 + 380 = 1523.49; 住房保障 72.30; 国有资本经营预算支出 65
    # (260 + 98.76 + 52.46 + 1523.49 + 72.30 + 65 = 2072.01)
    assert section(funds, "四、") == [
        f"2024年度{DEPT}财政拨款收支总预算2,072.01万元。其中：一般公共预算拨款1,589.51万元，"
        "政府性基金预算拨款340.00万元，国有资本经营预算拨款65.00万元。其中：当年拨款收入1,994.51万元，"
        "上年结转收入77.50万元。支出包括：教育支出260.00万元、社会保障和就业支出98.76万元、"
        "卫生健康支出52.46万元、城乡社区支出1,523.49万元、住房保障支出72.30万元、"
        "国有资本经营预算支出65.00万元等。"
    ]


def test_funds_s5_general_current_only(funds):
    # G = 1589.51 (no 基金/国资/专户/单位/结转); prior 1500: +89.51, 89.51 / 1500 = 5.967% → 5.97%
    # shares of G: 260 / 1589.51 = 16.357 → 16.36%; 98.76 → 6.213 → 6.21%; 52.46 → 3.300 → 3.30%;
    # 城乡社区 520.365 + 180 + 310.40 + 95.225 = 1105.99 → 69.580 → 69.58%; 72.30 → 4.549 → 4.55%
    assert section(funds, "五、") == [
        f"2024年度{DEPT}一般公共预算当年支出1,589.51万元，比上年增加89.51万元，增长5.97%。",
        f"2024年度{DEPT}一般公共预算当年支出1,589.51万元，主要用于以下方面：教育支出260.00万元，"
        "占16.36%；社会保障和就业支出98.76万元，占6.21%；卫生健康支出52.46万元，占3.30%；"
        "城乡社区支出1,105.99万元，占69.58%；住房保障支出72.30万元，占4.55%等。",
    ]


def test_funds_s6(funds):
    # 人员 = 工资福利 1008.52 + 退休费 150 = 1158.52; 公用 = 155.765 → 155.77; 基本 1314.285 → 1314.29
    paras = section(funds, "六、")
    assert paras[0] == f"2024年度{DEPT}一般公共预算安排基本支出1,314.29万元，其中："
    assert paras[1].startswith("人员经费1,158.52万元，主要包括：基本工资、")
    assert paras[2].startswith("公用经费155.77万元，主要包括：办公费、")


def test_funds_s7_three_public(funds):
    # S = 28.00; prior 0 + 4.00 + 7.50 + 0 = 11.50; Δ = +16.50
    # 接待 3.20 − 4.00 = −0.80; 运行 6.80 − 7.50 = −0.70; 购置 18.00 − 0 = +18.00; 出国 0 = 0
    assert section(funds, "七、") == [
        f"2024年{DEPT}财政拨款安排的“三公”经费预算28.00万元比2023年增加16.50万元，"
        "主要原因是城管执法支队按规定更新报废执法执勤车辆。",
        "其中：因公出国（境）费0万元，与上年预算数相同；公务接待费3.20万元，与上年相比预算数减少0.80万元，"
        "主要原因是严格执行接待标准，压减公务接待批次和人数；公务用车运行维护费6.80万元，"
        "与上年相比预算数减少0.70万元，主要原因是加强公务用车管理，压减燃油和维修支出；"
        "公务用车购置费18.00万元，与上年相比预算数增加18.00万元，主要原因是更新报废执法执勤车辆1辆。",
    ]


def test_funds_s8_two_admin_units(funds):
    # O = 62.40 + 31.50 = 93.90; prior 98.00: −4.10, 4.10 / 98 = 4.184% → 4.18%
    assert section(funds, "八、") == [
        "本部门2024年所属的示例市住房和城乡建设局、示例市城市管理综合执法支队2家行政单位和参公单位"
        "机关运行经费财政拨款预算93.90万元，比2023年预算减少4.10万元，下降4.18%，"
        "主要原因是压减一般性支出，办公和差旅费用减少。"
    ]


def test_funds_s9_procurement(funds):
    # 53.00 + 120.00 + 45.50 = 218.50
    assert section(funds, "九、") == [
        f"2024年{DEPT}政府采购预算总额218.50万元。其中：政府采购货物预算53.00万元、"
        "政府采购工程预算120.00万元、政府采购服务预算45.50万元。"
    ]


# §十 projects of this year (T12), by class:
#   其他运转类 N1 = 3: 城市建设综合管理工作经费 60 + 城管执法运行保障经费 77.225 + 实训设备维护经费 27.60
#                      A1 = 164.825 → 164.83
#   特定目标类 N2 = 6: 老旧小区改造 120 + 城市道路 300 + 污水处理 40 + 国企退休 65 + 车辆购置 18
#                      + 校企合作 10;  A2 = 553.00
#   N = 9, A = A1 + A2 = 717.825 → 717.83 (= T12 部门 row)
# published (4): 城市建设综合管理 60, 城管执法运行 77.225, 实训设备 27.60 (K1 = 3, B1 = 164.83);
#                城市道路 300 (K2 = 1, B2 = 300.00); Bk = 464.825 → 464.83
#   (老旧小区改造 has a table with published: false)


def test_funds_s10_overall_and_counts(funds):
    paras = section(funds, "十、")
    # 整体: T 2187.61, B 1404.29, P 783.33 (T3, with carry-over), 3 units, all 3 reporting
    assert paras[0] == (
        "2024年编报部门整体支出绩效目标，涉及部门预算资金2,187.61万元，其中基本支出1,404.29万元，"
        "项目支出783.33万元；机关及下属预算单位3个，其中3个单位（包括机关）编报了单位整体绩效目标，"
        "涉及资金2,187.61万元。"
    )
    s = paras[1]
    assert s.startswith(f"2024年{DEPT}纳入绩效目标管理的二级项目9个，共计金额")
    assert "其中：其他运转类项目3个，涉及金额164.83万元；特定目标类项目6个，涉及金额553.00万元。" in s
    assert "公开项目绩效目标4个，涉及项目金额464.83万元，占部门（单位）项目支出总额的" in s
    assert s.endswith("其中：其他运转类项目3个，涉及项目金额164.83万元；"
                      "特定目标类项目1个，涉及项目金额300.00万元。")
    assert len(performance_tables(funds)) == 4


def test_funds_s10_project_amount_is_this_years_projects(funds):
    s = section(funds, "十、")[1]
    # A = 164.83 + 553.00 = 717.83 (T12 部门 row); pk = 464.83 / 717.83 = 0.647549 → 64.75%
    assert "二级项目9个，共计金额717.83万元。" in s
    assert "占部门（单位）项目支出总额的64.75%。" in s


def test_funds_performance_table_mixed_funding(funds):
    road = next(t for t in performance_tables(funds)
                if any(c.text == "城市道路配套设施建设" for row in t.body for c in row))
    rows = [texts(r) for r in road.body]
    assert rows[2][2:4] == ["项目期", "3年"]
    # 实施期 300 + 240 + 360 = 900万 = 9,000,000元; 年度 100 + 80 + 120 = 300万 = 3,000,000元
    assert rows[3][1:] == ["实施期资金总额:", "9,000,000", "年度资金总额:", "3,000,000"]
    assert rows[4] == ["其中:中央财政资金", "3,000,000", "其中:中央财政资金", "1,000,000"]
    assert rows[5] == ["省级财政资金", "2,400,000", "省级财政资金", "800,000"]
    assert rows[6] == ["市县(区)财政资金", "3,600,000", "市县(区)财政资金", "1,200,000"]
    text = all_text(funds)
    # 77.2250万 = 772,250元; 实训设备: 单位自筹 5.60万 = 56,000, 其他 22万 = 220,000
    assert "772,250" in text
    assert "56,000" in text and "220,000" in text
    assert "老旧小区改造前期工作经费" not in {c.text for t in performance_tables(funds)
                                               for row in t.body for c in row}


def test_funds_assets_and_codes(funds):
    text = all_text(funds)
    # vehicles 1 + 4 + 1 = 6
    assert (f"截至2023年12月31日，{DEPT}共有公务用车编制6辆，实有6辆，其中：领导用车0辆，机要通信用车0辆，"
            "应急保障用车1辆，执法执勤用车4辆，特种专业技术用车0辆，事业单位业务用车0辆，其他公务用车1辆。") in text
    assert "其他城市基础设施配套费安排的支出" in text
    assert "污水处理设施建设和运营" in text


# --- synthetic-unit-2023 -----------------------------------------------------------------
#
# 元: basic 135,600 + 52,300 + 1,286,450 + 98,400 = 1,572,750 → 157.275 → 157.28
#     project 120,000 + 30,000 = 150,000 → 15.00;  T = 1,722,750 → 172.275 → 172.28
# all 一般公共预算, no 上年结转; prior total 190.00, prior 一般公共预算 185.00


def test_unit_2023_s1_without_name(unit):
    # Δ = 172.28 − 190.00 = −17.72; 17.72 / 190 = 9.326% → 9.33%
    assert section(unit, "一、") == [
        "2023年度预算收入总计172.28万元，其中：本年收入172.28万元，上年结转0.00万元，比上年减少17.72万元，"
        "下降9.33%，主要原因是人员调出，人员经费减少；本年单位预算支出总计172.28万元，其中：本年预算安排"
        "172.28万元，上年结转0.00万元，比上年减少17.72万元，下降9.33%，主要原因是人员调出，人员经费减少。"
    ]


def test_unit_2023_no_name_in_s1_to_s7(unit):
    for heading in ("一、", "二、", "三、", "四、", "五、", "六、", "七、"):
        for para in section(unit, heading):
            assert ARCHIVE not in para, heading


def test_unit_2023_zero_amounts_and_shares(unit):
    # zero amounts "0.00", zero shares "0.00%" (2023 default)
    assert section(unit, "二、") == [
        "2023年度预算收入172.28万元，主要包括一般公共预算拨款收入172.28万元，占100.00%；"
        "政府性基金预算拨款收入0.00万元，占0.00%；国有资本经营预算拨款收入0.00万元，占0.00%；"
        "财政专户管理资金收入0.00万元，占0.00%；单位资金0.00万元，占0.00%；上年结转0.00万元，占0.00%。"
    ]


def test_unit_2023_s4_s5(unit):
    # 208 13.56; 210 5.23; 212 1,286,450 + 150,000 = 1,436,450 → 143.645 → 143.65; 221 9.84
    assert section(unit, "四、") == [
        "2023年度财政拨款收支总预算172.28万元。收入为一般公共预算拨款172.28万元，政府性基金预算拨款0.00万元，"
        "国有资本经营预算拨款0.00万元。其中：当年拨款收入172.28万元，上年结转收入0.00万元。"
        "支出包括：社会保障和就业支出13.56万元、卫生健康支出5.23万元、城乡社区支出143.65万元、"
        "住房保障支出9.84万元。"
    ]
    # G 172.28 vs prior 185.00: −12.72, 12.72 / 185 = 6.876% → 6.88%
    # shares: 13.56 / 172.28 = 7.871 → 7.87%; 5.23 → 3.036 → 3.04%; 143.65 → 83.382 → 83.38%;
    # 9.84 → 5.712 → 5.71%
    assert section(unit, "五、") == [
        "2023年度一般公共预算当年拨款172.28万元，比上年减少12.72万元，下降6.88%。",
        "2023年度一般公共预算当年拨款172.28万元，主要用于以下方面：社会保障和就业支出13.56万元，占7.87%；"
        "卫生健康支出5.23万元，占3.04%；城乡社区支出143.65万元，占83.38%；住房保障支出9.84万元，占5.71%。",
    ]


def test_unit_2023_words(unit):
    text = "\n".join(part3(unit))
    assert "增长" not in text  # 2023 says 增加 for a rise; here everything fell
    assert "下降" in text
    assert "一般公共预算当年拨款" in text and "一般公共预算当年支出" not in text


def test_unit_2023_s7_three_public(unit):
    # S = 0 + 0.80 + 0 + 2.40 = 3.20; prior 1.50 + 1.20 + 20.00 + 2.40 = 25.10; Δ = −21.90
    assert section(unit, "七、") == [
        "2023年财政拨款安排的“三公”经费预算3.20万元比2022年同口径减少21.90万元，"
        "主要原因是上年已完成公务用车更新，本年无车辆购置支出。",
        "其中：因公出国（境）费0.00万元与上年相比预算数减少1.50万元，主要原因是本年度无因公出国（境）计划；"
        "公务接待费0.80万元与上年相比预算数减少0.40万元，主要原因是严格执行公务接待标准，压减接待支出；"
        "公务用车运行维护费2.40万元与上年预算数相同；"
        "公务用车购置费0.00万元与上年相比预算数减少20.00万元，主要原因是上年已完成公务用车更新。",
    ]


def test_unit_2023_s8_s9(unit):
    # 公用经费 158,450 → 15.845 → 15.85
    assert section(unit, "八、") == ["2023年度机关运行经费预算财政拨款15.85万元，主要为办公费、差旅费、工会经费等。"]
    assert section(unit, "九、") == [
        f"2023年{ARCHIVE}部门各单位政府采购预算总额12.00万元。其中：政府采购货物预算0.00万元、"
        "政府采购工程预算0.00万元、政府采购服务预算12.00万元。"
    ]


def test_unit_2023_s10_total_statement_and_table(unit):
    paras = section(unit, "十、")
    # N = 2, A = 12.00 + 3.00 = 15.00
    assert paras[0] == f"2023年{ARCHIVE}单位实行绩效目标管理的项目2个，涉及一般公共预算当年拨款15.00万元。"
    assert "本年绩效目标总额15.00万元。" in paras
    assert "示例市市级预算部门（单位）项目支出绩效目标申报表" in paras
    assert "(2023年度)" in paras
    (perf,) = performance_tables(unit)
    rows = [texts(r) for r in perf.body]
    assert rows[2][2:4] == ["项目期", "3年"]
    # 实施期 360,000 = 3 × 年度 120,000
    assert rows[3][1:] == ["实施期资金总额:", "360,000", "年度资金总额:", "120,000"]


def test_unit_2023_free_text_assets(unit):
    assert section(unit, "十一、") == [
        "截至2022年12月31日，示例市城市建设档案馆共有公务用车1辆，为其他公务用车。",
        "示例市城市建设档案馆使用自有档案业务用房，建筑面积总计2860平方米，其中办公用房420平方米。",
        "示例市城市建设档案馆无单价50万元以上的通用设备。",
    ]


def test_unit_2023_tables(unit):
    assert table(unit, 1).body[-1][1].text == "172.28"
    t10_title = [b.text for b in unit.blocks if isinstance(b, Heading) and "三公" in b.text]
    assert "2023年一般公共预算“三公”经费支出预算表" in t10_title
    # 2023 T12: project rows only, no total rows
    t12 = table(unit, 12)
    assert [texts(r)[:2] for r in t12.body] == [["城建档案数字化加工", "12.00"], ["档案库房运行维护", "3.00"]]
    for n in (7, 8, 9, 13):
        assert section_notes(unit, n) == ["注：本表无数据"], n
    # 2023 T9 prints the unit's code tree, blank
    assert after(table(unit, 9), "2120101", 2) == ["行政运行", ""]


# --- the CLI --------------------------------------------------------------------------------


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "budgetgen"
    if script.exists():
        return [str(script)]
    found = shutil.which("budgetgen")
    return [found] if found else [sys.executable, "-m", "generator"]


@pytest.mark.parametrize("path", [FUNDS, UNIT], ids=lambda p: p.stem)
def test_cli_renders_docx_and_pdf(path, tmp_path):
    done = subprocess.run([*_cli(), "render", str(path), "-o", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    for suffix in (".docx", ".pdf"):
        out = tmp_path / f"{path.stem}{suffix}"
        assert out.exists() and out.stat().st_size > 0, out
