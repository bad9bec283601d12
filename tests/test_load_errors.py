"""Malformed input files: a located, bilingual InputError, and from `budgetgen check` exit code 1
with a short message and no traceback.

Each case edits a valid example and marks the line the message must point at with MARK.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from generator.model.load import load_input
from generator.model.text import MAX_TEXT
from generator.model.yamlsource import MAX_DEPTH, InputError, Problem
from tests.conftest import MARK, Edit

SH = "datong-shanghai-office-2024.yaml"
AMOUNT_LINE = "    basic: 39700         # 3.97"  # expenditure[2] (2080502), a bare 一般公共预算 amount
TEN_MB = 10 * 1024 * 1024

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def first_non_ascii_line(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if not line.isascii())


def marked(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if MARK in line)


@dataclass(frozen=True)
class Bad:
    base: str | None
    edits: tuple[Edit, ...]
    zh: str  # fragment of the Chinese message
    en: str  # fragment of the English message
    field: str | None  # the dotted path named in the message
    token: str | None  # where on the line the column must point (None: not checked)
    line: Callable[[str], int | None]  # the expected line (None: any line)
    encode: Callable[[str], bytes]


def bad(name: str, *edits: Edit, zh: str, en: str, field: str | None = None, token: str | None = None,
        base: str | None = SH, line: Callable[[str], int | None] = marked,
        encode: Callable[[str], bytes] = lambda t: t.encode("utf-8"), marks=()) -> pytest.param:
    return pytest.param(Bad(base, edits, zh, en, field, token, line, encode), id=name, marks=marks)


def number(value: str, zh: str, en: str) -> pytest.param:
    return bad(f"number {value}", (AMOUNT_LINE, f"    basic: {value} {MARK}"), zh=zh, en=en,
               field="expenditure[2].basic.general", token="basic")



CASES = [
    bad("syntax: mapping in a value", ("  kind: 单位", f"  kind: 单位: 部门 {MARK}"),
        zh="YAML 格式错误", en="mapping values are not allowed here", token=": 部门"),
    bad("syntax: unclosed bracket", ("  kind: 单位", f"  kind: [单位 {MARK}"),
        zh="YAML 格式错误", en="YAML syntax error"),
    bad("tab indentation", ("  kind: 单位", f"\tkind: 单位 {MARK}"),
        zh="缩进不能使用 Tab 键", en="'\\t'", token="\t"),
    bad("list for a mapping", ("performance: {}", f"performance: [] {MARK}"),
        zh="必须是键值映射", en="valid dictionary", field="performance", token="performance"),
    bad("text for a number", (AMOUNT_LINE, f"    basic: 三万元 {MARK}"),
        zh="不是有效的数字", en="valid decimal", field="expenditure[2].basic.general", token="basic"),
    bad("text for an integer", ("  equipment_over_1m: 0", f"  equipment_over_1m: 很多 {MARK}"),
        zh="必须是整数", en="valid integer", field="assets.equipment_over_1m", token="equipment_over_1m"),
    bad("missing required field", ("document:\n", f"document: {MARK}\n"), ("  kind: 单位\n", ""),
        zh="缺少必填字段", en="Field required", field="document.kind", token="document"),
    bad("unknown field (typo)", ("    amount: 500          # 0.05", f"    ammount: 500 {MARK}"),
        zh="未知字段", en="Extra inputs are not permitted", field="economic_items[8].ammount",
        token="ammount"),
    bad("GBK encoding", zh="GBK", en="GBK", line=first_non_ascii_line, encode=lambda t: t.encode("gbk")),
    bad("duplicate key", ("  kind: 单位\n", f"  kind: 单位\n  kind: 部门 {MARK}\n"),
        zh="重复的键：kind", en="duplicate key: kind", field="document.kind", token="kind: 部门"),
    bad("alias bomb", lambda _: BOMB, base=None, zh="别名炸弹", en="alias bomb", line=lambda _: None),
    bad("nesting 100 deep", lambda t: t + f"deep: {'[' * 100}{']' * 100} {MARK}\n",
        zh="嵌套层级", en=f"nesting deeper than {MAX_DEPTH}"),
    bad("nesting 10000 deep", lambda t: t + f"deep: {'[' * 10_000}{']' * 10_000} {MARK}\n",
        zh="嵌套层级", en=f"nesting deeper than {MAX_DEPTH}"),
    number("1e400", zh="数字位数过多", en="no more than 16 digits"),
    number("99999999999999999999999", zh="数字位数过多", en="no more than 16 digits"),
    number("NaN", zh="有限值", en="finite number"),
    number(".nan", zh="不是有效的数字", en="valid decimal"),
    number(".inf", zh="不是有效的数字", en="valid decimal"),
    number("-5", zh="不能为负数", en="greater than or equal to 0"),
    number("1.123456", zh="小数位数过多", en="no more than 4 decimal places"),
    bad("10 MB string in a bounded text field",
        ("  supervisor_name: 大同市促进外来投资局[部门]", f"  supervisor_name: {'x' * TEN_MB} {MARK}"),
        zh="文字过长", en="text too long", field="document.supervisor_name",
        token="supervisor_name"),
    bad("empty file", base=None, zh="文件是空的", en="empty", line=lambda _: 1),
    bad("only comments", lambda _: "# 预算\n# budget\n", base=None, zh="文件是空的", en="empty",
        line=lambda _: 1),
    bad("only a scalar", lambda _: "大同市商务局\n", base=None, zh="顶层必须是键值映射",
        en="top level must be a mapping", line=lambda _: 1),
    bad("only a list", lambda _: "- 大同市商务局\n", base=None, zh="顶层必须是键值映射",
        en="top level must be a mapping", line=lambda _: 1),
]


def write(variant, b: Bad):
    written = variant(b.base, *b.edits, encode=b.encode)
    return written, b.line(written.text)


def matching(problems: list[Problem], b: Bad) -> Problem:
    found = [p for p in problems if b.zh in p.zh]
    assert found, [(p.zh, p.en) for p in problems]
    return found[0]


@pytest.mark.parametrize("b", CASES)
def test_malformed_input_raises_a_located_input_error(variant, b: Bad):
    written, line = write(variant, b)
    with pytest.raises(InputError) as info:
        load_input(written.path)
    problem = matching(info.value.problems, b)
    assert b.en in problem.en
    if b.field is not None:
        assert problem.dotted == b.field
    assert problem.line is not None and problem.column is not None
    if line is not None:
        assert problem.line == line or f"line {line}" in problem.en, (problem.line, problem.en)
    if b.token is not None:
        assert problem.column == written.column(b.token)


@pytest.mark.parametrize("b", CASES)
def test_cli_check_reports_malformed_input_without_traceback(variant, run_cli, b: Bad):
    written, line = write(variant, b)
    result = run_cli("check", written.path)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out
    assert b.zh in out and b.en in out
    if b.field is not None:
        assert b.field in out
    located = [int(n) for n in re.findall(r"line (\d+):\d+", out)]
    assert located, out
    if line is not None:
        assert line in located, (line, located)
    assert len(out.splitlines()) <= 12 and len(out) < 3000, out[:3000]  # short: no echo of the input


def test_a_utf8_bom_loads_like_the_plain_file(variant, inputs_dir, run_cli):
    written = variant(SH, encode=lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"))
    with_bom, _ = load_input(written.path)
    plain, _ = load_input(inputs_dir / SH)
    assert with_bom == plain
    result = run_cli("check", written.path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_a_utf8_bom_keeps_line_numbers(variant):
    written = variant(SH, ("  kind: 单位\n", f"  kind: 单位\n  kind: 部门 {MARK}\n"),
                      encode=lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"))
    with pytest.raises(InputError) as info:
        load_input(written.path)
    assert (info.value.problems[0].line, info.value.problems[0].column) == (written.line, 3)


def test_a_10mb_text_is_refused_with_its_line_and_not_echoed(variant, run_cli):
    """No paragraph is longer than MAX_TEXT: a huge text fails cleanly, located, at once."""
    text = "无" * (TEN_MB // 3)  # 10 MB of UTF-8
    written = variant(SH, ("  other: 无", f"  other: {text} {MARK}"))
    with pytest.raises(InputError) as info:
        load_input(written.path)
    problem = info.value.problems[0]
    assert (problem.dotted, problem.line) == ("other_notes.other", written.line)
    assert f"每段最多 {MAX_TEXT} 个" in problem.zh and f"at most {MAX_TEXT} per paragraph" in problem.en
    result = run_cli("check", written.path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stdout + result.stderr) < 10_000  # the text itself is not echoed


def test_alias_bomb_fails_without_expanding(variant):
    """Finishing at all is the point (no timed assert): 9**9 lols would take minutes and GBs."""
    written = variant(None, lambda _: BOMB)
    with pytest.raises(InputError, match="alias bomb"):
        load_input(written.path)


def test_every_problem_is_listed_with_its_own_line(variant):
    """Two mistakes in one file: both are reported, each at its own key."""
    written = variant(SH, ("    amount: 500          # 0.05", "    ammount: 500"),
                      ("  equipment_over_1m: 0", "  equipment_over_1m: -1"))
    with pytest.raises(InputError) as info:
        load_input(written.path)
    lines = written.text.splitlines()
    where = {p.dotted: p.line for p in info.value.problems}
    assert lines[where["economic_items[8].ammount"] - 1].strip() == "ammount: 500"
    assert lines[where["assets.equipment_over_1m"] - 1].strip() == "equipment_over_1m: -1"


def test_the_edition_can_be_given(variant):
    written = variant(SH, ("  year: 2024\n", "  year: 2024\n  edition: 2023\n"))
    data, _ = load_input(written.path)
    assert data.document.resolved_edition == 2023
