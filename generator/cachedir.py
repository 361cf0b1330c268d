"""kaohe's cache folder: what it may hold, where it lives, and when kaohe refuses to use one.

Everything in it can be made again from the repository: deleting the folder at any time only
makes the next run slower. kaohe writes a standard cache-directory tag into it (backup tools skip
such folders; https://bford.info/cachedir/) and a ``.gitignore`` that keeps it out of commits, and
it writes and deletes files only inside a folder that carries that tag. Entries are checked before
use (see :mod:`generator.render.pagecache`), so a damaged or edited entry is rebuilt, never served.

A cache is trusted like the repository it was built from: a CI job must not restore a cache that a
job of a less trusted branch (a pull request) could write (docs/performance.md).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .controlchars import one_line
from .problems import InputError

#: The folder's default name, in the repository's top folder (beside site/).
DEFAULT_NAME = ".kaohe-cache"
#: The environment variable that moves the cache (or, set to "off", turns it off).
ENV = "KAOHE_CACHE_DIR"
TAG_NAME = "CACHEDIR.TAG"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kaohe: everything here can be rebuilt, and may be deleted.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)


def is_cache(folder: Path) -> bool:
    tag = folder / TAG_NAME
    if not tag.is_file() or tag.is_symlink():
        return False
    try:
        return tag.read_text(encoding="utf-8").startswith(TAG.split("\n", 1)[0])
    except (OSError, UnicodeDecodeError):
        return False


def tracked(root: Path, folder: Path) -> bool:
    """Whether git tracks files in the cache folder `folder` inside the repository at `root`: a pull
    request can commit a `.kaohe-cache/`, and what the repository carries there is not what kaohe
    wrote. A folder outside the repository, or a repository outside git, carries nothing."""
    from .tree import GitError, git, in_git

    root, folder = root.resolve(), folder.resolve()
    if not folder.is_relative_to(root) or not in_git(root):
        return False
    try:
        return bool(git(root, "ls-files", "-z", "--", folder.relative_to(root).as_posix()))
    except GitError:
        return True  # git could not say: trust nothing in it


def locate(root: Path, given: str | None = None, *, enabled: bool = True) -> Path | None:
    """Where the cache of the repository at `root` is (None: turned off), without any check.

    `given` (a command's --cache-dir) wins over $KAOHE_CACHE_DIR, which wins over .kaohe-cache/ in
    the repository.
    """
    setting = given if given is not None else os.environ.get(ENV)
    if not enabled or setting in ("off", "none", ""):
        return None
    return (Path(setting) if setting else root / DEFAULT_NAME).resolve()


def default_link(root: Path, given: str | None = None, *, enabled: bool = True) -> Path | None:
    """The repository's `.kaohe-cache` when the cache is to be there (no --cache-dir, no
    $KAOHE_CACHE_DIR) and it is a symbolic link; else None. A pull request can commit that link:
    followed, it would make kaohe create folders and write anywhere the link points (a shared
    `/tmp` folder, another job's cache), and read entries someone else planted there, outside the
    repository and out of reach of :func:`tracked`. A cache elsewhere is named with --cache-dir."""
    setting = given if given is not None else os.environ.get(ENV)
    link = root / DEFAULT_NAME
    if not enabled or setting is not None or not link.is_symlink():
        return None
    return link


def cache_folder(root: Path, given: str | None = None, *, enabled: bool = True) -> Path | None:
    """The cache folder to use for the repository at `root` (None: no cache); :func:`claim` creates it.

    Where it is: :func:`locate`. A folder that exists, holds files and has no cache tag is refused:
    kaohe would be writing (and pruning) among files it did not make. So is a folder inside the
    repository's data, which a cache would change.
    """
    from .publish.folder import DATA_FOLDERS, protected  # the data folders, wherever git keeps its own

    folder = locate(root, given, enabled=enabled)
    if folder is None:
        return None
    link = default_link(root, given, enabled=enabled)
    if link is not None:
        from .tree import printable

        target = one_line(printable(os.readlink(os.fsencode(link))))  # a name, not a command to the terminal
        raise InputError("cache.default-link", link=link, target=target, env=ENV)
    if folder == root.resolve() or root.resolve().is_relative_to(folder):
        raise InputError("cache.contains-repository", folder=folder, root=root)
    # the default folder, beside the data and not a link, cannot be in it: no need to ask git where its folder is
    default = folder == root.resolve() / DEFAULT_NAME
    for data in [root.resolve() / name for name in DATA_FOLDERS] if default else protected(root.resolve()):
        if folder == data or folder.is_relative_to(data) or data.is_relative_to(folder):
            raise InputError("cache.inside-repository-data", folder=folder, data=data, default=DEFAULT_NAME)
    if folder.is_dir() and not is_cache(folder) and any(folder.iterdir()):
        raise InputError("cache.foreign-folder", folder=folder, tag=TAG_NAME)
    if folder.exists() and not folder.is_dir():
        raise InputError("cache.not-a-folder", folder=folder)
    link = _link_inside(folder) if folder.is_dir() else None
    if link is not None:
        raise InputError("cache.link-inside", folder=folder, link=link)
    return folder


#: How deep kaohe's own folders go in the cache folder (pages/<year>/objects/<ab>/).
_FOLDER_DEPTH = 4


def _link_inside(folder: Path) -> Path | None:
    """A symbolic link where kaohe keeps a folder of its cache, or None. kaohe writes, replaces and
    prunes files in those folders; through a link (a restored cache can hold one) it would write
    and delete in a folder it never made. A link in a file's place is harmless: replacing or
    deleting it touches the link alone. The objects' folders are checked, not listed."""
    todo = [(str(folder), 1)]
    while todo:
        path, depth = todo.pop()
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        if os.path.isdir(entry.path):
                            return Path(entry.path)
                    elif depth < _FOLDER_DEPTH and entry.is_dir(follow_symlinks=False):
                        todo.append((entry.path, depth + 1))
        except OSError:
            continue
    return None


def claim(folder: Path) -> bool:
    """Create and tag the cache folder when it is first written to; False when it cannot be (read-only)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not is_cache(folder):
            (folder / ".gitignore").write_text("# kaohe's cache: never committed\n*\n", encoding="utf-8")
            (folder / TAG_NAME).write_text(TAG, encoding="utf-8")
    except OSError:
        return False  # a read-only checkout builds without a cache, as slowly as before
    return True


#: How a cache file is opened: never through a link, never waiting on a pipe or device.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_file(path: Path | str) -> int:
    """A descriptor open on the cache file `path`, which must be a regular file. Whoever can write
    into the cache folder can put a link to /dev/zero, a pipe or a device where kaohe keeps a file:
    reading it would never end (or fill the memory). Raises OSError for all of those, as for a
    missing file: the caller treats the entry as absent and makes it again."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a regular file: {path}")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_file(path: Path | str) -> bytes:
    """The bytes of the cache file `path` (see :func:`open_file`; OSError when it is not one). Also
    how kaohe reads back a file it owns in the repository (:func:`.ownfile.read_current`)."""
    with os.fdopen(open_file(path), "rb") as f:
        return f.read()


_CODE: str | None = None


def code_digest() -> str:
    """A digest of kaohe's own files (code, message catalogues, templates, styles): another kaohe
    never reuses a cache entry."""
    global _CODE
    if _CODE is None:
        package = Path(__file__).resolve().parent
        h = hashlib.blake2b(digest_size=20)
        for folder, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                path = os.path.join(folder, name)
                h.update(os.path.relpath(path, package).encode("utf-8", "surrogateescape") + b"\0")
                with open(path, "rb") as f:
                    h.update(hashlib.blake2b(f.read(), digest_size=20).digest())
        _CODE = h.hexdigest()
    return _CODE
