"""pydantic's error types in plain Chinese, with what to write instead where it helps."""

from __future__ import annotations

import re

from pydantic_core import ErrorDetails

# The code fields' patterns → what a clerk should write.
_PATTERNS = {
    r"^\d{3}$": "应为 3 位数字，如 083（开头的 0 要保留：YAML 中写成 \"083\"，表格中设为文本）",
    r"^\d{5}$": "应为 5 位数字（经济科目的编码），如 30101",
    r"^\d{7}$": "应为 7 位数字（功能科目的编码），如 2010301",
    r"^\d{3,7}$": "应为 3 至 7 位数字（收入科目的编码），如 103",
}


# Chinese wording for pydantic's error types, with the limits pydantic reports (its "ctx");
# the English comes from pydantic itself.
_DEFAULT = {
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
    "too_long": "条目过多（最多 {max_length} 项）",
    "value_error": "取值不合规",
}


def plain_zh(item: ErrorDetails) -> str:
    """A plain Chinese message for one pydantic error."""
    kind, ctx = item["type"], item.get("ctx") or {}
    return _refined(kind, ctx) or _DEFAULT.get(kind, "取值不合规").format(**ctx)


def _refined(kind: str, ctx: dict) -> str | None:
    """What to write instead, for the errors a clerk meets most; None: the short default."""
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(ctx.get("pattern")))
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if not choices:
            return None
        return "只能填写：" + "、".join(choices[:-1]) + ("或" if len(choices) > 1 else "") + choices[-1]
    if kind in ("decimal_parsing", "decimal_type"):
        return "不是有效的数字：只写数字，不带单位、逗号或空格，如 12345.67"
    if kind == "greater_than_equal":
        return "不能为负数" if str(ctx.get("ge")) == "0" else f"不能小于 {ctx.get('ge')}"
    if kind in ("int_parsing", "int_from_float"):
        return "必须是整数，如 2025"
    return None
