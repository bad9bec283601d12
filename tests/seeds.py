"""Read the published examples (../shared/seeds) as table rows, for golden comparisons.

The seeds are text extracted from PDFs: a table row is a line of tab-separated cells. A
table's rows run from its title line to the next table title (or 第三部分).
"""

from __future__ import annotations

import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
INPUTS = Path(__file__).resolve().parents[1] / "inputs"

EXAMPLES = {
    "000": ("000_d2128dc8093e722c.txt", "datong-shanghai-office-2024.yaml"),
    "001": ("001_0e955e79931e1907.txt", "datong-commerce-2024.yaml"),
    "002": ("002_7b7f3abbd82cb28c.txt", "datong-foreign-affairs-2023.yaml"),
}


def seed_text(key: str) -> str:
    return (SEEDS / EXAMPLES[key][0]).read_text("utf-8")


def input_path(key: str) -> Path:
    return INPUTS / EXAMPLES[key][1]


def _cells(line: str) -> tuple[str, ...]:
    line = re.sub(r"</?b>|\*\*", "", line)
    return tuple(c.strip() for c in line.split("\t") if c.strip())


def table_rows(key: str, title: str) -> set[tuple[str, ...]]:
    """The non-empty cells of each row of the table with this title, as published."""
    lines = seed_text(key).splitlines()
    starts = [i for i, line in enumerate(lines) if re.sub(r"^#+\s*", "", line).strip() == title]
    if not starts:
        raise KeyError(title)
    rows: set[tuple[str, ...]] = set()
    for line in lines[starts[-1] + 1:]:
        plain = re.sub(r"^#+\s*", "", line).strip()
        if re.match(r"^\d{4}年.*表(（.*）)?$", plain) or plain.startswith("第三部分"):
            break
        if "\t" in line:
            rows.add(_cells(line))
    return rows


def narrative(key: str) -> str:
    """Part 3 of the published text, as one string without line breaks or markdown."""
    text = seed_text(key)
    start = text.index("第三部分", text.index("第二部分", text.index("目 录") + 200))
    return re.sub(r"[#*\s]", "", text[start:])
