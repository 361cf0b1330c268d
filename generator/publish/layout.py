"""The versioned folder layout that Material's version selector (and mike) understands.

``site/<version>/`` per year, ``site/versions.json`` listing them newest first with the alias
``latest`` on the newest final year, and ``site/index.html`` sending readers there.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def versions_json(drafts: Mapping[int, bool], stages: Mapping[int, str | None] | None = None) -> list[dict[str, Any]]:
    """mike's format, newest first; `latest` names the newest final year (else the newest draft).

    `drafts` maps each year in the site to whether it is a draft; `stages` to the stage its banner
    shows, which the title names beside a draft (2010（公示）) and a filed year (2010（备案）).
    """
    stages = stages or {}
    years = sorted(drafts, reverse=True)
    finals = [y for y in years if not drafts[y]]
    latest = finals[0] if finals else (years[0] if years else None)
    return [
        {
            "version": str(y),
            "title": _title(y, drafts[y], stages.get(y)),
            "aliases": ["latest"] if y == latest else [],
        }
        for y in years
    ]


def _title(year: int, draft: bool, stage: str | None) -> str:
    if draft:
        return f"{year}（{stage if stage in ('草稿', '公示') else '草稿'}）"
    return f"{year}（备案）" if stage == "备案" else str(year)


def redirect_page(target: str) -> str:
    href = html.escape(target + "/", quote=True)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<title>考核结果</title>\n<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n'
        '<link rel="icon" href="data:,">\n</head>\n<body>\n'
        f'<p><a href="{href}">查看 {html.escape(target)} 年度考核结果</a></p>\n</body>\n</html>\n'
    )


def root_files(drafts: Mapping[int, bool], stages: Mapping[int, str | None] | None = None) -> dict[str, str]:
    listing = versions_json(drafts, stages)
    files = {"versions.json": json.dumps(listing, ensure_ascii=False, indent=2) + "\n"}
    latest = next((v["version"] for v in listing if "latest" in v["aliases"]), None)
    if latest is not None:
        files["index.html"] = redirect_page(latest)
    return files


def write_atomically(path: Path, text: str) -> None:
    """Write `path` so that readers see the old or the new text, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
