"""YAML file → typed `BudgetInput`, with bilingual, located error messages."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from generator.model.plain import plain_zh
from generator.model.schema import BudgetInput
from generator.model.yamlsource import InputError, Problem, Source, read_yaml

YUAN_PER_UNIT = {"元": Decimal(1), "万元": Decimal(10000)}

def _problems(source: Source, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        path = tuple(p for p in item["loc"] if not _is_union_tag(p))
        zh = plain_zh(item)
        en = item["msg"]
        if item["type"] == "value_error":
            # Our own validators write "中文 / English".
            en = en.removeprefix("Value error, ")
            zh, _, en = en.partition(" / ") if " / " in en else (zh, "", en)
        shown = _shown(item.get("input"))
        if shown and shown not in zh:  # repeat the value rejected, so the clerk sees what was read
            zh, en = f"{zh}（读到的值：{shown}）", f"{en} (value read: {shown})"
        problems.append(source.problem(path, zh, en))
    return problems


def _shown(value: object) -> str:
    """A rejected scalar as the clerk would recognise it; "" for a mapping, list or nothing."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


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
    document = data.get("document") if isinstance(data, dict) else None
    fmt = document.get("format") if isinstance(document, dict) else None
    try:
        model = BudgetInput.model_validate(data, context={"yuan_per_unit": factor, "format": fmt})
    except ValidationError as exc:
        raise InputError(source.file, _problems(source, exc)) from None
    return model
