"""One Typst compiler per process, seeing only the fonts budgetgen prints with.

Scanning every installed font takes Typst 0.1–0.3 s; the folders of the faces fontconfig
picks for the font roles, the free fallbacks and the chart font hold every font a document
uses, in a fraction of that. The compiler is kept: it parses each font once, so the next
chart or document of a batch worker costs a fraction of the first. `preload` scans the
fonts and loads the role fonts in a background thread while the document is composed
(Typst releases the GIL); a lock keeps the compiler to one caller at a time.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from functools import cache
from typing import Any

import typst

from generator.compose.tree import FontRole, Fonts

from .fonts import FALLBACKS, chart_face, installed_chain, resolve_family, role_chains

_lock = threading.Lock()
# Prints a few characters in each role's face at its weight, and in the table's bold face
# (header and total cells), so that Typst loads the faces a document prints with and no
# other: each is read whole into private memory (some 25 MB), and a bold face of every
# role took 40 MB more than a document uses.
_WARM_UP = """#let fonts = json(bytes(sys.inputs.fonts))
#let weights = json(bytes(sys.inputs.weights))
#for (role, chain) in fonts { text(font: chain, weight: weights.at(role))[中文 1.0] }
#text(font: fonts.table, weight: "bold")[粗体 1.0]
""".encode()


def font_folders(families: Iterable[str] = ()) -> tuple[str, ...]:
    """The folders of the chart font, the default role fonts, the fallbacks and `families`.

    A document with the default fonts gets the same folders as its charts: one compiler.
    """
    defaults = vars(Fonts()).values()
    wanted = [*families, *defaults, *(f for chain in FALLBACKS.values() for f in chain)]
    faces = [chart_face(), *(face for f in wanted if (face := resolve_family(f)))]
    return tuple(sorted({os.path.dirname(face.path) for face in faces}))


def compile_typst(folders: tuple[str, ...], source: bytes, **options: Any) -> bytes:
    """Compile `source` (options as `typst.Compiler.compile`) with the fonts of `folders`."""
    _raise_warm_up_error()
    with _lock:
        result = _compiler(folders).compile(source, **options)
    assert isinstance(result, bytes)  # one PDF, or a one-page PNG
    return result


def query_typst(folders: tuple[str, ...], source: bytes, selector: str,
                sys_inputs: dict[str, str]) -> object:
    """The `value` of the one element `selector` finds in `source`'s layout: the layout
    alone, no PDF written. A compiler of its own, beside the shared one (a chart's PNG may
    be made meanwhile), with the same scanned fonts."""
    with _lock:
        fonts = _scan(folders)
    compiler = typst.Compiler(input=source, font_paths=fonts, sys_inputs=sys_inputs)
    return json.loads(compiler.query(selector, field="value", one=True))


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
    seen: set[tuple[int, int]] = set()
    paths = []
    for folder in folders:
        for root, dirs, names in os.walk(folder, followlinks=True):
            status = os.stat(root)
            if (status.st_dev, status.st_ino) in seen:
                dirs.clear()  # a loop of links, or a folder already walked
                continue
            seen.add((status.st_dev, status.st_ino))
            paths += [os.path.join(root, name) for name in names if name.lower().endswith(FONT_SUFFIXES)]
    return sorted(paths)


def _faces(folders: tuple[str, ...]) -> dict[tuple[str, int], tuple[str, int]]:
    """(file, face index) → (Typst family, weight) of every face Typst scanned."""
    with _lock:
        return {(f.path, f.index): (f.family, f.weight) for f in _scan(folders).fonts() if f.path}


def preload(pdf: bool) -> None:
    """In the background, scan the fonts and, with `pdf`, load those a PDF prints with
    (a DOCX alone needs the scan for its charts, and for its 目录 when its pages are not kept).

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
    thread = threading.Thread(target=_warm_up, args=(pdf,), name=_WARM_UP_THREAD)
    thread.start()
    _last_warm_up = thread  # (set once started: another thread may join it)


_WARM_UP_THREAD = "budgetgen-font-warm-up"
_warm_up_errors: list[Exception] = []
_last_warm_up: threading.Thread | None = None


def _warm_up(pdf: bool) -> None:
    try:
        folders = font_folders()
        if not pdf:
            with _lock:
                _compiler(folders)
            return
        families = typst_families(Fonts(), folders)
        compile_typst(folders, _WARM_UP, format="pdf", sys_inputs={
            "fonts": json.dumps(families), "weights": json.dumps(typst_weights(Fonts(), folders))})
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
    empty page, with no font, age them out in a few milliseconds (most of it the freeing);
    the fonts, loaded once, stay.
    """
    with _lock:
        blank = _blank()
        for _ in range(EVICTION_PASSES):
            blank.compile(b"", format="svg")


@cache
def _blank() -> typst.Compiler:
    return typst.Compiler(font_paths=typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                                                 font_paths=[]))


@cache
def _compiler(folders: tuple[str, ...]) -> typst.Compiler:
    return typst.Compiler(font_paths=_scan(folders))


@cache
def _scan(folders: tuple[str, ...]) -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=list(folders))
