"""How one input value is held in a cell, both ways.

Amounts are written as numbers. A spreadsheet number is a binary double, so an amount is
written only if the double reads back as exactly the same decimal (15 significant digits
always do); it is read back through its shortest decimal form (`repr`), never through
arithmetic on the float. Codes and other text are written as text, so leading zeros stay.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from generator.workbook.schema import NO, YES, Kind

NUMERIC: frozenset[Kind] = frozenset({"amount", "number"})
# OOXML's escape of a character in text (ST_Xstring): _x000D_ is a CR, _x005F_ an underscore,
# so _x005F_x000D_ is the text "_x000D_" itself. openpyxl neither escapes nor unescapes them.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_TRUE = {"true", "yes", "on", "1", "t", "y", YES}
_FALSE = {"false", "no", "off", "0", "f", "n", NO}


class CellError(ValueError):
    """A value that a cell cannot hold exactly; carries both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def unescape(text: str) -> str:
    """A text of the file as the cell shows it: every _xHHHH_ escape is its character."""
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


def escape(text: str) -> str:
    """A text as the file must hold it to be shown as itself: a _xHHHH_ in it gets its
    underscore escaped (_x005F_), so that reading it back gives the same text."""
    return _ESCAPED.sub(lambda m: "_x005F_" + m[0][1:], text) if "_x" in text else text


def to_cell(kind: Kind, value: object) -> Decimal | int | str:
    """A validated input value (as parsed from YAML: text) as the cell holds it."""
    text = str(value).strip()
    if kind in NUMERIC:
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return text
        if Decimal(repr(float(amount))) != amount:
            raise CellError(f"数字 {text} 的有效位数过多，电子表格无法精确保存（最多 15 位）",
                            f"{text} has too many significant digits for a spreadsheet number (15 at most)")
        return amount
    if kind == "int":
        return int(text) if text.lstrip("-").isdigit() else text
    if kind == "bool":
        lowered = text.lower()
        return YES if lowered in _TRUE else NO if lowered in _FALSE else text
    return text


def from_cell(kind: Kind, value: object) -> object | None:
    """A cell's value as input data; None for an empty cell (the field is left out)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        if kind == "bool" and value.strip() in (YES, NO):
            return value.strip() == YES
        if kind in NUMERIC and _GROUPED.fullmatch(value.strip()):  # "1,234.56" pasted as text
            return Decimal(value.strip().replace(",", ""))
        return value.strip() if kind != "text" else value
    if isinstance(value, bool):
        return value if kind == "bool" else (YES if value else NO)
    if isinstance(value, datetime | date):
        return _date_text(value)
    if kind in NUMERIC:
        return Decimal(value) if isinstance(value, int) else Decimal(repr(value))
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value) if kind == "int" else str(int(value))
    return repr(value)


def _date_text(value: date) -> str:
    """A date cell as the documents write a date: 2023年12月31日. Excel turns a typed
    「2023年12月31日」 or 2023/12/31 into a date; read as ISO it would print 2023-12-31."""
    day = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime) and (value.hour, value.minute, value.second) != (0, 0, 0):
        return f"{day} {value:%H:%M:%S}"
    return day
