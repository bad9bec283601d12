"""The slips real disclosures contain, each provoked by one edit of a valid example.

Every case fails without its check: the unmodified example has no such finding at that path.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import openpyxl
import pytest

from generator.checks import slips
from generator.compose.punctuation import full_width
from generator.compose.tree import Paragraph
from generator.model.yamlsource import InputError, read_yaml
from generator.pipeline import check_file, check_source, document_for, document_for_source
from generator.workbook.reader import read_workbook
from generator.workbook.writer import write_workbook
from tests.conftest import MARK, ROOT
from tests.test_checks import SH, base_findings, case, provoke

SH_PATH = ROOT / "inputs" / SH
FA = "datong-foreign-affairs-2023.yaml"
FUNDS = "synthetic-funds-2024.yaml"
RATE = "        - 残疾人保障金经费保障率: 100%"
DISABLED = "  - project: J残疾人保障金\n"
FIRST_PROJECT = ('  - name: z专项事务工作经费\n    code: "2011308"\n    amount: 91000        # 9.10\n'
                 "    category: 其他运转类\n")

CASES = [
    case("W-VALUE-DOUBLED", SH, (RATE, f"        - 残疾人保障金经费保障率: 保障保障 {MARK}"),
         severity="warning", zh="是否应为「保障」", en="did you mean '保障'"),
    case("W-VALUE-GLUED", SH, (RATE, f"        - 残疾人保障金经费保障率: 100100% {MARK}"),
         severity="warning", zh="像是两个值粘在一起：残疾人保障金经费保障率 = 100100%。是否应为「100%」？",
         en="did you mean 100%?"),
    case("W-VALUE-GLUED", SH, (RATE, f"        - 残疾人保障金经费保障率: ≥90100% {MARK}"),
         severity="warning", zh="是否应为「≥90%」或「≥100%」", en="≥90% or ≥100%", name="-sign"),
    case("W-VALUE-EMPTY", SH, (RATE, f'        - 残疾人保障金经费保障率: "" {MARK}'),
         severity="warning", zh="指标值为空：残疾人保障金经费保障率", en="empty 指标值"),
    case("W-VALUE-RATE", SH, (RATE, f"        - 残疾人保障金经费保障率: 150% {MARK}"),
         severity="warning", zh="残疾人保障金经费保障率是比率，不应超过 100%", en="is a rate"),
    case("W-VALUE-NUMBER", SH, (RATE, f"        - 残疾人保障金经费保障率: 0.5 {MARK}"),
         severity="warning", zh="残疾人保障金经费保障率是比率，指标值却是数字 0.5。是否应为「50%」？",
         en="did you mean 50%?"),
    case("W-PERF-PERIOD-FUNDS", FA,
         ("    period_funding:\n      city: 59400\n", f"    period_funding: {MARK}\n      city: 50000\n"),
         severity="warning", zh="实施期资金 50,000元 既不等于年度资金 19,800元或 3 × 年度 = 59,400元",
         en="neither the 年度 funds 19,800 nor 3 × 年度"),
    case("W-PROJECT-CATEGORY", SH,
         (FIRST_PROJECT, f'  - name: z专项事务工作经费 {MARK}\n    code: "2011308"\n    amount: 91000\n'),
         severity="warning", zh="1 个项目未填写项目类别（category），按其他运转类统计：z专项事务工作经费",
         en="no category"),
    case("W-WAN-CENT", SH, ("amount_unit: 元", "amount_unit: 万元"),
         ("economic_items:\n", f"economic_items: {MARK}\n"), ("amount: 115270 ", "amount: 115270.01 "),
         severity="warning", zh="两边只差 0.01 万元", en="enter them in 元"),
    case("W-VALUE-UNNAMED", SH, (RATE, f'        - "": 100% {MARK}'),
         severity="warning", zh="指标值「100%」没有三级指标名称", en="has no 三级指标 name"),
    case("W-PERF-PERIOD-LOW", SH, (DISABLED, f"{DISABLED}    period_funding: {MARK}\n      city: 0.5\n"),
         severity="warning", zh="实施期资金 0.5元 少于年度资金 5,000元", en="was one entered in 万元?"),
    case("W-AMOUNT-UNIT", SH, ("amount_unit: 元", f"amount_unit: 万元 {MARK}"),
         severity="warning", zh="金额单位是万元，预算总计却有 816,140.00万元（81.61亿元）", en="were they entered in 元?"),
    case("W-AMOUNT-UNIT", FUNDS, ("amount_unit: 万元", f"amount_unit: 元 {MARK}"),
         severity="warning", zh="金额单位是元，预算总计却只有 2,187.61元（0.22万元）", en="were they entered in 万元?",
         name="-small"),
    case("W-AMOUNT-UNIT", SH, ("  goods: 0", f"  goods: 0.6 {MARK}"),
         severity="warning", zh="金额 0.60元 不到 50 元，在万元表中显示为 0.00", en="(6,000 元)", name="-tiny"),
    case("W-AMOUNT-UNIT", SH, ("  general_budget: 826700", f"  general_budget: 82.67 {MARK}"),
         severity="warning", zh="上年数 0.01万元 与本年数 81.61万元 相差一千倍以上", en="a thousandfold",
         name="-prior"),
    case("W-KIND-TAG", SH, ("  name: 大同市人民政府驻上海招商联络处", f"  name: 大同市人民政府驻上海招商联络处[部门] {MARK}"),
         severity="warning", zh="预算类型是单位，名称「大同市人民政府驻上海招商联络处[部门]」却标着[部门]",
         en="is tagged [部门]"),
    case("N-PUNCT", SH, ("  duties: 为大同市社会经济发展提供服务，", "  duties: 为大同市社会经济发展提供服务;"),
         ("搞好各项服务。\n", f"搞好各项服务。 {MARK}\n"),
         severity="note", zh="中文之间用了半角标点（如「务;贯」），文件中印成全角", en="printed full-width"),
]


def test_every_slip_has_a_case():
    assert {p.values[0].id for p in CASES} == set(slips.IDS)


@pytest.mark.parametrize("c", CASES)
def test_slip_is_reported_with_a_fix(variant, c):
    finding = provoke(variant, c)
    assert finding.severity == c.severity
    assert c.zh in finding.zh, finding.zh
    assert c.en in finding.en, finding.en
    assert (finding.id, finding.path) not in base_findings(c.base)


def test_period_funds_may_differ_in_the_2024_edition(variant):
    written = variant(SH, (DISABLED, f"{DISABLED}    period_years: 3\n    period_funding: {{city: 12000}}\n"))
    assert "W-PERF-PERIOD-FUNDS" not in {f.id for f in check_file(written.path).report.findings}


def test_a_2023_file_needs_no_project_category(variant):
    written = variant(FA, lambda t: t.replace("    category: 其他运转类\n", ""))
    assert "W-PROJECT-CATEGORY" not in {f.id for f in check_file(written.path).report.findings}


def test_period_funds_of_n_years_are_fine(variant):
    written = variant(SH, (DISABLED, f"{DISABLED}    period_years: 3\n    period_funding: {{city: 15000}}\n"))
    assert "W-PERF-PERIOD-FUNDS" not in {f.id for f in check_file(written.path).report.findings}


def test_a_near_miss_project_name_suggests_the_project(variant):
    written = variant(SH, ("  - project: J残疾人保障金\n", "  - project: J残疾人保障\n"))
    errors = check_file(written.path).report.errors
    assert [e.id for e in errors] == ["E-PERF-PROJECT"]
    assert "是否应为「J残疾人保障金」" in errors[0].zh and "did you mean 'J残疾人保障金'" in errors[0].en


def test_a_far_name_suggests_nothing(variant):
    written = variant(SH, ("  - project: J残疾人保障金\n", "  - project: 完全不同的名称\n"))
    assert "是否应为" not in check_file(written.path).report.errors[0].zh


def test_pattern_errors_say_what_to_write(variant):
    written = variant(SH, ('supervisor_code: "', 'supervisor_code: "0'))
    with pytest.raises(InputError) as info:
        check_file(written.path)
    assert "3 位数字，如 083" in info.value.problems[0].zh


def test_literal_errors_list_the_choices(variant):
    written = variant(SH, ("amount_unit: 元", "amount_unit: 圆"))
    with pytest.raises(InputError) as info:
        check_file(written.path)
    assert "只能填写：元或万元" in info.value.problems[0].zh


def test_half_width_punctuation_is_printed_full_width(variant):
    written = variant(SH, ("  duties: 为大同市社会经济发展提供服务，", "  duties: 为大同市社会经济发展提供服务;"))
    doc, _ = document_for(written.path)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any("提供服务；贯彻" in t for t in texts)
    assert not any("提供服务;贯彻" in t for t in texts)


@pytest.mark.parametrize(("text", "printed"), [
    ("政策;制定", "政策；制定"), ("国别(地区)外经贸", "国别（地区）外经贸"), ("驻村(2024)工作", "驻村（2024）工作"),
    ("(1)项目", "(1)项目"), ("a,b;c", "a,b;c"), ("比例:100%", "比例:100%"),
])
def test_full_width_only_between_chinese(text, printed):
    assert full_width(text) == printed


def test_a_workbook_slip_names_its_cell():
    raw = write_workbook(read_yaml(SH_PATH))
    book = openpyxl.load_workbook(io.BytesIO(raw))
    sheet = book["绩效表1"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "100%")
    cell.value = "100100%"
    out = io.BytesIO()
    book.save(out)
    checked = check_source(read_workbook(out.getvalue(), "x.xlsx"))
    glued = [f for f in checked.report.findings if f.id == "W-VALUE-GLUED"]
    assert glued and glued[0].cell == f"绩效表1!{cell.coordinate} J残疾人保障金"
    assert f" 绩效表1!{cell.coordinate} J残疾人保障金\n" in glued[0].render()



def _slipped_book(edit) -> bytes:
    """The Shanghai-office example as a workbook, with one slip made by `edit(book)`."""
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(read_yaml(SH_PATH))))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row(sheet, key: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == key)


def test_a_date_cell_reads_as_the_date_the_documents_write():
    """Excel turns a typed 2024年4月17日 into a date: read as such, never as 2024-04-17."""
    def edit(book):
        sheet = book["基本信息"]
        cell = sheet.cell(_row(sheet, "assets.as_of"), 3)
        cell.value = datetime(2024, 4, 17)
        cell.number_format = 'yyyy"年"m"月"d"日"'
        book["绩效表1"]["H34"].value = datetime(2024, 1, 29, 10, 31, 20)
    source = read_workbook(_slipped_book(edit), "x.xlsx")
    assert source.data["assets"]["as_of"] == "2024年4月17日"
    doc, _ = document_for_source(source)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any(t.startswith("截至2024年4月17日") for t in texts)
    assert not any("2024-04-17" in t for t in texts)
    assert source.data["performance_tables"][0]["filled_on"] == "2024年1月29日 10:31:20"


def test_a_prior_figure_in_the_other_unit_names_its_cell():
    def edit(book):
        sheet = book["基本信息"]
        sheet.cell(_row(sheet, "prior_year.general_budget"), 3).value = 82.67
    checked = check_source(read_workbook(_slipped_book(edit), "x.xlsx"))
    found = [f for f in checked.report.findings if f.id == "W-AMOUNT-UNIT"]
    assert [f.cell for f in found] == ["基本信息!C14 上年一般公共预算当年拨款"]
    assert "相差一千倍以上" in found[0].zh and "a thousandfold" in found[0].en


_SHARED = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           '<si><t xml:space="preserve">{}</t></si></sst>')


def _escaped(text: str, *, shared: bool) -> bytes:
    """The example's workbook with the 文字 sheet's duties cell holding `text` as the file's
    XML writes it (escapes such as _x000D_ included): inline, or as Excel writes text, in the
    shared strings."""
    def edit(book):
        sheet = book["文字"]
        sheet.cell(_row(sheet, "overview.duties"), 4).value = "MARKER"
    parts = {}
    with zipfile.ZipFile(io.BytesIO(_slipped_book(edit))) as zin:
        for name in zin.namelist():
            parts[name] = zin.read(name)
    sheet = next(n for n, data in parts.items() if n.startswith("xl/worksheets/") and b"MARKER" in data)
    if shared:
        parts[sheet] = re.sub(rb't="inlineStr"><is><t>MARKER</t></is>', b't="s"><v>0</v>', parts[sheet])
        parts["xl/sharedStrings.xml"] = _SHARED.format(text).encode()
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                         b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    else:
        parts[sheet] = parts[sheet].replace(b"MARKER", text.encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared"])
@pytest.mark.parametrize("escape", ["_x000D_\n", "_x000B_", "_x000d_"])
def test_excels_escaped_characters_are_read_as_characters(shared, escape):
    """Excel writes a CR pasted into a cell as _x000D_, a soft line break from Word as
    _x000B_: read as the escape, it was printed (负责_x000D_推进)."""
    source = read_workbook(_escaped(f"第一行{escape}第二行", shared=shared), "x.xlsx")
    duties = check_source(source).data.overview.duties
    assert duties == ["第一行第二行"]


def test_an_escaped_underscore_stays_text():
    source = read_workbook(_escaped("代码_x005F_x000D_照录", shared=False), "x.xlsx")
    assert check_source(source).data.overview.duties == ["代码_x000D_照录"]


def test_a_control_character_in_a_cell_is_refused_at_its_cell():
    with pytest.raises(InputError) as info:
        read_workbook(_escaped("负责推进_x0001_流通", shared=True), "x.xlsx")
    problem, = info.value.problems
    assert problem.cell == "文字!D2"
    assert "控制字符 U+0001（在「负责推进」之后" in problem.zh and "control character U+0001" in problem.en


def test_a_text_that_looks_like_an_escape_round_trips(variant):
    written = variant(SH, ("  duties: 为大同市社会经济发展提供服务，", "  duties: 为大同市_x0041_社会经济发展提供服务，"))
    source = read_workbook(write_workbook(read_yaml(written.path)), "x.xlsx")
    assert check_source(source).data.overview.duties[0].startswith("为大同市_x0041_社会")


@pytest.mark.parametrize(("total", "warned"), [(999999, True), (None, False)], ids=["wrong", "right"])
def test_a_pasted_total_row_that_is_not_the_sum_is_warned(total, warned):
    """A pasted export's 合计 and 类/款 rows are skipped (the sums are computed): one that does
    not agree with its rows means a row left out or pasted twice."""
    rows: list[int] = []

    def edit(book):
        sheet = book["支出"]
        last = max(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value)
        column = [sheet.cell(r, 3).value or 0 for r in range(3, last + 1)]
        sheet.insert_rows(3)
        sheet["A3"], sheet["C3"] = "201", sum(v for r, v in zip(range(3, last + 1), column, strict=True)
                                                if str(sheet.cell(r + 1, 1).value).startswith("201"))
        rows.append(last + 2)
        sheet.cell(last + 2, 1).value = "合计"
        sheet.cell(last + 2, 3).value = sum(column) if total is None else total
    source = read_workbook(_slipped_book(edit), "x.xlsx")
    found = [(id, p.cell) for id, p in source.warnings if id == "W-SUBTOTAL"]
    assert found == ([("W-SUBTOTAL", f"支出!C{rows[0]} 合计")] if warned else [])
    assert check_source(source).data == check_source(read_workbook(_slipped_book(lambda b: None), "x.xlsx")).data


def test_a_figure_typed_into_the_funds_total_row_is_warned():
    """The 资金总额 row of a 绩效表 is the sum of the sources below and is not read: 120,900
    typed over its note as the 实施期 total was dropped without a word."""
    where = []

    def edit(book):
        sheet = book["绩效表1"]
        row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "资金总额")
        sheet.unmerge_cells(start_row=row, start_column=3, end_row=row, end_column=9)
        sheet.cell(row, 3).value = 15000
        where.append(row)
    source = read_workbook(_slipped_book(edit), "x.xlsx")
    found = [p for id, p in source.warnings if id == "W-SUBTOTAL"]
    assert [p.cell for p in found] == [f"绩效表1!C{where[0]} 资金总额"]
    assert "「资金总额」行的实施期资金为 15,000，而下列各资金来源之和为 0" in found[0].zh
    assert "the total is not read" in found[0].en
