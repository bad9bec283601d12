"""E-GLYPH: a character of the input that no font of the document can print.

The writers check every text of the document before rendering (`writers.fonts`); this
check runs the same lookup on the input's own text, so that `check` refuses what `render`
would, and names the field and line of the character.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.checks.findings import Report
from generator.compose.tree import Fonts
from generator.model.schema import BudgetInput
from generator.model.text import one_line
from generator.model.yamlsource import PathKey, Source
from generator.writers.fonts import installed_chain, resolve_all, role_chains, uncovered


def user_strings(value: object, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every string of the parsed input (mapping keys too), as it will be printed."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key), one_line(str(key))
            yield from user_strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from user_strings(item, (*path, i))
    elif isinstance(value, str):
        yield path, one_line(value)


def check_glyphs(data: BudgetInput, source: Source | None, report: Report) -> None:
    """One error per field holding a character that a font of some role lacks.

    User text can be printed in any role (a unit's name in a heading, a table, the body),
    so a character counts as printable only if every role's fonts have it.
    """
    if source is None:
        return
    strings = list(user_strings(source.data))
    chars = {c for _, text in strings for c in text}
    missing: set[str] = set()
    chains = role_chains(Fonts(**data.style.fonts))
    resolve_all(family for chain in chains.values() for family in chain)
    for chain in chains.values():
        faces = installed_chain(chain)
        if faces:  # no font at all is the writers' error to report
            missing |= uncovered(chars, faces)
    if not missing:
        return
    for path, text in strings:
        found = sorted({c for c in text if c in missing}, key=text.index)
        if found:
            names = "、".join(f"{c}（U+{ord(c):04X}）" for c in found[:5])
            report.error("E-GLYPH", path, f"已安装的字体中没有这些字符，无法排版：{names}",
                         f"no installed font has these characters, so they cannot be printed: {names}")
