"""The published examples as the golden tests need them: table rows and Part 3.

`tests/fixtures/published/KEY.txt` holds what was transcribed from each published
disclosure (its header names the source): every table as `== TITLE` followed by its rows,
one line per row with tab-separated cells, then `== 第三部分` and the published Part 3.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

TESTS = Path(__file__).resolve().parent
PUBLISHED = TESTS / "fixtures" / "published"
INPUTS = TESTS.parent / "inputs"

EXAMPLES = {
    "000": "datong-shanghai-office-2024.yaml",
    "001": "datong-commerce-2024.yaml",
    "002": "datong-foreign-affairs-2023.yaml",
}
PART3 = "第三部分"


def input_path(key: str) -> Path:
    return INPUTS / EXAMPLES[key]


@cache
def _sections(key: str) -> dict[str, list[str]]:
    """Title → the lines under it, comments left out."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in (PUBLISHED / f"{key}.txt").read_text("utf-8").splitlines():
        if line.startswith("== "):
            current = sections.setdefault(line[3:], [])
        elif line and not line.startswith("#"):
            current.append(line)
    return sections


def table_rows(key: str, title: str) -> set[tuple[str, ...]]:
    """The non-empty cells of each row of the table with this title, as published."""
    if title == PART3 or title not in _sections(key):
        raise KeyError(title)
    return {tuple(line.split("\t")) for line in _sections(key)[title]}


def narrative(key: str) -> str:
    """Part 3 of the published text, as one string without whitespace."""
    return re.sub(r"\s", "", "".join(_sections(key)[PART3]))
