"""Replace the whole site folder in one step, so that a kill at any instant leaves a usable site.

A new site is staged beside the old one (``.site.new-XXXX``), complete, then exchanged with it:

* On Linux the two folders trade names in one system call (``renameat2`` with
  ``RENAME_EXCHANGE``): ``site/`` is the old site before the call and the new one after it, and is
  never absent. The old site, now under the staging name, is then deleted.
* Where the system cannot exchange (other kernels, some network filesystems), the old site is
  renamed to ``.site.old-XXXX`` and the staged one to ``site/``. Between the two renames ``site/``
  is absent; the pair of names is the journal: the next run (:func:`recover`) renames the staged
  site, which is complete before the first rename, into place.

Why not a symbolic link ``site -> .site.v3`` flipped atomically: ``site/`` stays a plain folder,
so ``cp -r``, ``tar``, ``rsync`` and web servers that do not follow links keep working, and a bureau
that commits the site commits its files.

Every folder this module creates carries the marker (:mod:`.folder`), is deleted marker last, and
only marked (or empty) leftovers are deleted, so a kill while deleting leaves a folder the next run
still recognises as its own. One run at a time writes a site (an advisory lock on the folder it lies in).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..messages import Message, msg
from ..problems import InputError
from .folder import MARKER, YEAR_FOLDER, foreign_entry, is_marked, mark
from .yearfiles import stray

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one writer at a time is then the operator's to ensure
    fcntl = None  # type: ignore[assignment]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


class DiskFull(InputError):
    """The disk filled up while the new site was written; the previous site is untouched."""


def staging_prefix(site: Path) -> str:
    return f".{site.name}.new-"


def old_prefix(site: Path) -> str:
    return f".{site.name}.old-"


@lru_cache(maxsize=1)
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    function = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if function is not None:
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


def exchange(a: Path, b: Path) -> bool:
    """Trade the names of `a` and `b` in one step; False where the system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def remove_copy(folder: Path) -> None:
    """Delete a folder kaohe made (it carries the marker, or is empty), the marker last; leave anything else."""
    if not folder.is_dir() or folder.is_symlink():
        return
    if not is_marked(folder):
        with contextlib.suppress(OSError):
            folder.rmdir()  # a folder killed before its marker was written is empty
        return
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / MARKER).unlink()
    folder.rmdir()


def recover(site: Path) -> list[Message]:
    """Finish or undo a replacement a kill interrupted, and delete stale staging copies; say what was done."""
    done: list[Message] = []
    parent = site.parent
    if not parent.is_dir():
        return done
    olds = sorted(p for p in parent.iterdir() if p.name.startswith(old_prefix(site)) and is_marked(p))
    if not os.path.lexists(site) and olds:
        old = olds[-1]
        staged = parent / (staging_prefix(site) + old.name[len(old_prefix(site)) :])
        if is_marked(staged):  # staged sites are complete before the first rename: finish the replacement
            os.rename(staged, site)
            done.append(msg("site.recovered.finished", site=site))
        else:
            os.rename(old, site)
            done.append(msg("site.recovered.restored", site=site))
    for leftover in sorted(parent.iterdir()):
        if leftover.name.startswith((staging_prefix(site), old_prefix(site))) and leftover.is_dir():
            if is_marked(leftover) and (leftover / "index.html").is_file():  # a whole site: a replaced one
                # (a kill came between the swap and its check) may hold a file saved during that build
                leftover = _unless_added(
                    leftover, site, lambda f, x: done.append(msg("site.copy-kept", file=x, folder=f))
                )
                if leftover is None:
                    continue
            remove_copy(leftover)
            if not leftover.exists():
                done.append(msg("site.recovered.removed", name=leftover.name))
    return done


