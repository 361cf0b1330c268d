"""`kaohe new evidence`: write a correctly named evidence file with complete front matter.

Options give every field; whatever is missing is asked for with numbered menus taken from the
framework when stdin is a terminal, and is otherwise an error naming the option to add, so that
scripts never hang on a prompt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..model import Assessment, Indicator
from ..problems import InputError, Problem, did_you_mean
from ..scaffold import file_name, render, requirements
from ..tree import OverlayTree
from ..workspace import Workspace, load_tree, load_workspace
from .score import parse_date


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "new",
        parents=[common],
        help="start a new evidence file from the framework",
        description="Write a new file that passes `kaohe check` as it is.",
    )
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    e = kinds.add_parser(
        "evidence",
        parents=[common],
        help="an evidence file (台账, 记录, 报告)",
        description="Write evidence/<year>/<unit>/<indicator>-<date>-<slug>.md. Missing "
        "options are asked for when run in a terminal.",
    )
    e.add_argument("--unit", help="unit id, e.g. xingren")
    e.add_argument("--indicator", help="indicator id, e.g. df-01")
    e.add_argument("--date", type=parse_date, help="date of the record, YYYY-MM-DD (default: today, if in the year)")
    e.add_argument("--satisfies", action="append", help="requirement key it satisfies (repeatable)")
    e.add_argument("--count", type=int, default=1, help="occurrences this file records, for counted requirements")
    e.add_argument("--metric", action="append", metavar="KEY=VALUE", help="a reported figure, e.g. closure_rate=92.5")
    e.add_argument("--title", help="title of the record (Chinese is fine)")
    e.add_argument("--year", type=int, help="assessment year (default: the year of --date, else the latest)")
    e.set_defaults(run=run)


def _ask(prompt: str) -> str:
    """Prompt on stderr (stdout carries only the new file's path), read a line from stdin."""
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        return input()
    except EOFError:
        raise InputError("input ended before every field was given") from None


class Asker:
    """Numbered-menu prompts on a terminal; an error naming the option anywhere else."""

    def __init__(self, interactive: bool, ask: Callable[[str], str] | None = None) -> None:
        self.interactive = interactive
        self.ask = ask or _ask

    def need(self, option: str, what: str) -> None:
        if not self.interactive:
            raise InputError(f"missing {option}: {what} (or run it in a terminal to be asked)")

    def choose(self, option: str, what: str, choices: list[tuple[str, str]], many: bool = False) -> list[str]:
        self.need(option, what + ": " + ", ".join(k for k, _ in choices))
        print(f"{what}:", file=sys.stderr)
        for n, (key, label) in enumerate(choices, start=1):
            print(f"  {n:>2}) {key}  {label}", file=sys.stderr)
        prompt = "number(s) or id(s), e.g. 1,3: " if many else "number or id: "
        keys = [k for k, _ in choices]
        while True:
            answer = self.ask(prompt).strip()
            picked = [a.strip() for a in answer.replace("，", ",").split(",") if a.strip()]
            chosen = [keys[int(a) - 1] if a.isdigit() and 1 <= int(a) <= len(keys) else a for a in picked]
            if chosen and all(c in keys for c in chosen) and (many or len(chosen) == 1):
                return list(dict.fromkeys(chosen))
            print(
                f"  please answer with {'numbers' if many else 'a number'} from 1 to {len(choices)} "
                f"(or {'ids' if many else 'an id'})",
                file=sys.stderr,
            )

    def text(self, option: str, what: str, default: str = "") -> str:
        self.need(option, what)
        answer = self.ask(f"{what}{f' [{default}]' if default else ''}: ").strip()
        return answer or default


def _pick_year(args: argparse.Namespace, years: list[int]) -> int:
    if args.year:
        return int(args.year)
    if args.date:
        return args.date.year
    if not years:
        raise InputError("no assessment year: expected evidence/<year>/units.toml")
    return max(years)


def _metrics(pairs: list[str] | None, ind: Indicator) -> dict[str, Decimal]:
    known = requirements(ind).metrics
    out: dict[str, Decimal] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise InputError(f"--metric '{pair}': write KEY=VALUE, e.g. closure_rate=92.5")
        if key not in known:
            raise InputError(
                f"--metric: indicator '{ind.id}' has no metric '{key}': "
                + (did_you_mean(key, known) or "it uses no metrics")
            )
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise InputError(f"--metric {key}: '{value}' is not a number; write e.g. {key}=92.5")
        out[key] = number
    return out


def run(args: argparse.Namespace) -> int:
    asker = Asker(sys.stdin.isatty())
    ws = load_workspace(args.repo)
    year = _pick_year(args, sorted(ws.repo.assessments))
    a: Assessment | None = ws.repo.assessments.get(year)
    if a is None:
        raise InputError(f"no assessment for {year}: expected evidence/{year}/units.toml")
    units = {u.id: u for u in a.units}
    unit_id = args.unit or asker.choose("--unit", "unit", [(u.id, u.name) for u in a.units])[0]
    if unit_id not in units:
        raise InputError(f"--unit: '{unit_id}' is not a unit of {year}: {did_you_mean(unit_id, units)}")
    unit = units[unit_id]
    applicable = [
        i for i in a.framework.indicators() if i.applies_to is None or i.applies_to.includes(unit.id, unit.series)
    ]
    indicators = {i.id: i for i in applicable}
    ind_id = (
        args.indicator
        or asker.choose("--indicator", "indicator", [(i.id, f"{i.category} {i.seq} {i.name}") for i in applicable])[0]
    )
    if ind_id not in indicators:
        every = {i.id for i in a.framework.indicators()}
        why = f"it does not apply to unit '{unit_id}'" if ind_id in every else did_you_mean(ind_id, indicators)
        raise InputError(f"--indicator: '{ind_id}' cannot take evidence from {unit_id}: {why}")
    ind = indicators[ind_id]
    day = args.date
    if day is None:
        today = date.today()
        default = today if today.year == year else None
        if default is not None and not asker.interactive:
            day = default
        else:
            answer = asker.text(
                "--date", f"date of the record in {year} (YYYY-MM-DD)", default.isoformat() if default else ""
            )
            try:
                day = date.fromisoformat(answer)
            except ValueError:
                raise InputError(f"'{answer}' is not a date; write YYYY-MM-DD, e.g. {year}-06-30") from None
    if day.year != year:
        raise InputError(f"--date {day} is outside the assessment year {year}")
    req = requirements(ind)
    metrics = _metrics(args.metric, ind)
    satisfies = list(dict.fromkeys(args.satisfies or []))
    if not satisfies and req.items and not metrics:
        satisfies = asker.choose(
            "--satisfies", f"requirement of {ind.id} this file satisfies", list(req.items.items()), many=True
        )
    for key in satisfies:
        if key not in req.items:
            raise InputError(
                f"--satisfies: indicator '{ind.id}' has no requirement '{key}': "
                + (did_you_mean(key, req.items) or "it lists no requirements")
            )
    if args.count < 1:
        raise InputError("--count must be 1 or more")
    default_title = "、".join(req.items[k] for k in satisfies) or ind.name
    title = (
        args.title
        if args.title is not None
        else (asker.text("--title", "title", default_title) if asker.interactive else default_title)
    )
    folder = ws.root / "evidence" / str(year) / unit_id
    path = _free(folder / file_name(ind, day, title, satisfies))
    text = render(ind, unit_id, day, title, satisfies, args.count, metrics)
    refused = would_fail(ws, year, path.relative_to(ws.root).as_posix(), text)
    if refused:
        raise InputError(
            "the new file would not pass `kaohe check`, so it was not written:\n"
            + "\n".join(p.format() for p in refused),
            code="new.would-fail",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(text)
    print(path.relative_to(ws.root).as_posix())
    print("kaohe new: wrote the file; fill in its content, then run `kaohe check` and commit it", file=sys.stderr)
    return 0


def would_fail(ws: Workspace, year: int, path: str, text: str) -> list[Problem]:
    """The errors `kaohe check` would report in a file at `path` holding `text`, found before it is written.

    The year is loaded again with the file laid over the working tree, so every check that `check`
    makes (front matter, model, references, the year) decides, not a copy of them.
    """
    checked = load_tree(ws.root, OverlayTree(ws.tree, {path: text.encode("utf-8")}), {year})
    return [p for p in checked.problems.errors if p.path == path]


def _free(path: Path) -> Path:
    """`path`, or the first `…-2.md`, `…-3.md` that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
