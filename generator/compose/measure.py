"""Text measure and line breaking for the layout decisions of the document tree.

Widths are in em of the font size. A CJK character is exactly one em in every Chinese
face; Latin characters take the widest advance among the faces the writers and
LibreOffice may use (Noto CJK, AR PL UMing, LXGW WenKai, DejaVu Sans), so a line measured
to fit here fits in any of them.

Lines break only between *segments*: a run of Latin letters or digits, the characters that
words of the lexicon cover (generator/data/words.yaml; a break never falls inside a word
wherever it occurs, also where two words overlap), or a single CJK character otherwise;
opening brackets stay with what follows and closing punctuation with what precedes. A break
is written as a character offset into the text (see tree.Cell.breaks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import yaml

# Widest advance (em) over the faces in use, including DejaVu Sans, which LibreOffice
# substitutes for Latin text when the 公文 fonts are missing; anything else is one em.
_LATIN_WIDTH = {**dict.fromkeys("0123456789", 0.64), **dict.fromkeys(",.:;'", 0.50),
                "%": 0.97, "-": 0.50, " ": 0.35, "(": 0.50, ")": 0.50, "/": 0.50}
_OPENING = frozenset("（《「『“‘(【[")
_CLOSING = frozenset("，。、；：！？）》」』”’,.;:!?)】]%")
# A date, or a range of dates, written with its 年/月/日 ("2024年1月1日", "2024年1月~12月",
# "2024年1月—2024年6月"): a line never breaks inside it, as inside a number.
_DAY = r"\d{1,2}月(?:\d{1,2}日)?"
DATE = rf"\d{{4}}年{_DAY}(?:[~～\-–—]+(?:\d{{4}}年)?{_DAY})?"
_RUN = re.compile(rf"{DATE}|[A-Za-z0-9.,%:/\-+~≤≥<>=_]+(?<=\d)年|[A-Za-z0-9.,%:/\-+~≤≥<>=_]+")  # 2024年: one
BOLD = 1.1  # bold faces are up to this much wider than regular (DejaVu Sans Bold digits)


def advance(char: str) -> float:
    if char in _LATIN_WIDTH:
        return _LATIN_WIDTH[char]
    if ord(char) < 0x2E80:
        return 0.75 if char.isascii() else 1.0
    return 1.0


@lru_cache(maxsize=1 << 16)  # a table measures the same cell texts at every trial width
def width(text: str, bold: bool = False) -> float:
    """Width of `text` in em; in a bold face Latin characters are up to BOLD wider (a CJK
    character stays one em)."""
    if not bold:
        return sum(advance(c) for c in text)
    return sum(a * BOLD if a < 1.0 else a for a in map(advance, text))


@dataclass(frozen=True)
class _Breaking:
    """The line-breaking data of words.yaml."""

    words: frozenset[str]  # a line never breaks inside one
    longest: int  # characters of the longest word
    parts: frozenset[str]  # the parts of an organisation's name
    word_parts: tuple[str, ...]  # the parts that also end a longer word (卫生健康委员会)
    conjunctions: frozenset[str]
    tags: tuple[str, ...]  # the parts in brackets ([部门], （单位）), in words.yaml's order


@cache
def _breaking() -> _Breaking:
    raw = resources.files("generator.data").joinpath("words.yaml").read_text("utf-8")
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    words = frozenset(word for group in data["words"].values() for word in group)
    parts = data["name_parts"]
    return _Breaking(words, max(map(len, words)), frozenset(parts),
                     tuple(p for p in parts if len(p) > 1), frozenset(data["conjunctions"]),
                     tuple(p for p in parts if p[0] in _OPENING))


def name_tags() -> tuple[str, ...]:
    """The tags of a name ([部门], （单位）): the name parts in brackets, in words.yaml's order
    (a set's order would change from run to run, and with it what the layout is keyed by)."""
    return _breaking().tags


def lexicon() -> frozenset[str]:
    """Words a line never breaks inside."""
    return _breaking().words


def _word_ends(text: str) -> list[int]:
    """For each offset, the end of the longest lexicon word starting there (the offset
    itself where none does)."""
    data, n = _breaking(), len(text)
    ends = list(range(n))
    for i in range(n):
        for end in range(min(n, i + data.longest), i + 1, -1):
            if text[i:end] in data.words:
                ends[i] = end
                break
    return ends


@lru_cache(maxsize=1 << 16)  # a table measures the same cell texts at every trial width
def _segments(text: str) -> tuple[str, ...]:
    ends = _word_ends(text)
    inside = {k for i, end in enumerate(ends) for k in range(i + 1, end)}  # offsets inside a word
    pieces: list[str] = []
    i = 0
    while i < len(text):
        run = _RUN.match(text, i)
        end = max(run.end() if run else i + 1, ends[i])
        while end in inside:
            end += 1
        pieces.append(text[i:end])
        i = end
    merged: list[str] = []
    glue = False  # the previous piece was an opening bracket
    for piece in pieces:
        if merged and (glue or piece[0] in _CLOSING):
            merged[-1] += piece
        else:
            merged.append(piece)
        glue = piece[-1] in _OPENING
    return tuple(merged)


def segments(text: str) -> list[str]:
    """`text` cut into the pieces a line may break between."""
    return list(_segments(text))


_CODE = re.compile(rf"{DATE}|[A-Za-z0-9][A-Za-z0-9.,%:/\-+_]*")


def codes(text: str) -> list[str]:
    """The numbers, dates and codes in `text`: runs of digits and Latin letters that a line
    must not break inside (an amount with its separators, 20240111171542, 2021-001), and
    dates written with 年/月/日 (2024年1月~12月)."""
    return _CODE.findall(text)


def _offsets(pieces: list[str]) -> list[int]:
    out, pos = [], 0
    for piece in pieces[:-1]:
        pos += len(piece)
        out.append(pos)
    return out


def lonely(line: str) -> bool:
    """A line of a single CJK character (closing punctuation around it counts for nothing)."""
    core = [c for c in line if c not in _CLOSING and c not in _OPENING and not c.isspace()]
    return len(core) == 1 and ord(core[0]) >= 0x2E80


def _lone(piece: str) -> bool:
    """A single CJK character that is no word of the lexicon."""
    return len(piece) == 1 and ord(piece) >= 0x2E80


# What a break costs (balanced_breaks takes the fewest lines, then the least cost, then the
# most even lines): at a phrase boundary nothing; after a conjunction a little (a phrase ends
# there, though less than a part of a name: 工业和信息化局 | 信息和新材料…中心); between
# two words more; between two characters that are no word of the lexicon most (they may be
# a word it lacks). Inside a word a line never breaks.
BOUNDARY, CONJUNCTION, BETWEEN_WORDS, UNKNOWN = 0, 1, 2, 3


def _cost(pieces: list[str], j: int) -> int:
    """What a break before pieces[j] costs. A phrase boundary is before an opening bracket
    (not the tag of a name, [部门]) or a year, after a comma or enumeration mark, or after a
    part of an organisation's name (see words.yaml)."""
    data, last, following = _breaking(), pieces[j - 1], pieces[j]
    if following[0] in _OPENING and following in data.parts:  # a name's tag stays with it
        return BETWEEN_WORDS
    tails = {"".join(pieces[k:j]) for k in range(max(0, j - 3), j)}
    if (following[0] in _OPENING or following[0].isdigit() or last[-1] in "，、；："
            or not tails.isdisjoint(data.parts) or last.endswith(data.word_parts)):
        return BOUNDARY
    if last in data.conjunctions:
        return CONJUNCTION
    return UNKNOWN if _lone(last) and _lone(following) else BETWEEN_WORDS


def balanced_breaks(text: str, limit: float, bold: bool = False) -> tuple[int, ...] | None:
    """Breaks for the fewest lines of at most `limit` em, no line a single CJK character,
    never inside a word; among those, the least cost of the breaks (phrase boundaries first,
    see _cost), then the most even lines. None if no such breaking exists."""
    pieces = segments(text)
    widths = [width(p, bold) for p in pieces]
    n = len(pieces)
    if sum(widths) <= limit:
        return ()
    # best[i] = (lines, cost of the breaks, widest line, breaks) for pieces[i:]
    best: list[tuple[int, int, float, tuple[int, ...]] | None] = [None] * (n + 1)
    best[n] = (0, 0, 0.0, ())
    starts = [0]
    for p in pieces:
        starts.append(starts[-1] + len(p))
    costs = [0] + [_cost(pieces, j) for j in range(1, n)]  # of a break before pieces[j]
    for i in range(n - 1, -1, -1):
        line_width = 0.0
        for j in range(i + 1, n + 1):
            line_width += widths[j - 1]
            if line_width > limit:
                break
            rest = best[j]
            if rest is None or lonely("".join(pieces[i:j])):
                continue
            cost = rest[1] + (costs[j] if j < n else 0)
            candidate = (rest[0] + 1, cost, max(line_width, rest[2]),
                         (starts[j],) + rest[3] if j < n else ())
            current = best[i]
            if current is None or candidate[:3] < current[:3]:
                best[i] = candidate
    return None if best[0] is None else best[0][3]


@lru_cache(maxsize=1 << 16)
def wrap_breaks(text: str, limit: float, bold: bool = False) -> tuple[int, ...]:
    """Breaks of running text in a cell: full lines, greedily, except that a line of a
    single character, or of a name's tag alone ([部门]), takes one more segment from the
    line before.

    Text that fits returns no breaks; a segment wider than the line breaks inside it.
    """
    if width(text, bold) <= limit:
        return ()
    pieces = [q for p in segments(text) for q in (_split_wide(p, limit, bold))]
    lines: list[list[str]] = [[]]
    used = 0.0
    for piece in pieces:
        w = width(piece, bold)
        if lines[-1] and used + w > limit and piece[0] not in _CLOSING:
            lines.append([])
            used = 0.0
        lines[-1].append(piece)
        used += w
    # a line of one character, or of a name's tag alone, takes one more segment
    for i in range(len(lines) - 1, 0, -1):
        if (lonely("".join(lines[i])) or _tag(lines[i])) and len(lines[i - 1]) > 1:
            lines[i].insert(0, lines[i - 1].pop())
    return tuple(_offsets(["".join(line) for line in lines]))


def _tag(pieces: list[str]) -> bool:
    """A line that is only the tag of a name ([部门], （单位）): it stays with the name."""
    return len(pieces) == 1 and pieces[0][0] in _OPENING and pieces[0] in _breaking().parts


def _split_wide(piece: str, limit: float, bold: bool) -> list[str]:
    if width(piece, bold) <= limit:
        return [piece]
    return list(piece)


def line_count(lines: tuple[str, ...], limit: float, bold: bool = False) -> int:
    """Lines that `lines` take at `limit` em (more where a line still wraps)."""
    return sum(len(wrap_breaks(line, limit, bold)) + 1 for line in lines)
