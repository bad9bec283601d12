"""The Typst compilers of budgetgen, each seeing only the faces it prints with, cut down.

Typst finds a face by its family and weight. Its names for the faces in the folders of the
fonts fontconfig picks for the roles, the free fallbacks and the chart font come from one
Typst scan of those folders, kept between runs (the scan reads every face's coverage: 0.1–
0.3 s of CPU); `preload` reads or makes them in a background thread while the document is
composed (Typst releases the GIL). What Typst compiles with is a folder of its own per
document (or set of charts) holding the faces it may print with, cut down to its
characters (`font_subsets`): Typst reads each face it prints with whole into private
memory, and the whole faces were some 110 MB and half of the PDF's time. A lock keeps each
compiler to one caller at a time (a PDF and a DOCX's charts are drawn side by side).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import typst

from generator.compose.tree import FontRole, Fonts
from generator.errors import TemporaryFolderError
from generator.kept import file_stamps, keep, kept_path, read_kept

from .fontconfig import walk_once
from .fonts import FALLBACKS, chart_face, installed_chain, resolve_family, role_chains

_lock = threading.Lock()
BOLD = 700  # the weight Typst gives `weight: "bold"`, which every role may print with
PRINTABLE_ASCII = frozenset(range(0x20, 0x7F))  # in every cut face: what Typst itself may print


def font_folders(families: Iterable[str] = ()) -> tuple[str, ...]:
    """The folders of the chart font, the default role fonts, the fallbacks and `families`.

    A document with the default fonts gets the same folders as its charts: one scan.
    """
    defaults = vars(Fonts()).values()
    wanted = [*families, *defaults, *(f for chain in FALLBACKS.values() for f in chain)]
    faces = [chart_face(), *(face for f in wanted if (face := resolve_family(f)))]
    return tuple(sorted({os.path.dirname(face.path) for face in faces}))


class PrintFonts:
    """The faces one document (or one set of charts) prints with, each cut to the characters
    it prints, in a temporary folder of their own, and a Typst compiler over them. The
    folder is removed once nothing holds this any more.

    A cut face that Typst would name otherwise than the whole one (not seen: the cut keeps
    every name) is replaced by the whole file, so that a document never changes its font.
    """

    def __init__(self, faces: dict[tuple[str, int], tuple[str, int]], codepoints: frozenset[int]) -> None:
        try:
            _sweep_once()
            self._folder = tempfile.TemporaryDirectory(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
        except OSError as error:  # no temporary folder can be written (Typst reads fonts only from files)
            raise TemporaryFolderError(error) from error
        self.folder = Path(self._folder.name)
        from .font_subsets import write_cut_faces  # HarfBuzz: not for a DOCX whose 目录 pages are kept

        try:
            written = write_cut_faces(faces, codepoints, self.folder)
        except OSError as error:
            if error.filename is None or Path(error.filename).parent != self.folder:
                raise  # not the folder's fault (a font file gone meanwhile)
            raise TemporaryFolderError(error) from error  # e.g. a full disk
        self.fonts = _typst_fonts(str(self.folder))
        named = {(os.path.basename(f.path), f.index): (f.family, f.weight) for f in self.fonts.fonts() if f.path}
        misnamed = [(file, index) for (file, index), face in written.items()
                    if named.get((file.name, index)) != faces[face]]
        for file, index in misnamed:
            path, whole_index = written.pop((file, index))
            file.unlink()
            whole = file.with_name(f"{file.stem}-whole{Path(path).suffix}")
            os.symlink(path, whole)
            written[whole, whole_index] = (path, whole_index)
        if misnamed:
            self.fonts = _typst_fonts(str(self.folder))
        self.faces = {file.name: face for (file, _), face in written.items()}  # each file's whole face
        self.compiler = typst.Compiler(font_paths=self.fonts)
        self.lock = threading.Lock()  # one compilation at a time; another set's may run beside it


RECENT_FONTS = 2  # font sets kept for reuse: a document's, and its charts'
FOLDER_PREFIX = "budgetgen-fonts-"  # then the process id: whose folder it is


@cache
def _sweep_once() -> None:
    """Remove the folders of cut faces that ended processes left (a worker killed for its
    time leaves its own), once per process."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        owner = folder.name.removeprefix(FOLDER_PREFIX).split("-")[0]
        if owner.isdigit() and not _alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def print_fonts(folders: tuple[str, ...], faces: Iterable[tuple[str, int]], chars: Iterable[str]) -> PrintFonts:
    """`faces` (files and face indexes in the scan of `folders`) cut to `chars` and the
    printable ASCII; the same set as the last call's or the one before it when asked again
    (a document's PDF, 目录 and charts)."""
    names = _faces(folders)
    wanted = {face: names[face] for face in sorted(set(faces))}
    codepoints = frozenset(map(ord, chars)) | PRINTABLE_ASCII
    key = (tuple(wanted), codepoints)
    with _lock:
        found = _recent.pop(key, None) or PrintFonts(wanted, codepoints)
        _recent[key] = found
        while len(_recent) > RECENT_FONTS:
            _recent.popitem(last=False)
    return found


