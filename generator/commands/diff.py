"""`budgetgen diff OLD NEW [--json] [--html FILE]`: what changes, from the input to the published text.

First the input values that differ (sheet!cell or YAML line: old → new), then the published
table figures (表N, row, column) and sentences, their changed figures marked. Exit status
as diff(1): 0 when the published content is the same, 1 when it changes (or on errors).
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.docdiff import diff_documents, format_diff, input_changes
from generator.errors import UsageError
from generator.pipeline import document_for_source, read_source


def run(old: Path, new: Path, *, as_json: bool = False, html: Path | None = None) -> int:
    """Both inputs are composed as drafts would be: placeholders do not stop a comparison."""
    old_source, new_source = read_source(old), read_source(new)
    old_doc, _ = document_for_source(old_source, draft=True)
    new_doc, _ = document_for_source(new_source, draft=True)
    diff = diff_documents(old_doc, new_doc)
    diff = type(diff)(diff.cells, diff.texts, input_changes(old_source, new_source))
    if as_json:
        print(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_diff(diff))
    if html is not None:
        from generator.commands.workbook_files import write_new
        from generator.docdiff import change_note

        if html.resolve() in (old.resolve(), new.resolve()):
            raise UsageError(f"修改说明不能写到输入文件上：{html}", f"the change note would overwrite an input: {html}")
        write_new(html, change_note(diff, old.name, new.name).encode("utf-8"), force=True, suffix=".html")
    return 0 if diff.empty else 1
