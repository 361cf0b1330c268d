"""Per-file mutation scores from mutmut's results, as the table and survivor list in docs/testing.md.

Run after `mutmut run` from the repository root: `python tools/mutation_report.py`. It reads what
mutmut 3 records beside each mutated file (``mutants/<path>.py.meta``), so it reports the last run
of every mutant, whichever command ran it. Each survivor is printed with its explanation from
``tools/mutation_survivors.toml``; one without an explanation is flagged, and the exit status is 1,
so a new survivor cannot slip into the documented list unexplained.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

#: mutmut's exit codes (mutmut/stats.py): a test failed or pytest broke; the mutant timed out.
KILLED = frozenset({1, 3})
TIMEOUT = frozenset({24, -24, 36, 152, 255})
SURVIVED = 0
NO_TESTS = frozenset({5, 33})
EXPLAINED = Path(__file__).with_name("mutation_survivors.toml")
UNEXPLAINED = "**not explained**: kill it with a test, or say in tools/mutation_survivors.toml why it may live"


def report(root: Path) -> tuple[str, int]:
    """The table (score as mutmut counts it: killed and timed out over the mutants run), the survivors
    with their explanations, and how many survivors have none."""
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
    why = tomllib.loads(EXPLAINED.read_text(encoding="utf-8"))
    listed = "".join(f"- `{name}`: {why.get(name, UNEXPLAINED)}\n" for name in survivors)
    return "\n".join(rows) + "\n\nSurvivors, each explained:\n\n" + listed, sum(n not in why for n in survivors)


def _score(counts: list[int]) -> str:
    run, killed, timed_out = counts[1], counts[2], counts[3]
    return f"{100 * (killed + timed_out) / run:.1f} %" if run else "–"


if __name__ == "__main__":
    text, unexplained = report(Path.cwd())
    sys.stdout.write(text)
    sys.exit(1 if unexplained else 0)
