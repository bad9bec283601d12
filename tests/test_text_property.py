"""No user text can change the document's structure (property-based, with Hypothesis).

The same arbitrary Unicode string is appended to every free-text value of an example
(names, reasons, paragraphs, list items, indicator names and values): cross references stay
consistent, so the input is still valid. Either the file is refused with a located message
(a control character, or a character no installed font has), or the document has the same blocks (kinds, heading levels, tables, sections) and the
title is the template's title of the loaded name. Paragraph blocks may split on blank
lines, which is what free text means; no block text ever holds a line boundary.
"""

from __future__ import annotations

import copy
from pathlib import Path
from types import UnionType
from typing import Literal, Union, get_args, get_origin

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.compose.tree import Document, Heading, PageBreak, Paragraph, Table
from generator.model.text import LINE_BOUNDARIES, refused
from generator.model.yamlsource import InputError
from generator.pipeline import document_from_bytes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ("synthetic-unit-2023.yaml", "datong-shanghai-office-2024.yaml")

# Line boundaries, tabs, format characters and directive-like text, none of them refused,
# mixed into characters the fonts mostly have (up to the CJK block), so that most examples
# get composed; now and then one arbitrary character (a control, one no font has) besides.
_SPECIAL = st.sampled_from([*LINE_BOUNDARIES, "\r\n", "\t", "\u200b", "\u200d", "\u202e", "\u2066",
                            "\ufeff", "\u00ad", "\n\n", "h1 ", "table t1", "section landscape"])
_PRINTABLE = st.characters(max_codepoint=0x9FFF, exclude_categories=("Cs", "Co", "Cn", "Cc"))
_MIXED = st.lists(st.one_of(_SPECIAL, _PRINTABLE), max_size=10).map("".join)
HOSTILE = st.one_of(_MIXED, _MIXED, _MIXED,
                    st.builds(str.__add__, _MIXED, st.characters(exclude_categories=("Cs",))))


def _choice(annotation: object) -> bool:
    """A Literal, or an optional one: a choice, not text."""
    options = get_args(annotation) if get_origin(annotation) in {Union, UnionType} else (annotation,)
    return any(get_origin(a) is Literal for a in options)


def _holds_models(value: object) -> bool:
    return isinstance(value, list) and any(isinstance(v, BaseModel) for v in value)


def _short(info) -> bool:
    """A field of at most a few dozen characters (city, as_of): the suffix would be too long."""
    return any((getattr(m, "max_length", None) or 100) < 100 for m in info.metadata)


