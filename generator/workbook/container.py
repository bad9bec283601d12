"""The input workbook as a container: what the file is, whether it is safe to open, its cells.

Everything here happens before and around openpyxl, so that no file a clerk (or anyone who
can drop a file into a shared folder) sends can hang the reader, exhaust its memory or end
in a traceback:

1. the kind of file is told by its content, never by its name (`is_container`,
   `_check_kind`): an old .xls, an .ods, a macro workbook, a zip that is no workbook and a
   text file named .xlsx are each refused with what to do;
2. the zip's central directory is checked before anything is inflated: the number of parts,
   each part's and the total inflated size and the compression ratio (a zip bomb is refused
   in milliseconds; zipfile never inflates a part beyond its declared size);
3. every XML part is inflated once and scanned by expat for well-formedness, with DTDs and
   entity declarations refused (no billion laughs, no external entities); a corrupt part
   fails its CRC here, named; the elements are counted (at the speed of bytes.count) and
   bounded, in all, in the shared strings and outside the cells, which openpyxl parses;
4. openpyxl then reads the workbook's structure in read-only mode, step by step (each step
   names the part it reads), and each sheet is streamed by expat (`sheet_stream`) into a
   sparse grid of the cells that hold a value: a styled empty cell at row 1,048,576 costs one
   row, not a million, and reading stops at the limits (`MAX_SHEET_ROWS`, `MAX_CELLS`) with
   the sheet and row named.

Any input workbook up to the CLI's 20 MB is so refused or read within about 5 s and 500 MB.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import NoReturn
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.styles.stylesheet import apply_stylesheet

from generator.model.schema import MAX_PERFORMANCE_TABLES, MAX_PROJECTS
from generator.model.yamlsource import MAX_FILE_BYTES, InputError, Problem
from generator.workbook.sheet_stream import Sheet, Styles, stream

MAX_PARTS = 5_000  # zip entries: a workbook of 1,000 performance tables has about 1,020
MAX_INFLATED = 64 * 1024 * 1024  # all parts together, inflated (10,000 projects: about 8 MB)
MAX_RATIO = 100  # inflated / compressed, for a part inflating to more than RATIO_FLOOR
RATIO_FLOOR = 16 * 1024 * 1024  # (no part of an input workbook comes near)
MAX_SHEETS = MAX_PERFORMANCE_TABLES + 50
MAX_SHEET_ROWS = MAX_PROJECTS + 1_000  # rows holding a value, per sheet (headers, 类/款 rows)
MAX_CELLS = 750_000  # rows and cells read in the whole workbook, empty ones included (limits: ~470,000)
MAX_ELEMENTS = 1_500_000  # XML elements in all parts (10,000 projects: 230,000)
MAX_STRING_ELEMENTS = 600_000  # openpyxl parses each (10,000 projects and 1,000 tables: ~250,000)
MAX_FRAME = 200_000  # of them outside the cells and shared strings (1,000 performance tables: ~60,000)
_CHUNK = 1 << 20  # (a part small by nature is read at most this far)
_DIRECTORY_ENTRY = 400  # bytes a part may take in the zip's directory, on average

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".et")
SAVE_AS = "请在 Excel/WPS 中打开并另存为 .xlsx 工作簿", "open it in Excel/WPS and save it as an .xlsx workbook"
BROKEN = "工作簿已损坏或不是有效的 .xlsx", "the workbook is damaged or not a valid .xlsx"


def is_container(raw: bytes) -> bool:
    """Whether the bytes are a zip or an OLE2 compound file (a workbook, or something posing as one)."""
    return raw.startswith(OLE2) or raw.startswith(ZIP)


def refuse(file: str, zh: str, en: str, cell: str | None = None) -> InputError:
    return InputError(file, [Problem((), zh, en, cell=cell)])


def _broken(file: str, part: str, reason: str) -> InputError:
    return refuse(file, f"{BROKEN[0]}：读取 {part} 时出错（{reason}）；{SAVE_AS[0]}",
                  f"{BROKEN[1]}: reading {part} failed ({reason}); {SAVE_AS[1]}")


def refuse_text_as_workbook(file: str) -> InputError:
    """A file named .xlsx (or .xls …) whose content is no workbook at all."""
    return refuse(file, "文件名是工作簿，内容却不是工作簿（是文本？若是 YAML 输入，请把文件名改为 .yaml）",
                  "the file is named as a workbook but its content is none (text? if it is a YAML input, "
                  "rename it to .yaml)")


def check_container(raw: bytes, file: str) -> zipfile.ZipFile:
    """The opened zip of an .xlsx workbook, checked as the module describes (steps 1–3)."""
    if len(raw) > MAX_FILE_BYTES:
        raise refuse(file, f"文件过大（{len(raw)} 字节，上限 {MAX_FILE_BYTES} 字节）",
                     f"file too large ({len(raw)} bytes, the limit is {MAX_FILE_BYTES})")
    if raw.startswith(OLE2):
        raise refuse(file, f"这是旧版 Excel 97–2003（.xls）文件或加密的工作簿，无法读取；{SAVE_AS[0]}（不设密码）",
                     f"this is an old Excel 97–2003 (.xls) file or an encrypted workbook; "
                     f"{SAVE_AS[1]} (without a password)")
    _check_directory(raw, file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _broken(file, "zip 目录 / the zip directory", str(exc)) from None
    _check_kind(archive, file)
    _check_sizes(infos, file)
    _check_xml(archive, infos, file)
    return archive


def _check_xml(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], file: str) -> None:
    elements = frame = 0
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        found, outside = _scan_xml(archive, info, file)
        elements, frame = elements + found, frame + outside
        if info.filename.endswith("sharedStrings.xml") and found > MAX_STRING_ELEMENTS:
            raise refuse(file, f"工作簿的共享字符串超过 {MAX_STRING_ELEMENTS} 个 XML 元素，不像是输入工作簿；未读取",
                         f"the workbook's shared strings hold more than {MAX_STRING_ELEMENTS} XML elements: "
                         "not an input workbook; not read")
        if frame > MAX_FRAME:
            raise refuse(file, f"工作簿的结构元素（单元格以外：样式、工作表框架等）超过 {MAX_FRAME} 个"
                               f"（在部件 {info.filename} 处），不像是输入工作簿；未读取",
                         f"the workbook holds more than {MAX_FRAME} elements besides its cells (styles, "
                         f"sheet frames …; at the part {info.filename}): not an input workbook; not read")
        if elements > MAX_ELEMENTS:
            raise refuse(file, f"工作簿的 XML 元素超过 {MAX_ELEMENTS} 个（在部件 {info.filename} 处），"
                               "远超输入工作簿的大小；未读取",
                         f"the workbook holds more than {MAX_ELEMENTS} XML elements (at the part "
                         f"{info.filename}), far beyond an input workbook; not read")


def _check_directory(raw: bytes, file: str) -> None:
    """Refuse a zip whose directory declares too many parts before zipfile parses it (a
    20 MB directory of 400,000 empty parts takes zipfile seconds and 200 MB)."""
    try:
        end = zipfile._EndRecData(io.BytesIO(raw))  # type: ignore[attr-defined]  # (stable since Python 2)
    except (OSError, ValueError, struct.error):
        end = None
    if end is None:
        raise _broken(file, "zip 目录 / the zip directory", "no end of central directory")
    parts, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
    if parts > MAX_PARTS or size > MAX_PARTS * _DIRECTORY_ENTRY:
        raise refuse(file, f"工作簿含有 {parts} 个部件（目录 {size} 字节，上限 {MAX_PARTS} 个），不像是输入工作簿",
                     f"the workbook holds {parts} parts (a directory of {size} bytes; the limit is {MAX_PARTS}): "
                     "not an input workbook")


def _check_kind(archive: zipfile.ZipFile, file: str) -> None:
    names = set(archive.namelist())
    if "mimetype" in names and b"opendocument" in _small(archive, "mimetype", file):
        raise refuse(file, f"这是 OpenDocument 表格（.ods），不是 .xlsx；{SAVE_AS[0]}",
                     f"this is an OpenDocument spreadsheet (.ods), not an .xlsx; {SAVE_AS[1]}")
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        kind = "Word 文档（.docx）" if any(n.startswith("word/") for n in names) else "zip 压缩包"
        raise refuse(file, f"这是{kind}，不是 .xlsx 工作簿", "this is a zip archive, not an .xlsx workbook")
    if b"macroEnabled" in _small(archive, "[Content_Types].xml", file) or "xl/vbaProject.bin" in names:
        raise refuse(file, f"这是启用宏的工作簿（.xlsm）；budgetgen 不读取含宏的文件，{SAVE_AS[0]}",
                     f"this is a macro-enabled workbook (.xlsm), which budgetgen does not read; {SAVE_AS[1]}")
    if "xl/workbook.bin" in names:
        raise refuse(file, f"这是二进制工作簿（.xlsb）；{SAVE_AS[0]}", f"this is a binary workbook (.xlsb); {SAVE_AS[1]}")


def _small(archive: zipfile.ZipFile, name: str, file: str) -> bytes:
    """A part that is small by its nature (mimetype, content types), read at most 1 MB."""
    info = archive.getinfo(name)
    if info.file_size > _CHUNK:
        raise _broken(file, name, f"{info.file_size} bytes")
    try:
        return archive.read(info)
    except Exception as exc:  # any failure of a damaged zip is reported, named
        raise _broken(file, name, _reason(exc)) from None


def _check_sizes(infos: list[zipfile.ZipInfo], file: str) -> None:
    """Refuse before inflating anything, by the sizes the zip's directory declares."""
    if len(infos) > MAX_PARTS:
        raise refuse(file, f"工作簿含有 {len(infos)} 个部件（上限 {MAX_PARTS}），不像是输入工作簿",
                     f"the workbook holds {len(infos)} parts (the limit is {MAX_PARTS}): not an input workbook")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise refuse(file, f"工作簿部件 {info.filename} 的压缩比异常（{ratio:.0f}:1，解压后 {info.file_size} 字节）；"
                               "疑为压缩炸弹，未读取",
                         f"the part {info.filename} inflates {ratio:.0f} times (to {info.file_size} bytes): "
                         "a zip bomb, not read")
        if total > MAX_INFLATED:
            raise refuse(file, f"工作簿解压后超过 {MAX_INFLATED // 2**20} MB（在部件 {info.filename} 处），"
                               "远超输入工作簿的大小；未读取",
                         f"the workbook inflates to more than {MAX_INFLATED // 2**20} MB (at the part "
                         f"{info.filename}), far beyond an input workbook; not read")


