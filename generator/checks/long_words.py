"""W-LONG-WORD: text that cannot be printed whole on one line.

A run of LONG_RUN or more characters without a break opportunity (no CJK character,
space or punctuation: a long Latin word, a long number) is no word a line can hold: every
writer then breaks it at any character where it does not fit (Typst, WeasyPrint and the
table cells alike), so no text is ever lost off the page. `check` names each such run.
"""

from __future__ import annotations

import re
from functools import cache

from generator.checks.findings import Report
from generator.checks.glyphs import user_strings
from generator.compose.layout import LONG_RUN, long_run_pattern
from generator.model.yamlsource import Source

# A run as long of characters below U+2E80 other than spaces: every long run lies inside one
# (its class is this one less punctuation), and most documents have none, so the exact
# pattern is built only for text that has one.
_CANDIDATE = re.compile(rf"[^\s\u2E80-\U0010FFFF]{{{LONG_RUN},}}")


@cache
def _long_run() -> re.Pattern[str]:
    return re.compile(long_run_pattern())  # one pass of C, not a Python loop per character


def long_runs(text: str) -> list[str]:
    """The runs of `text` without a break opportunity, LONG_RUN characters or longer."""
    return _long_run().findall(text) if _CANDIDATE.search(text) else []


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
