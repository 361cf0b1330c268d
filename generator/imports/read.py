"""Open a .docx or .xlsx and read its tables into a framework's categories and indicators."""

from __future__ import annotations

from pathlib import Path

from ..problems import InputError
from .layout import SourceFramework, read_layout

OLD_FORMATS = {".doc": ".docx", ".wps": ".docx", ".rtf": ".docx", ".xls": ".xlsx", ".et": ".xlsx"}


def read_source(path: Path) -> SourceFramework:
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise InputError(
            f"{path}: {suffix} files cannot be read; "
            f"open it in Word, WPS or Excel and save it as {OLD_FORMATS[suffix]}",
            code="import.old-format",
        )
    if not path.is_file():
        raise InputError(f"{path}: no such file", code="import.not-found")
    if suffix == ".docx":
        from .docx import read_docx

        blocks = read_docx(path)
    elif suffix in (".xlsx", ".xlsm"):
        from .xlsx import read_xlsx

        blocks = read_xlsx(path)
    else:
        raise InputError(
            f"{path}: expected a Word document (.docx) or a workbook (.xlsx), not '{suffix or path.name}'",
            code="import.unknown-format",
        )
    framework = read_layout(blocks, path.stem)
    if not framework.categories:
        raise InputError(
            f"{path}: no table with a header row naming 序号, 目标内容 or 考核标准, 分值 or 完成月份; "
            "the importer reads tables laid out like the 2010 考核分细则 (see docs/adopting.md)",
            code="import.no-tables",
        )
    return framework
