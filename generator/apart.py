"""Cache writes nobody waits for, done by a forked copy of the process while it goes on.

`kaohe serve` keeps the year it loaded for its next start (:mod:`generator.render.keptyear`).
Digesting, pickling and writing that year took ~1.5 s of a first start at reference, all before
the first page could be served. A child made by ``fork`` sees every object as it was at the fork
(the pages are copied only when one side writes them), so what it writes is the year as loaded
even when an edit changes the parent's copy a moment later. It runs on another core, and the
server answers meanwhile.

Forking is only safe while the process has one thread. A child gets a copy of every lock, and a
lock that another thread held at the fork stays held in the child for good. With other threads
running, or where there is no ``fork`` (Windows), the work is done here and now, as before.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable

#: What stops a server, and must not stop its child half way through a write.
_STOPS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
#: Children forked by :func:`run_apart` and not yet waited for.
_children: list[int] = []
#: Held while `_children` is read and changed: a preview's request threads reap at the same time.
_reaping = threading.Lock()


def run_apart(work: Callable[[], object]) -> bool:
    """Run `work` in a forked child and return at once (True); or run it here and now (False) when
    a fork is not safe. Whatever `work` raises in a child ends only the child: it only writes a
    cache, and a cache not written is one the next run does without."""
    reap_apart()
    if not hasattr(os, "fork") or threading.active_count() > 1:
        work()
        return False
    # held back until the child has said it ignores them: one arriving in between would raise
    # KeyboardInterrupt in the child, which would then unwind the parent's stack as its own
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        pid = os.fork()
    except OSError:  # no memory or process left for a child
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        work()
        return False
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        with _reaping:
            _children.append(pid)
        return True
    code = 1
    try:
        # Ctrl-C and a stop go to the whole process group: the child finishes its writes (a second
        # or two) instead of leaving them half done, then leaves
        for stop in _STOPS:
            signal.signal(stop, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.disable()  # a collection would touch, and so copy, every page the parent shares with it
        work()
        code = 0
    finally:
        os._exit(code)  # no exit handlers, no flushing the parent's buffers a second time


def reap_apart() -> None:
    """Let go of every child :func:`run_apart` forked that has finished. Until a parent waits for
    it, a finished child stays in the process table (a zombie): a preview that runs for days calls
    this on each request instead of leaving its first start's child there until it stops."""
    with _reaping:
        for pid in list(_children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # already reaped by someone else
                done = pid
            if done:
                _children.remove(pid)


def wait_apart(patience: float = 30.0) -> None:
    """Wait until every child :func:`run_apart` forked has finished (what it wrote is then in
    place), for `patience` seconds at most: a child held up (a slow disk) is left to finish alone,
    which is safe, since it writes each file under a temporary name and renames it."""
    deadline = time.monotonic() + patience
    reap_apart()
    while _children and time.monotonic() < deadline:
        time.sleep(0.02)
        reap_apart()
