"""What an attached input file is, for the PDF's associated files (PDF/A-3)."""

from __future__ import annotations

import mimetypes


def mime_type(name: str) -> str:
    """The file's MIME type, without teaching the process-wide `mimetypes` registry anything."""
    if name.endswith((".yaml", ".yml")):  # Python < 3.13 does not know YAML
        return "application/yaml"
    return mimetypes.guess_type(name)[0] or "application/octet-stream"
