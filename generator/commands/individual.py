"""`kaohe individual …`: score, report and build a section's private individual assessment.

Run in the section's private repository (with individual.toml at its root). `--public PATH` reads
the section's grade from the public repository's results instead of trusting individual.toml.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from ..controlchars import one_line
from ..individual.privacy import is_private, settings_refused
from ..individual.report import aggregate_evidence, parse_quarter, quarter_report, report_csv, report_text
from ..individual.scoring import IndividualResults, score_individuals
from ..individual.settings import SETTINGS_FILE, IndividualSettings, load_settings
from ..individual.sheets import write_private_site
from ..messages import msg, tr
from ..model import Assessment
from ..output.table import render_table
from ..problems import InputError, Problems, did_you_mean
from ..score import score_assessment
from ..types import plain
from ..workspace import load_workspace, require_clean
from .score import parse_date


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "individual", parents=[common], help=tr("individual.help"), description=tr("individual.description")
    )
    p.add_argument("--public", metavar="PATH", help=tr("individual.public.help"))
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    score = actions.add_parser("score", help=tr("individual.score.help"))
    score.add_argument("--format", choices=["text", "json"], default="text", help=tr("individual.format.help"))
    report = actions.add_parser("report", help=tr("individual.report.help"))
    report.add_argument("--quarter", required=True, help=tr("individual.quarter.help"))
    report.add_argument("--format", choices=["text", "csv"], default="text", help=tr("individual.format.help"))
    build = actions.add_parser("build", help=tr("individual.build.help"))
    build.add_argument("-o", "--out", required=True, help=tr("individual.out.help"))
    aggregate = actions.add_parser("aggregate", help=tr("individual.aggregate.help"))
    aggregate.add_argument("--quarter", required=True, help=tr("individual.quarter.help"))
    aggregate.add_argument("--indicator", required=True, help=tr("individual.indicator.help"))
    aggregate.add_argument("--date", type=parse_date, help=tr("individual.date.help"))
    aggregate.add_argument("--metric", help=tr("individual.metric.help"))
    p.set_defaults(run=run)


def _public_assessment(public: str, year: int) -> Assessment:
    """The section's year in the public repository `--public` names (validated)."""
    ws = load_workspace(public, None, {year})
    require_clean(ws, msg("individual.public-year", year=year))
    if year not in ws.repo.assessments:
        raise InputError("individual.public-year-missing", year=year)
    return ws.repo.assessments[year]


def _section_grade(settings_grade: str | None, section: str, public: Assessment | None) -> str | None:
    """The section's grade: from the public repository's results when given, else individual.toml's."""
    if public is None:
        return settings_grade
    unit = score_assessment(public).unit(section)
    if unit is None:
        raise InputError("individual.public-unit-missing", year=public.year, unit=section)
    if settings_grade is not None and unit.grade != settings_grade:
        message = tr("individual.grade-differs", file=SETTINGS_FILE, settings=settings_grade, public=unit.grade)
        print(one_line(f"kaohe individual: {message}"), file=sys.stderr)
    return unit.grade


def require_known_indicator(indicator: str, settings: IndividualSettings, public: Assessment | None) -> None:
    """Refuse an aggregate for an indicator the section's public framework does not have, before
    anything is written: the file would otherwise go into a pull request and fail `kaohe check` there.
    The public repository (`--public`) knows every indicator; without it, the private repository
    knows only the section indicators individual.toml's decomposition names."""
    if public is not None:
        known = {i.id for i in public.framework.indicators()}
        if indicator not in known:
            suggestion = did_you_mean(indicator, known)
            framework = public.framework.id
            raise InputError(
                "individual.aggregate.unknown-indicator",
                indicator=indicator,
                framework=framework,
                suggestion=suggestion,
            )
        return
    listed = {s for d in settings.decomposition for s in d.section_indicators}
    if indicator not in listed:
        suggestion = did_you_mean(indicator, listed) or msg("individual.aggregate.none-listed")
        raise InputError(
            "individual.aggregate.unlisted-indicator", indicator=indicator, file=SETTINGS_FILE, suggestion=suggestion
        )


