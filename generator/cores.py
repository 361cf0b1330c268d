"""How many processes a command may keep busy."""

from __future__ import annotations

import os


def available() -> int:
    """The cores this process may run on (a CI runner's share, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)
