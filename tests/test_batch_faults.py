"""A worker process that dies fails only its own file; the rest of the batch completes."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.commands import render

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "inputs" / "synthetic-unit-2023.yaml"


def _batch(folder: Path, names: tuple[str, ...]) -> Path:
    folder.mkdir()
    for name in names:
        shutil.copy(SMALL, folder / name)
    return folder


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the patched renderer reaches the workers only when they are forked")
def test_a_file_that_kills_its_worker_fails_alone(tmp_path, monkeypatch, capsys):
    real = render.document_from_bytes

    def deadly(raw: bytes, file: str, **options: bool):
        if file.endswith("crash.yaml"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(raw, file, **options)

    monkeypatch.setattr(render, "document_from_bytes", deadly)
    inputs = _batch(tmp_path / "in", ("a.yaml", "b.yaml", "crash.yaml", "d.yaml"))
    out = tmp_path / "out"
    assert render.run([inputs], render.Options(output=out, formats=("docx",)), workers=2) == 1
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "b.docx", "d.docx"]
    summary = capsys.readouterr().out
    crashed = next(line for line in summary.splitlines() if "crash.yaml" in line)
    assert "FAILED" in crashed and "worker died" in crashed
    assert "4 files: 3 ok, 1 failed" in summary
    assert "rendered again after their worker process died" in summary


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_killing_a_worker_of_a_real_batch_loses_no_file(tmp_path):
    inputs = _batch(tmp_path / "in", tuple(f"{n}.yaml" for n in "abcdef"))
    out = tmp_path / "out"
    batch = subprocess.Popen([sys.executable, "-m", "generator", "render", str(inputs), "-o", str(out),
                              "-j", "2", "--format", "docx"], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    while len(_children(batch.pid)) < 2:
        assert batch.poll() is None, batch.communicate()
        time.sleep(0.02)
    os.kill(_children(batch.pid)[0], signal.SIGKILL)
    stdout, stderr = batch.communicate(timeout=300)
    assert batch.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{n}.docx" for n in "abcdef"]
    assert "6 files: 6 ok, 0 failed" in stdout
