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
from ..messages import joined, msg
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
        raise InputError("publish.year-not-loaded", year=year, commit=commit[:10])
    return assessment


def require_notice(repo: Path, version: Version) -> None:
    """A version from a 公示 tag needs the notice recorded at that commit: its banner gives the dates."""
    a = year_at(repo, version.commit or "", version.year)
    if stage(a, "公示") is None:
        raise InputError(
            "publish.notice-unrecorded", tag=version.provenance.tag, year=version.year, commit=str(version.commit)[:10]
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
            listed = [msg("publish.open-appeal.item", id=x.id, source=x.source, filed=x.filed) for x in pending[:5]]
            raise InputError(
                "publish.open-appeal",
                tag=version.provenance.tag,
                n=len(pending),
                year=version.year,
                commit=version.commit[:10],
                appeals=joined("value.sentence-separator", listed),
            )
        end = notice_end(a)
        if end is not None and on <= end:
            raise InputError(
                "publish.notice-not-ended", tag=version.provenance.tag, year=version.year, end=end, today=on
            )
