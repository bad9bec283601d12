"""pydantic's error types in plain Chinese, with what to write instead.

`load` falls back to its short table for any type not refined here.
"""

from __future__ import annotations

import re

# The code fields' patterns → what a clerk should write.
_PATTERNS = {
    r"^\d{3}$": "应为 3 位数字，如 083（开头的 0 要保留：YAML 中写成 \"083\"，表格中设为文本）",
    r"^\d{5}$": "应为 5 位数字的经济科目编码，如 30101",
    r"^\d{7}$": "应为 7 位数字的功能科目编码，如 2010301",
    r"^\d{3,7}$": "应为 3 至 7 位数字的收入科目编码，如 103",
}


def plain_zh(item: dict) -> str | None:
    """A plain Chinese message for one pydantic error, or None to use the short default."""
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(str(ctx.get("pattern")))
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if not choices:
            return None
        return "只能填写：" + "、".join(choices[:-1]) + ("或" if len(choices) > 1 else "") + choices[-1]
    if kind in ("decimal_parsing", "decimal_type"):
        return "不是有效的数字：只写数字，不带单位、逗号或空格，如 12345.67"
    if kind == "decimal_max_places":
        return f"小数位数过多（最多 {ctx.get('decimal_places')} 位）"
    if kind == "greater_than_equal":
        return "不能为负数" if str(ctx.get("ge")) == "0" else f"不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "string_too_long":
        return f"文字过长：最多 {ctx.get('max_length')} 个字"
    if kind in ("int_parsing", "int_from_float"):
        return "必须是整数，如 2025"
    return None