class _Refused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _no_dtd(*_args: object) -> NoReturn:
    raise _Refused("含有 DTD 声明（DOCTYPE）", "it declares a DTD (DOCTYPE)")


def _no_entity(*_args: object) -> NoReturn:
    raise _Refused("含有实体声明或外部实体", "it declares an entity or refers to an external one")


_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData[\s/>]")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>|<(?:[\w.-]+:)?sheetData[^>]*/>")


def _elements(data: bytes) -> int:
    """About how many elements `data` opens, at the speed of bytes.count."""
    return data.count(b"<") - data.count(b"</")


def _scan_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> tuple[int, int]:
    """Inflate one XML part (checking its CRC) and let expat check it, refusing DTDs and entities.

    Returns about how many elements it holds, and how many of them are outside a sheet's
    cells (a sheet's frame, styles, the workbook …: what openpyxl parses into objects).
    """
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_entity
    parser.UnparsedEntityDeclHandler = _no_entity
    parser.ExternalEntityRefHandler = _no_entity
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with archive.open(info) as part:
            data = part.read()  # at most MAX_INFLATED, checked before
        parser.Parse(data, True)
    except _Refused as refused:
        raise refuse(file, f"{BROKEN[0]}：部件 {info.filename} {refused.zh}，为安全起见不读取",
                     f"{BROKEN[1]}: the part {info.filename} is refused: {refused.en}") from None
    except Exception as exc:  # bad CRC, bad deflate data, bad XML: all named
        raise _broken(file, info.filename, _reason(exc)) from None
    elements = _elements(data)
    if info.filename.endswith("sharedStrings.xml"):
        return elements, 0
    start, end = _SHEET_DATA.search(data), None
    if start and info.filename.startswith("xl/worksheets/"):
        end = max((m.end() for m in _SHEET_DATA_END.finditer(data, start.start())), default=None)
    if start is None or end is None:
        return elements, elements
    return elements, _elements(data[: start.start()]) + _elements(data[end:])


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Workbook:
    """The sheets of a checked workbook, read lazily in file order."""

    def __init__(self, raw: bytes, file: str) -> None:
        self.file = file
        check_container(raw, file).close()
        self._reader, parts = _load(raw, file)
        self._budget = MAX_CELLS  # rows and cells still to be read, in all sheets
        if len(parts) > MAX_SHEETS:
            raise refuse(file, f"工作簿有 {len(parts)} 个工作表（上限 {MAX_SHEETS}）",
                         f"the workbook has {len(parts)} sheets (the limit is {MAX_SHEETS})")
        self._parts = {part.title: part for part in parts}
        self.sheetnames: list[str] = [part.title for part in parts]
        self._read: dict[str, Sheet] = {}
        book = self._reader.wb  # its private attributes (type: ignore) are not in openpyxl's stubs
        self._styles = Styles(frozenset(book._date_formats), frozenset(book._timedelta_formats),  # type: ignore[attr-defined]
                              _percent_styles(book), book.epoch)

    def __getitem__(self, name: str) -> Sheet:
        if name not in self._read:
            self._read[name] = self._sheet(self._parts[name])
        return self._read[name]

    def _sheet(self, part: SheetPart) -> Sheet:
        """The worksheet's part, streamed."""
        sheet = Sheet(part.title, part.state, part.path)
        try:
            with self._reader.archive.open(part.path) as source:
                self._budget = stream(source, sheet, self._reader.shared_strings, self._styles,
                                      self._budget, exceeded=lambda row: self._exceeded(sheet, row),
                                      held=lambda row: _held(sheet, row, self.file))
        except InputError:
            raise
        except Exception as exc:  # e.g. a shared-string index that is not there
            raise _broken(self.file, f"工作表「{sheet.title}」（{sheet.part}）", _reason(exc)) from None
        return sheet

    def _exceeded(self, sheet: Sheet, row: int) -> None:
        """More rows and cells read than any input workbook holds (an empty one costs time too)."""
        raise refuse(self.file, f"工作簿单元格超过 {MAX_CELLS} 个（读到工作表「{sheet.title}」第 {row} 行），"
                                "远超输入工作簿的大小；未读取",
                     f"the workbook holds more than {MAX_CELLS} cells (at sheet {sheet.title!r} "
                     f"row {row}), far beyond an input workbook; not read",
                     cell=f"{sheet.title}!A{row}")


