"""Text as XML character data and as attribute values, for the markup the writers build as
strings (DOCX tables, chart SVGs). `xml.sax.saxutils` does the same, but importing it imports
urllib.request, http.client and ssl: 14 ms of every render.

A parser reads a literal carriage return as a line feed, and in an attribute tabs and line
ends as spaces: written as references, they are read back as they were.
"""

from __future__ import annotations

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def escaped_text(value: str) -> str:
    """`value` as character data."""
    return value.translate(_TEXT)


def escaped_attribute(value: str) -> str:
    """`value` as an attribute's value, between double quotes."""
    return value.translate(_ATTRIBUTE)
