"""Per-file mutation scores from mutmut's results, as the table and survivor list in docs/testing.md.

Run after `mutmut run` from the repository root: `python tools/mutation_report.py`. It reads what
mutmut 3 records beside each mutated file (``mutants/<path>.py.meta``), so it reports the last run
of every mutant, whichever command ran it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: mutmut's exit codes (mutmut/stats.py): a test failed or pytest broke; the mutant timed out.
KILLED = frozenset({1, 3})
TIMEOUT = frozenset({24, -24, 36, 152, 255})
SURVIVED = 0
NO_TESTS = frozenset({5, 33})


def report(root: Path) -> str:
    """The table (score as mutmut counts it: killed and timed out over the mutants run) and the survivors."""
    rows = [
        "| file | mutants | run | killed | timed out | survived | no tests | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    survivors: list[str] = []
    totals = [0] * 6
    for meta in sorted(root.glob("mutants/generator/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        run = [code for code in codes.values() if code is not None]
        survived = sorted(name for name, code in codes.items() if code == SURVIVED)
        counts = [
            len(codes),
            len(run),
            sum(code in KILLED for code in run),
            sum(code in TIMEOUT for code in run),
            len(survived),
            sum(code in NO_TESTS for code in run),
        ]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        path = meta.relative_to(root / "mutants").as_posix().removesuffix(".meta")
        rows.append(f"| {path} | " + " | ".join(map(str, counts)) + f" | {_score(counts)} |")
        survivors.extend(survived)
    if totals[0]:
        rows.append("| **all** | " + " | ".join(map(str, totals)) + f" | **{_score(totals)}** |")
    return "\n".join(rows) + "\n\nSurvivors:\n\n" + "".join(f"- `{name}`\n" for name in survivors)


def _score(counts: list[int]) -> str:
    run, killed, timed_out = counts[1], counts[2], counts[3]
    return f"{100 * (killed + timed_out) / run:.1f} %" if run else "–"


if __name__ == "__main__":
    sys.stdout.write(report(Path.cwd()))
