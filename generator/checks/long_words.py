"""W-LONG-WORD: text that cannot be printed whole on one line.

A run of LONG_RUN or more characters without a break opportunity (no CJK character,
space or punctuation: a long Latin word, a long number) is no word a line can hold: every
writer then breaks it at any character where it does not fit (Typst, WeasyPrint and the
table cells alike), so no text is ever lost off the page. `check` names each such run.
"""

from __future__ import annotations

import re
import unicodedata

from generator.checks.findings import Report
from generator.checks.glyphs import user_strings
from generator.compose.layout import LONG_RUN
from generator.model.yamlsource import Source


def _no_break() -> str:
    """A character that is no break opportunity, as a regex class: one below U+2E80 (every
    CJK character and all after it may break) that is neither a space nor punctuation."""
    points = [c for c in range(0x2E80) if unicodedata.category(chr(c)).startswith("P")]
    ranges: list[list[int]] = []
    for point in points:  # as ranges: a class of 600 single characters took 14 ms to compile
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    punctuation = "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in ranges)
    return f"[^\\s\u2e80-\U0010ffff{punctuation}]"


_LONG_RUN = re.compile(f"{_no_break()}{{{LONG_RUN},}}")  # one pass of C, not a Python loop per character


def long_runs(text: str) -> list[str]:
    """The runs of `text` without a break opportunity, LONG_RUN characters or longer."""
    return _LONG_RUN.findall(text)


def check_long_words(source: Source | None, report: Report) -> None:
    if source is None:
        return
    for path, text in user_strings(source.data):
        for run in long_runs(text):
            shown = run if len(run) <= 24 else f"{run[:12]}…{run[-8:]}"
            report.warning("W-LONG-WORD", path,
                           f"有 {len(run)} 个字符连写、无法断行，排版时将在任意字符处折行：{shown}",
                           f"{len(run)} characters without a break opportunity are printed "
                           f"broken at any character: {shown}")
