"""YAML file → typed `BudgetInput`, with bilingual, located error messages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from generator.model.plain import plain_zh
from generator.model.schema import BudgetInput
from generator.model.yamlsource import InputError, Problem, Source, read_yaml

YUAN_PER_UNIT = {"元": Decimal(1), "万元": Decimal(10000)}

# Chinese wording for pydantic's error types, with the limits pydantic reports (its "ctx");
# the English comes from pydantic itself.
_ZH = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（是否拼写错误？）",
    "decimal_parsing": "不是有效的数字",
    "decimal_type": "不是有效的数字",
    "finite_number": "数字必须是有限值（不能是 NaN 或 inf）",
    "decimal_max_digits": "数字位数过多（最多 {max_digits} 位）",
    "decimal_max_places": "小数位数过多（最多 {decimal_places} 位）",
    "decimal_whole_digits": "数字过大（整数部分最多 {whole_digits} 位）",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "int_parsing_size": "数字过大",
    "bool_parsing": "必须是 true 或 false",
    "string_type": "必须是文字",
    "string_too_short": "不能为空",
    "string_too_long": "文字过长（最多 {max_length} 个字）",
    "string_pattern_mismatch": "格式不对",
    "literal_error": "取值不在允许范围内",
    "list_type": "必须是列表（每项以 - 开头）",
    "dict_type": "必须是键值映射",
    "model_type": "必须是键值映射",
    "too_short": "至少需要一项",
    "value_error": "取值不合规",
}


def _problems(source: Source, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        path = tuple(p for p in item["loc"] if not _is_union_tag(p))
        zh = plain_zh(item) or _ZH.get(item["type"], "取值不合规").format(**item.get("ctx", {}))
        en = item["msg"]
        if item["type"] == "value_error":
            # Our own validators write "中文 / English".
            en = en.removeprefix("Value error, ")
            zh, _, en = en.partition(" / ") if " / " in en else (zh, "", en)
        problems.append(source.problem(path, zh, en))
    return problems


def _is_union_tag(part: object) -> bool:
    """pydantic adds the union member's type name to the location; it means nothing to users."""
    return isinstance(part, str) and (part in {"str", "list[str]"} or "[" in part
                                      or part.startswith(("constrained-", "function-")))


def load_input(path: Path) -> tuple[BudgetInput, Source]:
    """Read, parse and validate one input file. Raises InputError listing every problem."""
    source = read_yaml(path)
    return validate(source), source


def _without_nulls(value: object) -> object:
    """`goods:` left empty means the same as leaving the line out: the default applies."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def validate(source: Source) -> BudgetInput:
    """The typed model of parsed YAML, with every amount converted to 元."""
    data = _without_nulls(source.data)
    unit = data.get("amount_unit") if isinstance(data, dict) else None
    factor = YUAN_PER_UNIT.get(str(unit), Decimal(1))
    try:
        model = BudgetInput.model_validate(data, context={"yuan_per_unit": factor})
    except ValidationError as exc:
        raise InputError(source.file, _problems(source, exc)) from None
    return model
