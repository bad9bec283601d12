"""Read a YAML file into plain data, remembering where every value came from.

Every scalar stays a string (as yaml.BaseLoader does), so amounts reach `Decimal` without
passing through float, and text such as phone numbers keeps its leading zeros. Nulls become
None. Duplicate keys, alias bombs and absurd nesting are refused with the line they are on.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator.errors import BudgetgenError
from generator.model.schema import MAX_PROJECTS
from generator.model.text import refused

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NODES = 200_000  # after expanding aliases; 10,000 projects with 1,000 tables take 150,000
MAX_DEPTH = 50

Location = tuple[int, int]  # 1-based line and column
PathKey = tuple[str | int, ...]
NULL_TAG = "tag:yaml.org,2002:null"
# What a YAML stream may not contain (YAML 1.1 §5.1; PyYAML's reader refuses the same).
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_REGULAR = (
    (stat.S_ISDIR, "文件夹", "a folder"),
    (stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
    (stat.S_ISCHR, "字符设备", "a character device"),
    (stat.S_ISBLK, "块设备", "a block device"),
    (stat.S_ISSOCK, "套接字", "a socket"),
)
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, where PyYAML has it


@dataclass
class Problem:
    """One thing wrong in the input, located by YAML path and line:column."""

    path: PathKey
    zh: str
    en: str
    line: int | None = None
    column: int | None = None
    cell: str | None = None  # a workbook's sheet!cell, instead of line:column

    @property
    def dotted(self) -> str:
        return dotted(self.path)

    def where(self) -> str:
        return where(self.path, self.line, self.column, self.cell)


def where(path: PathKey, line: int | None, column: int | None, cell: str | None) -> str:
    """`expenditure[3].code (line 40:5)`, or for a workbook the cell the clerk sees: `支出!A6 2010301`."""
    if cell:
        return cell
    place = dotted(path) or "(文件)"
    return f"{place} (line {line}:{column})" if line else place


def dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class InputError(BudgetgenError):
    """The file cannot be used; carries every problem found."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        first = problems[0]
        super().__init__(first.zh, first.en)


@dataclass
class Source:
    """The parsed data and the position of each path in the file."""

    file: str
    data: dict  # the top level is a mapping (read_yaml refuses anything else)
    positions: dict[PathKey, Location] = field(default_factory=dict)
    text: str = ""
    cells: dict[PathKey, str] = field(default_factory=dict)  # workbook: path → "支出!C12 …"
    warnings: list[tuple[str, Problem]] = field(default_factory=list)  # (check id, problem) found reading

    def locate(self, path: PathKey) -> Location | None:
        """The position of `path`, or of its nearest ancestor present in the file.

        The root is no answer: a section missing altogether has no line to point at.
        """
        for end in range(len(path), 0, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found
        return None

    def cell(self, path: PathKey) -> str | None:
        """A workbook's sheet!cell of `path` or of its nearest ancestor."""
        for end in range(len(path), -1, -1):
            found = self.cells.get(tuple(path[:end]))
            if found:
                return found
        return None

    def problem(self, path: PathKey, zh: str, en: str) -> Problem:
        line, column = self.locate(path) or (None, None)
        return Problem(tuple(path), zh, en, line, column, self.cell(path))


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint_zh, hint_en = "", ""
        try:
            raw.decode("gb18030")
            hint_zh, hint_en = "（看起来是 GBK 编码，请另存为 UTF-8）", " (it looks like GBK: save as UTF-8)"
        except UnicodeDecodeError:
            pass
        raise InputError(file, [Problem(
            (), f"文件不是 UTF-8 编码{hint_zh}", f"the file is not UTF-8 text{hint_en}", line, 1,
        )]) from None


def _too_many(expanded: bool) -> tuple[str, str]:
    """Written out, the file holds more values than a document may (10,000 projects, 1,000
    performance tables …); only its aliases expanded make it that large: an alias bomb."""
    if expanded:
        return (f"文件中的别名展开后超过 {MAX_NODES} 个值（YAML 别名炸弹？）",
                f"the file's aliases expand to more than {MAX_NODES} values (a YAML alias bomb?)")
    return (f"文件中的值超过 {MAX_NODES} 个，超出一份文件的上限（如项目最多 {MAX_PROJECTS} 个）",
            f"the file holds more than {MAX_NODES} values, more than one document may hold "
            f"(e.g. at most {MAX_PROJECTS} projects)")


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.positions: dict[PathKey, Location] = {}
        self.count = 0

    def fail(self, node: yaml.Node, zh: str, en: str, path: PathKey) -> InputError:
        mark = node.start_mark
        return InputError(self.file, [Problem(path, zh, en, mark.line + 1, mark.column + 1)])

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, *_too_many(expanded=True), path)
        if depth > MAX_DEPTH:
            raise self.fail(node, f"嵌套层级超过 {MAX_DEPTH}", f"nesting deeper than {MAX_DEPTH}", path)
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == NULL_TAG:
            return None
        assert isinstance(node, yaml.ScalarNode)  # the third kind of node, after mappings and sequences
        self.refuse_controls(node, path)
        return node.value

    def refuse_controls(self, node: yaml.ScalarNode, path: PathKey) -> None:
        at = refused(node.value)
        if at is not None:
            code = f"U+{ord(node.value[at]):04X}"
            raise self.fail(node, f"文字中含有控制字符 {code}，文档中无法显示",
                            f"the text contains the control character {code}, which a document cannot hold",
                            path)

    def _mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, object]:
        out: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "键必须是简单文字", "keys must be plain text", path)
            key = key_node.value
            self.refuse_controls(key_node, path)
            if key == "<<":
                raise self.fail(key_node, "不支持 YAML 合并键 <<", "YAML merge keys (<<) are not supported", path)
            if key in out:
                raise self.fail(key_node, f"重复的键：{key}", f"duplicate key: {key}", (*path, key))
            self.positions[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out


def _too_large(file: str, size: int) -> InputError:
    return InputError(file, [Problem((), f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES} 字节）",
                                     f"file too large ({size} bytes, the limit is {MAX_FILE_BYTES})")])


