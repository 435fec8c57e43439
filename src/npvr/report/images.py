"""Static images drawn in the background while the report renders everything else.

matplotlib needs ~0.1-0.5 s per chart, mostly text rendering, and the monitor report has about
seventy. :class:`ImageQueue` hands each drawing job to a small process pool as soon as it is known
(so the PNGs are drawn while the HTML and Excel are built) and :meth:`ImageQueue.wait` collects
them at the end, re-raising the first failure. :meth:`ImageQueue.run` starts other slow,
independent work the same way (the index engine's uncertainty analysis). Jobs are plain
``(function, args, kwargs)`` with module-level functions, so they pickle. GeoJSON for maps is
sent to each worker once (initializer) instead of with every job. ``workers=0`` draws
synchronously (tests, debugging, restricted systems).
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

_GEO: dict[str, Any] = {}
_SHARED: dict[str, Any] = {}  # set before the workers fork; they inherit it without pickling


def _init(geo: dict[str, Any]) -> None:
    from npvr.output import exit_with_parent

    exit_with_parent()
    _GEO.clear()
    _GEO.update(geo)


def _shared_job(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(_SHARED, *args, **kwargs)


def _map_job(level: str, *args: Any, **kwargs: Any) -> Path:
    from npvr.report.maps import map_png

    if kwargs.get("outlines") == "@outlines":  # sent to each worker once, not with every job
        kwargs["outlines"] = _GEO.get("outlines")
    return map_png(_GEO[level], *args, **kwargs)


def default_workers() -> int:
    """Two workers at most: the machine is shared and the main process keeps rendering."""
    return max(0, min(2, (os.cpu_count() or 1)))


class ImageQueue:
    """Submit PNG jobs now, wait for them later."""

    def __init__(
        self, geo: dict[str, Any], workers: int | None = None, shared: dict[str, Any] | None = None
    ) -> None:
        self.workers = default_workers() if workers is None else workers
        _SHARED.clear()
        _SHARED.update(shared or {})
        self._geo = geo
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[Any]] = []
        if self.workers > 0:
            try:
                ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=ctx, initializer=_init, initargs=(geo,)
                )
            except (OSError, ValueError):  # no process support: draw in this process
                self._pool = None
        if self._pool is None:
            _init(geo)

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Draw a chart with a module-level function ``fn(*args, **kwargs)``."""
        if self._pool is None:
            fn(*args, **kwargs)
        else:
            self._futures.append(self._pool.submit(fn, *args, **kwargs))

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[], Any]:
        """Start ``fn(shared, *args, **kwargs)`` (any work, not just images); returns a getter.

        ``shared`` is the dict given to the constructor. Without a pool the work runs when the
        getter is first called, in this process.
        """
        if self._pool is None:
            cache: list[Any] = []

            def later() -> Any:
                if not cache:
                    cache.append(fn(_SHARED, *args, **kwargs))
                return cache[0]

            return later
        fut = self._pool.submit(_shared_job, fn, *args, **kwargs)
        return fut.result

    def submit_map(self, level: str, *args: Any, **kwargs: Any) -> None:
        """Draw a map of ``level`` (``npvr.report.maps.map_png`` without the GeoJSON argument)."""
        self.submit(_map_job, level, *args, **kwargs)

    def wait(self) -> None:
        """Block until every image is written; re-raise the first error."""
        try:
            for f in self._futures:
                f.result()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
