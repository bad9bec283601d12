"""`budgetgen diff OLD NEW [--json]`: which published figures and sentences change."""

from __future__ import annotations

import json
from pathlib import Path

from generator.docdiff import diff_documents, format_diff
from generator.pipeline import document_for


def run(old: Path, new: Path, *, as_json: bool = False) -> int:
    """Exit 0 whether or not anything changed; errors in either file raise (exit 1)."""
    old_doc, _ = document_for(old)
    new_doc, _ = document_for(new)
    diff = diff_documents(old_doc, new_doc)
    if as_json:
        print(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_diff(diff))
    return 0
