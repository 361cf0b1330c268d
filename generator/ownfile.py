"""Files kaohe writes into a folder it does not own wholesale: CODEOWNERS, docs/schemas/*.json.

Such a file may be committed by anyone, so what stands at its name is input: a pull request can
commit `CODEOWNERS` as a symbolic link to `../../.bashrc`, or a folder on the way as a link out
of the repository, and a plain `open(path, "w")` would then overwrite the file it points to; a
named pipe there would make the command wait forever for a reader. kaohe writes only a plain file
at a plain name: anything else on the way is refused, and the file is replaced in one step
(`os.replace` replaces a name, never what a link names), so nothing outside is ever touched.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .cachedir import read_file
from .problems import InputError
from .publish.layout import write_atomically


def _mode(path: Path) -> int | None:
    try:
        return os.lstat(path).st_mode
    except FileNotFoundError:
        return None


def refuse_unsafe(path: Path, base: Path, *, folder: bool = False) -> None:
    """Refuse `path` when it, or a folder between `base` and it, is a link or not a plain file
    (a plain folder when `folder`).

    `base` is where the caller's trust starts (the repository, or a folder named on the command
    line): what lies above it is the user's own choice; below it, every name is checked.
    """
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        parts = (path.name,)
        base = path.parent
    here = base
    for depth, name in enumerate(parts):
        here = here / name
        mode = _mode(here)
        if mode is None:
            return  # missing: kaohe creates it (and what is below it) itself
        file = depth == len(parts) - 1 and not folder
        if not (stat.S_ISREG(mode) if file else stat.S_ISDIR(mode)):
            raise InputError("own-file.not-regular", path=here)


def read_current(path: Path) -> str | None:
    """The text of the plain file at `path`, or None when there is none (links never followed).

    Newlines are read as `Path.read_text` reads them (\\r\\n and \\r as \\n), as the callers compare
    the text with what they would write. Opened as kaohe opens its cache files (:func:`.cachedir.read_file`):
    a link or pipe put there after the look is not followed or waited on either.
    """
    mode = _mode(path)
    if mode is None or not stat.S_ISREG(mode):
        return None
    text = read_file(path).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_own(path: Path, text: str, base: Path) -> None:
    """Write `text` to `path` as a plain file, refusing a link or special file at or on the way to it."""
    refuse_unsafe(path, base)
    write_atomically(path, text)
