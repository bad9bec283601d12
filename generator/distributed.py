"""Rendering a batch on a Dask cluster (optional: `pip install budgetgen[distributed]`).

Workers receive each input's bytes and return the rendered bytes; the coordinator writes
the files. So the workers need budgetgen, its fonts and templates, but no shared disk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from generator.errors import UsageError

CONNECT_SECONDS = 5  # an unreachable scheduler is reported after this long, not Dask's 30 s


def dask_results(jobs: list, options, address: str, render: Callable) -> Iterator[tuple]:
    """Yield (job, render result) as the cluster finishes them. "local" starts a LocalCluster."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise UsageError("未安装 Dask：pip install 'budgetgen[distributed]'",
                         "Dask is not installed: pip install 'budgetgen[distributed]'") from None
    cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None) \
        if address == "local" else None
    try:
        client = Client(cluster if cluster is not None else address, timeout=CONNECT_SECONDS)
    except Exception as error:  # refused, timed out, a bad address, or not a Dask scheduler at all
        reason = str(error)[:200] or type(error).__name__
        raise UsageError(f"无法连接 Dask 调度器 {address}（{CONNECT_SECONDS} 秒内没有响应、地址无效或不是调度器）",
                         f"cannot reach a Dask scheduler at {address} within {CONNECT_SECONDS} s: "
                         f"{reason}") from None
    with client:
        futures = {client.submit(render, job, options, pure=False): job for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future.result()
    if cluster is not None:
        cluster.close()
