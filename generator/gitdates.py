"""When each evidence file reached the protected branch, from one walk of the git history.

The Liaoyang measures want results "by the 5th of the following month": an indicator due in
month M is late when its evidence is filed after the end of M plus the framework's
``grace_days``. A file is *filed* when the commit that first added it joined the branch being
scored (main), read along main's first-parent history:

- the **committer** date, not the author date: ``git commit --date=2010-09-15`` sets the author
  date to anything the clerk likes, and a squash merge gave the same change another date;
- a file that arrived by a **merge commit** is dated by the merge (the commit that joined main),
  not by the branch commit that added it; **squash** and **rebase** merges make new commits on
  main, committed when they were merged;
- a commit cannot reach the branch before the one under it did: each first-parent commit counts
  as no earlier than every commit before it (a fast-forwarded commit with a backdated committer
  date gains nothing from it);
- a date git cannot read (which it shows as 1970), one before git existed or one in the future
  is an error at every evidence file that commit added, not a reading of 1970.

Days are counted in China Standard Time (UTC+8), whatever time zone a commit records: the
deadlines are the bureau's, and a git server that records merges in UTC must not move a merge at
07:00 on the 6th to the 5th. A file renamed or moved keeps the date it was first added under its
old name. docs/workflow.md ("When evidence counts as filed") says the same for users.

One ``git log`` gives every date at once; years without ``filing_deadlines`` cost no git call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Literal

from .messages import Message, msg
from .model import Assessment, Indicator, Repository
from .period import Schedule
from .problems import InputError, Problems
from .tree import GitError, git, in_git, is_shallow

_FIELD = "\x1f"

#: The time zone deadlines are counted in (China Standard Time; no daylight saving).
DEADLINE_TZ = timezone(timedelta(hours=8), "CST")
#: Git's first release: no real commit is older (1970 is what git shows for a date it cannot read).
GIT_EPOCH = datetime(2005, 4, 7, tzinfo=UTC)
#: How far past this computer's clock a commit may be dated before it is impossible (clock skew).
CLOCK_SKEW = timedelta(days=1)

#: How a command treats missing history where a year judges filing deadlines: "required" refuses
#: (score, build, diff: the scores would silently lack late deductions), "warn" reports it and goes
#: on (check), "off" does not read history at all (`--no-filing-dates`).
FilingDates = Literal["required", "warn", "off"]


@dataclass
class FilingHistory:
    """What the first-parent history says about when files reached the branch."""

    filed: dict[str, date] = field(default_factory=dict)  # path → day it reached the branch
    impossible: dict[str, Message] = field(default_factory=dict)  # path → why its commit's date cannot be true


def _moment(stamp: str, now: datetime) -> tuple[datetime | None, Message | None]:
    """The committer timestamp (seconds since 1970, as `%ct` prints it) as a time, or why it is impossible."""
    if not stamp.isascii() or not stamp.isdigit():
        return None, msg("dates.unreadable", stamp=stamp)
    try:
        moment = datetime.fromtimestamp(int(stamp), UTC)
    except (OverflowError, OSError, ValueError):
        return None, msg("dates.past-9999", stamp=stamp)
    if moment < GIT_EPOCH:
        return None, msg("dates.before-git", date=f"{moment:%Y-%m-%d}")
    if moment > now + CLOCK_SKEW:
        return None, msg("dates.in-future", date=f"{moment:%Y-%m-%d}")
    return moment, None


def filing_history(
    root: Path, rev: str = "HEAD", prefix: str = "evidence", now: datetime | None = None
) -> FilingHistory:
    """When each file under `prefix` first reached `rev`'s first-parent history (see the module)."""
    try:
        if is_shallow(root):
            raise GitError("dates.shallow")
        out = git(
            root,
            "log",
            rev,
            "--first-parent",
            "--diff-merges=first-parent",  # a merge shows what it brought to the branch
            "--reverse",
            "-M",
            "--diff-filter=AR",
            "--name-status",
            "--relative",
            "-z",
            f"--format={_FIELD}%H %ct",
        )
    except GitError as exc:
        detail = str(exc.params.get("detail", ""))  # git's own words (English: see generator.tree.git)
        if "unknown revision" in detail or "does not have any commits" in detail:
            return FilingHistory()  # a repository without commits yet
        raise
    now = now or datetime.now(UTC)
    history = FilingHistory()
    reached: datetime | None = None  # the latest commit date so far along the branch
    commit, why = "", None
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    n = 0
    while n < len(tokens):
        token = tokens[n].strip("\n")
        n += 1
        if token.startswith(_FIELD):
            commit, _, stamp = token[1:].partition(" ")
            moment, why = _moment(stamp.strip(), now)
            if moment is not None:
                reached = moment if reached is None else max(reached, moment)
            continue
        if token == "A" and n < len(tokens):
            path, n = tokens[n], n + 1
        elif token.startswith("R") and n + 1 < len(tokens):
            old, path, n = tokens[n], tokens[n + 1], n + 2
            if old in history.filed and path not in history.filed:
                history.filed[path] = history.filed[old]
            if old in history.impossible and path not in history.impossible:
                history.impossible[path] = history.impossible[old]
        else:
            continue
        if not path.startswith(prefix + "/") or path in history.filed or path in history.impossible:
            continue
        if why or reached is None:
            history.impossible[path] = msg("dates.impossible-commit", commit=commit[:10], why=why or "")
        else:
            history.filed[path] = reached.astimezone(DEADLINE_TZ).date()
    return history


