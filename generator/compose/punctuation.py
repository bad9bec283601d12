"""The format prints Chinese text with full-width punctuation; clerks often type half-width.

Decided once, when composing: free text (duties, organisation, notes) is printed with
，；：（） where a half-width , ; : ( ) touches Chinese characters. Names (units, projects,
indicators) stay exactly as entered: they are identifiers in the budget system. `check
--notes` reports each text this changes (N-PUNCT).
"""

from __future__ import annotations

import re

_CJK = "\u4e00-\u9fff"
_BETWEEN = re.compile(rf"(?<=[{_CJK}])[,;:](?=[{_CJK}])")
_PAIR = re.compile(rf"\(([^()]*[{_CJK}][^()]*)\)|(?<=[{_CJK}])\(([^()]*)\)")
_FULL = {",": "，", ";": "；", ":": "："}


def full_width(text: str) -> str:
    text = _BETWEEN.sub(lambda m: _FULL[m.group(0)], text)
    return _PAIR.sub(lambda m: f"（{m.group(1) if m.group(1) is not None else m.group(2)}）", text)
