"""The versioned folder layout that Material's version selector (and mike) understands.

``site/<version>/`` per year, ``site/versions.json`` listing them newest first with the alias
``latest`` on the newest final year, and ``site/index.html`` sending readers there. Each version
folder carries ``kaohe-version.json`` so that a later publish can tell what it was built from.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..provenance import Provenance

STAMP = "kaohe-version.json"


def stamp(provenance: Provenance, year: int) -> dict[str, Any]:
    return {
        "year": year,
        "framework": provenance.framework,
        "commit": provenance.commit,
        "commit_date": provenance.commit_date,
        "tag": provenance.tag,
        "draft": provenance.draft,
    }


def read_stamp(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(folder: Path, provenance: Provenance, year: int) -> None:
    text = json.dumps(stamp(provenance, year), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (folder / STAMP).write_text(text, encoding="utf-8")


def published_versions(site: Path) -> dict[int, dict[str, Any]]:
    """Year → stamp of every version folder in `site`."""
    out: dict[int, dict[str, Any]] = {}
    if not site.is_dir():
        return out
    for child in sorted(site.iterdir()):
        if child.is_dir() and child.name.isdigit():
            data = read_stamp(child)
            if data is not None:
                out[int(child.name)] = data
    return out


def versions_json(stamps: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """mike's format, newest first; `latest` names the newest final year (else the newest draft)."""
    years = sorted(stamps, reverse=True)
    finals = [y for y in years if not stamps[y].get("draft")]
    latest = finals[0] if finals else (years[0] if years else None)
    return [
        {
            "version": str(y),
            "title": f"{y}（草稿）" if stamps[y].get("draft") else str(y),
            "aliases": ["latest"] if y == latest else [],
        }
        for y in years
    ]


def redirect_page(target: str) -> str:
    href = html.escape(target + "/", quote=True)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<title>考核结果</title>\n<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n'
        '<link rel="icon" href="data:,">\n</head>\n<body>\n'
        f'<p><a href="{href}">查看 {html.escape(target)} 年度考核结果</a></p>\n</body>\n</html>\n'
    )


def root_files(stamps: dict[int, dict[str, Any]]) -> dict[str, str]:
    listing = versions_json(stamps)
    files = {"versions.json": json.dumps(listing, ensure_ascii=False, indent=2) + "\n"}
    latest = next((v["version"] for v in listing if "latest" in v["aliases"]), None)
    if latest is not None:
        files["index.html"] = redirect_page(latest)
    return files


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def swap_in(built: Path, target: Path) -> None:
    """Replace `target` with `built` so that readers see either the old or the new folder, whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(built, target)
    if old.exists():
        shutil.rmtree(old)
