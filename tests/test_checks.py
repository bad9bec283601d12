"""Every check of CHECK_IDS, provoked by a minimal change to a valid example input.

Each case edits the YAML text and marks the line the finding must point at with MARK; the test
then asserts the id, the severity, both message fragments and that line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest

from generator.checks import CHECK_IDS, slips
from generator.checks.findings import Finding
from generator.pipeline import check_file
from generator.workbook.facts import IDS as SHEET_IDS
from tests.conftest import MARK, ROOT, Edit

SH = "datong-shanghai-office-2024.yaml"  # 单位, one 事业单位, every project coded
CO = "datong-commerce-2024.yaml"  # 部门, 3 units (one 行政单位), 表6 with two rows per code
WE = "putuo-welfare-home-2024.yaml"  # Shanghai format, 单位 with 事业收入
# covered by the rounding tests, test_slips, test_packs (a pack that requires a fact) and
# test_gate (what reading a workbook notices)
NOT_COVERED_HERE = {"N-ROUNDING", "E-FORMAT-FACT", *slips.IDS, *SHEET_IDS}


def append(block: str) -> Edit:
    return lambda text: text.rstrip("\n") + "\n\n" + block


def sub(pattern: str, replacement: str) -> Edit:
    """A regular-expression edit that must match exactly once."""
    def edit(text: str) -> str:
        out, n = re.subn(pattern, lambda _: replacement, text)
        assert n == 1, f"{pattern!r} matched {n} times"
        return out
    return edit


@dataclass(frozen=True)
class Case:
    id: str
    base: str
    edits: tuple[Edit, ...]
    severity: str
    zh: str
    en: str


def case(id: str, base: str, *edits: Edit, severity: str, zh: str, en: str,
         name: str = "", marks=()) -> pytest.param:
    return pytest.param(Case(id, base, edits, severity, zh, en), id=f"{id}{name}", marks=marks)



GOV_FUND_ROW = ("    basic: 39700         # 3.97", "    basic: {general: 39600, gov_fund: 100}")

CASES = [
    # --- units -----------------------------------------------------------------------------
    case("E-UNIT-DUP", CO,
         ("  - name: 大同市商务综合服务中心\n    type: 事业单位\n",
          "  - name: 大同市商务综合服务中心\n    type: 事业单位\n"
          f"  - name: 大同市混凝土发展中心 {MARK}\n    type: 事业单位\n"),
         severity="error", zh="单位重复：大同市混凝土发展中心", en="unit declared twice"),
    case("E-UNIT-KIND", CO, ("  kind: 部门", "  kind: 单位"), ("\nunits:\n", f"\nunits: {MARK}\n"),
         severity="error", zh="单位预算只能有一个单位", en="exactly one unit"),
    case("E-OPCOST-TYPE", CO,
         ("  - name: 大同市混凝土发展中心\n    type: 事业单位\n",
          f"  - name: 大同市混凝土发展中心\n    type: 事业单位\n    operating_costs: 1000 {MARK}\n"),
         severity="error", zh="大同市混凝土发展中心是事业单位，没有机关运行经费",
         en="is a 事业单位 and has no 机关运行经费"),
    case("E-OPCOST-TEXT", SH,
         sub(r"\noperating_costs:\n  prior: 0\n  text: [^\n]*\n", f"\noperating_costs: {MARK}\n  prior: 0\n"),
         severity="error", zh="operating_costs.text", en="no 机关运行经费"),
    # --- function codes --------------------------------------------------------------------
    case("E-CODE-DUP", SH,
         ("    basic: 1960          # 0.20（取 1,960 元）\n",
          f"    basic: 1960\n  - code: \"2011350\" {MARK}\n    basic: 1\n"),
         severity="error", zh="功能科目重复：2011350", en="duplicate function code 2011350"),
    case("E-CODE-CATEGORY", SH, ('  - code: "2011350"', f'  - code: "9990101" {MARK}\n    name: 测试'),
         severity="error", zh="9990101 不属于 30 个支出功能分类类级科目", en="not under one of the 30"),
    case("E-CODE-NAME", SH, ('  - code: "2011350"', f'  - code: "2011397" {MARK}'),
         severity="error", zh="未知的功能科目 2011397", en="unknown code 2011397"),
    case("E-CODE-FORMAT", SH, append(f'function_names:\n  "2011": 一般公共服务 {MARK}\n'),
         severity="error", zh="功能科目的编码格式不对：2011", en="3, 5 or 7 digits: 2011"),
    case("W-CODE-UNUSED", SH, append(f'function_names:\n  "206": 科学技术支出 {MARK}\n'),
         severity="warning", zh="206 不是任何支出科目的上级", en="206 prefixes no expenditure row"),
    case("W-CODE-NAME", SH, ('  - code: "2011308"\n', f'  - code: "2011308"\n    name: 一般行政管理事务 {MARK}\n'),
         severity="warning", zh="科目 2011308 的名称「一般行政管理事务」与科目表的「招商引资」不同",
         en="differs from the classification's"),
    case("W-CODE-NAME", SH, append(f'function_names:\n  "20113": 商贸事物 {MARK}\n'),
         severity="warning", zh="科目 20113 的名称「商贸事物」与科目表的「商贸事务」不同",
         en="check that code and name belong together", name="-function_names"),
    # --- 表6 economic items ----------------------------------------------------------------
    case("E-ECON-DUP", SH,
         ("    amount: 1000         # 0.10\n",
          f"    amount: 1000\n  - code: \"30201\" {MARK}\n    gov: 商品和服务支出\n    amount: 0\n"),
         severity="error", zh="经济科目 30201（商品和服务支出）重复", en="economic item 30201"),
    case("E-ECON-CLASS", SH, ('  - code: "30299"        # 其他商品和服务支出', f'  - code: "39801" {MARK}'),
         severity="error", zh="未知经济分类类级：398", en="unknown economic class 398"),
    case("E-ECON-NAME", SH, ('  - code: "30299"        # 其他商品和服务支出', f'  - code: "30298" {MARK}'),
         severity="error", zh="未知经济科目 30298", en="unknown economic item 30298"),
    # --- projects and performance tables ----------------------------------------------------
    case("E-PROJECT-UNIT", CO,
         ("  - name: J物业费\n    unit: 大同市商务局\n", f"  - name: J物业费\n    unit: 大同市外事办 {MARK}\n"),
         severity="error", zh="项目所属单位未在 units 中声明：大同市外事办", en="not declared in units",
         name="-undeclared"),
    case("E-PROJECT-UNIT", CO,
         ("  - name: J物业费\n    unit: 大同市商务局\n", f"  - name: J物业费 {MARK}\n"),
         severity="error", zh="项目「J物业费」需写明所属单位", en="must name its unit", name="-missing"),
    case("E-PROJECT-DUP", SH,
         ("    amount: 25000        # 2.50\n",
          f"    amount: 25000\n  - name: J物业管理费 {MARK}\n    code: \"2011308\"\n    amount: 1\n"),
         severity="error", zh="同一单位的项目重名：J物业管理费", en="share the name 'J物业管理费'"),
    case("W-PROJECT-ZERO", SH, ("    amount: 5000         # 0.50", f"    amount: 0 {MARK}"),
         severity="warning", zh="项目「J残疾人保障金」金额为 0", en="'J残疾人保障金' has no amount"),
    case("E-PERF-PROJECT", SH, ("  - project: J残疾人保障金\n", f"  - project: 残疾人就业保障金 {MARK}\n"),
         severity="error", zh="绩效目标表对应的项目不存在：残疾人就业保障金",
         en="no project named '残疾人就业保障金'"),
    case("E-PERF-PROJECT", CO,
         ("  - name: J混凝土发展中心物业费\n", "  - name: J水电费\n"),  # a namesake in another unit
         ("  - project: J水电费\n", f"  - project: J水电费 {MARK}\n"),
         severity="error", zh="多个单位都有项目「J水电费」，请写明 unit", en="give unit",
         name="-ambiguous"),
    case("E-PERF-DUP", SH, ("  - project: J物业管理费\n", f"  - project: J车辆运行费补助 {MARK}\n"),
         severity="error", zh="项目「J车辆运行费补助」有两张绩效目标表", en="has two performance tables"),
    # --- identities (spec §7.1) --------------------------------------------------------------
    case("E-I10", SH, ("    amount: 500          # 0.05", "    amount: 600"),
         ("\neconomic_items:\n", f"\neconomic_items: {MARK}\n"),
         severity="error", zh="表6 经济科目合计与一般公共预算基本支出合计不等：426,690.00元",
         en="426,690.00 ≠ 426,590.00 (元)"),
    case("E-I18", SH, ("    amount: 91000        # 9.10", "    amount: 91100"),
         ("\nprojects:\n", f"\nprojects: {MARK}\n"),
         severity="error", zh="项目合计与支出科目的项目支出不等（general）", en="389,650.00 ≠ 389,550.00"),
    case("E-I19", SH,
         ('  - name: J残疾人保障金\n    code: "2011308"', f'  - name: J残疾人保障金\n    code: "2011350" {MARK}'),
         severity="error", zh="科目 2011350 的项目合计与该科目项目支出不符", en="5,000.00 ≠ 0.00",
         name="-project-code"),
    case("E-I19", SH,
         ("    basic: 1960          # 0.20（取 1,960 元）", f"    basic: 1960\n    project: 100 {MARK}"),
         severity="error", zh="科目 2011350 有项目支出，但没有项目使用该科目",
         en="code 2011350 has 项目支出 but no project", name="-uncoded-spending"),
    case("E-I16", SH, ("    amount: 57000", f"    amount: 30000 {MARK}"),
         severity="error", zh="“三公”公务用车运行维护费 30,000.00元（3.00万元） 小于表6 同名科目 32,000.00元",
         en="vehicle_operation is below its 表6 item 30231"),
    case("E-I17", CO, ("    operating_costs: 655600          # 65.56万元", "    operating_costs: 900000"),
         ("\nunits:\n", f"\nunits: {MARK}\n"),
         severity="error", zh="机关运行经费超过表6 公用经费：900,000.00元", en="900,000.00 ≠ 827,040.00"),
    case("W-I17", SH,
         ("  - name: 大同市人民政府驻上海招商联络处\n    type: 事业单位",
          f"  - name: 大同市人民政府驻上海招商联络处 {MARK}\n    type: 行政单位"),
         severity="warning", zh="机关运行经费通常等于表6 公用经费（50,600.00元", en="usually equals"),
    case("W-I14", SH, ("    amount: 37200        # 3.72", "    amount: 37300"),
         ("\neconomic_items:\n", f"\neconomic_items: {MARK}\n"),
         severity="warning", zh="表6 机关事业单位基本养老保险缴费（30108）37,300.00元", en="37300 ≠ 37200"),
    case("E-INCOME", SH,
         append(f'gov_fund_income: {MARK}\n  - code: "103"\n    name: 政府性基金收入\n    amount: 100\n'),
         severity="error", zh="政府性基金收入合计与政府性基金当年支出不等：100.00元",
         en="gov_fund_income total differs"),
    case("W-INCOME", SH, (GOV_FUND_ROW[0], f"{GOV_FUND_ROW[1]} {MARK}"),
         severity="warning", zh="有政府性基金支出，但未填写收入科目", en="gov_fund spending without",
         name="-absent"),
    # --- narrative (spec §7.2) ----------------------------------------------------------------
    case("W-REASON-DIRECTION", CO, ("  income: 政府性基金预算减少", f"  income: 增加人员经费 {MARK}"),
         severity="warning", zh="预算总计比上年减少，但原因说的是相反方向：增加人员经费",
         en="the total fell but the reason says the opposite", name="-total"),
    case("W-REASON-DIRECTION", CO,
         ("    amount: 6000                     # 0.60\n", f"    amount: 7000\n    reason: 压减接待 {MARK}\n"),
         severity="warning", zh="公务接待费的变动方向与原因不符", en="reason for reception contradicts",
         name="-three-public"),
    case("W-PRIOR", SH, ("  general_budget: 826700 # §五 上年一般公共预算当年支出", f"  general_budget: 900000 {MARK}"),
         severity="warning", zh="上年一般公共预算当年拨款（90.00万元）大于上年预算总计（82.67万元）",
         en="exceeds the prior total (82.67)"),
    case("E-REASON-MISSING", CO,
         ("  reception:\n    amount: 6000                     # 0.60\n",
          f"  reception: {MARK}\n    amount: 7000\n"),
         severity="error", zh="公务接待费比上年有变化，需填写原因", en="reception changed",
         name="-three-public-line"),
    case("E-REASON-MISSING", CO,
         ("    amount: 6000                     # 0.60\n", "    amount: 7000\n    reason: 接待任务增加\n"),
         ("\nthree_public:\n", f"\nthree_public: {MARK}\n"),
         severity="error", zh="“三公”经费合计比上年有变化", en="give three_public.reason",
         name="-three-public-total"),
    case("E-REASON-MISSING", CO,
         ("\noperating_costs:\n  prior: 693500\n  reason: 在职人员减少，使得机关运行经费减少\n",
          f"\noperating_costs: {MARK}\n  prior: 693500\n"),
         severity="error", zh="机关运行经费比上年有变化", en="give operating_costs.reason",
         name="-operating-costs"),
    case("E-REASON-MISSING", SH,
         ("reasons:\n  income: 根据2024年工作安排实际需求，增加项目经费支出等\n", f"reasons: {MARK}\n"),
         severity="error", zh="预算总计比上年有变化，需填写原因（reasons.income）", en="give reasons.income",
         name="-total"),
    case("E-N10", SH, ("performance: {}", f"performance:\n  units_reporting: 2 {MARK}"),
         severity="error", zh="编报整体绩效目标的单位数（2）多于单位数（1）", en="units_reporting (2) exceeds",
         name="-units"),
    case("E-N10", SH, ("performance: {}", f"performance:\n  overall_amount: 99999999 {MARK}"),
         severity="error", zh="整体绩效目标涉及资金超过预算总计", en="overall_amount exceeds the budget total",
         name="-amount"),
    case("E-PERF-AMOUNT", SH,
         ("  - project: J残疾人保障金\n", f"  - project: J残疾人保障金\n    annual_funding: {{city: 4000}} {MARK}\n"),
         severity="error", zh="「J残疾人保障金」年度资金总额 4,000元 与项目金额 5,000元 不等",
         en="annual funding 4,000 ≠ project amount 5,000"),
    case("N-PERF-PERIOD", SH,
         ("  - project: J残疾人保障金\n", f"  - project: J残疾人保障金\n    period_funding: {{city: 0}} {MARK}\n"),
         severity="note", zh="「J残疾人保障金」实施期资金为 0", en="实施期 funding is 0"),
    case("W-PERF-ALL", SH, ("  year: 2024\n", "  year: 2023\n"),  # the 2023 edition
         ("  - project: J残疾人保障金\n", "  - project: J残疾人保障金\n    published: false\n"),
         ("performance: {}", f"performance: {{}} {MARK}"),
         severity="warning", zh="说明称7个项目全部实行绩效目标管理，但只公开了6张绩效目标表",
         en="all 7 projects have targets, but 6 tables"),
    case("W-VEHICLES", SH, ("    institution: 2       # 事业单位业务用车2辆（实有2辆）", "    institution: 3"),
         ("  vehicles:\n    quota: 2", f"  vehicles: {MARK}\n    quota: 2"),
         severity="warning", zh="实有车辆 3 辆超过编制 2 辆", en="3 vehicles exceed the quota of 2"),
    case("E-EQUIPMENT", SH, ("  equipment_over_1m: 0", f"  equipment_over_1m: 1 {MARK}"),
         severity="error", zh="100万元以上设备数不能多于50万元以上设备数", en="cannot outnumber"),
    case("W-PLACEHOLDER", SH, ("  other: 无", f"  other: 【待填写：其他说明】 {MARK}"),
         severity="warning", zh="还有未填写的内容：other: 【待填写：其他说明】",
         en="a placeholder is still unfilled"),
    case("W-DEFAULT", SH, ('  supervisor_code: "090"', f'  supervisor_code: "000" {MARK}'),
         severity="warning", zh="主管部门代码仍是空白模板的 000", en="still the starter's 000"),
    case("W-STALE-YEAR", SH, ("  other: 无", f"  other: 项目于2023年1月开始实施 {MARK}"),
         severity="warning", zh="文字中仍是上一年度「2023年」：…项目于2023年1月开始实施…。请核对是否应为 2024年",
         en="still names the past year 2023"),
    case("W-STALE-YEAR", SH, ("  other: 无", f"  other: 本单位2021年部门预算由本级预算组成 {MARK}"),
         severity="warning", zh="文字中仍是往年「2021年」：…本单位2021年部门预算由本级预…。请核对是否应为 2024年",
         en="still names the past year 2021", name="-older"),
    case("W-TEMPLATE-TEXT", SH, ("  other: 无", f"  other: 本单位共完成××项招商工作 {MARK}"),
         severity="warning", zh="文字中还有模板的空白「××」：…本单位共完成××项招商工作…", en="a template's blank '××'"),
    case("W-YEAR-AHEAD", SH, ("  other: 无", f"  other: 本单位2025年单位预算由本级预算组成 {MARK}"),
         severity="warning", zh="文字中写的是「2025年单位预算」，预算年度却是 2024：预算年度是否还没有改？",
         en="was the year not updated?"),
    case("E-FORMAT", SH, ("  year: 2024\n", f"  year: 2024\n  format: hunan {MARK}\n"), severity="error",
         zh="未知的格式：hunan（已知：shanghai、shanxi）", en="unknown format: hunan (known: shanghai, shanxi)"),
    case("E-FORMAT", SH, ("  year: 2024\n", f"  year: 2024\n  edition: 2022 {MARK}\n"), severity="error",
         zh="格式 shanxi 没有 2022 版（有 2023、2024）", en="format shanxi has no edition 2022",
         name="-edition"),
    # --- the Shanghai format -----------------------------------------------------------------
    case("E-SH-TABLE", WE, ("\nexpenditure:\n", f"\nexpenditure: {MARK}\n"),
         ('  - {code: "30101", amount: 758448}', '  - {code: "30101", amount: 758000}'),
         severity="error", zh="表8 人员经费 + 公用经费 ≠ 表5 基本支出", en="表8 personnel + public ≠ 表5 basic"),
    case("E-SH-PUBLIC", WE, ("    basic_public: 2120950", f"    basic_public: 7000000 {MARK}"),
         severity="error", zh="的公用经费 7,000,000.00 元大于其基本支出", en="exceed its basic spending"),
    case("E-SH-UNIT-INCOME", WE, ("unit_funds_income:\n  service: 2620000", f"unit_funds_income: {MARK}\n  service: 2600000"),
         severity="error", zh="≠ 单位资金 2,620,000.00 元", en="unit_funds_income adds up to 2,600,000.00"),
    case("W-SH-SPECIAL", WE, ("\nexpenditure:\n", f"\nexpenditure: {MARK}\n"),
         ("    basic: 335816\n", "    basic: 335816\n    project: {special_account: 100}\n"),
         severity="warning", zh="上海格式的表中没有这一栏", en="the Shanghai tables have no column"),
    case("W-SH-ITEM", WE, ('  - code: "2101102"                  # 事业单位医疗', f'  - code: "2101102" {MARK}'),
         ("    use: 人员医疗保险\n", ""), severity="warning", zh="2101102 没有用途（use）", en="has no use"),
    case("W-SH-REASON", WE, ('  - code: "2080502"                  # 事业单位离退休', f'  - code: "2080502" {MARK}'),
         ("    reason: 有退休人员去世\n", ""), severity="warning", zh="与上年执行数相比有变化，没有原因",
         en="changed against its 执行数 without a reason"),
    case("E-GLYPH", SH, ("  other: 无", f"  other: 无𠀀 {MARK}"), severity="error",
         zh="已安装的字体中没有这些字符，无法排版：𠀀（U+20000）", en="no installed font has these characters"),
    case("E-GLYPH", CO, ("  - name: 大同市商务综合服务中心\n", f"  - name: 大同市商务综合服务中心😀 {MARK}\n"),
         severity="error", zh="😀（U+1F600）", en="cannot be printed", name="-in-a-unit-name"),
    case("W-LONG-WORD", SH, ("  other: 无", f"  other: 无{'8' * 30} {MARK}"), severity="warning",
         zh="有 30 个字符连写、无法断行", en="30 characters without a break opportunity"),
]


@cache
def base_findings(base: str) -> frozenset[tuple[str, tuple]]:
    report = check_file(ROOT / "inputs" / base).report
    return frozenset((f.id, f.path) for f in report.findings)


def provoke(variant, c: Case) -> Finding:
    """Write the variant, check it; return the finding of id c.id on the marked line."""
    written = variant(c.base, *c.edits)
    findings = check_file(written.path).report.findings
    same_id = [f for f in findings if f.id == c.id]
    assert same_id, f"{c.id} not reported; got {[(f.id, f.line) for f in findings]}"
    at_line = [f for f in same_id if f.line == written.line]
    assert at_line, f"{c.id} expected at line {written.line}, reported at {[f.line for f in same_id]}"
    return at_line[0]


@pytest.mark.parametrize("c", CASES)
def test_check_reports_its_finding_on_the_offending_line(variant, c: Case):
    finding = provoke(variant, c)
    assert finding.severity == c.severity
    assert c.zh in finding.zh
    assert c.en in finding.en
    assert finding.column is not None
    # The change caused it: the unmodified example has no such finding at that path.
    assert (finding.id, finding.path) not in base_findings(c.base)


def test_every_check_id_has_a_case():
    covered = {p.values[0].id for p in CASES}
    assert covered == set(CHECK_IDS) - NOT_COVERED_HERE


def test_the_examples_have_no_errors():
    """The base files are valid, so every error above comes from its edit."""
    for base in (SH, CO):
        assert not check_file(ROOT / "inputs" / base).report.errors, base


def test_cli_prints_a_finding_with_its_line_and_fails(variant, run_cli):
    written = variant(SH, ("  equipment_over_1m: 0", f"  equipment_over_1m: 1 {MARK}"))
    result = run_cli("check", written.path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"错误 E-EQUIPMENT assets.equipment_over_1m (line {written.line}:3)" in result.stdout
    assert "100万元以上设备数不能多于50万元以上设备数" in result.stdout
    assert "equipment over 1m cannot outnumber equipment over 500k" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_cli_warnings_pass_unless_strict(variant, run_cli):
    written = variant(SH, ("    institution: 2       # 事业单位业务用车2辆（实有2辆）", "    institution: 3"))
    assert run_cli("check", written.path).returncode == 0
    strict = run_cli("check", "--strict", written.path)
    assert strict.returncode == 1
    assert "警告 W-VEHICLES assets.vehicles" in strict.stdout
