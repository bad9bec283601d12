"""Shared fixtures: the example inputs, modified copies of them, and the CLI as a subprocess.

A modified copy marks the line a test expects a message to point at with MARK (a YAML
comment), so expected line numbers are read from the text that was written, never hard-coded.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARK = "#HERE"

Edit = tuple[str, str] | Callable[[str], str]


@dataclass(frozen=True)
class Variant:
    """A written input file and the text it was written from."""

    path: Path
    text: str

    @property
    def line(self) -> int:
        """The 1-based number of the one line carrying MARK."""
        lines = [n for n, text in enumerate(self.text.splitlines(), 1) if MARK in text]
        assert len(lines) == 1, f"expected exactly one {MARK} line, found {lines}"
        return lines[0]

    def column(self, token: str) -> int:
        """The 1-based column where `token` starts on the marked line."""
        return self.text.splitlines()[self.line - 1].index(token) + 1


def apply_edits(text: str, edits: tuple[Edit, ...]) -> str:
    """Apply (old, new) replacements, each of which must match exactly once, or callables."""
    for edit in edits:
        if callable(edit):
            text = edit(text)
            continue
        old, new = edit
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="session")
def inputs_dir() -> Path:
    return ROOT / "inputs"


@pytest.fixture
def variant(tmp_path: Path, inputs_dir: Path) -> Callable[..., Variant]:
    """make(base, *edits, encode=str.encode): a modified copy of inputs/<base> (or of "" if None)."""
    count = 0

    def make(base: str | None, *edits: Edit,
             encode: Callable[[str], bytes] = lambda t: t.encode("utf-8")) -> Variant:
        nonlocal count
        count += 1
        text = (inputs_dir / base).read_text("utf-8") if base else ""
        text = apply_edits(text, edits)
        path = tmp_path / f"variant-{count}.yaml"
        path.write_bytes(encode(text))
        return Variant(path, text)

    return make


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """run(*args): `python -m generator ARGS` with captured UTF-8 output."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", *map(str, args)],
                              capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                              env=env, timeout=300)

    return run


@pytest.fixture
def page_cache(tmp_path, monkeypatch) -> Path:
    """The template cache (and so what is kept between runs: heading pages, the fonts'
    names) in a folder of the test's own."""
    from generator import kept

    monkeypatch.setenv(kept.CACHE_ENV, str(tmp_path))
    kept.cache_folder.cache_clear()
    yield tmp_path
    kept.cache_folder.cache_clear()


@pytest.fixture
def make_unwritable(request) -> Callable[[Path], str]:
    """make(folder): nothing can be created in `folder` until the test ends, and the reason the
    system then gives. Root writes into a folder of mode 0500 anyway (CI runs as root), so for
    root the folder is made immutable (`chattr +i`) instead; where that is refused, the test
    is skipped."""

    def make(folder: Path) -> str:
        if os.geteuid() != 0:
            folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
            request.addfinalizer(lambda: folder.chmod(stat.S_IRWXU))
            return os.strerror(errno.EACCES)
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
            pytest.skip("root writes into a read-only folder, and chattr +i is refused here")
        request.addfinalizer(lambda: subprocess.run(["chattr", "-i", str(folder)], check=True))
        return os.strerror(errno.EPERM)

    return make
