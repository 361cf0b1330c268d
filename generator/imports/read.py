"""Open a .docx or .xlsx and read its tables into a framework's categories and indicators."""

from __future__ import annotations

import os
from pathlib import Path

from ..messages import Message
from ..problems import InputError
from .layout import SourceFramework, read_layout

OLD_FORMATS = {".doc": ".docx", ".wps": ".docx", ".rtf": ".docx", ".xls": ".xlsx", ".et": ".xlsx"}


def read_source(path: Path) -> SourceFramework:
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise InputError("import.old-format", path=path, suffix=suffix, new=OLD_FORMATS[suffix])
    if not path.is_file():  # a folder or a pipe named .xlsx is there, but is no file to read
        raise InputError("import.not-a-file" if os.path.lexists(path) else "import.not-found", path=path)
    warnings: list[tuple[str, Message]] = []
    if suffix == ".docx":
        from .docx import read_docx

        blocks, warnings = read_docx(path)
    elif suffix in (".xlsx", ".xlsm"):
        from .xlsx import read_xlsx

        blocks, warnings = read_xlsx(path)
    else:
        raise InputError("import.unknown-format", path=path, suffix=suffix or path.name)
    framework = read_layout(blocks, path.stem)
    framework.warnings[:0] = warnings  # what the reader saw (formulas without results, tracked changes) comes first
    if not framework.categories:
        raise InputError("import.no-tables", path=path)
    return framework
