"""The worker processes that parse, check and render, away from the server process.

A worker that dies (a hostile file exhausting memory, a crash in a C library) or runs past the
time limit is replaced with the whole pool; the caller gets `WorkerFailed`, and the server
goes on serving.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from django.conf import settings

CHECK_SECONDS = 120  # far above any real file (the commerce workbook: under a second)
RENDER_SECONDS = 900

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


class WorkerFailed(Exception):
    """The worker process died or ran out of time."""


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # forkserver, not fork: the server has threads (a fork would copy their locks); spawn on Windows
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            _pool = ProcessPoolExecutor(max_workers=max(1, settings.WORKERS),
                                        mp_context=multiprocessing.get_context(method))
        return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    """Stop a broken or stuck pool, killing its workers; the next call starts a new one."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def run(function: Callable[..., Any], *args: Any, timeout: float = CHECK_SECONDS) -> Any:
    pool = _executor()
    try:
        return pool.submit(function, *args).result(timeout=timeout)
    except (BrokenProcessPool, FutureTimeout) as error:
        _discard(pool)
        raise WorkerFailed(str(error)) from error


def shutdown() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)