@contextlib.contextmanager
def locked(site: Path, busy: str = "site.busy") -> Iterator[None]:
    """Hold a lock on the folder the site lies in (no lock file to leave behind); refuse at once when
    taken, with the message `busy` (which names the folder as `site`)."""
    site.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    fd = os.open(site.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(busy, site=site) from None
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def scratch(site: Path) -> Iterator[Path]:
    """A marked temporary folder beside `site` (a source snapshot), deleted afterwards or by the next run."""
    folder = Path(tempfile.mkdtemp(prefix=staging_prefix(site), dir=site.parent))
    try:
        mark(folder)
        yield folder
    finally:
        remove_copy(folder)


@contextlib.contextmanager
def replacing(site: Path, *, dry_run: bool = False, kept: Callable[[Path, Path], None] | None = None) -> Iterator[Path]:
    """Yield a new, empty, marked site folder; when the block succeeds, it replaces `site` in one step.

    The caller holds :func:`locked`. On any failure (or with `dry_run`) the staged folder is deleted
    and `site` is untouched; a full disk becomes :class:`DiskFull`, naming the file. The site it
    replaced is deleted unless something kaohe did not write was saved into it while the build ran:
    then it is kept beside the site and `kept(folder, found)` is told where.
    """
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(site), dir=site.parent))
    leftover = staging
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it private; a published site is readable
        mark(staging)
        yield staging
        if not dry_run:
            leftover = _put_in_place(staging, site)
            if leftover is not None:
                leftover = _unless_added(leftover, site, kept)
    except OSError as exc:
        if exc.errno in _DISK_FULL:
            with contextlib.suppress(OSError):
                remove_copy(leftover)  # frees the space before the message is read
            previous = msg("site.disk-full.intact" if site.exists() else "site.disk-full.none", site=site)
            written = Path(str(exc.filename or staging))
            if written.is_relative_to(staging):  # name the file where it belongs, not in a copy that is gone
                written = site / written.relative_to(staging)
            raise DiskFull("site.disk-full", file=written, previous=previous) from None
        raise
    finally:
        if leftover is not None:
            remove_copy(leftover)


def added(folder: Path) -> Path | None:
    """The first entry of a site folder kaohe did not write: at its top, in an organization's folder,
    or in a year (:func:`.yearfiles.stray`). The site was checked before the build; this finds what
    was saved into it while the build ran."""
    entries = sorted(p for p in folder.iterdir() if p.name != MARKER)
    found = foreign_entry(entries)
    if found is not None:
        return found
    for organization in (p for p in entries if p.is_dir() and not p.is_symlink()):
        for year in sorted(p for p in organization.iterdir() if YEAR_FOLDER.match(p.name) and p.is_dir()):
            if (strayed := stray(year)) is not None:
                return strayed.path
    return None


def _unless_added(old: Path, site: Path, kept: Callable[[Path, Path], None] | None) -> Path | None:
    """`old` (the replaced site) to delete; None when it holds a file saved during the build, and is
    kept instead under a name no run of kaohe deletes (``site.kept-<time>``)."""
    try:
        found = added(old)
    except (OSError, InputError):
        found = old  # cannot be told: kept, never deleted
    if found is None:
        return old
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = next(
        t for n in range(1, 10_000) if not os.path.lexists(t := site.with_name(f"{site.name}.kept-{stamp}-{n}"))
    )
    os.rename(old, target)
    if kept is not None:
        kept(target, target / found.relative_to(old) if found.is_relative_to(old) else target)
    return None


def _put_in_place(staging: Path, site: Path) -> Path | None:
    """Make `staging` the site; return the folder now holding the old site (to delete), if any."""
    if not os.path.lexists(site):
        os.rename(staging, site)
        return None
    if exchange(staging, site):
        return staging  # the old site now carries the staging name
    old = site.with_name(old_prefix(site) + staging.name[len(staging_prefix(site)) :])
    os.rename(site, old)
    try:
        os.rename(staging, site)
    except OSError:
        os.rename(old, site)
        raise
    return old


def carry(source: Path, target: Path) -> None:
    """Copy a finished year folder into a staging folder: hard links where the file system allows
    (a site of 30,000 pages is not copied byte by byte), else bytes. A half-made copy is kaohe's own
    (inside its staging folder) and is removed before the byte copy. Callers refuse a folder holding a
    link first (:mod:`.yearfiles`); a link is still never followed here, only copied as a link."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copytree(source, target, symlinks=True, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, symlinks=True)
