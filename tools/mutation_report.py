"""Per-file mutation scores from mutmut's results, as the table and survivor list in docs/testing.md.

Run after `mutmut run` from the repository root: `python tools/mutation_report.py`. It reads what
mutmut 3 records beside each mutated file (``mutants/<path>.py.meta``), so it reports the last run
of every mutant, whichever command ran it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: mutmut's exit codes (mutmut/stats.py): a test failed, pytest broke, or the mutant timed out.
KILLED = frozenset({1, 3, 24, -24, 36, 152, 255})
SURVIVED = 0
NO_TESTS = frozenset({5, 33})


def report(root: Path) -> str:
    rows = ["| file | mutants | killed | survived | no tests | score |", "|---|---:|---:|---:|---:|---:|"]
    survivors: list[str] = []
    totals = [0, 0, 0, 0]
    for meta in sorted(root.glob("mutants/generator/**/*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if not codes:
            continue
        killed = sum(code in KILLED for code in codes.values())
        survived = sorted(name for name, code in codes.items() if code == SURVIVED)
        untested = sum(code in NO_TESTS for code in codes.values())
        counts = [len(codes), killed, len(survived), untested]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        path = meta.relative_to(root / "mutants").as_posix().removesuffix(".meta")
        rows.append(f"| {path} | " + " | ".join(map(str, counts)) + f" | {100 * killed / len(codes):.1f} % |")
        survivors.extend(survived)
    if totals[0]:
        rows.append("| **all** | " + " | ".join(map(str, totals)) + f" | **{100 * totals[1] / totals[0]:.1f} %** |")
    return "\n".join(rows) + "\n\nSurvivors:\n\n" + "".join(f"- `{name}`\n" for name in survivors)


if __name__ == "__main__":
    sys.stdout.write(report(Path.cwd()))