def evidence_deadline(schedule: Schedule, indicator: Indicator | None, day: date, grace_days: int) -> date | None:
    """When a file dated `day` is due: the day its indicator falls due in the period holding that date
    (a quarter's 政务信息 on the quarter's last day, whatever the year's completion month says; in the
    year, its month's end), plus the grace days (month 12 + 5 days → 5 January). None where nothing
    is ever due (an indicator without a month, assessed in the year)."""
    if indicator is None:
        return None
    period = schedule.period_of(indicator.category, day) or schedule.whole
    due = period.due(indicator.month)
    return due + timedelta(days=grace_days) if due is not None else None


def attach(repo: Repository, history: FilingHistory, problems: Problems) -> None:
    """Give every evidence file of a year that tracks deadlines its filing date and deadline."""
    for a in repo.assessments.values():
        if not a.filing_deadlines:
            continue
        indicators = {i.id: i for i in a.framework.indicators()}
        schedule = Schedule(a.framework, a.year)
        for e in a.evidence:
            e.filed = history.filed.get(e.path)
            e.deadline = evidence_deadline(schedule, indicators.get(e.indicator), e.date, a.framework.grace_days)
            if e.path in history.impossible:
                problems.report(e.path, 1, 1, "evidence.impossible-filing-date", why=history.impossible[e.path])


def report_late(repo: Repository, problems: Problems) -> None:
    """A warning at every evidence file filed after its deadline (a `late` rule may also deduct)."""
    for a in repo.assessments.values():
        for e in a.evidence:
            if e.late:
                problems.report(
                    e.path,
                    *e.locate("indicator"),
                    "evidence.filed-late",
                    severity="warning",
                    filed=e.filed,
                    deadline=e.deadline,
                    indicator=e.indicator,
                    grace_days=_grace(a),
                )


def report_uncommitted(repo: Repository, history: FilingHistory, problems: Problems) -> None:
    """One warning where evidence of a year that judges filing deadlines is not committed yet (a
    repository without any commit: all of it), at the first such file.

    Such a file has no filing date, so whether it is late is not judged at all: said once, in
    `kaohe check` and by the commands that score, instead of every deadline quietly passing.
    """
    waiting: dict[str, int] = {}  # path → its year
    for a in repo.assessments.values():
        if a.filing_deadlines:
            waiting |= {e.path: a.year for e in a.evidence if e.filed is None and e.path not in history.impossible}
    if waiting:
        years = sorted(set(waiting.values()))
        problems.report(min(waiting), 1, 1, "dates.uncommitted", severity="warning", count=len(waiting), years=years)


def _grace(a: Assessment) -> int:
    return a.framework.grace_days


def load_dates(repo: Repository, root: Path, rev: str | None, problems: Problems, mode: FilingDates = "warn") -> None:
    """Attach filing dates for years with `filing_deadlines = true`, from one walk of `root`'s history at `rev`.

    Without history (no git, a shallow clone) such a year's late filing cannot be judged: `mode`
    says whether that refuses (:class:`InputError`) or warns. Years without the setting, and
    `mode` "off", cost no git call at all.
    """
    tracked = [a for a in repo.assessments.values() if a.filing_deadlines]
    if not tracked or mode == "off":
        return
    try:
        if not in_git(root):
            raise GitError("dates.not-git", root=root)
        history = filing_history(root, rev or "HEAD")
    except GitError as exc:
        years = [a.year for a in tracked]
        path = tracked[0].path
        if mode == "required":
            advice = msg("dates.no-history.refused")
            raise InputError("dates.no-history", path=path, years=years, error=exc, advice=advice) from exc
        advice = msg("dates.no-history.warned")
        problems.report(
            path, 1, 1, "dates.no-history", severity="warning", path=path, years=years, error=exc, advice=advice
        )
        return
    attach(repo, history, problems)
    report_late(repo, problems)
    report_uncommitted(repo, history, problems)
