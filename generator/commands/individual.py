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
from ..individual.privacy import is_private
from ..individual.report import aggregate_evidence, parse_quarter, quarter_report, report_csv, report_text
from ..individual.scoring import IndividualResults, score_individuals
from ..individual.settings import SETTINGS_FILE, load_settings
from ..individual.sheets import write_private_site
from ..output.table import render_table
from ..problems import InputError, Problems
from ..score import score_assessment
from ..types import plain
from ..workspace import load_workspace, require_clean
from .score import parse_date


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "individual",
        parents=[common],
        help="a section's private individual assessment: score, quarterly report, private sheets",
        description="Run in the section's private repository (individual.toml). Results are personnel "
        "information: they go to the terminal, the private sheets' folder or the 绩效办's report only.",
    )
    p.add_argument("--public", metavar="PATH", help="the public repository, to read the section's grade from")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    score = actions.add_parser("score", help="each person's monthly, yearly and annual scores and grade")
    score.add_argument("--format", choices=["text", "json"], default="text")
    report = actions.add_parser("report", help="the quarterly report to the 绩效办 (names and scores)")
    report.add_argument("--quarter", required=True, help="e.g. 2014-Q4")
    report.add_argument("--format", choices=["text", "csv"], default="text")
    build = actions.add_parser("build", help="the private sheets, one per person, and the reports, as HTML")
    build.add_argument("-o", "--out", required=True, help="the folder to write (outside the public site)")
    aggregate = actions.add_parser(
        "aggregate", help="an evidence file for the public repository: the section's figures, no person's"
    )
    aggregate.add_argument("--quarter", required=True, help="e.g. 2014-Q4")
    aggregate.add_argument("--indicator", required=True, help="the section's indicator it is evidence for, e.g. gl-05")
    aggregate.add_argument("--date", type=parse_date, help="the day the report was made (default: today)")
    aggregate.add_argument("--metric", help="report the completion rate (percent) under this metric key")
    p.set_defaults(run=run)


def _section_grade(settings_grade: str | None, section: str, year: int, public: str | None) -> str | None:
    """The section's grade: from the public repository's results when given, else individual.toml's."""
    if public is None:
        return settings_grade
    ws = load_workspace(public, None, {year})
    require_clean(ws, f"the public repository's {year}")
    if year not in ws.repo.assessments:
        raise InputError(f"the public repository has no assessment for {year}", code="individual.public-year-missing")
    unit = score_assessment(ws.repo.assessments[year]).unit(section)
    if unit is None:
        raise InputError(
            f"the public repository's {year} has no unit '{section}'", code="individual.public-unit-missing"
        )
    if settings_grade is not None and unit.grade != settings_grade:
        print(
            one_line(
                f"kaohe individual: {SETTINGS_FILE} says section_grade {settings_grade}, the public results "
                f"say {unit.grade}; using the public results"
            ),
            file=sys.stderr,
        )
    return unit.grade


def load(args: argparse.Namespace) -> tuple[Path, IndividualResults]:
    ws = load_workspace(args.repo)
    if not is_private(ws.tree):
        raise InputError(
            f"{ws.root} has no {SETTINGS_FILE}: run `kaohe individual` in a section's private repository",
            code="individual.not-private",
        )
    require_clean(ws, "the individual assessment")
    loaded = load_settings(ws.tree, Problems())
    assert loaded is not None  # require_clean reported any problem with it
    settings = loaded[0]
    grade = _section_grade(settings.section_grade, settings.section, settings.year, args.public)
    return ws.root, score_individuals(ws.repo.assessments[settings.year], settings, grade)


def run(args: argparse.Namespace) -> int:
    root, results = load(args)
    if args.action == "score":
        sys.stdout.write(_score_json(results) if args.format == "json" else _score_text(results))
    elif args.action == "report":
        year, quarter = parse_quarter(args.quarter)
        r = quarter_report(results, year, quarter)
        sys.stdout.write(report_csv(r) if args.format == "csv" else report_text(r))
    elif args.action == "build":
        written = write_private_site(results, Path(args.out), root)
        print(f"kaohe individual: {len(written)} files into {one_line(str(Path(args.out).resolve()))}", file=sys.stderr)
    else:
        year, quarter = parse_quarter(args.quarter)
        r = quarter_report(results, year, quarter)
        sys.stdout.write(aggregate_evidence(r, args.indicator, args.date or date.today(), args.metric))
    return 0


def _score_text(results: IndividualResults) -> str:
    s = results.settings
    head = [f"{s.section_name}{s.year}年度个人考核（科室等次：{results.section_grade or '—'}）"]
    if results.quota is not None:
        head.append(f"{results.quota.grade}名额：{results.quota.formula}")
    rows = [["排名", "姓名", *[f"{m}月" for m in s.months], "年度考核", "年度得分", "等次"]]
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
