"""Plain input data → YAML text (for `budgetgen import`): amounts as numbers, long text as blocks."""

from __future__ import annotations

from decimal import Decimal

import yaml


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:" + ("float" if "." in text else "int"), text)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ("'" if value.isdigit() else None)  # "084" stays text anywhere
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _text)

HEADER = """\
# budgetgen 输入文件（由工作簿导入）/ budgetgen input (imported from a workbook)
# 填写说明 / reference: docs/input-format.md
"""


def _bare_general(value: object) -> object:
    """`{general: 100}` is written `100`, as a clerk would (a bare amount is 一般公共预算)."""
    if isinstance(value, dict):
        if list(value) == ["general"]:
            return value["general"]
        return {k: _bare_general(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_bare_general(v) for v in value]
    return value


def to_yaml(data: dict, header: str = HEADER) -> str:
    body = yaml.dump(_bare_general(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    return header + body