def text_paths(model: BaseModel, path: tuple = ()):
    """Paths of every free-text value in a loaded model (not codes, choices or short fields)."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if _choice(info.annotation) or _short(info) or any(getattr(m, "pattern", None) for m in info.metadata):
            continue
        if isinstance(value, BaseModel):
            yield from text_paths(value, (*path, name))
        elif isinstance(value, str | list | dict) and value and not _holds_models(value):
            yield (*path, name)


def _inject(value: object, suffix: str, keys: bool = False) -> object:
    """`suffix` after every string in a raw YAML value; after the keys too of a mapping in a
    list (an indicator `name: value`), not of one that maps codes or levels."""
    if isinstance(value, str):
        return value + suffix
    if isinstance(value, list):
        return [_inject(v, suffix, keys=True) for v in value]
    if isinstance(value, dict):
        return {(k + suffix if keys else k): _inject(v, suffix) for k, v in value.items()}
    return value


def _at(data: object, path: tuple) -> object:
    for part in path:
        data = data[part]
    return data


def _present(data: object, path: tuple) -> bool:
    try:
        _at(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _walk_models(model: object, path: tuple = ()):
    if isinstance(model, BaseModel):
        yield from ((*path, *p) for p in text_paths(model))
        for name in type(model).model_fields:
            yield from _walk_models(getattr(model, name), (*path, name))
    elif isinstance(model, list):
        for i, item in enumerate(model):
            yield from _walk_models(item, (*path, i))


def structure(doc: Document) -> tuple:
    """Block kinds without paragraphs; a performance table that longer text splits over
    pages (a layout decision: PageBreak, title …（续）, next Table) counts as one."""
    blocks, skip = [], False
    for i, b in enumerate(doc.blocks):
        continued = isinstance(b, PageBreak) and i + 1 < len(doc.blocks) \
            and isinstance(doc.blocks[i + 1], Paragraph) and doc.blocks[i + 1].text.endswith("（续）")
        skip = skip or continued
        if skip and isinstance(b, Table):
            skip = False
        elif not skip and not isinstance(b, Paragraph):
            blocks.append(b)
    return tuple((type(b).__name__, getattr(b, "level", None), getattr(b, "orientation", None),
                  getattr(b, "kind", None)) for b in blocks)


@pytest.fixture(scope="module", params=EXAMPLES)
def baseline(request):
    raw = (ROOT / "inputs" / request.param).read_bytes()
    doc, checked = document_from_bytes(raw, request.param)
    data = yaml.safe_load(raw)
    paths = sorted({p for p in _walk_models(checked.data) if p[0] != "style" and _present(data, p)}, key=str)
    return data, paths, doc, checked.data.document.name


def test_every_kind_of_text_field_is_reached(baseline):
    _, paths, _, _ = baseline
    names = {p[-1] for p in paths}
    assert {"name", "other", "period_indicators", "reason"} <= names, names


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=HOSTILE)
@example(suffix="\x85h1 伪造标题\x85table t1\x85section landscape")
@example(suffix="\u2028title 伪造\u2029p x\x0bx\x0cx\x1cx\x1dx\x1e")
@example(suffix="\r\n\r\nh2 伪造\n\n")
@example(suffix="\x00\x1b[31m")
def test_arbitrary_text_never_changes_the_structure(baseline, suffix):
    original, paths, doc, name = baseline
    data = copy.deepcopy(original)
    for path in paths:
        parent = _at(data, path[:-1])
        parent[path[-1]] = _inject(parent[path[-1]], suffix)
    raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8")
    try:
        new, checked = document_from_bytes(raw, "hostile.yaml")
    except InputError as error:  # a control character, or one no font has (E-GLYPH)
        problem = error.problems[0]
        event("refused")
        assert problem.line, "a refusal must name the line"
        assert refused(suffix) is not None or problem.zh.startswith("E-GLYPH"), problem.en
        return
    assert structure(new) == structure(doc)
    assert new.title == doc.title.replace(name, checked.data.document.name)
    for block in new.blocks:
        if isinstance(block, Paragraph | Heading):
            assert len(block.text.splitlines()) <= 1, block.text
    assert len(new.title.splitlines()) == 1


def _reference_long_runs(text: str) -> list[str]:
    """W-LONG-WORD's runs by its definition, one character at a time."""
    import unicodedata

    from generator.compose.layout import LONG_RUN

    def breaks(char: str) -> bool:
        return char.isspace() or ord(char) >= 0x2E80 or unicodedata.category(char).startswith("P")

    runs, start = [], 0
    for end, char in enumerate(f"{text} "):
        if breaks(char):
            if end - start >= LONG_RUN:
                runs.append(text[start:end])
            start = end + 1
    return runs


_WORDS = st.lists(st.one_of(st.text(alphabet="ab1éЖ_+", min_size=12, max_size=30),
                           st.sampled_from([" ", "，", "中", "-", ".", "\u3000", "\u00a0", "\u2e80", "\U0001f600"])),
                  max_size=8).map("".join)


@given(st.one_of(_WORDS, st.text(max_size=120)))
@example("x" * 19 + "中" + "y" * 20 + "，" + "1234567890" * 3)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_long_runs_are_found_as_defined(text: str) -> None:
    from generator.checks.long_words import long_runs

    event("has a run" if _reference_long_runs(text) else "no run")
    assert long_runs(text) == _reference_long_runs(text)
