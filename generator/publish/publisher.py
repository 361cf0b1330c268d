"""`kaohe publish`'s core: refuse a final year whose tag moved, write the site, record what was published.

A published final year is never rebuilt unless its tag moved (then only with an explicit
`replace`), so publishing a new year leaves every file of the old ones byte-identical.
"""

from __future__ import annotations

import errno
from pathlib import Path

from ..messages import msg
from ..problems import InputError
from .plan import Version
from .records import RECORD_FILE, Record, agreed, file_records, read_records, write_records
from .site import Outcome, Progress, write_site
from .stages import check_stages


def check_records(repo: Path, versions: list[Version], replace: set[int]) -> None:
    """Refuse a final year whose tag no longer names the commit it was published from.

    The records (:mod:`.records`) travel with the repository: a fresh clone in CI knows what was
    published even though it has no site/ of its own.
    """
    recorded = agreed(read_records(repo), replace)
    for version in versions:
        record = recorded.get(version.year)
        if version.provenance.draft or record is None or version.year in replace:
            continue
        if record.commit != version.commit:
            raise InputError(
                "publish.final-moved",
                year=version.year,
                where=msg("publish.where.year", year=version.year),
                published=msg("publish.commit-tag", commit=record.commit[:10], tag=record.where),
                incoming=msg("publish.commit-tag", commit=str(version.commit)[:10], tag=version.provenance.tag or ""),
            )


def publish(
    repo: Path,
    site: Path,
    versions: list[Version],
    *,
    dry_run: bool = False,
    replace: set[int] | None = None,
    migrate: bool = False,
    progress: Progress = lambda _: None,
) -> tuple[list[Outcome], bool]:
    """Publish `versions` into `site`; the outcomes, and whether the record file changed."""
    replace = replace or set()
    check_records(repo, versions, replace)  # before anything is built
    check_stages(repo, versions, replace)
    outcomes = write_site(
        repo,
        site,
        versions,
        replace=replace,
        dry_run=dry_run,
        report_changes=True,
        migrate=migrate,
        command="kaohe publish",
        progress=progress,
    )
    if dry_run:
        return outcomes, False
    on_file = file_records(repo, with_head=True)
    records = [
        Record(o.version.year, o.version.commit or "", o.version.provenance.tag, o.version.provenance.source_url, "")
        for o in outcomes
        if not o.version.provenance.draft and (o.action == "built" or o.version.year not in on_file)
    ]
    # a final year kept as it was keeps its record; one kept without a record gets one
    kept = [on_file[o.version.year] for o in outcomes if o.action == "kept" and o.version.year in on_file]
    try:
        return outcomes, write_records(repo, [*records, *kept])
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise InputError("publish.record-disk-full", file=exc.filename or RECORD_FILE) from None
