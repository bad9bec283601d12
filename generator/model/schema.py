"""The input schema: what a finance clerk writes in the YAML file.

Every field here is a fact that cannot be derived from another one. Totals, subtotals,
类/款 rows, shares, changes and direction words are computed in `generator.derive`.

Amounts are entered in the unit declared once per file (`amount_unit`, 元 or 万元) and are
held as `Decimal`. After loading, `generator.model.load` converts every amount to 元.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from generator.model import text
from generator.model.codes import economic_code
from generator.packs import DEFAULT_FORMAT

Kind = Literal["部门", "单位"]
UnitType = Literal["行政单位", "参公单位", "事业单位"]
ProjectCategory = Literal["其他运转类", "特定目标类"]

FUND_SOURCES = ("general", "gov_fund", "state_capital", "special_account", "unit_funds")
FISCAL_SOURCES = ("general", "gov_fund", "state_capital")



def _unsigned_zero(value: Decimal) -> Decimal:
    """`-0` is zero: it must never print as "-0"."""
    return value.copy_abs() if value.is_zero() else value


MAX_YUAN = Decimal(10) ** 12  # every amount, in 元 whatever the file's unit: below 1 万亿元


def _to_yuan(value: Decimal, info: ValidationInfo) -> Decimal:
    """Convert an amount from the file's unit to 元 (the context carries the factor).

    The bound is in 元, so that an amount and every figure derived from it (a performance
    table's funds default to its project's amount) agree on what fits, in either unit.
    """
    factor = (info.context or {}).get("yuan_per_unit", 1)
    yuan = _unsigned_zero(value) * factor
    if yuan >= MAX_YUAN:
        raise ValueError(f"金额过大：{value} 折合 {yuan:,.0f} 元，每项金额应小于 1 万亿元 / "
                         f"amount too large: {value} is {yuan:,.0f} 元; every amount must be below 10^12 元")
    return yuan


def format_of(info: ValidationInfo) -> str:
    """The input's format (`document.format`), which load puts in the validation context."""
    return str((info.context or {}).get("format") or DEFAULT_FORMAT)


T = TypeVar("T")


def _needed_by_shanxi(value: T, info: ValidationInfo, field: str) -> T:
    """A fact only the Shanxi format prints: optional for another format, required for Shanxi."""
    if value is None and format_of(info) == DEFAULT_FORMAT:
        raise ValueError(f"缺少必填项 {field}（山西格式需要） / {field} is required by the shanxi format")
    return value


PLACEHOLDER = "【待填写"


def _unfilled(value: object) -> object:
    """An amount still reading 【待填写】 counts as 0; check warns (W-PLACEHOLDER) until filled."""
    return Decimal(0) if isinstance(value, str) and value.strip().startswith(PLACEHOLDER) else value


# Every number is bounded, so that no input can reach arithmetic or printing unchecked.
# An amount in the file's unit (at most 12 whole digits), held in 元 after validation and
# then below MAX_YUAN.
Money = Annotated[
    Decimal, Field(ge=0, allow_inf_nan=False, max_digits=16, decimal_places=4),
    AfterValidator(_to_yuan), BeforeValidator(_unfilled),
]
MAX_COUNT = 100_000
# How much one document may hold. Rendering time and memory grow linearly (the PDF's table
# layout dominates: 10,000 projects take about 2.5 minutes and 1.7 GB on a busy 2-core
# machine); beyond these a file is refused at once rather than left to run out of time or
# memory (benchmarks/scale.py).
MAX_PROJECTS = 10_000
MAX_PERFORMANCE_TABLES = 1_000
MAX_UNITS = 1_000
MAX_ROWS = 2_000  # 项 rows of the function classification, 表6 items
YEARS = (2000, 2100)  # the budget years a document may have
# vehicles, units, pieces of equipment; a rolled-over count to review (【待填写：上年为 2】) counts as 0
Count = Annotated[int, Field(ge=0, le=MAX_COUNT), BeforeValidator(lambda v: 0 if _unfilled(v) is not v else v)]
# A floor area in 平方米: up to 100 km², to the hundredth.
Area = Annotated[
    Decimal, Field(ge=0, le=Decimal(10) ** 8, allow_inf_nan=False, max_digits=11, decimal_places=2),
    AfterValidator(_unsigned_zero), BeforeValidator(_unfilled),
]


