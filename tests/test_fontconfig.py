"""fontconfig's answers are kept between runs, and asked again once the fonts change.

Each test keeps its answers in a cache folder of its own (`page_cache`), and forgets what
this process knows, so that a run is a new process's: what it does not find kept, it asks
fontconfig (a process each, counted here).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from generator.writers import fontconfig, fonts

NOTO_SERIF = "Noto Serif CJK SC"
TEST_FAMILY = "Budgetgen Test Family"


@pytest.fixture
def asked(page_cache, monkeypatch) -> list[str]:
    """The fontconfig programs run, in a process that knows nothing yet."""
    runs: list[str] = []
    real = subprocess.run

    def counted(command, *args, **kwargs):
        runs.append(command[0])
        return real(command, *args, **kwargs)

    monkeypatch.setattr(fontconfig.subprocess, "run", counted)
    _new_process()
    yield runs
    _new_process()


def _new_process() -> None:
    fontconfig._kept_matches.cache_clear()
    fonts.resolve_family.cache_clear()
    fonts._cmap.cache_clear()


def test_family_answers_are_kept(asked) -> None:
    families = [NOTO_SERIF, "No Such Family 12345"]
    first = fontconfig.match_all(families)
    assert asked == ["fc-match", "fc-match"]
    assert first[NOTO_SERIF] is not None and NOTO_SERIF in first[NOTO_SERIF][0]
    _new_process()
    assert fontconfig.match_all(families) == first
    assert fonts.resolve_family("No Such Family 12345") is None
    assert asked == ["fc-match", "fc-match"]  # nothing asked again


def test_a_font_installed_after_a_run_is_found(asked, tmp_path, monkeypatch) -> None:
    """fontconfig reads fonts from $XDG_DATA_HOME/fonts: a family answered 'not installed'
    is found once a font of that family is put there (its folder has changed)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (tmp_path / "data" / "fonts").mkdir(parents=True)
    assert fonts.resolve_family(TEST_FAMILY) is None
    _new_process()
    assert fonts.resolve_family(TEST_FAMILY) is None  # kept: asked once
    assert asked == ["fc-match"]
    _tiny_font(tmp_path / "data" / "fonts" / "test.ttf")
    _new_process()
    found = fonts.resolve_family(TEST_FAMILY)
    assert found is not None and found.path == str(tmp_path / "data" / "fonts" / "test.ttf")


@pytest.mark.parametrize("prefix", ["relative", "cwd"])
def test_a_font_in_a_folder_named_relative_to_the_configuration_is_found(asked, tmp_path, monkeypatch,
                                                                          prefix) -> None:
    """A `<dir>` may name its folder relative to its configuration file or to the working
    folder: adding a font there is seen too."""
    configuration, work = tmp_path / "configuration", tmp_path / "work"
    folder = configuration if prefix == "relative" else work
    (folder / "myfonts").mkdir(parents=True)
    configuration.mkdir(exist_ok=True)
    work.mkdir(exist_ok=True)
    (configuration / "fonts.conf").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n<dir prefix="{prefix}">myfonts</dir>\n'
        "</fontconfig>\n", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(configuration / "fonts.conf"))
    monkeypatch.chdir(work)
    assert fonts.resolve_family(TEST_FAMILY) is None
    _tiny_font(folder / "myfonts" / "test.ttf")
    _new_process()
    found = fonts.resolve_family(TEST_FAMILY)
    assert found is not None and found.path == str(folder / "myfonts" / "test.ttf")
    assert asked == ["fc-match", "fc-match"]


def test_a_face_characters_are_kept_by_its_file(asked, tmp_path) -> None:
    face = fonts.resolve_family(NOTO_SERIF)
    assert face is not None
    copy = tmp_path / "copy.ttc"
    copy.write_bytes(Path(face.path).read_bytes())
    first = fontconfig.charset(str(copy), face.index)
    assert any(lo <= ord("预") <= hi for lo, hi in first)
    _new_process()
    assert fontconfig.charset(str(copy), face.index) == first
    assert asked.count("fc-query") == 1
    os.utime(copy, ns=(0, 0))  # another file now, as far as anyone can tell
    fontconfig.charset(str(copy), face.index)
    assert asked.count("fc-query") == 2


def test_nothing_is_kept_when_the_cache_is_off(asked, monkeypatch) -> None:
    from generator import kept

    monkeypatch.setenv(kept.CACHE_ENV, "off")
    kept.cache_folder.cache_clear()
    try:
        for _ in range(2):
            fontconfig.match_all([NOTO_SERIF])
            _new_process()
    finally:
        kept.cache_folder.cache_clear()
    assert asked == ["fc-match", "fc-match"]


def _tiny_font(path: Path) -> None:
    """A font of family TEST_FAMILY with one glyph, for "A"."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 700))
    pen.lineTo((500, 0))
    pen.closePath()
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "A": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": TEST_FAMILY, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
