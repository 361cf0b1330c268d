"""Forked processes for a build: the render workers, and a child that makes something and hands back only that.

A forked process starts from the builder's memory (nothing is pickled on the way in) and shares
its pages until it writes to them. Two things keep it that way: the builder's heap is frozen
before the fork (gc.freeze), so that no collection in the child touches, and so copies, the
inherited objects; and the child collects its own cycles (it would otherwise inherit the
builder's paused collector and keep every page's cycles until it ended: 300 MB a worker at
30,000 pages). A child ends when the build that started it is killed, instead of writing into a
folder being removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from ..gcpause import gc_paused, thawed_after

T = TypeVar("T")


def _start_child() -> None:
    gc.enable()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends the pool
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # and a closed terminal (generator.stops)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ended by the pool, a worker dies (whatever its parent does)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def forked_pool(processes: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of `processes` forked from this one as it is when the first task is submitted."""
    with gc_paused(), thawed_after():
        gc.freeze()
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(processes, mp_context=context, initializer=_start_child) as pool:
            yield pool


_TASK: Callable[[], Any] | None = None


def _run_task() -> Any:
    assert _TASK is not None
    return _TASK()


def in_child(task: Callable[[], T]) -> T:
    """`task()` run in a forked child: what it allocates on the way to its result never stays in this
    process's heap (CPython keeps freed memory in its arenas, and later forks inherit it). Run here
    where processes cannot be forked."""
    global _TASK
    if not can_fork():
        return task()
    _TASK = task
    try:
        with forked_pool(1) as pool:
            return pool.submit(_run_task).result()
    finally:
        _TASK = None
