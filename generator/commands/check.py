"""`budgetgen check FILE…`: validate, report findings, summarise the key figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.checks.findings import SEVERITY_ZH, Finding
from generator.commands.messages import describe, pad, yaml_files
from generator.compose.key_figures import key_figures
from generator.model.text import display_width
from generator.model.yamlsource import InputError
from generator.pipeline import Checked, check_file


def grouped(findings: list[Finding], part: Callable[[Finding], str], order: Callable[[str], tuple],
            what: str) -> list[str]:
    """Findings part by part (a workbook's sheets, a YAML file's sections), in the file's order,
    each part headed by its counts."""
    parts: dict[str, list[Finding]] = {}
    for f in findings:
        parts.setdefault(part(f), []).append(f)
    lines = []
    for name, found in sorted(parts.items(), key=lambda item: order(item[0])):
        counts = "，".join(f"{SEVERITY_ZH[s]} {n}" for s in ("error", "warning", "note")
                          if (n := sum(f.severity == s for f in found)))
        lines.append(f"【{name}】{counts} / {what} {name}: {len(found)}")
        lines += [f.render() for f in found]
    return lines


def _by_part(checked: Checked, findings: list[Finding]) -> list[str]:
    if checked.source.cells:  # a workbook: by sheet
        return grouped(findings, lambda f: (f.cell or "").split("!")[0] or "（文件）", _sheet_order, "sheet")
    starts = sorted((line, str(path[0])) for path, (line, _) in checked.source.positions.items() if len(path) == 1)

    def section(f: Finding) -> str:  # a line's finding (a placeholder) belongs to the section above it
        if f.path:
            return str(f.path[0])
        return next((key for line, key in reversed(starts) if f.line and line <= f.line), "（文件）")

    first = {key: line for line, key in starts}
    return grouped(findings, section, lambda key: (first.get(key, 0),), "section")


def _sheet_order(title: str) -> tuple[int, int]:
    """The workbook's order: the fixed sheets, then 绩效表1, 绩效表2 …, then anything else."""
    from generator.workbook.schema import PERF_PREFIX, SHEETS

    titles = [s.title for s in SHEETS]
    if title in titles:
        return 0, titles.index(title)
    number = title.removeprefix(PERF_PREFIX)
    return (1, int(number)) if number.isdigit() else (2, 0)


def format_report(checked: Checked, *, notes: bool = False) -> str:
    report = checked.report
    lines = [f"{checked.source.file}"]
    shown = [f for f in report.findings if notes or f.severity != "note"]
    lines += _by_part(checked, shown)
    counts = {s: len(report.of(s)) for s in ("error", "warning", "note")}
    lines.append(f"错误 errors: {counts['error']}，警告 warnings: {counts['warning']}，"
                 f"提示 notes: {counts['note']}" + ("" if notes or not counts["note"]
                                                   else "（--notes 显示 / show with --notes）"))
    if checked.figures is not None and not report.errors:
        pairs = key_figures(checked.data, checked.figures)
        width = max(display_width(label) for label, _ in pairs) + 2
        lines += ["", "主要数据 key figures:"]
        lines += [f"  {pad(label, width)}{value}" for label, value in pairs]
    return "\n".join(lines)


def run(files: list[Path], *, notes: bool = False, strict: bool = False) -> int:
    """Exit code: 0 fine, 1 if any file has errors (or warnings with --strict)."""
    worst = 0
    for path in yaml_files(files):
        try:
            checked = check_file(path)
        except InputError as error:
            print(describe(error), end="\n\n")
            worst = 1
            continue
        print(format_report(checked, notes=notes))
        print()
        if checked.report.errors or (strict and checked.report.of("warning")):
            worst = 1
    return worst
