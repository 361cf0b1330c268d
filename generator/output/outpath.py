"""Where a command writes the file or folder the user names with ``-o``: checked before any work.

A wrong ``-o`` is the user's mistake, not kaohe's: a folder where a file is wanted, a file where a
folder is wanted, a folder that cannot hold files (``/proc``, ``/sys``, a read-only disk, no
permission). Each is refused with the reason in the user's language (exit 1), and before the
year is loaded or printed, so nothing is spent on a result that could not be kept. The check is
the real operation: the temporary file the result is later renamed from is created up front.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..messages import Message, msg
from ..problems import InputError

#: errno → the reason worded for a clerk (the system's own text is English).
_REASONS = {
    errno.EACCES: "path.reason.denied",
    errno.EPERM: "path.reason.denied",
    errno.EROFS: "path.reason.read-only",
    errno.ENOENT: "path.reason.missing",
    errno.EISDIR: "path.reason.is-folder",
    errno.ENOTDIR: "path.reason.not-folder",
    errno.EEXIST: "path.reason.not-folder",
    errno.ENOSPC: "path.reason.full",
    errno.EDQUOT: "path.reason.full",
    errno.ENAMETOOLONG: "path.reason.too-long",
}


def reason(exc: OSError) -> Message:
    """Why the system refused, in the catalogue's words (the error number where none fits)."""
    code = _REASONS.get(exc.errno or 0)
    return msg(code) if code else msg("path.reason.other", code=exc.errno or 0)


class PendingFile:
    """The file `target` is to become, open as a temporary file beside it from the start.

    Made before any work, so a place that cannot hold the file is refused at once; `commit`
    renames it over `target` (a reader never sees half a file); `discard` removes it.
    """

    def __init__(self, target: Path, option: str, suffix: str) -> None:
        self.target = target
        self.option = option
        if target.is_dir():
            raise InputError("output.is-folder", option=option, output=target)
        try:
            handle, temp = tempfile.mkstemp(prefix=".kaohe-", suffix=suffix, dir=target.parent)
        except OSError as exc:
            raise InputError("output.cannot-write", option=option, output=target, reason=reason(exc)) from None
        os.close(handle)
        self.temp = Path(temp)

    def commit(self, data: bytes) -> None:
        try:
            with open(self.temp, "wb") as out:
                out.write(data)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.temp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's owner-only mode
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.discard()
            why = reason(exc)
            raise InputError("output.cannot-write", option=self.option, output=self.target, reason=why) from None

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)


def output_folder(folder: Path, option: str) -> list[Path]:
    """Make sure `folder` is (or can become) a folder files can be written into, before any work.

    Returns the folders made for it (outermost first), for :func:`remove_made` to take away again
    if the command then fails, so a refusal leaves nothing behind.
    """
    if folder.exists() and not folder.is_dir():
        raise InputError("output.not-a-folder", option=option, output=folder)
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    for part in missing:
        if part.parent.exists() and not part.parent.is_dir():
            raise InputError("output.not-a-folder", option=option, output=part.parent)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".kaohe-", suffix=".tmp", dir=folder)
        os.close(handle)
        os.unlink(temp)
    except OSError as exc:
        remove_made(missing)
        raise InputError("output.cannot-write", option=option, output=folder, reason=reason(exc)) from None
    return missing


def remove_made(made: list[Path]) -> None:
    """Remove the folders :func:`output_folder` made, innermost first, where they are still empty."""
    for folder in reversed(made):
        try:
            folder.rmdir()
        except OSError:
            return  # not empty (or gone): what is in it stays


__all__ = ["PendingFile", "output_folder", "reason", "remove_made"]
