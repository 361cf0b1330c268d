"""Pause Python's cyclic garbage collector while a stage builds many objects that all stay alive.

Loading a year creates hundreds of thousands of objects (evidence, TOML tables, models) and
scoring as many results, and nearly all of them live until the command ends. Each full collection
walks every live object, so with the collector running the cost grew faster than the input:
at 100,000 evidence files it was 1.2 of 6.5 s of loading and 0.8 of 1.8 s of scoring (reference
repository: 0.26 and 0.12 s). Reference counting still frees everything that is not in a cycle;
cycles made meanwhile are collected once the collector runs again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks are fine); the previous state after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