# Free text: a string (paragraphs split on blank lines) or a list of paragraphs.
_PARAGRAPHS = BeforeValidator(text.paragraph_list)
Paragraphs = Annotated[list[str], _PARAGRAPHS]


def _shaped_elsewhere(annotation: object) -> bool:
    """Whether a field's type is or holds a model or free text, which shape their own text."""
    if (isinstance(annotation, type) and issubclass(annotation, BaseModel)) or annotation is _PARAGRAPHS:
        return True
    return any(_shaped_elsewhere(arg) for arg in get_args(annotation))


class Strict(BaseModel):
    """Base: unknown fields are errors (a typo must never be silently ignored).

    Every text value is normalised before validation (`generator.model.text`): free text
    (`Paragraphs`) becomes one-line paragraphs, everything else one line.
    """

    # defer_build: a model's own validator is built when it is first used, not at import. The
    # input is validated as a whole, by BudgetInput's, which holds every nested model: built
    # one by one, the 27 took 0.1 s of every command.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)

    @field_validator("*", mode="before")
    @classmethod
    def _user_text(cls, value: object, info: ValidationInfo) -> object:
        assert info.field_name is not None  # "*": a field validator, always called for a field
        field = cls.model_fields[info.field_name]
        if _PARAGRAPHS in field.metadata or _shaped_elsewhere(field.annotation):
            return value
        return text.shape(value)


class Sources(Strict):
    """An amount split by fund source. A bare number in YAML means 一般公共预算."""

    general: Money = Decimal(0)  # 一般公共预算
    gov_fund: Money = Decimal(0)  # 政府性基金预算
    state_capital: Money = Decimal(0)  # 国有资本经营预算
    special_account: Money = Decimal(0)  # 财政专户管理资金
    unit_funds: Money = Decimal(0)  # 单位资金

    @model_validator(mode="before")
    @classmethod
    def _bare_number(cls, value: object) -> object:
        if isinstance(value, str | int | Decimal):
            return {"general": value}
        return value

    @property
    def total(self) -> Decimal:
        return sum((getattr(self, s) for s in FUND_SOURCES), Decimal(0))

    @property
    def fiscal(self) -> Decimal:
        """财政拨款: 一般公共预算 + 政府性基金 + 国有资本经营."""
        return self.general + self.gov_fund + self.state_capital



class FiscalSources(Sources):
    """An amount that only 财政拨款 sources can fund (三公, 机关运行经费, carry-over)."""

    @model_validator(mode="after")
    def _fiscal_only(self) -> FiscalSources:
        if self.special_account or self.unit_funds:
            raise ValueError(
                "只能使用财政拨款（general, gov_fund, state_capital） / "
                "only fiscal sources (general, gov_fund, state_capital) are allowed here"
            )
        return self


def _zero() -> Sources:
    return Sources()


def _fiscal_zero() -> FiscalSources:
    return FiscalSources()


class Document(Strict):
    """The document itself: who publishes it, for which year, in which wording."""

    name: str = Field(min_length=1, max_length=200)  # as printed on the cover
    name_plain: str | None = Field(default=None, max_length=200)  # default: name without [部门]
    kind: Kind
    year: int = Field(ge=YEARS[0], le=YEARS[1])
    format: str = Field(default="shanxi", pattern=r"^[a-z][a-z0-9_-]{0,39}$")  # the format pack
    edition: int | None = Field(default=None, ge=YEARS[0], le=YEARS[1])  # default: the pack's for the year
    city: str = Field(min_length=1, max_length=20)  # without 市, e.g. 大同
    supervisor_code: str = Field(pattern=r"^\d{3}$")  # 主管部门代码
    supervisor_name: str = Field(min_length=1, max_length=200)
    published: date | None = None  # publication date (PDF/DOCX metadata); default: 1 January

    @field_validator("edition", mode="before")
    @classmethod
    def _edition_number(cls, value: object) -> object:
        return int(value) if isinstance(value, str) and value.isdigit() else value

    @property
    def resolved_edition(self) -> int:
        """The edition given, else the format's latest edition not after the year (Shanxi:
        2023 for years ≤ 2023, else 2024)."""
        from generator.packs import find_pack

        if self.edition is not None:
            return self.edition
        return find_pack(self.format).default_edition(self.year)

    @property
    def plain_name(self) -> str:
        if self.name_plain:
            return self.name_plain
        return self.name.removesuffix("[部门]").removesuffix("［部门］")




