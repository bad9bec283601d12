"""The worker processes that parse, check and render, away from the server process.

A worker that dies (a hostile file exhausting memory, a crash in a C library) or runs past the
time limit is replaced with the whole pool; the caller gets `WorkerFailed`, and the server
goes on serving. A call waits for a free worker before its time limit starts (a file queued
behind others is not timed out for their sake), and a call whose pool was stopped under it for
another file's sake runs once more in the fresh pool, so only the file at fault fails.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

from django.conf import settings

CHECK_SECONDS = 120  # far above any real file (the commerce workbook: under a second)
RENDER_SECONDS = 900
QUEUE_SECONDS = 600  # the longest wait for a free worker

log = logging.getLogger(__name__)
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_free: threading.BoundedSemaphore | None = None  # one per worker: calls beyond them wait here


def _limit_memory(limit: int) -> None:
    """Worker initializer: an address-space cap, so a file that swells in memory fails its worker
    with MemoryError instead of drawing the machine's out-of-memory killer onto the server.

    Never above the limit the server itself runs under (`ulimit -v`, a container's): a process may
    not raise its hard limit, and a worker whose initializer fails would fail every upload.
    """
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


class WorkerFailed(Exception):
    """The worker process died, ran out of time or memory, or failed unexpectedly."""


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # forkserver, not fork: the server has threads (a fork would copy their locks); spawn on Windows
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            _pool = ProcessPoolExecutor(max_workers=max(1, settings.WORKERS),
                                        mp_context=multiprocessing.get_context(method),
                                        initializer=_limit_memory, initargs=(settings.WORKER_MEMORY,))
        return _pool


def _discard(pool: ProcessPoolExecutor) -> None:
    """Stop a broken or stuck pool, killing its workers; the next call starts a new one.

    Once: the calls it failed under all come here, and only the first finds it current (a
    second shutdown would find its processes gone and fail its request).
    """
    global _pool
    with _lock:
        if _pool is not pool:
            return
        _pool = None
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


@contextmanager
def _worker(function: Callable[..., Any]) -> Iterator[None]:
    """Hold one of the workers (waiting up to QUEUE_SECONDS for one to be free)."""
    global _free
    with _lock:
        if _free is None:
            _free = threading.BoundedSemaphore(max(1, settings.WORKERS))
        free = _free
    if not free.acquire(timeout=QUEUE_SECONDS):
        raise _failed(function, TimeoutError(f"no worker free for {QUEUE_SECONDS} s"))
    try:
        yield
    finally:
        free.release()


def run(function: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
    """`function(*args)` in a worker, within `timeout` seconds (default CHECK_SECONDS) from when a
    worker takes it."""
    retried = False
    while True:
        with _worker(function):
            pool = _executor()
            try:
                return pool.submit(function, *args).result(timeout=timeout or CHECK_SECONDS)
            except FutureTimeout as error:
                _discard(pool)
                raise _failed(function, error) from error
            except (BrokenProcessPool, CancelledError) as error:  # its worker died, or was stopped
                _discard(pool)
                if retried:  # died again in a fresh pool: this call's own doing
                    raise _failed(function, error) from error
                retried = True
                log.warning("worker pool stopped under %s; running it again", getattr(function, "__name__", function))
            except Exception as error:  # raised in the worker: out of memory, too deep, a bug
                raise _failed(function, error) from error


def _failed(function: Callable[..., Any], error: BaseException) -> WorkerFailed:
    """The failure, logged with its cause (the page says only that the file was not accepted)."""
    log.warning("worker failed in %s: %s: %s", getattr(function, "__name__", function), type(error).__name__, error)
    return WorkerFailed(f"{type(error).__name__}: {error}"[:500])


def shutdown(terminate: bool = False) -> None:
    """Stop the workers: after what they are doing, or (`terminate`, the server stopping) at once."""
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        if terminate:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
