"""The same batch on a local Dask cluster: outputs equal the local render, byte for byte."""

from __future__ import annotations

import shutil

import pytest

from generator.commands.render import Options, run
from tests.seeds import input_path

pytest.importorskip("dask.distributed", reason="Dask is an optional extra: budgetgen[distributed]")


def test_dask_batch_matches_local_render_and_isolates_failures(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(input_path("000"), inputs / "a.yaml")
    shutil.copy(input_path("002"), inputs / "b.yaml")
    (inputs / "bad.yaml").write_text("amount_unit: 元\n", "utf-8")
    on_dask, local = tmp_path / "dask", tmp_path / "local"
    assert run([inputs], Options(output=on_dask, formats=("docx",)), scheduler="local") == 1
    assert run([inputs], Options(output=local, formats=("docx",)), workers=1) == 1
    assert sorted(p.name for p in on_dask.iterdir()) == ["a.docx", "b.docx"]
    for name in ("a.docx", "b.docx"):
        assert (on_dask / name).read_bytes() == (local / name).read_bytes()
