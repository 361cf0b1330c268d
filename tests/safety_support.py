"""Helpers for the site-safety tests: refusals with their codes, tree fingerprints, real kaohe processes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import build_parser
from generator.problems import InputError

ROOT = Path(__file__).resolve().parent.parent


def refusal(*argv: str) -> InputError:
    """Run a command through its real entry point and return the refusal it raised (failing if none)."""
    args = build_parser().parse_args(list(argv))
    with pytest.raises(InputError) as caught:
        args.run(args)
    return caught.value


def fingerprint(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (hidden ones and .git included): file hashes, link targets, folders."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[key] = "link:" + os.readlink(path)
            elif path.is_dir():
                out[key] = "dir"
            else:
                out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def leftovers(site: Path) -> list[str]:
    """Staging or old copies beside the site (named .<site>.new-* / .<site>.old-*)."""
    return sorted(
        p.name for p in site.parent.iterdir() if p.name.startswith((f".{site.name}.new-", f".{site.name}.old-"))
    )


def assert_usable(site: Path) -> dict[str, dict]:
    """The site is whole: each organization's versions.json lists exactly its year folders, each with its
    pages and a stamp naming that organization, and the root page is there. Returns the stamps by year."""
    stamps = {}
    organizations = sorted(p for p in site.iterdir() if p.is_dir())
    assert organizations, f"no organization folder in {site}"
    for organization in organizations:
        listed = [v["version"] for v in json.loads((organization / "versions.json").read_text(encoding="utf-8"))]
        present = sorted((p.name for p in organization.iterdir() if p.is_dir()), reverse=True)
        assert listed == present, (organization.name, listed, present)
        assert (organization / "index.html").is_file()
        for year in present:
            assert (organization / year / "index.html").is_file()
            stamps[year] = json.loads((organization / year / "kaohe-version.json").read_text(encoding="utf-8"))
            assert stamps[year]["organization"] == organization.name
    assert (site / "index.html").is_file()
    assert (site / ".kaohe-site").is_file()
    return stamps


def kaohe_process(*argv: str, cwd: Path, patch: str = "") -> subprocess.Popen[str]:
    """`kaohe ARGV…` as a real process; `patch` is Python run first (to pause it at a chosen moment)."""
    code = f"import sys\n{patch}\nfrom generator.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.Popen(
        [sys.executable, "-c", code, *argv],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
