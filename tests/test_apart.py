"""Work done apart (generator.apart): a forked child writes while the parent goes on.

Each test forks a real child (pytest's worker runs one thread, so forking is allowed) and watches
what it leaves in a file.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import apart


def _written_later(path: Path, what: list[int], delay: float = 1.0):
    def work() -> None:
        time.sleep(delay)
        path.write_text(json.dumps({"pid": os.getpid(), "what": what}), encoding="utf-8")

    return work


def test_the_work_runs_in_a_child_and_the_parent_does_not_wait(tmp_path: Path):
    out = tmp_path / "out.json"
    what = [1, 2]
    assert apart.run_apart(_written_later(out, what)) is True
    assert not out.exists()  # returned at once: the child sleeps a second before writing
    what.append(3)  # the parent's change after the fork is not the child's
    apart.wait_apart()
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["pid"] != os.getpid()
    assert written["what"] == [1, 2]  # the objects as they were at the fork
    assert apart._children == []


def test_with_another_thread_running_the_work_is_done_here_and_now(tmp_path: Path):
    out = tmp_path / "out.json"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert apart.run_apart(_written_later(out, [1], delay=0)) is False
    finally:
        stop.set()
        other.join()
    assert json.loads(out.read_text(encoding="utf-8"))["pid"] == os.getpid()  # written before it returned


def test_ctrl_c_to_the_child_does_not_cut_its_writing_short(tmp_path: Path):
    out = tmp_path / "out.json"
    apart.run_apart(_written_later(out, [7]))
    child = apart._children[-1]
    # at once: a signal that comes before the child ignores it is held back until it does
    os.kill(child, signal.SIGINT)
    os.kill(child, signal.SIGTERM)
    apart.wait_apart()
    assert json.loads(out.read_text(encoding="utf-8"))["what"] == [7]


def test_what_the_work_raises_ends_only_the_child(tmp_path: Path, capfd):
    def failing() -> None:
        raise OSError("disk full")

    print("before the fork", end="")  # left in the buffer: a child that flushed it would print it again
    assert apart.run_apart(failing) is True
    apart.wait_apart()
    sys.stdout.flush()
    out, err = capfd.readouterr()
    assert out == "before the fork" and err == ""  # once, and no traceback
    assert apart._children == []


def test_a_child_held_up_is_left_to_finish_alone(tmp_path: Path):
    out = tmp_path / "out.json"
    apart.run_apart(_written_later(out, [5], delay=2.0))
    started = time.monotonic()
    apart.wait_apart(patience=0.3)
    assert time.monotonic() - started < 1.5  # did not wait the child's 2 s
    assert not out.exists() and len(apart._children) == 1
    apart.wait_apart()  # the rest of the test run waits for it after all
    assert json.loads(out.read_text(encoding="utf-8"))["what"] == [5]


def _state(pid: int) -> str | None:
    """The process's state letter in Linux's /proc ("Z": finished, never waited for); None: gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    return stat.rpartition(")")[2].split()[0]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from Linux's /proc")
def test_a_finished_child_is_let_go_without_waiting_for_all(tmp_path: Path):
    """A preview that is never stopped (or stopped by a kill) used to keep its first start's child
    as a zombie for as long as it ran; each request now reaps it."""
    out = tmp_path / "out.json"
    assert apart.run_apart(_written_later(out, [1], delay=0)) is True
    child = apart._children[-1]
    for _ in range(500):
        if _state(child) == "Z":
            break
        time.sleep(0.01)
    assert _state(child) == "Z"  # finished, and nobody has waited for it yet
    apart.reap_apart()
    assert _state(child) is None and apart._children == []


def test_reaping_leaves_a_child_still_at_work(tmp_path: Path):
    out = tmp_path / "out.json"
    apart.run_apart(_written_later(out, [2], delay=1.0))
    child = apart._children[-1]
    apart.reap_apart()
    assert apart._children == [child]  # still writing: waited for later, not dropped
    apart.wait_apart()
    assert apart._children == [] and json.loads(out.read_text(encoding="utf-8"))["what"] == [2]
