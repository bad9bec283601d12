"""Wording at the edges: a zero prior year, no change, and text that must stay data."""

from __future__ import annotations

import pytest

from generator.compose.tree import Paragraph
from generator.model.yamlsource import InputError
from generator.pipeline import document_for
from tests.seeds import input_path

SHANGHAI = input_path("000").read_text("utf-8")
PRIOR = "  total: 826700          # §一 上年预算收支总计\n  general_budget: 826700 # §五 上年一般公共预算当年支出"


def _sentences(tmp_path, text: str) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_text(text, "utf-8")
    doc, _ = document_for(path)
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def _one(sentences: list[str], start: str) -> str:
    return next(s for s in sentences if s.startswith(start))


def test_zero_prior_year_has_no_percentage(tmp_path):
    sentences = _sentences(tmp_path, SHANGHAI.replace(PRIOR, "  total: 0\n  general_budget: 0"))
    first = _one(sentences, "2024年度大同市人民政府驻上海招商联络处预算收入总计")
    assert "上年结转0万元，比上年增加81.61万元，主要原因是" in first
    assert "%，主要原因是" not in first
    gpb = _one(sentences, "2024年度大同市人民政府驻上海招商联络处一般公共预算当年支出81.61万元，比上年")
    assert gpb.endswith("比上年增加81.61万元。")


def test_no_change_is_said_without_direction_words_or_reason(tmp_path):
    sentences = _sentences(tmp_path, SHANGHAI.replace(
        PRIOR, "  total: 816140\n  general_budget: 816140"))
    first = _one(sentences, "2024年度大同市人民政府驻上海招商联络处预算收入总计")
    assert "上年结转0万元，与上年预算数相同；本年单位预算支出总计" in first
    assert "增加" not in first and "减少" not in first and "主要原因是" not in first


def test_a_reason_ending_in_a_full_stop_is_punctuated_once(tmp_path):
    text = SHANGHAI.replace("  income: 根据2024年工作安排实际需求，增加项目经费支出等",
                            "  income: 根据工作安排压减支出。")
    first = _one(_sentences(tmp_path, text), "2024年度大同市人民政府驻上海招商联络处预算收入总计")
    assert "主要原因是根据工作安排压减支出；本年" in first
    assert first.endswith("主要原因是根据工作安排压减支出。")


def test_control_characters_are_refused_with_their_line(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(SHANGHAI.replace("  other: 无", '  other: "无\\x07"'), "utf-8")
    with pytest.raises(InputError) as info:
        document_for(path)
    problem = info.value.problems[0]
    assert problem.dotted == "other_notes.other"
    assert "控制字符" in problem.zh and "control character" in problem.en
    assert path.read_text("utf-8").splitlines()[problem.line - 1].startswith("  other:")
