"""When each evidence file was first committed, from one walk of the git history.

The Liaoyang measures want results "by the 5th of the following month": an indicator due in
month M is late when its evidence first enters the repository after the end of M plus the
framework's ``grace_days``. The date a file was *filed* is the author date of the commit that
added it (kept through rebases and cherry-picks, so a reviewer's slow merge does not make a
clerk late); a file renamed or moved keeps the date it was first added under its old name.

One ``git log --name-status`` over ``evidence/`` gives every date at once; a folder that is not
a git repository costs nothing (no git call at all).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

from .load import Assessment, Repository
from .problems import Problems
from .tree import GitError, git

_FIELD = "\x1f"


def in_git(root: Path) -> bool:
    """Whether `root` is inside a git work tree, without running git when it plainly is not."""
    return any((folder / ".git").exists() for folder in (root, *root.parents))


def first_commit_dates(root: Path, rev: str = "HEAD", prefix: str = "evidence") -> dict[str, date]:
    """Repository-relative path → author date of the commit that first added it (as reachable from `rev`)."""
    try:
        if git(root, "rev-parse", "--is-shallow-repository").strip() == b"true":
            raise GitError(
                "shallow clone: fetch the full history (e.g. fetch-depth: 0 / GIT_DEPTH: 0) "
                "to judge when evidence was filed"
            )
        out = git(
            root,
            "log",
            rev,
            "--reverse",
            "--no-merges",
            "-M",
            "--diff-filter=AR",
            "--name-status",
            "--relative",
            "-z",
            f"--format={_FIELD}%aI",
            "--",
            prefix,
        )
    except GitError as exc:
        if "unknown revision" in str(exc) or "does not have any commits" in str(exc):
            return {}  # a repository without commits yet
        raise
    dates: dict[str, date] = {}
    current: date | None = None
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    n = 0
    while n < len(tokens):
        token = tokens[n].strip("\n")
        n += 1
        if not token:
            continue
        if token.startswith(_FIELD):
            current = date.fromisoformat(token[1:11])
            continue
        if current is None:
            continue
        if token == "A" and n < len(tokens):
            dates.setdefault(tokens[n], current)
            n += 1
        elif token.startswith("R") and n + 1 < len(tokens):
            old, new = tokens[n], tokens[n + 1]
            dates.setdefault(new, dates.get(old, current))
            n += 2
    return dates


def deadline(year: int, month: int, grace_days: int) -> date:
    """Last day of `month` in `year`, plus the grace days (e.g. month 12 + 5 days → 5 January)."""
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last + timedelta(days=grace_days)


def attach(repo: Repository, dates: dict[str, date]) -> None:
    """Give every evidence file of a year that tracks deadlines its filing date and deadline."""
    for a in repo.assessments.values():
        if not a.filing_deadlines:
            continue
        months = {i.id: i.month for i in a.framework.indicators()}
        for e in a.evidence:
            e.filed = dates.get(e.path)
            month = months.get(e.indicator)
            e.deadline = deadline(a.year, month, a.framework.grace_days) if month else None


def report_late(repo: Repository, problems: Problems) -> None:
    """A warning at every evidence file filed after its deadline (a `late` rule may also deduct)."""
    for a in repo.assessments.values():
        for e in a.evidence:
            if e.late:
                problems.add(
                    e.path,
                    *e.locate("indicator"),
                    f"filed late: first committed {e.filed}, due by {e.deadline} "
                    f"(indicator '{e.indicator}', month end + {_grace(a)} days)",
                    "late evidence still counts; a `late` rule in the framework may deduct for it",
                    severity="warning",
                )


def _grace(a: Assessment) -> int:
    return a.framework.grace_days


def load_dates(repo: Repository, root: Path, rev: str | None, problems: Problems) -> None:
    """Attach filing dates for years with `filing_deadlines = true`, from one walk of the history.

    Years without it (and folders outside git) cost no git call at all.
    """
    tracked = [a for a in repo.assessments.values() if a.filing_deadlines]
    if not tracked:
        return
    if not in_git(root):
        problems.add(
            tracked[0].path,
            1,
            1,
            "filing_deadlines is on but this folder is not a git repository",
            "lateness is judged from git history; run kaohe in the git checkout",
            severity="warning",
        )
        return
    try:
        dates = first_commit_dates(root, rev or "HEAD")
    except GitError as exc:
        problems.add(
            tracked[0].path,
            1,
            1,
            f"cannot tell when evidence was filed: {exc}",
            "lateness is not judged in this run",
            severity="warning",
        )
        return
    attach(repo, dates)
    report_late(repo, problems)
