"""One worksheet part streamed by expat into the cells that hold a value.

openpyxl's sheet parser builds an element per cell and costs about 5 µs per row or cell;
expat's callbacks here cost about 1 µs, so the limits of `generator.workbook.container`
bound the time as well as the memory. Values are read as openpyxl reads them with
`data_only=True` (shared strings, inline strings, booleans, numbers, dates by their style,
error codes as text); a formula without a saved value is noted, never read as a value.
Text is read as Excel shows it: the file's `_xHHHH_` escapes (Excel writes a pasted CR as
`_x000D_`, a soft line break from Word as `_x000B_`) are characters again, which the input's
text normalisation then treats like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, NamedTuple
from xml.parsers import expat

from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

from generator.workbook.cells import unescape

_CHUNK = 1 << 20


class _Cell(NamedTuple):
    value: object


_EMPTY = _Cell(None)


@dataclass
class Sheet:
    """One worksheet's cells that hold a value, with the facts a reader needs about it.

    `cell(row, column).value` and `max_row` read like openpyxl's worksheet; `max_row` is the
    last row holding a value, whatever extent the file declares.
    """

    title: str
    state: str  # visible, hidden or veryHidden
    part: str
    values: dict[tuple[int, int], object] = field(default_factory=dict)
    max_row: int = 0
    max_column: int = 0
    hidden_rows: set[int] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)  # ranges such as "B3:I3"
    unsaved_formulas: set[tuple[int, int]] = field(default_factory=set)  # a formula, no saved value
    percent: set[tuple[int, int]] = field(default_factory=set)  # numbers formatted as a percentage
    rows: int = 0  # rows holding a value

    def cell(self, row: int, column: int) -> _Cell:
        value = self.values.get((row, column))
        return _EMPTY if value is None else _Cell(value)


@dataclass(frozen=True)
class Styles:
    """What a cell's style index says about its number: a date, a duration, a percentage."""

    dates: frozenset[int]
    durations: frozenset[int]
    percents: frozenset[int]
    epoch: object


class _Stream:
    """expat's callbacks: the state of the row and cell being read."""

    def __init__(self, sheet: Sheet, strings: list[str], styles: Styles, budget: int,
                 exceeded: Callable[[int], None], held: Callable[[int], None]) -> None:
        self.sheet, self.strings, self.styles = sheet, strings, styles
        self.budget = budget  # rows and cells this sheet may still read
        self.exceeded, self.held = exceeded, held  # the budget is spent; each row holding a value
        self.coordinate: str | None = None  # the cell's, turned into row and column only when needed
        self.in_data = self.in_inline = self.in_phonetic = self.formula = False
        self.row = self.column = 0
        self.kind, self.style = "n", 0
        self.text: list[str] | None = None  # the characters being collected
        self.saved: str | None = None  # <v>
        self.inline: list[str] = []  # the <t> of <is>
        self.row_held = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "sheetData":
            self.in_data = True
        elif not self.in_data:
            if tag == "mergeCell" and "ref" in attrs:
                self.sheet.merged.append(attrs["ref"])
        elif tag == "c":
            self._start_cell(attrs)
        elif tag == "row":
            self._start_row(attrs)
        elif tag == "v":
            self.text = []
        elif tag == "f":
            self.formula = True
        elif tag == "is":
            self.in_inline = True
        elif tag == "rPh":
            self.in_phonetic = True
        elif tag == "t" and self.in_inline and not self.in_phonetic:
            self.text = []

    def _start_row(self, attrs: dict[str, str]) -> None:
        self._end_row()
        number = attrs.get("r")
        self.row = int(float(number)) if number else self.row + 1
        self.column = 0
        self.coordinate = None
        if attrs.get("hidden") in ("1", "true"):
            self.sheet.hidden_rows.add(self.row)
        self._spend()

    def _start_cell(self, attrs: dict[str, str]) -> None:
        coordinate = attrs.get("r")
        if not coordinate:
            self._place()
            self.column += 1
        self.coordinate = coordinate
        self.kind, self.style = attrs.get("t", "n"), int(attrs.get("s") or 0)
        self.saved, self.inline, self.formula = None, [], False
        self._spend()

    def _spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            self.exceeded(self.row)

    def _place(self) -> None:
        """Row and column from the last cell's coordinate (most empty cells never need them)."""
        if self.coordinate:
            self.row, self.column = coordinate_to_tuple(self.coordinate)
            self.coordinate = None

    def end(self, name: str) -> None:
        tag = name.rpartition(":")[2]
        if not self.in_data:
            return
        if tag == "v" and self.text is not None:
            self.saved, self.text = "".join(self.text), None
        elif tag == "t" and self.text is not None:
            self.inline.append("".join(self.text))
            self.text = None
        elif tag == "rPh":
            self.in_phonetic = False
        elif tag == "is":
            self.in_inline = False
        elif tag == "c":
            self._end_cell()
        elif tag == "sheetData":
            self._end_row()
            self.in_data = False

    def characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _end_cell(self) -> None:
        if not (self.saved or self.inline or self.formula):
            return  # an empty (styled) cell
        self._place()
        place = (self.row, self.column)
        if self.formula and not self.saved:
            self.sheet.unsaved_formulas.add(place)
        value = self._value()
        if value is None:
            return
        self.sheet.values[place] = value
        self.sheet.max_column = max(self.sheet.max_column, self.column)
        self.sheet.max_row = max(self.sheet.max_row, self.row)
        self.row_held = True
        if self.style in self.styles.percents and isinstance(value, int | float):
            self.sheet.percent.add(place)

    def _end_row(self) -> None:
        if self.row_held:
            self.sheet.rows += 1
            self.row_held = False
            self.held(self.row)

    def _value(self) -> object:
        """The cell's value as openpyxl reads it with data_only=True."""
        kind, text = self.kind, self.saved
        if kind == "inlineStr":
            return unescape("".join(self.inline)) if self.inline else None
        if not text:
            return None
        if kind == "n":
            # float() also reads NaN and INF, which the reader then reports at their cell
            number = int(text) if text.lstrip("-").isdigit() else float(text)
            if self.style in self.styles.dates:
                try:
                    return from_excel(number, self.styles.epoch, timedelta=self.style in self.styles.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # (openpyxl's reading of a date out of range)
            return number
        if kind == "s":
            return unescape(self.strings[int(text)])
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return unescape(text) if kind == "str" else text  # str (a formula's text), e (#DIV/0!)


def stream(source: IO[bytes], sheet: Sheet, strings: list[str], styles: Styles, budget: int,
           exceeded: Callable[[int], None], held: Callable[[int], None]) -> int:
    """Read the sheet part `source` into `sheet`, at most `budget` rows and cells (then
    `exceeded(row)` is called, and raises); `held(row)` is called for every row holding a
    value (it may raise to stop). Returns the budget left."""
    state = _Stream(sheet, strings, styles, budget, exceeded, held)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.characters
    while chunk := source.read(_CHUNK):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return state.budget
