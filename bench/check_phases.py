"""Where a cold `kaohe check` spends its time: seconds in each stage, timed from the outside.

A profiler's overhead doubles the run and blurs a flat profile; here kaohe's stage functions are
wrapped with a clock (kaohe's code is not changed) and the command runs as it does for a user.
Stages nest (evidence loading is inside the year's loading), so shares do not add up to the total.

    .venv/bin/python bench/check_phases.py bench/out/reference            # cold, filling a new cache
    .venv/bin/python bench/check_phases.py bench/out/reference --no-cache  # without the caches
"""

from __future__ import annotations

import functools
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

START = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SPENT: dict[str, float] = {}  # in the order the stages are listed


def _timed(owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            SPENT[label] += time.perf_counter() - began

    SPENT[label] = 0.0
    setattr(owner, name, wrapped)


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print("usage: check_phases.py REPOSITORY [--no-cache]", file=sys.stderr)
        return 2
    import generator.score as scoring
    from generator import checkcache, workspace
    from generator.cli import main as kaohe
    from generator.load import evidence, parsed, years

    imported = time.perf_counter() - START
    for owner, name, label in [
        (workspace, "load_tree", "loading (all of it)"),
        (years, "load_evidence", "  evidence files"),
        (evidence, "read_text", "    reading"),
        (evidence, "_parse", "    TOML, validation, links found"),
        (evidence, "check_found", "    links checked"),
        (years, "load_findings", "  findings files"),
        (workspace, "validate_repository", "  cross-file validation"),
        (scoring, "score_assessment", "scoring"),
        (parsed.ParsedFiles, "put", "cache: parsed files kept"),
        (parsed.ParsedFiles, "save", "cache: parsed files written"),
        (checkcache.Recording, "store", "cache: the check's outcome written"),
    ]:
        _timed(owner, name, label)
    cache = tempfile.mkdtemp(prefix="kaohe-phases-")
    options = ["--no-cache"] if "--no-cache" in argv else ["--cache-dir", cache]
    try:
        code = kaohe(["check", "--repo", argv[0], *options])
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    total = time.perf_counter() - START
    print(f"{'imports before the command':36s} {imported:6.3f} s", file=sys.stderr)
    for label, seconds in SPENT.items():
        print(f"{label:36s} {seconds:6.3f} s  {seconds / total:5.1%}", file=sys.stderr)
    print(f"{'total':36s} {total:6.3f} s", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
