"""Typst's font set: only the folders that hold the fonts budgetgen prints with.

Scanning every installed font takes Typst 0.1–0.3 s; the folders of the faces fontconfig
picks for the font roles, the free fallbacks and the chart font hold every font the
document uses, in a fraction of that. The scan runs once per process, and can start in a
background thread while the document is composed (Typst releases the GIL).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from functools import cache

import typst

from generator.compose.tree import Fonts

from .fonts import FALLBACKS, chart_face, resolve_family

_lock = threading.Lock()


def font_folders(families: Iterable[str] = ()) -> tuple[str, ...]:
    """The folders of the chart font, the default role fonts, the fallbacks and `families`.

    A document with the default fonts gets the same folders as its charts: one scan.
    """
    defaults = vars(Fonts()).values()
    wanted = [*families, *defaults, *(f for chain in FALLBACKS.values() for f in chain)]
    faces = [chart_face(), *(face for f in wanted if (face := resolve_family(f)))]
    return tuple(sorted({os.path.dirname(face.path) for face in faces}))


def compiler(folders: tuple[str, ...]) -> typst.Compiler:
    """A Typst compiler that sees the fonts of `folders` (and no others)."""
    return typst.Compiler(font_paths=font_set(folders))


def families_by_file(folders: tuple[str, ...]) -> dict[tuple[str, int], str]:
    """(font file, face index) → the family name Typst knows the face by."""
    return {(f.path, f.index): f.family for f in font_set(folders).fonts() if f.path}


def preload() -> None:
    """Find and scan the fonts in the background, so that charts and PDFs find them ready."""
    threading.Thread(target=lambda: font_set(font_folders()), daemon=True).start()


def font_set(folders: tuple[str, ...]) -> typst.Fonts:
    with _lock:
        return _scan(folders)


@cache
def _scan(folders: tuple[str, ...]) -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                       font_paths=list(folders))
