"""Where a build's memory goes: `kaohe build` in this process, its RSS printed at each stage's start and
end, and the peak of every process it forks (render workers, the workbooks' child).

    .venv/bin/python bench/phases.py build --repo bench/out/large --site-dir /tmp/large-site --no-cache

Linux only (reads /proc). Stages are found by wrapping kaohe's functions from the outside; kaohe's
code is not changed for it. Lines go to stderr, starting with ``[mem]``.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

START = time.time()


def _status(pid: int | str = "self") -> dict[str, int]:
    found = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    found[line.split(":")[0]] = int(line.split()[1]) // 1024
    except OSError:
        pass
    return found


def mark(what: str) -> None:
    now = _status()
    print(
        f"[mem] {time.time() - START:7.1f}s {what:36s} RSS {now['VmRSS']:6d} MB, peak {now['VmHWM']:6d} MB",
        file=sys.stderr,
        flush=True,
    )


def _children() -> list[int]:
    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children", encoding="ascii") as listing:
            return [int(pid) for pid in listing.read().split()]
    except OSError:
        return []


def _watch_children(peaks: dict[int, int], stop: threading.Event) -> None:
    while not stop.wait(0.5):
        for pid in _children():
            rss = _status(pid).get("VmRSS")
            if rss is not None:
                peaks[pid] = max(peaks.get(pid, 0), rss)


def _wrap(owner: Any, name: str) -> None:
    original = getattr(owner, name)
    label = f"{getattr(owner, '__name__', '?').rsplit('.', 1)[-1]}.{name}"

    @functools.wraps(original)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        mark(f"start {label}")
        try:
            return original(*args, **kwargs)
        finally:
            mark(f"end   {label}")

    setattr(owner, name, wrapped)


def main() -> int:
    from generator.cli import main as kaohe
    from generator.render import engine, plugin, years

    for owner, name in [
        (years, "open_year"),
        (years, "score_assessment"),
        (plugin, "load_year"),
        (plugin, "previous_year"),
        (engine, "collect"),
        (plugin.KaohePlugin, "_workbooks"),
        (engine, "_in_workers"),
    ]:
        _wrap(owner, name)
    peaks: dict[int, int] = {}
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_children, args=(peaks, stop), daemon=True)
    watcher.start()
    code = kaohe(sys.argv[1:])
    stop.set()
    watcher.join()
    mark("end")
    for pid, peak in sorted(peaks.items()):
        print(f"[mem] child {pid}: peak RSS {peak} MB (sampled every 0.5 s)", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
