"""`budgetgen import FILE.xlsx [-o FILE.yaml]`: an input workbook written back as YAML."""

from __future__ import annotations

from pathlib import Path

from generator.commands.workbook_files import target, write_new
from generator.errors import UsageError
from generator.model.load import validate
from generator.pipeline import WORKBOOK_SUFFIX, read_source
from generator.workbook.yamlout import to_yaml


def run(source: Path, output: Path | None, *, force: bool = False) -> int:
    """Only a valid workbook is imported (its errors name sheet and cell)."""
    if source.suffix.lower() != WORKBOOK_SUFFIX:
        raise UsageError(f"import 需要 .xlsx 工作簿：{source}", f"import takes an .xlsx workbook: {source}")
    if not source.is_file():
        raise UsageError(f"找不到文件：{source}", f"no such file: {source}")
    parsed = read_source(source)
    validate(parsed)
    write_new(target(source, output, ".yaml"), to_yaml(parsed.data).encode("utf-8"), force=force, suffix=".yaml",
              source=source)
    return 0