class Overview(Strict):
    """第一部分 概况."""

    duties: Paragraphs  # a string (paragraphs split on blank lines) or a list, numbered （一）…
    organisation: Paragraphs
    list_units: bool | None = None  # append the numbered list of units; default: 部门 with > 1 unit
    numbered_duties: bool | None = None  # default: numbered when `duties` is written as a list

    @model_validator(mode="before")
    @classmethod
    def _duties_form(cls, value: object) -> object:
        """Remember how `duties` was written: load makes every free text a list."""
        if isinstance(value, dict) and value.get("numbered_duties") is None and "duties" in value:
            return {**value, "numbered_duties": not isinstance(value["duties"], str)}
        return value


class Unit(Strict):
    """A budget unit of the department (表11, 表12, §八, §十)."""

    name: str = Field(min_length=1, max_length=200)
    type: UnitType
    operating_costs: FiscalSources = Field(default_factory=_fiscal_zero)  # 机关运行经费


class ExpenditureRow(Strict):
    """One 7-digit 项 of the 政府支出功能分类, split by 基本/项目 and by fund source.

    `basic` and `project` are this year's budget (当年); `carryover_*` are 上年结转.
    """

    code: str = Field(pattern=r"^\d{7}$")
    name: str | None = Field(default=None, max_length=100)  # needed only for an unknown code
    basic: Sources = Field(default_factory=_zero)
    project: Sources = Field(default_factory=_zero)
    carryover_basic: FiscalSources = Field(default_factory=_fiscal_zero)
    carryover_project: FiscalSources = Field(default_factory=_fiscal_zero)
    basic_public: Money | None = None  # of `basic`, the 公用经费 (where a table splits 人员/公用 by 类)
    prior_actual: Money | None = None  # 上年当年预算执行数 (财政拨款), for the 项 paragraph of 编制说明
    use: str | None = Field(default=None, max_length=2000)  # 主要用于…
    reason: str | None = Field(default=None, max_length=2000)  # 主要原因是… (change against 执行数)


class IncomeRow(Strict):
    """A 收入科目 row of 表7 (政府性基金) or 表9 (国有资本经营)."""

    code: str = Field(pattern=r"^\d{3,7}$")
    name: str = Field(min_length=1, max_length=100)
    amount: Money


class EconomicItem(Strict):
    """One row of 表6: a 部门预算支出经济科目 with its 政府预算支出经济科目."""

    code: str = Field(pattern=r"^\d{5}$")  # 部门经济分类 item code, e.g. 30101; or found by name
    name: str | None = Field(default=None, max_length=100)  # default: the standard name
    gov: str | None = Field(default=None, max_length=100)  # 政府预算支出经济科目; default: the standard one
    amount: Money

    @model_validator(mode="before")
    @classmethod
    def _code_from_name(cls, value: object) -> object:
        """A row given by its 部门 (or 政府) 经济科目 name alone gets the catalogue's code."""
        if not isinstance(value, dict) or value.get("code") or not (value.get("name") or value.get("gov")):
            return value
        name, gov = (str(value[k]).strip() if value.get(k) else None for k in ("name", "gov"))
        found = economic_code(name, gov)
        if found.code is not None:
            return {**value, "code": found.code}
        listed = "；".join(found.candidates) or "无"
        zh, en = ("有多个", "several items are") if found.ambiguous else ("没有", "no item is")
        raise ValueError(f"目录中{zh}名为「{name or gov}」的经济科目，请填写 code。候选：{listed} / "
                         f"{en} named {name or gov!r} in the catalogue: give the code. Candidates: {listed}")


