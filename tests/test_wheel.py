"""The built wheel works on its own: built with `python -m build` from a copy of the
sources, installed into a fresh virtual environment (without this one's packages), it
renders every example, byte for byte as the source tree does.

Everything happens in the test's temporary folder; pip installs the dependencies from its
usual index and cache. Takes about a minute; deselect with `-m "not wheel"`.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.wheel


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, encoding="utf-8",
                            cwd=cwd, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def _sources(into: Path) -> Path:
    """What the wheel is built from: pyproject, README and the package (no caches), so
    that building writes nothing into the repository."""
    into.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, into / name)
    shutil.copytree(ROOT / "generator", into / "generator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return into


def test_the_wheel_ships_the_examples_for_the_workbench_demo(tmp_path):
    """`serve --demo` from an installed wheel: generator/workbench/demo (a link to inputs/) is packed as files."""
    import zipfile

    source = _sources(tmp_path / "src")
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", source, cwd=tmp_path)
    wheel = zipfile.ZipFile(next((tmp_path / "dist").glob("budgetgen-*.whl")))
    shipped = {Path(n).name: wheel.read(n) for n in wheel.namelist() if n.startswith("generator/workbench/demo/")}
    assert shipped == {p.name: p.read_bytes() for p in (ROOT / "inputs").glob("*.yaml")}


def test_the_wheel_renders_every_example_from_a_fresh_environment(tmp_path, run_cli):
    source = _sources(tmp_path / "src")
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", tmp_path / "dist", source, cwd=tmp_path)
    wheel = next((tmp_path / "dist").glob("budgetgen-*.whl"))

    env = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env)
    python = env / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path)
    where = _run(python, "-c", "import generator; print(generator.__file__)", cwd=tmp_path).stdout
    assert Path(where.strip()).is_relative_to(env)  # the installed package, not the checkout

    installed, here = tmp_path / "installed", tmp_path / "here"
    for engine in ("typst", "weasyprint"):
        _run(env / "bin" / "budgetgen", "render", ROOT / "inputs", "-o", installed / engine,
             "--engine", engine, "-j", "1", cwd=tmp_path)
        result = run_cli("render", ROOT / "inputs", "-o", here / engine, "--engine", engine, "-j", "1")
        assert result.returncode == 0, result.stderr
    examples = sorted(p.stem for p in (ROOT / "inputs").glob("*.yaml"))
    assert examples
    for engine in ("typst", "weasyprint"):
        for stem in examples:
            for suffix in (".docx", ".pdf"):
                built = (installed / engine / f"{stem}{suffix}").read_bytes()
                assert built == (here / engine / f"{stem}{suffix}").read_bytes(), (engine, stem, suffix)

    starter = _run(env / "bin" / "budgetgen", "init", "--kind", "单位", "--year", "2024", cwd=tmp_path).stdout
    assert "document:" in starter  # the starter template ships too
    _run(env / "bin" / "budgetgen", "init", "--xlsx", "-o", tmp_path / "blank.xlsx", cwd=tmp_path)
    assert (tmp_path / "blank.xlsx").stat().st_size > 0  # and what the input workbook is made from
