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
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks are fine); the previous state after it.

    With `freeze`, every object alive at the end of the block is moved where no collection looks
    (``gc.freeze``): for a block that makes a structure kept until the command ends (a kept year,
    the page cache's index). Without it, the first allocation after the block starts a collection
    that walks every object the block made (0.6 s after unpickling a year of 30,000 files), and
    later ones walk them again as they age. Frozen objects are still freed when their last
    reference goes; only a cycle among them is never collected."""
    if not gc.isenabled():
        yield
        if freeze:
            gc.freeze()
        return
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        gc.enable()


@contextlib.contextmanager
def thawed_after() -> Iterator[None]:
    """What the block freezes (``gc.freeze``) goes back to the collector when it ends.

    CPython can only unfreeze everything at once. When something was frozen before the block (a
    program that embeds kaohe and froze its own objects), unfreezing would hand that program's
    objects back to the collector too, so the block's objects stay frozen instead: they are still
    freed when their last reference goes; only a cycle among them is never collected."""
    frozen_before = gc.get_freeze_count()
    try:
        yield
    finally:
        if frozen_before == 0:
            gc.unfreeze()