_recent: OrderedDict[tuple[tuple[tuple[str, int], ...], frozenset[int]], PrintFonts] = OrderedDict()


def printed_faces(folders: tuple[str, ...], families: dict[FontRole, list[str]],
                  weights: dict[FontRole, int]) -> list[tuple[str, int]]:
    """The faces of the scan of `folders` that Typst may print each role with: of each family
    of the role's chain, those nearest in weight to the role's weight and to bold."""
    by_family: dict[str, list[tuple[tuple[str, int], int]]] = {}
    for face, (family, weight) in _faces(folders).items():
        by_family.setdefault(family, []).append((face, weight))
    picked = []
    for role, chain in families.items():
        for family in chain:
            candidates = by_family.get(family, [])
            for wanted in (weights[role], BOLD):
                nearest = min((abs(weight - wanted) for _, weight in candidates), default=0)
                picked += [face for face, weight in candidates if abs(weight - wanted) == nearest]
    return sorted(set(picked))


def compile_typst(fonts: PrintFonts, source: bytes, **options: Any) -> bytes:
    """Compile `source` (options as `typst.Compiler.compile`) with `fonts`."""
    _raise_warm_up_error()
    with fonts.lock:
        result = fonts.compiler.compile(source, **options)
    assert isinstance(result, bytes)  # one PDF, or a one-page PNG
    return result


def typeset(fonts: PrintFonts, source: Path, sys_inputs: dict[str, str], selector: str,
            **pdf: Any) -> tuple[bytes | None, object]:
    """Lay the Typst file `source` out with `fonts` and answer the `value` of the one element
    `selector` finds; with `pdf` options (as `typst.Compiler.compile`'s), write the PDF of
    that layout first, and the answer costs nothing (Typst memoized the layout). A compiler
    of its own (given the file by its path: typst-py compiles bytes once), beside the
    charts' (a chart's PNG may be drawn meanwhile)."""
    _raise_warm_up_error()
    compiler = typst.Compiler(input=str(source), font_paths=fonts.fonts, sys_inputs=sys_inputs)
    document = compiler.compile(format="pdf", **pdf) if pdf else None
    assert document is None or isinstance(document, bytes)  # one PDF
    return document, json.loads(compiler.query(selector, field="value", one=True))


def typst_families(fonts: Fonts, folders: tuple[str, ...]) -> dict[FontRole, list[str]]:
    """Each role's font chain as the family names Typst knows the faces by.

    The faces are those fontconfig picks (as for the coverage check), matched by file.
    """
    names = {key: family for key, (family, _) in _faces(folders).items()}
    return {role: list(dict.fromkeys(names[(face.path, face.index)] for face in installed_chain(chain)
                                     if (face.path, face.index) in names))
            for role, chain in role_chains(fonts).items()}


def typst_weights(fonts: Fonts, folders: tuple[str, ...]) -> dict[FontRole, int]:
    """Each role's regular weight: that of the face fontconfig picks first.

    Typst names a face by its family and weight ("Noto Serif CJK SC SemiBold" is the
    family "Noto Serif CJK SC" at 600), so the weight must travel with the family.
    """
    weights = {key: weight for key, (_, weight) in _faces(folders).items()}
    chosen = {role: installed_chain(chain)[:1] for role, chain in role_chains(fonts).items()}
    return {role: weights.get((face[0].path, face[0].index), 400) if face else 400
            for role, face in chosen.items()}


FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")  # the files Typst's font search reads


def font_paths(folders: tuple[str, ...]) -> list[str]:
    """Every font file Typst may scan in `folders` (as it does: walked, links followed, each
    folder once however many links lead to it), listed without Typst's scan, which parses
    every face of every file."""
    paths = []
    for root, names in walk_once(folders):
        paths += [os.path.join(root, name) for name in names if name.lower().endswith(FONT_SUFFIXES)]
    return sorted(paths)


def _faces(folders: tuple[str, ...]) -> dict[tuple[str, int], tuple[str, int]]:
    """(file, face index) → (Typst family, weight) of every face Typst finds in `folders`."""
    with _lock:
        if folders not in _named:
            _named[folders] = _kept_faces(folders)
        return _named[folders]


_named: dict[tuple[str, ...], dict[tuple[str, int], tuple[str, int]]] = {}
KEPT_FACES = 20  # files of kept names at most (they change when fonts are installed or updated)


def _kept_faces(folders: tuple[str, ...]) -> dict[tuple[str, int], tuple[str, int]]:
    """Typst's names of the faces in `folders`, kept between runs keyed by every font file
    there and Typst's version: Typst's scan reads each face's coverage (0.1–0.3 s of CPU for
    the free CJK fonts' folders)."""
    try:
        path = kept_path("faces", [version("typst").encode(), *file_stamps(font_paths(folders))])
    except OSError:  # a font file gone meanwhile: scan, keep nothing
        path = None
    found = read_kept(path)
    if isinstance(found, list) and all(isinstance(face, list) and len(face) == 4 for face in found):
        return {(file, index): (family, weight) for file, index, family, weight in found}
    scanned = {(f.path, f.index): (f.family, f.weight) for f in _typst_fonts(*folders).fonts() if f.path}
    keep(path, [[*face, *name] for face, name in sorted(scanned.items())], "faces", KEPT_FACES)
    return scanned


def preload() -> None:
    """Scan the fonts in the background: the names of the faces, which a PDF, a 目录's
    layout or a chart asks for once the document is composed.

    Not a daemon: the interpreter waits for it rather than stop it inside Typst's code. Its
    failure is not swallowed: it is kept and raised in the caller's thread by the next
    `compile_typst`, where the render reports it. In a worker, an earlier document's warm-up
    (one that failed before it compiled anything) is waited for first: its failure is not
    this document's.
    """
    global _last_warm_up
    if _last_warm_up is not None:
        _last_warm_up.join()
    _warm_up_errors.clear()
    thread = threading.Thread(target=_warm_up, name=_WARM_UP_THREAD)
    thread.start()
    _last_warm_up = thread  # (set once started: another thread may join it)


_WARM_UP_THREAD = "budgetgen-font-warm-up"
_warm_up_errors: list[Exception] = []
_last_warm_up: threading.Thread | None = None


def _warm_up() -> None:
    try:
        _faces(font_folders())
    except Exception as error:  # e.g. no CJK font
        _warm_up_errors.append(error)


def _raise_warm_up_error() -> None:
    if _warm_up_errors and threading.current_thread().name != _WARM_UP_THREAD:
        raise _warm_up_errors.pop()


EVICTION_PASSES = 10  # typst-py drops a memoized result left unused for this many compilations


def forget_layouts() -> None:
    """Let Typst drop what it memoized for the documents rendered so far, in a process that
    goes on to render others (a batch's or the workbench's worker).

    typst-py keeps Typst's memoized results (layouts, shaped text) until they go unused for
    ten compilations, and has no call to drop them: a worker rendering one department after
    another grew by some 40 MB a document, to about 700 MB after ten. Ten compilations of an
    empty page, with no font, age them out in a few milliseconds (most of it the freeing).
    The documents' cut faces go too, with their folders (a worker of a process pool ends
    without the clean-up at exit).
    """
    with _lock:
        _recent.clear()
        blank = _blank()
        for _ in range(EVICTION_PASSES):
            blank.compile(b"", format="svg")


@cache
def _blank() -> typst.Compiler:
    return typst.Compiler(font_paths=typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                                                 font_paths=[]))


def _typst_fonts(*folders: str) -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=list(folders))
