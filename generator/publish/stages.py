"""The result lifecycle at publishing: 公示 from its tag, and no final year before its time.

``results-<year>-gongshi`` marks the commit put up for public notice (公示): `kaohe publish`
builds it as a notice version (a draft whose banner gives the notice period and how to appeal)
until the year is final. ``results-<year>`` makes the year final (审定); `kaohe publish` refuses
it, reading the year at the tagged commit, while one of its appeals is undecided or its notice
period has not ended. Dates and periods come from the year's stages.toml at that commit.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path

from ..lifecycle import notice_end, open_appeals, stage, today
from ..load import load_repository
from ..model import Assessment
from ..problems import InputError, Problems
from ..tree import GitTree
from .plan import Version, is_notice_tag
from .records import agreed, read_records


def year_at(repo: Path, commit: str, year: int) -> Assessment:
    """The year as loaded at `commit` (its problems are `kaohe check`'s business, not publishing's)."""
    loaded = load_repository(GitTree(repo, commit), Problems(), {year})
    assessment = loaded.assessments.get(year)
    if assessment is None:
        raise InputError(f"evidence/{year}/units.toml does not load at {commit[:10]}", code="publish.year-not-loaded")
    return assessment


def require_notice(repo: Path, version: Version) -> None:
    """A version from a 公示 tag needs the notice recorded at that commit: its banner gives the dates."""
    a = year_at(repo, version.commit or "", version.year)
    if stage(a, "公示") is None:
        raise InputError(
            f"{version.provenance.tag} puts {version.year} up for 公示, but evidence/{version.year}/stages.toml at "
            f'{str(version.commit)[:10]} records no 公示: add [[stage]] stage = "公示" with its date and days, '
            "commit, and move the tag",
            code="publish.notice-unrecorded",
        )


def check_stages(repo: Path, versions: list[Version], replace: Collection[int] = (), on: date | None = None) -> None:
    """Refuse to make a year final while an appeal is undecided or its 公示 has not ended (as of `on`,
    today in China by default), and a 公示 version whose commit records no notice. Years already
    published from the same commit are not asked again."""
    on = on or today()
    published = agreed(read_records(repo), replace)
    for version in versions:
        if version.provenance.draft and is_notice_tag(version.provenance.tag):
            require_notice(repo, version)
        if version.provenance.draft or version.commit is None:
            continue
        record = published.get(version.year)
        if record is not None and record.commit == version.commit and version.year not in replace:
            continue
        a = year_at(repo, version.commit, version.year)
        pending = open_appeals(a)
        if pending:
            listed = "; ".join(f"{x.id} ({x.source}, filed {x.filed})" for x in pending[:5])
            raise InputError(
                f"{version.provenance.tag}: {len(pending)} appeal(s) of {version.year} undecided at "
                f"{version.commit[:10]}: {listed}. Record each decision, commit, move the tag, and publish again",
                code="publish.open-appeal",
            )
        end = notice_end(a)
        if end is not None and on <= end:
            raise InputError(
                f"{version.provenance.tag}: the 公示 of {version.year} runs until {end} (today is {on}); "
                f"results are approved (审定) after the notice period",
                code="publish.notice-not-ended",
            )
