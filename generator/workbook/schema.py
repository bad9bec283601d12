"""The input workbook's sheets: which input field lives in which column or row.

The workbook is a second way of writing the same input as the YAML file. Each sheet is
described here once, as data; `writer` and `reader` both follow these descriptions, so a
field cannot be written in one place and read from another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from generator.model.schema import SECOND_LEVEL
from generator.packs import DEFAULT_FORMAT, builtin_packs, find_pack

Kind = Literal["text", "code", "amount", "number", "int", "bool", "choice"]
Key = tuple[str, ...]

YES, NO = "是", "否"
# Where the workbook mirrors the printed form (fund sources, 三公, the performance table), its
# labels are the default format pack's: one data model, entered the same way for every format.
_PACK = find_pack(DEFAULT_FORMAT)
FORM = _PACK.form(max(_PACK.editions))
PERF = FORM["performance"]
SOURCES = tuple(FORM["fund_sources"].items())
# 格式版本 and 公开格式 are chosen per input: the editions of every shipped format are offered
EDITIONS = tuple(str(e) for e in sorted({e for pack in builtin_packs() for e in pack.editions}))
FORMATS = "；".join(f"{p.name}：{p.title}（版本 {'、'.join(map(str, p.editions))}）" for p in builtin_packs())
FISCAL = SOURCES[:3]
AMOUNT_HELP = "金额，单位见「基本信息」的金额单位；不填即为 0"


@dataclass(frozen=True)
class Field:
    """One value: where it goes in the data, its printed label and how a cell holds it."""

    key: Key
    label: str
    kind: Kind = "text"
    help: str = ""
    choices: tuple[str, ...] = ()
    values: tuple[str, ...] = ()  # the input's value of each choice, where it is not the choice itself
    group: str = ""  # a header above several columns (基本支出, 项目支出 …)
    width: int = 14


def _sources(prefix: str, group: str, fiscal_only: bool = False) -> tuple[Field, ...]:
    return tuple(Field((prefix, key), label, "amount", AMOUNT_HELP, group=group, width=13)
                 for key, label in (FISCAL if fiscal_only else SOURCES))


@dataclass(frozen=True)
class TableSheet:
    """A list of records, one per row (支出, 表6, 项目 …); or a mapping when `mapping`."""

    title: str
    path: Key
    columns: tuple[Field, ...]
    label: tuple[int, ...] = (0, 1)  # the columns that name a row in messages
    skip_subtotals: bool = False  # 支出, 项目: 合计 rows (and 支出's 3/5-digit 类/款 rows) are skipped
    mapping: bool = False  # column 0 is the key, column 1 the value

    @property
    def header_rows(self) -> int:
        return 2 if any(c.group for c in self.columns) else 1


@dataclass(frozen=True)
class FormSheet:
    """One field per row: label, key, value, help (基本信息, 政府采购)."""

    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class GridRow:
    path: Key
    label: str


@dataclass(frozen=True)
class GridSheet:
    """Fixed rows × columns (三公: one row per item)."""

    title: str
    rows: tuple[GridRow, ...]
    columns: tuple[Field, ...]


@dataclass(frozen=True)
class TextSheet:
    """Free texts, one paragraph per row; numbered rows make a list."""

    title: str
    fields: tuple[Field, ...]


KIND_CHOICES = ("部门", "单位")
UNIT_TYPES = ("行政单位", "参公单位", "事业单位")
CATEGORIES = ("其他运转类", "特定目标类")
ATTRIBUTES = ("经常性项目（长期开展）", "一次性项目（1年结束）")

BASIC = FormSheet("基本信息", (
    Field(("amount_unit",), "金额单位", "choice", "本工作簿所有金额的单位：元 或 万元", ("元", "万元")),
    Field(("document", "name"), "部门（单位）全称", help="封面上的名称，如 大同市商务局[部门]"),
    Field(("document", "name_plain"), "简称", help="不含[部门]的名称；不填则自动去掉[部门]"),
    Field(("document", "kind"), "预算类型", "choice", "部门 或 单位", KIND_CHOICES),
    Field(("document", "year"), "预算年度", "int", "四位年份，如 2025"),
    Field(("document", "edition"), "格式版本", "int", "公开格式的版本（见「公开格式」）；不填按年度", EDITIONS),
    Field(("document", "city"), "城市", help="不含“市”，如 大同"),
    Field(("document", "supervisor_code"), "主管部门代码", "code", "3 位数字，如 083"),
    Field(("document", "supervisor_name"), "主管部门名称"),
    Field(("overview", "list_units"), "概况中列出所属单位", "bool", "是/否；不填：部门且多于一个单位时列出",
          (YES, NO)),
    Field(("overview", "numbered_duties"), "职责编号（一）（二）", "bool", "是/否；不填：职责分行填写时编号",
          (YES, NO)),
    Field(("prior_year", "total"), "上年预算收支总计", "amount", "§一 的上年数"),
    Field(("prior_year", "general_budget"), "上年一般公共预算当年拨款", "amount", "§五 的上年数"),
    Field(("reasons", "income"), "收入增减主要原因", help="总计有增减时必填；不要以“。”结尾"),
    Field(("reasons", "expenditure"), "支出增减主要原因", help="不填则与收入相同"),
    Field(("operating_costs", "prior"), "上年机关运行经费", "amount"),
    Field(("operating_costs", "reason"), "机关运行经费增减原因"),
    Field(("performance", "units_reporting"), "编报整体绩效目标的单位数", "int"),
    Field(("performance", "overall_amount"), "整体绩效目标涉及资金", "amount", "不填即为预算总计"),
    Field(("performance", "statement"), "§十 第2段写法（2023）", "choice",
          "全部项目实行绩效目标管理（固定表述）或 写明项目个数和金额", ("固定表述", "写明项目个数和金额"),
          values=("boilerplate", "total")),
    Field(("assets", "as_of"), "资产统计日期", help="如 2024年12月31日"),
    Field(("assets", "vehicles", "quota"), "车辆编制数", "int"),
    Field(("assets", "vehicles", "leader"), "领导用车", "int"),
    Field(("assets", "vehicles", "confidential"), "机要通信用车", "int"),
    Field(("assets", "vehicles", "emergency"), "应急保障用车", "int"),
    Field(("assets", "vehicles", "law_enforcement"), "执法执勤用车", "int"),
    Field(("assets", "vehicles", "special"), "特种专业技术用车", "int"),
    Field(("assets", "vehicles", "institution"), "事业单位业务用车", "int"),
    Field(("assets", "vehicles", "other"), "其他公务用车", "int"),
    Field(("assets", "office_area"), "办公用房建筑面积（平方米）", "number"),
    Field(("assets", "equipment_over_500k"), "50万元以上通用设备（台套）", "int"),
    Field(("assets", "equipment_over_1m"), "100万元以上通用设备（台套）", "int"),
    Field(("style", "zero_amount"), "零金额写法", "choice", "0 或 0.00；不填按版本", ("0", "0.00")),
    Field(("style", "zero_percent"), "零百分比写法", "choice", "0% 或 0.00%", ("0%", "0.00%")),
    Field(("style", "thousands"), "正文金额千分位", "bool", "是/否", (YES, NO)),
    Field(("style", "fonts", "title"), "标题字体"),
    Field(("style", "fonts", "heading"), "小标题字体"),
    Field(("style", "fonts", "body"), "正文字体"),
    Field(("style", "fonts", "table"), "表格字体"),
    Field(("document", "format"), "公开格式", help=f"格式包名称；不填为 {DEFAULT_FORMAT}。{FORMATS}"),
    # The Shanghai format's facts (docs/input-format.md §2.22), after the rest so that the
    # workbooks written before keep their cells.
    Field(("prior_year", "gov_fund"), "上年政府性基金预算拨款", "amount", "上海格式"),
    Field(("prior_year", "state_capital"), "上年国有资本经营预算拨款", "amount", "上海格式"),
    Field(("unit_funds_income", "service"), "单位资金中的事业收入", "amount", "上海格式"),
    Field(("unit_funds_income", "operating"), "单位资金中的事业单位经营收入", "amount", "上海格式"),
    Field(("unit_funds_income", "other"), "单位资金中的其他收入", "amount", "上海格式"),
    Field(("three_public", "vehicles_reason"), "公务用车购置及运行费增减原因", help="上海格式"),
    Field(("performance", "targeted_projects"), "编报绩效目标的项目数", "int", "上海格式；项目未逐个列出时"),
    Field(("performance", "targeted_amount"), "编报绩效目标的项目资金", "amount", "上海格式；项目未逐个列出时"),
    Field(("assets", "vehicles", "ministerial"), "部级领导干部用车", "int"),
    Field(("assets", "vehicles", "retired"), "离退休干部用车", "int"),
    Field(("assets", "vehicles_to_buy", "ministerial"), "本年购置部级领导干部用车", "int"),
    Field(("assets", "vehicles_to_buy", "leader"), "本年购置主要领导干部用车", "int"),
    Field(("assets", "vehicles_to_buy", "confidential"), "本年购置机要通信用车", "int"),
    Field(("assets", "vehicles_to_buy", "emergency"), "本年购置应急保障用车", "int"),
    Field(("assets", "vehicles_to_buy", "law_enforcement"), "本年购置执法执勤用车", "int"),
    Field(("assets", "vehicles_to_buy", "special"), "本年购置特种专业技术用车", "int"),
    Field(("assets", "vehicles_to_buy", "institution"), "本年购置事业单位业务用车", "int"),
    Field(("assets", "vehicles_to_buy", "retired"), "本年购置离退休干部用车", "int"),
    Field(("assets", "vehicles_to_buy", "other"), "本年购置其他公务用车", "int"),
    Field(("assets", "equipment_over_1m_to_buy"), "本年购置100万元以上设备（台套）", "int"),
    Field(("style", "text_rounding"), "正文万元取舍", "choice", "half_up 或 down（上海格式）", ("half_up", "down")),
    Field(("style", "table_decimals"), "表中元金额小数位", "int", "2 或 0（上海格式）"),
    Field(("style", "table_zero", "default"), "表中零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T1"), "T1 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T2"), "T2 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T3"), "T3 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T4"), "T4 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T5"), "T5 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T6"), "T6 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T7"), "T7 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T8"), "T8 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
    Field(("style", "table_zero", "T9"), "T9 零值", "choice", "blank、0 或 0.00（上海格式）", ("blank", "0", "0.00")),
))

# Sections written as `{}` meaning "every count 0" (assets.vehicles): their counts are written as 0.
ZERO_SECTIONS: tuple[Key, ...] = (("assets", "vehicles"),)

TEXTS = TextSheet("文字", (
    Field(("overview", "duties"), "部门职责", help="每行一段；填了编号的各行按（一）（二）…编号"),
    Field(("overview", "organisation"), "机构设置"),
    Field(("operating_costs", "items"), "机关运行经费主要用途（2023）"),
    Field(("operating_costs", "text"), "§八 全文（替代自动生成）"),
    Field(("assets", "text", "vehicles"), "车辆情况（文字形式）"),
    Field(("assets", "text", "buildings"), "房屋情况（文字形式）"),
    Field(("assets", "text", "other"), "其他资产情况（文字形式）"),
    Field(("other_notes", "purchase_catalogue"), "政府购买服务指导性目录"),
    Field(("other_notes", "other"), "其他说明"),
    Field(("glossary",), "名词解释（替代标准条目）"),
    Field(("project_notes", "overview"), "项目经费情况说明·项目概况"),
    Field(("project_notes", "basis"), "项目经费情况说明·立项依据"),
    Field(("project_notes", "executor"), "项目经费情况说明·实施主体"),
    Field(("project_notes", "plan"), "项目经费情况说明·实施方案"),
    Field(("project_notes", "period"), "项目经费情况说明·实施周期"),
    Field(("project_notes", "annual_budget"), "项目经费情况说明·年度预算安排"),
    Field(("project_notes", "goal"), "项目经费情况说明·绩效目标"),
))

UNITS = TableSheet("单位", ("units",), (
    Field(("name",), "单位名称", width=30),
    Field(("type",), "单位类型", "choice", "行政单位 / 参公单位 / 事业单位", UNIT_TYPES),
    *_sources("operating_costs", "机关运行经费", fiscal_only=True),
), label=(0,))

EXPENDITURE = TableSheet("支出", ("expenditure",), (
    Field(("code",), "科目编码", "code", "支出功能分类 7 位项级编码；类、款行（3、5 位）自动跳过"),
    Field(("name",), "科目名称", help="标准科目可不填", width=24),
    *_sources("basic", "基本支出"),
    *_sources("project", "项目支出"),
    *_sources("carryover_basic", "上年结转·基本支出", fiscal_only=True),
    *_sources("carryover_project", "上年结转·项目支出", fiscal_only=True),
    Field(("basic_public",), "基本支出中的公用经费", "amount", "上海格式（单位）"),
    Field(("prior_actual",), "上年执行数", "amount", "上海格式：上年当年预算执行数"),
    Field(("use",), "主要用于", help="上海格式", width=30),
    Field(("reason",), "与执行数相比的变化原因", help="上海格式", width=30),
), skip_subtotals=True)

FUNCTION_NAMES = TableSheet("科目名称", ("function_names",), (
    Field(("code",), "科目编码", "code", "不在标准目录中的类、款科目（3 或 5 位）"),
    Field(("name",), "科目名称", width=30),
), mapping=True)

ECONOMIC = TableSheet("表6经济科目", ("economic_items",), (
    Field(("code",), "部门经济科目编码", "code", "5 位，如 30101；只填名称时按名称查找"),
    Field(("name",), "部门经济科目名称", help="标准科目可不填", width=24),
    Field(("gov",), "政府经济科目名称", help="如 工资奖金津补贴；不填按标准对应", width=24),
    Field(("amount",), "金额", "amount", AMOUNT_HELP),
), label=(0, 1, 2))

_INCOME = (Field(("code",), "收入科目编码", "code", "3–7 位"), Field(("name",), "收入科目名称", width=30),
           Field(("amount",), "金额", "amount", AMOUNT_HELP))
GOV_FUND_INCOME = TableSheet("政府性基金收入", ("gov_fund_income",), _INCOME)
STATE_CAPITAL_INCOME = TableSheet("国有资本经营收入", ("state_capital_income",), _INCOME)

PROJECTS = TableSheet("项目", ("projects",), (
    Field(("unit",), "单位名称", help="只有一个单位时可不填", width=24),
    Field(("name",), "项目名称", width=30),
    Field(("category",), "项目类别", "choice", "其他运转类 / 特定目标类", CATEGORIES),
    Field(("code",), "功能科目编码", "code", "7 位，已知时填写"),
    *_sources("amount", "本年预算"),
    *_sources("carryover", "上年结转", fiscal_only=True),
    Field(("performance_target",), "编报绩效目标", "bool", "是/否（上海格式逐个列出）", (YES, NO)),
), label=(1, 0), skip_subtotals=True)

THREE_PUBLIC = GridSheet("三公", (
    *(GridRow(("three_public", key), FORM["three_public"][key])
      for key in ("overseas", "reception", "vehicle_purchase", "vehicle_operation")),
    GridRow(("three_public",), "合计（只填增减原因）"),
), (
    *_sources("amount", "本年预算", fiscal_only=True),
    Field(("prior",), "上年预算", "amount", AMOUNT_HELP),
    Field(("reason",), "增减原因", help="有增减时填写", width=40),
))

PROCUREMENT = FormSheet("政府采购", (
    Field(("procurement", "goods"), "货物", "amount", AMOUNT_HELP),
    Field(("procurement", "works"), "工程", "amount", AMOUNT_HELP),
    Field(("procurement", "services"), "服务", "amount", AMOUNT_HELP),
    Field(("procurement", "sme_reserved"), "面向中小企业预留", "amount", "上海格式"),
    Field(("procurement", "small_micro_reserved"), "其中预留给小微企业", "amount", "上海格式"),
))

SHEETS = (BASIC, TEXTS, UNITS, EXPENDITURE, FUNCTION_NAMES, ECONOMIC, GOV_FUND_INCOME,
          STATE_CAPITAL_INCOME, PROJECTS, THREE_PUBLIC, PROCUREMENT)

# 绩效目标表: one sheet each, named PERF_PREFIX + number, in printed order.
PERF_PREFIX = "绩效表"


def sheet_title(path: tuple[str | int, ...]) -> str | None:
    """The title of the sheet that holds the value at `path`, if a sheet does: findings of
    a YAML file are named as those of the same workbook would be."""
    if not path:
        return None
    if len(path) > 1 and path[0] == "performance_tables" and isinstance(path[1], int):
        return f"{PERF_PREFIX}{path[1] + 1}"
    for sheet in SHEETS:
        if isinstance(sheet, TableSheet):
            keys: tuple[tuple[str | int, ...], ...] = (sheet.path,)
        elif isinstance(sheet, GridSheet):
            keys = tuple(row.path for row in sheet.rows)
        else:
            keys = tuple(field.key for field in sheet.fields)
        if any(path[:len(key)] == key or key[:len(path)] == path for key in keys):  # within, or around
            return sheet.title
    return None


FIRST_LEVEL = {second: first for first, seconds in SECOND_LEVEL.items() for second in seconds}
FUNDING = tuple((row["key"], row.get("name", row["label"])) for row in PERF["funding"])


def plain_label(label: str) -> str:
    """A printed label without its colon: 负责人: → 负责人."""
    return label.rstrip(":：")


# Fields of a performance table beside their label (column A), value in column B.
PERF_TEXTS = (
    Field(("project",), PERF["project"], help="与「项目」表中的名称完全一致"),
    Field(("unit",), PERF["unit"], help="两个单位有同名项目时填写"),
    Field(("published",), "是否公开", "bool", "是/否；不填为是", (YES, NO)),
    Field(("attribute",), PERF["attribute"], "choice", "不填为经常性项目", ATTRIBUTES),
    Field(("period_years",), PERF["period"] + "（年）", "int", "1–99；不填为 99"),
    *(Field((row["key"],), row["label"]) for row in PERF["texts"]),
)
_CONTACT_KINDS: dict[str, Kind] = {"phone": "code", "filled_on": "code"}
PERF_CONTACTS = tuple(Field((row["key"],), plain_label(row["label"]), _CONTACT_KINDS.get(row["key"], "text"))
                      for row in PERF["footer"])
