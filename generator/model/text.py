"""User text, normalised once at load time so that no value can change document structure.

The composer turns template output into blocks line by line, and `str.splitlines()` splits
on every Unicode line boundary, not only on newline. So every line boundary in a value
(CR, LF, VT, FF, the separators U+001C–U+001E, NEL, U+2028, U+2029) is a line break here:
a free-text field (`Paragraphs`) becomes a list of one-line paragraphs split on blank
lines, every other text becomes one line. Tabs become spaces; format characters (zero
width spaces, bidirectional overrides, soft hyphens: category Cf) are invisible, print
differently in DOCX and PDF and are removed. Other control characters cannot be printed
at all and are refused where the file is read (`refused`).

A paragraph or value is at most MAX_TEXT characters: far above any real paragraph of a
disclosure, and it keeps an absurd value (a megabyte without a space) from turning into
hundreds of pages that no one asked for.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT = 10_000
LINE_BOUNDARIES = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK = re.compile("\r\n|[" + re.escape(LINE_BOUNDARIES) + "]")
_BLANK_LINES = re.compile(r"\n[ \u3000]*\n\s*")
# C0 and C1 controls that are neither a tab nor a line boundary, DEL, noncharacters, surrogates.
_REFUSED = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def refused(value: str) -> int | None:
    """The index of the first character no document can hold, or None."""
    found = _REFUSED.search(value)
    return found.start() if found else None


def _characters(value: str) -> str:
    """Line boundaries as "\\n", tabs as spaces, format characters removed."""
    value = _BREAK.sub("\n", value).replace("\t", " ")
    if value.isprintable():  # no format character (nor any other): most values
        return value
    return "".join(c for c in value if unicodedata.category(c) != "Cf")


def display_width(text: str) -> int:
    """Columns a text takes in a terminal or a spreadsheet column: CJK characters take two."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in {"W", "F"}


def _join(lines: list[str]) -> str:
    """Wrapped lines as one: Chinese joins without a space, other scripts with one."""
    out = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if out and not (_wide(out[-1]) or _wide(line[0])):
            out += " "
        out += line
    return out


def one_line(value: str) -> str:
    """Any text as a single line."""
    return _join(_characters(value).split("\n"))


def paragraph_list(value: object) -> object:
    """Free text as one-line paragraphs: a list as given, a string split on blank lines."""
    if isinstance(value, str):
        value = _BLANK_LINES.split(_characters(value))
    if not isinstance(value, list):
        return value  # not text: the schema says what is wrong
    return [p for p in map(shape, value) if p != ""]


def _bounded(line: str) -> str:
    if len(line) > MAX_TEXT:
        raise ValueError(f"文字过长（{len(line)} 个字符，每段最多 {MAX_TEXT} 个） / "
                         f"text too long ({len(line)} characters; at most {MAX_TEXT} per paragraph)")
    return line


def shape(value: object) -> object:
    """Every string inside `value` (list items, mapping keys and values) as one line."""
    if isinstance(value, str):
        return _bounded(one_line(value))
    if isinstance(value, list):
        return [shape(v) for v in value]
    if isinstance(value, dict):
        return {shape(k): shape(v) for k, v in value.items()}
    return value
