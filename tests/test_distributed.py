"""The same batch on a local Dask cluster: outputs equal the local render, byte for byte."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading

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


@pytest.fixture
def not_a_scheduler():
    """A TCP server that answers every connection with garbage, as a wrong service would."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve() -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                with conn:
                    conn.sendall(b"\xff" * 64)

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:1", "nonsense://x", "garbage"])
def test_an_unreachable_scheduler_is_a_clear_usage_error(tmp_path, run_cli, address, request):
    if address == "garbage":
        address = request.getfixturevalue("not_a_scheduler")
    result = run_cli("render", input_path("000"), "-o", tmp_path / "out", "--dask", address)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"无法连接 Dask 调度器 {address}" in result.stderr
    assert f"cannot reach a Dask scheduler at {address}" in result.stderr
    assert not (tmp_path / "out").exists()
