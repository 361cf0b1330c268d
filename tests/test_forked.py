"""A build's forked processes: workers collect their own cycles; a child's allocations stay out of the builder."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from generator.gcpause import gc_paused
from generator.problems import InputError
from generator.render.forked import forked_pool, in_child


def _peak_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024


def test_workers_collect_their_own_cycles():
    """Forked while the builder's collector is paused; inheriting the pause kept every page's cycles
    until the worker ended (300 MB a worker at 30,000 pages, bench/RESULTS.md)."""
    with gc_paused():
        assert not gc.isenabled()
        with forked_pool(1) as pool:
            assert pool.submit(gc.isenabled).result() is True
        assert not gc.isenabled()  # the builder's own state is left as it was
    assert gc.isenabled()


def _many_objects() -> int:
    held = [[n] for n in range(3_000_000)]  # about 250 MB of small objects, as XlsxWriter's cells
    return len(held)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak from Linux's /proc")
def test_a_childs_allocations_never_reach_the_builders_peak():
    before = _peak_mb()
    assert in_child(_many_objects) == 3_000_000
    # the child's ~250 MB are not the builder's: its peak moves by the pipe's result, a few KB
    assert _peak_mb() - before < 50


def _refuse() -> None:
    raise InputError("evidence.changed-since-loading", path="evidence/2010/a/b.md")


def test_a_childs_error_reaches_the_builder_as_it_was_raised():
    with pytest.raises(InputError) as refused:
        in_child(_refuse)
    assert refused.value.code == "evidence.changed-since-loading"
    assert refused.value.params == {"path": "evidence/2010/a/b.md"}


def test_a_pool_leaves_what_was_frozen_before_it_frozen():
    """A build freezes its kept year before it forks its workers; the pool froze the heap again and
    then unfroze everything, the build's year included, when it ended."""
    gc.unfreeze()
    with forked_pool(1) as pool:
        assert pool.submit(int, "3").result() == 3
    assert gc.get_freeze_count() == 0  # alone, what it froze is back with the collector

    kept = [[n] for n in range(1000)]
    gc.freeze()
    try:
        with forked_pool(1) as pool:
            assert pool.submit(int, "4").result() == 4
        assert not _collected(kept)
    finally:
        gc.unfreeze()
    assert _collected(kept)


def _collected(obj: object) -> bool:
    """Whether the collector looks at `obj` (a frozen object is in none of its generations)."""
    import gc

    return any(o is obj for o in gc.get_objects())
