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
import re
import stat
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

    The temporary file is named for the process and the target (``.kaohe-<pid>-<name>.<random><suffix>``,
    the name cut to fit a file name's 255 bytes):
    a run killed outright (SIGKILL, a power cut) runs no cleanup, so the next run for the same
    target removes what an earlier run, no longer alive, left there (:func:`_remove_left_behind`).
    """

    def __init__(self, target: Path, option: str, suffix: str) -> None:
        self.target = target
        self.option = option
        if target.is_dir():
            raise InputError("output.is-folder", option=option, output=target)
        _remove_left_behind(target, suffix)
        try:
            prefix = _temp_prefix(os.getpid(), target, suffix)
            handle, temp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
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


#: The longest file name, in bytes, of the usual file systems (ext4, XFS, Btrfs, tmpfs; NTFS and
#: APFS count 255 characters, which is no fewer).
NAME_MAX = 255
#: What a temporary file's name holds besides the target's: ".kaohe-", a process id of at most 10
#: digits, "-", ".", then tempfile's 8 random characters.
_TEMP_EXTRA = len(".kaohe-") + 10 + len("-.") + 8


def _temp_prefix(pid: int, target: Path, suffix: str) -> str:
    return f".kaohe-{pid}-{_name_in_temp(target, suffix)}."


def _name_in_temp(target: Path, suffix: str) -> str:
    """The target's name as its temporary file holds it: cut, a character at a time, so that the
    temporary file's whole name fits :data:`NAME_MAX` bytes whatever the process id. A target named
    near the limit (80 Chinese characters) would otherwise be refused as too long a name."""
    room = NAME_MAX - _TEMP_EXTRA - len(os.fsencode(suffix))
    name = target.name
    while len(os.fsencode(name)) > room:
        name = name[:-1]
    return name


#: A temporary file of :class:`PendingFile`: the process that made it, then the target's name.
_LEFT_BEHIND = re.compile(r"\.kaohe-([0-9]{1,10})-(.+)\.[A-Za-z0-9_]{8}\Z", re.DOTALL)


def _remove_left_behind(target: Path, suffix: str) -> None:
    """Delete the temporary files of `target` that earlier runs killed outright left beside it: only
    plain files named as :class:`PendingFile` names them, for this very target and suffix, made by
    this user, by a process that is no longer running. Anything else (a live run's file, another
    target's, a link, another user's) is left as it is; a file that cannot be deleted is no error."""
    if os.name != "posix":  # os.kill(pid, 0) ends a process on Windows: leave the files
        return
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if not name.endswith(suffix) or not name.startswith(".kaohe-"):
            continue
        match = _LEFT_BEHIND.match(name[: len(name) - len(suffix)])
        if match is None or match.group(2) != _name_in_temp(target, suffix) or _running(int(match.group(1))):
            continue
        path = target.parent / name
        try:
            st = path.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid():
                path.unlink()
        except OSError:
            continue


def _running(pid: int) -> bool:
    """Whether process `pid` exists (one of another user's counts: its file is not ours to judge)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


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