class ThreePublicItem(Strict):
    amount: FiscalSources = Field(default_factory=_fiscal_zero)
    prior: Money = Decimal(0)
    reason: str | None = Field(default=None, max_length=2000)


class ThreePublic(Strict):
    """“三公”经费 (表10, §七)."""

    reason: str | None = Field(default=None, max_length=2000)  # reason for the total change
    overseas: ThreePublicItem = Field(default_factory=ThreePublicItem)  # 因公出国（境）费
    reception: ThreePublicItem = Field(default_factory=ThreePublicItem)  # 公务接待费
    vehicle_purchase: ThreePublicItem = Field(default_factory=ThreePublicItem)  # ①购置费
    vehicle_operation: ThreePublicItem = Field(default_factory=ThreePublicItem)  # ②运行维护费
    vehicles_reason: str | None = Field(default=None, max_length=2000)  # 公务用车购置及运行费 as a whole


class OperatingCosts(Strict):
    """§八 inputs shared by the units' 机关运行经费."""

    prior: Money = Decimal(0)
    reason: str | None = Field(default=None, max_length=2000)
    items: list[str] = Field(default_factory=list)  # 2023 edition: 主要为…等
    text: Paragraphs | None = None  # replaces the generated §八 text (e.g. for a 事业单位)


class PriorYear(Strict):
    total: Money | None = Field(default=None, validate_default=True)  # 上年预算收支总计 (§一)
    general_budget: Money  # 上年一般公共预算当年拨款 (§五)
    gov_fund: Money = Decimal(0)  # 上年政府性基金预算拨款
    state_capital: Money = Decimal(0)  # 上年国有资本经营预算拨款

    @field_validator("total")
    @classmethod
    def _total_for_shanxi(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return _needed_by_shanxi(value, info, "prior_year.total")

    @property
    def fiscal(self) -> Decimal:
        """上年财政拨款: 一般公共预算 + 政府性基金 + 国有资本经营."""
        return self.general_budget + self.gov_fund + self.state_capital


class Reasons(Strict):
    income: str | None = Field(default=None, max_length=2000)  # needed when the total changes
    expenditure: str | None = Field(default=None, max_length=2000)  # default: same as income


class Procurement(Strict):
    goods: Money = Decimal(0)
    works: Money = Decimal(0)
    services: Money = Decimal(0)
    sme_reserved: Money | None = None  # 面向中小企业预留
    small_micro_reserved: Money | None = None  # 其中预留给小型和微型企业

    @property
    def total(self) -> Decimal:
        return self.goods + self.works + self.services


class UnitFundsIncome(Strict):
    """How 单位资金 (`unit_funds`) divides into the income kinds a format may print."""

    service: Money = Decimal(0)  # 事业收入
    operating: Money = Decimal(0)  # 事业单位经营收入
    other: Money = Decimal(0)  # 其他收入

    @property
    def total(self) -> Decimal:
        return self.service + self.operating + self.other


class Vehicles(Strict):
    quota: Count = 0  # 编制
    leader: Count = 0  # 领导用车
    confidential: Count = 0  # 机要通信用车
    emergency: Count = 0  # 应急保障用车
    law_enforcement: Count = 0  # 执法执勤用车
    special: Count = 0  # 特种专业技术用车
    institution: Count = 0  # 事业单位业务用车
    other: Count = 0  # 其他公务用车
    ministerial: Count = 0  # 部级领导干部用车
    retired: Count = 0  # 离退休干部用车

    @property
    def actual(self) -> int:
        return (
            self.leader + self.confidential + self.emergency + self.law_enforcement
            + self.special + self.institution + self.other + self.ministerial + self.retired
        )


class AssetTexts(Strict):
    vehicles: Paragraphs
    buildings: Paragraphs
    other: Paragraphs


class Assets(Strict):
    """§十一. Either the structured 2024 form or free text under the three sub-headings."""

    as_of: str | None = Field(default=None, max_length=40)  # e.g. 2023年12月31日
    vehicles: Vehicles | None = None
    office_area: Area | None = None  # 平方米
    equipment_over_500k: Count | None = None  # 50万元以上通用设备 台（套）
    equipment_over_1m: Count | None = None  # 100万元以上
    vehicles_to_buy: Vehicles | None = None  # 本年预算安排购置的车辆
    equipment_over_1m_to_buy: Count | None = None  # 本年预算安排购置100万元以上设备
    text: AssetTexts | None = None

    @model_validator(mode="after")
    def _one_form(self, info: ValidationInfo) -> Assets:
        names = ["as_of", "vehicles", "equipment_over_1m"]
        if format_of(info) == DEFAULT_FORMAT:
            names[2:2] = ["office_area", "equipment_over_500k"]
        structured = [getattr(self, n) for n in names]
        if self.text is None and any(v is None for v in structured):
            raise ValueError(
                f"需要 {'、'.join(names)}，或者 text / give {', '.join(names[:-1])} and {names[-1]}, or text"
            )
        if self.text is not None and any(v is not None for v in structured):
            raise ValueError("结构化字段与 text 只能二选一 / give either the structured fields or text")
        return self


class OtherNotes(Strict):
    """§十二."""

    purchase_catalogue: Paragraphs  # （一）政府购买服务指导性目录
    other: Paragraphs  # （二）其他


class Performance(Strict):
    """§十 inputs that no table holds."""

    units_reporting: Count | None = None  # m: units with 整体绩效目标
    overall_amount: Money | None = None  # T2: default the budget total
    statement: Literal["boilerplate", "total"] = "boilerplate"  # 2023 §十-2 form
    targeted_projects: Count | None = None  # 编报绩效目标的项目个数, where the projects are not listed
    targeted_amount: Money | None = None  # 涉及项目预算资金, where the projects are not listed


class Project(Strict):
    """A 项目 of 表12 (this year) and/or 表13 (上年结转)."""

    name: str = Field(min_length=1, max_length=200)
    unit: str | None = None  # default: the only unit
    category: ProjectCategory = "其他运转类"
    code: str | None = Field(default=None, pattern=r"^\d{7}$")  # function code, where known
    amount: Sources = Field(default_factory=_zero)  # 本年预算
    carryover: FiscalSources = Field(default_factory=_fiscal_zero)  # 上年结转
    performance_target: bool = False  # 编报绩效目标 (named with its amount where the format lists them)


class ProjectNotes(Strict):
    """项目经费情况说明 (a 部门's description of its main project funding)."""

    overview: Paragraphs  # 项目概况/概述
    basis: Paragraphs  # 立项依据
    executor: Paragraphs  # 实施主体
    plan: Paragraphs  # 实施方案
    period: Paragraphs  # 实施周期
    annual_budget: Paragraphs  # 年度预算安排
    goal: Paragraphs  # 绩效目标


PerformanceSide = Literal["period", "annual"]
SECOND_LEVEL = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
SECOND_LEVEL_NAMES = tuple(n for names in SECOND_LEVEL.values() for n in names)


class Funding(Strict):
    """项目资金 by level of government, in the file's unit (printed in 元).

    Omitted: the project's amount, all 市县(区)财政资金.
    """

    central: Money = Decimal(0)  # 中央财政资金
    provincial: Money = Decimal(0)  # 省级财政资金
    city: Money = Decimal(0)  # 市县(区)财政资金
    own: Money = Decimal(0)  # 单位自筹
    other: Money = Decimal(0)  # 其他资金

    @property
    def total(self) -> Decimal:
        return self.central + self.provincial + self.city + self.own + self.other


Indicator = dict[str, str]  # one {三级指标: 指标值} pair
Indicators = dict[
    Literal[
        "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标",
        "生态效益指标", "可持续影响指标", "服务对象满意度指标",
    ],
    list[Indicator],
]


class PerformanceTable(Strict):
    """One 项目支出绩效目标表 (spec §5). Listed in the order they are printed."""

    project: str  # the project's name, exactly as in `projects`
    unit: str | None = None  # only needed when two units have projects of that name
    published: bool = True
    attribute: Literal["经常性项目（长期开展）", "一次性项目（1年结束）"] = "经常性项目（长期开展）"
    period_years: int = Field(default=99, ge=1, le=99)  # 项目期
    period_funding: Funding | None = None  # 实施期; default: same as annual
    annual_funding: Funding | None = None  # 年度; default: the project amount, all 市县
    overview: str = ""  # 项目概况
    basis: str = ""  # 立项依据
    necessity: str = ""  # 项目设立必要性
    measures: str = ""  # 保证项目实施的制度、措施
    plan: str = ""  # 项目实施计划
    period_goal: str = ""  # 总体目标 实施期目标
    annual_goal: str | None = None  # 年度目标; default: the 实施期 goal
    period_indicators: Indicators = Field(default_factory=dict)
    annual_indicators: Indicators | None = None  # default: the 实施期 indicators
    leader: str = ""  # 负责人
    handler: str = ""  # 经办人
    phone: str = ""  # 联系电话
    filled_on: str = ""  # 填报日期, free text

    @field_validator("period_indicators", "annual_indicators")
    @classmethod
    def _one_pair_each(cls, value: Indicators | None) -> Indicators | None:
        for rows in (value or {}).values():
            for row in rows:
                if len(row) != 1:
                    raise ValueError(
                        "每条三级指标写成「名称: 指标值」 / write each indicator as `name: value`"
                    )
        return value


class Style(Strict):
    """Number formatting choices that the examples disagree on (spec §8)."""

    zero_amount: Literal["0", "0.00"] | None = None  # default: 2024 "0", 2023 "0.00"
    zero_percent: Literal["0%", "0.00%"] | None = None  # default: follows zero_amount
    thousands: bool = True  # 2,730.51 in the narrative
    text_rounding: Literal["half_up", "down"] = "half_up"  # 万元 in the text: 87.708 → 87.71 or 87.70
    table_decimals: int = Field(default=2, ge=0, le=2)  # 元 tables: 31,214,205.80 or 156,211,123 (formats printing 元)
    # How a zero cell prints, by table id ("T1"…) or "default": "blank" (default), "0" or "0.00"
    table_zero: dict[str, Literal["blank", "0", "0.00"]] = Field(default_factory=dict)
    fonts: dict[Literal["title", "heading", "subheading", "body", "table"], str] = Field(default_factory=dict)


class BudgetInput(Strict):
    """The whole YAML file."""

    amount_unit: Literal["元", "万元"]
    document: Document
    overview: Overview
    units: list[Unit] = Field(min_length=1, max_length=MAX_UNITS)
    expenditure: list[ExpenditureRow] = Field(default_factory=list, max_length=MAX_ROWS)
    function_names: dict[str, str] = Field(default_factory=dict)  # names of unknown 类/款 codes
    economic_items: list[EconomicItem] = Field(default_factory=list, max_length=MAX_ROWS)  # 表6
    gov_fund_income: list[IncomeRow] = Field(default_factory=list)  # 表7
    state_capital_income: list[IncomeRow] = Field(default_factory=list)  # 表9 收入
    three_public: ThreePublic = Field(default_factory=ThreePublic)
    operating_costs: OperatingCosts = Field(default_factory=OperatingCosts)
    prior_year: PriorYear
    reasons: Reasons = Field(default_factory=Reasons)
    procurement: Procurement = Field(default_factory=Procurement)
    unit_funds_income: UnitFundsIncome | None = None  # 单位资金 by income kind (Shanghai 收入预算总表)
    projects: list[Project] = Field(default_factory=list, max_length=MAX_PROJECTS)
    performance: Performance = Field(default_factory=Performance)
    performance_tables: list[PerformanceTable] = Field(default_factory=list, max_length=MAX_PERFORMANCE_TABLES)
    assets: Assets
    other_notes: OtherNotes | None = Field(default=None, validate_default=True)
    project_notes: ProjectNotes | None = None  # 项目经费情况说明
    glossary: list[str] | None = None  # replaces the standard 名词解释, one entry per item
    style: Style = Field(default_factory=Style)

    @field_validator("other_notes")
    @classmethod
    def _other_notes_for_shanxi(cls, value: OtherNotes | None, info: ValidationInfo) -> OtherNotes | None:
        return _needed_by_shanxi(value, info, "other_notes")
