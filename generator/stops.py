"""A stop from outside (`kill`, a CI job cancelled, a terminal closed) unwinds like Ctrl-C.

By default SIGTERM and SIGHUP end Python on the spot: no ``finally`` runs. A command stopped that
way left what it was half way through: the temporary workbook beside ``export -o``'s target, the
staging folder ``import`` makes inside the repository, a PDF's scratch folder. Ctrl-C already
unwinds through every command's cleanup (KeyboardInterrupt), so a stop does the same, as
:class:`Stopped`, and the command exits with the code shells give the signal (128 + its number).

A disposition set to ignore is kept: ``nohup kaohe build`` goes on after its terminal closes.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

#: The stops turned into :class:`Stopped` (SIGINT already raises KeyboardInterrupt).
STOPS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A stop signal, raised where the program was when it came."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_stopped(signum: int, frame: object) -> None:
    raise Stopped(signum)


@contextlib.contextmanager
def stops_unwind() -> Iterator[None]:
    """Inside the block a stop raises :class:`Stopped`; the handlers that were there before are put
    back after it (a test calling a command in its own process keeps its own)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    previous = {s: signal.getsignal(s) for s in STOPS}
    for stop, handler in previous.items():
        if handler is not signal.SIG_IGN:
            signal.signal(stop, _raise_stopped)
    try:
        yield
    finally:
        for stop, handler in previous.items():
            signal.signal(stop, handler if handler is not None else signal.SIG_DFL)


def exit_code(stop: KeyboardInterrupt, interrupted: int) -> int:
    """What the process exits with: 128 + the signal's number for a stop, `interrupted` for Ctrl-C."""
    return 128 + stop.signum if isinstance(stop, Stopped) else interrupted
