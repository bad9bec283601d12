"""Errors a user can cause. Each carries a Chinese and an English message."""

from __future__ import annotations

import os


class BudgetgenError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback.

    `exit_code` follows the documented codes: 1 for bad data, 2 for usage.
    """

    exit_code = 1

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class UsageError(BudgetgenError):
    exit_code = 2


class RenderError(BudgetgenError):
    """The data is valid but the document cannot be produced (e.g. a missing glyph)."""


class TemporaryFolderError(RenderError):
    """No file can be written into a temporary folder, where a writer needs one: Typst reads
    the faces it prints with (cut to the document) from a folder, and openpyxl writes each
    sheet of a workbook to a file before zipping it. `error` is what the attempt raised:
    Python's own list of the folders it tried ($TMPDIR, $TEMP, $TMP, /tmp, /var/tmp,
    /usr/tmp, the working folder) when none could be written, else the file's."""

    def __init__(self, error: OSError) -> None:
        where = f"{os.path.dirname(error.filename)}: " if error.filename else ""
        reason = f"{where}{error.strerror or error}"
        super().__init__(f"无法在临时文件夹中写入文件（{reason}）。请把环境变量 TMPDIR 设为一个存在且可写入的文件夹；"
                         "未写入任何文件",
                         f"cannot write a file into a temporary folder ({reason}): set the environment "
                         "variable TMPDIR to a folder that exists and can be written; nothing was written")
