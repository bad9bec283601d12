"""Text measure and line breaking for the layout decisions of the document tree.

Widths are in em of the font size. A CJK character is exactly one em in every Chinese
face; Latin characters take the widest advance among the faces the writers and
LibreOffice may use (Noto CJK, AR PL UMing, LXGW WenKai, DejaVu Sans), so a line measured
to fit here fits in any of them.

Lines break only between *segments*: a word of the lexicon (generator/data/words.yaml),
a run of Latin letters or digits, or a single CJK character otherwise; opening brackets
stay with what follows and closing punctuation with what precedes. A break is written
as a character offset into the text (see tree.Cell.breaks).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources

import yaml

# Widest advance (em) over the faces in use, including DejaVu Sans, which LibreOffice
# substitutes for Latin text when the 公文 fonts are missing; anything else is one em.
_LATIN_WIDTH = {**dict.fromkeys("0123456789", 0.64), **dict.fromkeys(",.:;'", 0.50),
                "%": 0.97, "-": 0.50, " ": 0.35, "(": 0.50, ")": 0.50, "/": 0.50}
_OPENING = frozenset("（《「『“‘(【[")
_CLOSING = frozenset("，。、；：！？）》」』”’,.;:!?)】]%")
_RUN = re.compile(r"[A-Za-z0-9.,%:/\-+~≤≥<>=_]+(?<=\d)年|[A-Za-z0-9.,%:/\-+~≤≥<>=_]+")  # 2024年: one
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


@cache
def lexicon() -> tuple[str, ...]:
    """Words a line never breaks inside, longest first."""
    raw = resources.files("generator.data").joinpath("words.yaml").read_text("utf-8")
    return tuple(sorted(yaml.safe_load(raw), key=len, reverse=True))


@cache
def _lexicon_pattern() -> re.Pattern[str]:
    """The lexicon as one alternation: the first word that matches, longest first."""
    return re.compile("|".join(map(re.escape, lexicon())))


def segments(text: str) -> list[str]:
    """`text` cut into the pieces a line may break between."""
    pieces: list[str] = []
    i = 0
    words = _lexicon_pattern()
    while i < len(text):
        run = _RUN.match(text, i)
        word = words.match(text, i)
        piece = run.group() if run else word.group() if word else text[i]
        pieces.append(piece)
        i += len(piece)
    merged: list[str] = []
    glue = False  # the previous piece was an opening bracket
    for piece in pieces:
        if merged and (glue or piece[0] in _CLOSING):
            merged[-1] += piece
        else:
            merged.append(piece)
        glue = piece[-1] in _OPENING
    return merged


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%:/\-+_]*")


def codes(text: str) -> list[str]:
    """The numbers, dates and codes in `text`: runs of digits and Latin letters that a line
    must not break inside (an amount with its separators, 20240111171542, 2021-001)."""
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


# An organisation's name breaks best after the word that ends one of its parts:
# 大同市工业和信息化局 | 信息和新材料应用推广中心.
_NAME_PARTS = ("市", "县", "局", "厅", "中心", "委员会", "办公室", "研究院", "学院", "医院",
               "管理处", "管理站", "大队", "支队", "[部门]", "[单位]")


def _weak(pieces: list[str], j: int) -> int:
    """1 if a break before pieces[j] is not at a phrase boundary (an opening bracket, a
    year, after a comma or enumeration mark, or after a part of an organisation's name),
    else 0."""
    before = "".join(pieces[max(0, j - 3):j])
    boundary = (pieces[j][0] in _OPENING or pieces[j][0].isdigit() or before[-1] in "，、；："
                or before.endswith(_NAME_PARTS))
    return 0 if boundary else 1


def balanced_breaks(text: str, limit: float, bold: bool = False) -> tuple[int, ...] | None:
    """Breaks for the fewest lines of at most `limit` em, no line a single CJK character;
    among those, the fewest breaks inside a phrase, then the most even lines. None if no
    such breaking exists."""
    pieces = segments(text)
    widths = [width(p, bold) for p in pieces]
    n = len(pieces)
    if sum(widths) <= limit:
        return ()
    # best[i] = (lines, weak breaks, widest line, breaks) for pieces[i:]
    best: list[tuple[int, int, float, tuple[int, ...]] | None] = [None] * (n + 1)
    best[n] = (0, 0, 0.0, ())
    starts = [0]
    for p in pieces:
        starts.append(starts[-1] + len(p))
    for i in range(n - 1, -1, -1):
        line_width = 0.0
        for j in range(i + 1, n + 1):
            line_width += widths[j - 1]
            if line_width > limit:
                break
            rest = best[j]
            if rest is None or lonely("".join(pieces[i:j])):
                continue
            weak = rest[1] + (_weak(pieces, j) if j < n else 0)
            candidate = (rest[0] + 1, weak, max(line_width, rest[2]),
                         (starts[j],) + rest[3] if j < n else ())
            current = best[i]
            if current is None or candidate[:3] < current[:3]:
                best[i] = candidate
    return None if best[0] is None else best[0][3]


@lru_cache(maxsize=1 << 16)
def wrap_breaks(text: str, limit: float, bold: bool = False) -> tuple[int, ...]:
    """Breaks of running text in a cell: full lines, greedily, except that a line of a
    single character takes one more segment from the line before.

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
    for i in range(len(lines) - 1, 0, -1):  # a line of one character takes one more
        if lonely("".join(lines[i])) and len(lines[i - 1]) > 1:
            lines[i].insert(0, lines[i - 1].pop())
    return tuple(_offsets(["".join(line) for line in lines]))


def _split_wide(piece: str, limit: float, bold: bool) -> list[str]:
    if width(piece, bold) <= limit:
        return [piece]
    return list(piece)


def line_count(lines: tuple[str, ...], limit: float, bold: bool = False) -> int:
    """Lines that `lines` take at `limit` em (more where a line still wraps)."""
    return sum(len(wrap_breaks(line, limit, bold)) + 1 for line in lines)