def _refuse_special(file: str, mode: int) -> None:
    for test, zh, en in _NOT_REGULAR:
        if test(mode):
            raise InputError(file, [Problem((), f"不是普通文件，而是{zh}", f"not a regular file but {en}")])


def read_input(path: Path) -> bytes:
    """The bytes of a regular file, refusing anything else and anything too large unread."""
    file = str(path)
    try:
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it.
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError:
            _refuse_special(file, os.stat(path).st_mode)  # a socket cannot even be opened
            raise
        try:
            info = os.fstat(fd)
            _refuse_special(file, info.st_mode)
            if info.st_size > MAX_FILE_BYTES:
                raise _too_large(file, info.st_size)
            with os.fdopen(os.dup(fd), "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)  # the size a /proc file reports can be 0
        finally:
            os.close(fd)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(file, [Problem((), f"无法读取文件：{reason}", f"cannot read the file: {reason}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise _too_large(file, len(raw))
    return raw


def read_yaml(path: Path) -> Source:
    """Read and parse `path`; raise InputError with a located message on any problem."""
    return parse_yaml(read_input(path), str(path))


def _compose(text: str, file: str) -> yaml.Node | None:
    """Compose with libyaml (8× faster); after an error, again with PyYAML's own parser,
    whose messages say more (e.g. that a tab indents)."""
    try:
        _check_depth(text, file, FAST_LOADER)
        return yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        _check_depth(text, file, yaml.SafeLoader)
        return yaml.compose(text, Loader=yaml.SafeLoader)


def _check_depth(text: str, file: str, loader: type) -> None:
    """Refuse absurd nesting (PyYAML's composer recurses and would overflow) and more values
    than a document may hold, before composing: a file ten times too large is refused in
    the time it takes to reach the limit, not to build it all."""
    depth = values = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _refused_at(file, event, f"嵌套层级超过 {MAX_DEPTH}", f"nesting deeper than {MAX_DEPTH}")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            values += 1
            if values > MAX_NODES:
                raise _refused_at(file, event, *_too_many(expanded=False))


def _refused_at(file: str, event: yaml.Event, zh: str, en: str) -> InputError:
    mark = event.start_mark  # the parser marks every event; the stubs allow none
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return InputError(file, [Problem((), zh, en, line, column)])


def _refuse_unreadable(content: str, file: str) -> None:
    """A raw control character (NUL, ESC, …) is located by line and column, as an editor counts."""
    found = _NOT_YAML.search(content)
    if found:
        at = found.start()
        line = content.count("\n", 0, at) + 1
        column = at - content.rfind("\n", 0, at)
        code = f"U+{ord(content[at]):04X}"
        raise InputError(file, [Problem((), f"文件含有不能出现在 YAML 中的控制字符 {code}",
                                        f"the file contains the control character {code}, "
                                        "which YAML does not allow", line, column)])


def parse_yaml(raw: bytes, file: str) -> Source:
    """Parse the bytes of a YAML file named `file` (the name is only used in messages)."""
    if len(raw) > MAX_FILE_BYTES:
        raise _too_large(file, len(raw))
    content = _decode(raw, file)
    _refuse_unreadable(content, file)
    try:
        root = _compose(content, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = exc.problem or "syntax error"
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            reason += f" ({exc.context}, started at line {start.line + 1}:{start.column + 1})"
        zh = "YAML 格式错误：缩进不能使用 Tab 键，请改用空格" if "\\t" in reason or "tab" in reason.lower() \
            else "YAML 格式错误"
        raise InputError(file, [Problem((), zh, f"YAML syntax error: {reason}", line, col)]) from None
    except yaml.YAMLError as exc:
        raise InputError(file, [Problem((), "YAML 格式错误", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise InputError(file, [Problem((), f"嵌套层级过深（超过 {MAX_DEPTH} 层）",
                                        f"nesting deeper than {MAX_DEPTH} levels")]) from None
    if root is None:
        raise InputError(file, [Problem((), "文件是空的", "the file is empty", 1, 1)])
    builder = _Builder(file)
    data = builder.build(root, (), 0)
    if not isinstance(data, dict):
        raise InputError(file, [Problem((), "文件顶层必须是键值映射", "the top level must be a mapping", 1, 1)])
    return Source(file=file, data=data, positions=builder.positions, text=content)
