"""`budgetgen export FILE.yaml [-o FILE.xlsx]`: an input file as an input workbook."""

from __future__ import annotations

from pathlib import Path

from generator.commands.workbook_files import target, write_new
from generator.errors import UsageError
from generator.model.load import validate
from generator.model.yamlsource import read_yaml
from generator.workbook.writer import write_workbook


def run(source: Path, output: Path | None, *, force: bool = False) -> int:
    """Only a valid file is exported (its errors name YAML lines, as `check` does)."""
    if source.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"export 需要 YAML 文件：{source}", f"export takes a YAML file: {source}")
    if not source.is_file():
        raise UsageError(f"找不到文件：{source}", f"no such file: {source}")
    parsed = read_yaml(source)
    validate(parsed)
    write_new(target(source, output, ".xlsx"), write_workbook(parsed), force=force, suffix=".xlsx", source=source)
    return 0