def load(args: argparse.Namespace) -> tuple[Path, IndividualResults]:
    ws = load_workspace(args.repo)
    if not is_private(ws.tree) and not settings_refused(ws.tree):  # a link: refused below, with the errors
        raise InputError("individual.not-private", root=ws.root, file=SETTINGS_FILE)
    require_clean(ws, msg("individual.what"))
    loaded = load_settings(ws.tree, Problems())
    assert loaded is not None  # require_clean reported any problem with it
    settings = loaded[0]
    public = _public_assessment(args.public, settings.year) if args.public is not None else None
    if args.action == "aggregate":
        require_known_indicator(args.indicator, settings, public)
    grade = _section_grade(settings.section_grade, settings.section, public)
    return ws.root, score_individuals(ws.repo.assessments[settings.year], settings, grade)


def run(args: argparse.Namespace) -> int:
    root, results = load(args)
    if args.action == "score":
        sys.stdout.write(_score_json(results) if args.format == "json" else _score_text(results))
    elif args.action == "report":
        year, quarter = parse_quarter(args.quarter)
        r = quarter_report(results, year, quarter)
        if args.format == "csv":  # bytes: the byte-order mark and CRLF as they are, whatever the console's code page
            sys.stdout.flush()
            sys.stdout.buffer.write(report_csv(r).encode("utf-8"))
        else:
            sys.stdout.write(report_text(r))
    elif args.action == "build":
        written = write_private_site(results, Path(args.out), root)
        wrote = tr("individual.wrote", n=len(written), out=one_line(str(Path(args.out).resolve())))
        print(f"kaohe individual: {wrote}", file=sys.stderr)
    else:
        year, quarter = parse_quarter(args.quarter)
        r = quarter_report(results, year, quarter)
        sys.stdout.write(aggregate_evidence(r, args.indicator, args.date or date.today(), args.metric))
    return 0


def _score_text(results: IndividualResults) -> str:
    s = results.settings
    none = tr("value.none")
    head = [tr("individual.score.title", section=s.section_name, year=s.year, grade=results.section_grade or none)]
    if results.quota is not None:
        head.append(tr("individual.score.quota", grade=results.quota.grade, formula=results.quota.formula))
    months = [tr("individual.col.month", month=m) for m in s.months]
    rows = [[tr(f"individual.col.{c}") for c in ("rank", "name")] + months]
    rows[0] += [tr(f"individual.col.{c}") for c in ("yearly", "annual", "grade")]
    for p in results.persons:
        months = [plain(p.months[m].total) if m in p.months else "—" for m in s.months]
        yearly = plain(p.yearly.total) if p.yearly is not None else "—"
        rank = f"{p.rank}=" if p.tied else str(p.rank)
        rows.append([rank, p.name, *months, yearly, plain(p.annual), p.grade or "—"])
    numbers = set(range(len(rows[0]))) - {1, len(rows[0]) - 1}
    return "\n".join(one_line(line) for line in head) + "\n\n" + render_table(rows, numbers)


def _score_json(results: IndividualResults) -> str:
    s = results.settings
    data = {
        "section": s.section,
        "year": s.year,
        "section_grade": results.section_grade,
        "quota": None
        if results.quota is None
        else {"grade": results.quota.grade, "limit": results.quota.limit, "formula": results.quota.formula},
        "persons": [
            {
                "id": p.id,
                "name": p.name,
                "post": p.post,
                "months": {str(m): plain(u.total) for m, u in p.months.items()},
                "yearly": plain(p.yearly.total) if p.yearly is not None else None,
                "annual": plain(p.annual),
                "rank": p.rank,
                "tied": p.tied,
                "grade": p.grade,
                "grade_notes": [{"kind": n.kind, "text": n.text} for n in p.grade_notes],
            }
            for p in results.persons
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