def _percent_styles(book: object) -> frozenset[int]:
    """The cell styles whose number format shows a percentage (from openpyxl's private
    attributes, not in its stubs: type: ignore)."""
    found = set()
    for index, style in enumerate(book._cell_styles):  # type: ignore[attr-defined]
        number = style.numFmtId
        with suppress(IndexError):
            shown = BUILTIN_FORMATS.get(number, "") if number < BUILTIN_FORMATS_MAX_SIZE else \
                book._number_formats[number - BUILTIN_FORMATS_MAX_SIZE]  # type: ignore[attr-defined]
            if "%" in str(shown):
                found.add(index)
    return frozenset(found)


def _held(sheet: Sheet, row: int, file: str) -> None:
    if sheet.rows > MAX_SHEET_ROWS:
        raise refuse(file, f"工作表「{sheet.title}」的数据超过 {MAX_SHEET_ROWS} 行（项目最多 {MAX_PROJECTS} 个）；"
                           "读到此行为止",
                     f"the sheet {sheet.title!r} holds more than {MAX_SHEET_ROWS} rows of data "
                     f"(at most {MAX_PROJECTS} projects); reading stopped here",
                     cell=f"{sheet.title}!A{row}")


@dataclass(frozen=True)
class SheetPart:
    """A worksheet as workbook.xml lists it: its name, visibility and part."""

    title: str
    state: str  # visible, hidden or veryHidden
    path: str


