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
# Prints a few characters in every role's fonts, regular and bold, so that Typst loads them.
_WARM_UP = """#let fonts = json(bytes(sys.inputs.fonts))
#for chain in fonts.values() { text(font: chain)[中文 1.0 *粗体*] }
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
    alone, no PDF written (a compiler of its own, with the fonts already scanned)."""
    with _lock:
        compiler = typst.Compiler(input=source, font_paths=_scan(folders), sys_inputs=sys_inputs)
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


def _faces(folders: tuple[str, ...]) -> dict[tuple[str, int], tuple[str, int]]:
    """(file, face index) → (Typst family, weight) of every face Typst scanned."""
    with _lock:
        return {(f.path, f.index): (f.family, f.weight) for f in _scan(folders).fonts() if f.path}


def preload(role_fonts: bool) -> None:
    """Scan the fonts in the background, and with `role_fonts` load those a PDF prints with.

    Not a daemon: the interpreter waits for it rather than stop it inside Typst's code. Its
    failure is not swallowed: it is kept and raised in the caller's thread by the next
    `compile_typst`, where the render reports it.
    """
    _warm_up_errors.clear()  # (a batch worker: an earlier document's warm-up is not this one's)
    threading.Thread(target=_warm_up, args=(role_fonts,), name=_WARM_UP_THREAD).start()


_WARM_UP_THREAD = "budgetgen-font-warm-up"
_warm_up_errors: list[Exception] = []


def _warm_up(role_fonts: bool) -> None:
    try:
        folders = font_folders()
        families = typst_families(Fonts(), folders)
        if role_fonts:
            compile_typst(folders, _WARM_UP, format="pdf", sys_inputs={"fonts": json.dumps(families)})
    except Exception as error:  # e.g. no CJK font
        _warm_up_errors.append(error)


def _raise_warm_up_error() -> None:
    if _warm_up_errors and threading.current_thread().name != _WARM_UP_THREAD:
        raise _warm_up_errors.pop()


@cache
def _compiler(folders: tuple[str, ...]) -> typst.Compiler:
    return typst.Compiler(font_paths=_scan(folders))


@cache
def _scan(folders: tuple[str, ...]) -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=list(folders))
