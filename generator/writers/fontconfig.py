"""fontconfig's answers (which face a family is, which characters a face has), kept
between runs in the cache folder (generator.kept).

Each answer is a process of fontconfig's own: together 0.1–0.2 s of every `check` and
`render`, for answers that change only when fonts or fontconfig's configuration do. A face's
characters are kept by its file's size and modification time. Which face a family is kept by
what fontconfig itself looks at to tell whether its cache is current: its configuration files
and the modification time of every folder of fonts they name (a font added, removed or
replaced changes its folder's). An answer that cannot be kept is asked for every time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from generator.errors import RenderError
from generator.kept import file_stamps, keep, kept_path, read_kept

KEPT_MATCHES = 5  # files of kept family answers at most: one per state of the installed fonts
KEPT_CHARSETS = 40  # faces' kept characters at most: a document's chains have 5–10 faces
_DIR = re.compile(r"<dir(?P<attributes>[^>]*)>(?P<folder>[^<]+)</dir>")
_PREFIX = re.compile(r"""prefix\s*=\s*["'](?P<prefix>[^"']*)["']""")
_lock = threading.Lock()


def match(family: str) -> tuple[str, str, int] | None:
    """fc-match's answer for `family` with Chinese text: the face's family names (comma
    separated), its file and face index; None when fontconfig has no answer."""
    return match_all([family])[family]


def match_all(families: Iterable[str]) -> dict[str, tuple[str, str, int] | None]:
    """`match` for each of `families`; those not kept are asked at once (one fc-match each,
    side by side: each spends most of its time loading fontconfig's cache)."""
    wanted = list(dict.fromkeys(families))
    with _lock:
        answers, path = _kept_matches()
        unknown = [family for family in wanted if family not in answers]
        if unknown:
            with ThreadPoolExecutor(max_workers=len(unknown)) as pool:
                answers.update(zip(unknown, (None if found is None else list(found)
                                             for found in pool.map(_fc_match, unknown)), strict=True))
            keep(path, answers, "fc-match", KEPT_MATCHES)
        return {family: None if (found := answers[family]) is None else (str(found[0]), str(found[1]), int(found[2]))
                for family in wanted}


def charset(path: str, index: int) -> list[tuple[int, int]]:
    """The code points fontconfig finds glyphs for in face `index` of `path`, as sorted
    ranges: how Pango, and so WeasyPrint, sees the face."""
    try:
        kept = kept_path("fc-query", [_program_stamp("fc-query"), *file_stamps([path]), str(index).encode()])
    except OSError:  # the file is gone: fc-query will say it has nothing
        kept = None
    found = read_kept(kept)
    if isinstance(found, list) and all(isinstance(r, list) and len(r) == 2 for r in found):
        return [(int(lo), int(hi)) for lo, hi in found]
    out = subprocess.run(["fc-query", "-i", str(index), "--format", "%{charset}", path],
                         capture_output=True, text=True, check=False).stdout
    ranges = []
    for part in out.split():
        lo, _, hi = part.partition("-")
        ranges.append((int(lo, 16), int(hi or lo, 16)))
    ranges.sort()
    keep(kept, ranges, "fc-query", KEPT_CHARSETS)
    return ranges


def _fc_match(family: str) -> tuple[str, str, int] | None:
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{family}\t%{file}\t%{index}", f"{_fc_escape(family)}:lang=zh"],
            capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise RenderError("未找到 fc-match（请安装 fontconfig）",
                          "fc-match not found (install fontconfig)") from exc
    parts = result.stdout.split("\t")
    if result.returncode != 0 or len(parts) != 3:
        return None
    return parts[0], parts[1], int(parts[2] or 0)


def _fc_escape(family: str) -> str:
    """Escape a family name for a fontconfig pattern (\\ - : , are special)."""
    return "".join(f"\\{c}" if c in "\\-:,=" else c for c in family)


@cache  # called under the lock: once
def _kept_matches() -> tuple[dict[str, list | None], Path | None]:
    """The family answers kept for the present state of fontconfig, and where they go."""
    try:
        path = kept_path("fc-match", [_program_stamp("fc-match"), *_state()])
    except OSError:  # a file gone while it was looked at: keep nothing this time
        path = None
    found = read_kept(path)
    return (found if isinstance(found, dict) else {}), path


def _program_stamp(name: str) -> bytes:
    """Which fontconfig program answers (another version may answer otherwise)."""
    program = shutil.which(name)
    return b"" if program is None else b"".join(file_stamps([program]))


def _state() -> list[bytes]:
    """fontconfig's environment, configuration files and font folders, stamped."""
    environment = [f"{name}={os.environ.get(name, '')}".encode()
                   for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT",
                                "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")]
    configuration = sorted(set(_files(_configuration_roots())))
    folders: list[str] = []
    for file in configuration:
        try:
            text = Path(file).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for found in _DIR.finditer(text):
            prefix = _PREFIX.search(found["attributes"])
            folders.append(_folder(found["folder"].strip(), prefix["prefix"] if prefix else "", file))
    return [*environment, *file_stamps(configuration), *_folder_stamps(sorted(set(folders)))]


def _configuration_roots() -> list[str]:
    home = os.path.expanduser("~")
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    roots = [os.environ.get("FONTCONFIG_FILE", ""), *os.environ.get("FONTCONFIG_PATH", "").split(os.pathsep),
             "/etc/fonts", os.path.join(config, "fontconfig"), os.path.join(home, ".fonts.conf"),
             os.path.join(home, ".fonts.conf.d")]
    return [root for root in roots if root]


def _files(roots: list[str]) -> Iterator[str]:
    """Every file in `roots` (files, or folders walked)."""
    yield from (root for root in roots if os.path.isfile(root))
    for folder, names in walk_once(roots):
        yield from (os.path.join(folder, name) for name in names if os.path.isfile(os.path.join(folder, name)))


def walk_once(roots: Iterable[str]) -> Iterator[tuple[str, list[str]]]:
    """Each folder in `roots` with the names in it, as fontconfig and Typst walk them: links
    followed, each folder once however many links lead to it."""
    seen: set[tuple[int, int]] = set()
    for root in roots:
        for folder, folders, names in os.walk(root, followlinks=True):
            status = os.stat(folder)
            if (status.st_dev, status.st_ino) in seen:
                folders.clear()  # a loop of links, or a folder already walked
                continue
            seen.add((status.st_dev, status.st_ino))
            yield folder, names


def _folder(text: str, prefix: str, file: str) -> str:
    """The folder a `<dir>` of configuration `file` names, as fontconfig reads it: "~" is the
    home folder; a relative path is relative to $XDG_DATA_HOME (prefix "xdg"), the
    configuration file's folder ("relative") or the working folder ("default", "cwd", none)."""
    if prefix == "xdg":
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    elif prefix == "relative":
        base = os.path.dirname(file)
    else:
        base = os.getcwd()
    return os.path.join(base, os.path.expanduser(text))


def _folder_stamps(roots: list[str]) -> Iterator[bytes]:
    """Each folder of fonts (and every folder in it) with its modification time; a folder
    that is not there, as absent (it may come)."""
    yield from (f"{root}:absent".encode() for root in roots if not os.path.isdir(root))
    for folder, _ in walk_once(roots):
        yield f"{folder}:{os.stat(folder).st_mtime_ns}".encode()