def _load(raw: bytes, file: str) -> tuple[ExcelReader, list[SheetPart]]:
    """openpyxl's reading of the workbook's structure in read-only mode, step by step, and
    its worksheets' parts. openpyxl's own worksheets are not made: each would parse the
    start of its part only to find a size that streaming does not need."""
    reader = ExcelReader(io.BytesIO(raw), read_only=True, data_only=True, keep_links=False)
    steps: list[tuple[str, Callable[[], object]]] = [
        ("[Content_Types].xml", reader.read_manifest),
        ("xl/sharedStrings.xml", reader.read_strings),
        ("xl/workbook.xml", reader.read_workbook),
        ("docProps", reader.read_properties),
        ("docProps/custom.xml", reader.read_custom),
        ("xl/theme", reader.read_theme),
        ("xl/styles.xml", lambda: apply_stylesheet(reader.archive, reader.wb)),
    ]
    for part, step in steps:
        try:
            step()
        except Exception as exc:  # openpyxl's errors on a damaged part, named
            raise _broken(file, part, _reason(exc)) from None
    parts = []
    for sheet in reader.parser.sheets:  # openpyxl would drop a sheet whose part is gone, silently
        rel = reader.parser.rels.get(sheet.id) if sheet.id else None
        if rel is None or rel.target not in reader.valid_files:
            where = rel.target if rel is not None else sheet.id
            raise _broken(file, f"工作表「{sheet.name}」（{where}）", "the sheet's part is missing")
        if "chartsheet" not in str(rel.Type):  # a chart on a sheet of its own holds no cells
            parts.append(SheetPart(sheet.name, sheet.state or "visible", rel.target))
    return reader, parts
