"""`kaohe new evidence`: write a correctly named evidence file with complete front matter.

Options give every field; whatever is missing is asked for with numbered menus taken from the
framework when stdin is a terminal, and is otherwise an error naming the option to add, so that
scripts never hang on a prompt.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..controlchars import Lines
from ..messages import Message, joined, msg, tr
from ..model import MAX_COUNT, Assessment, Indicator
from ..problems import InputError, Problem, did_you_mean
from ..scaffold import file_name, render, requirements
from ..tree import OverlayTree
from ..workspace import Workspace, load_tree, load_workspace
from .score import parse_date


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("new", parents=[common], help=tr("new.help"), description=tr("new.description"))
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    e = kinds.add_parser(
        "evidence", parents=[common], help=tr("new.evidence.help"), description=tr("new.evidence.description")
    )
    e.add_argument("--unit", help=tr("new.unit.help"))
    e.add_argument("--indicator", help=tr("new.indicator.help"))
    e.add_argument("--date", type=parse_date, help=tr("new.date.help"))
    e.add_argument("--satisfies", action="append", help=tr("new.satisfies.help"))
    e.add_argument("--count", type=parse_count, help=tr("new.count.help"))
    e.add_argument("--metric", action="append", metavar="KEY=VALUE", help=tr("new.metric.help"))
    e.add_argument("--title", help=tr("new.title.help"))
    e.add_argument("--year", type=int, help=tr("new.year.help"))
    e.set_defaults(run=run)


def _ask(prompt: str) -> str:
    """Prompt on stderr (stdout carries only the new file's path), read a line from stdin."""
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        return input()
    except EOFError:
        raise InputError("new.input-ended") from None


class Asker:
    """Numbered-menu prompts on a terminal; an error naming the option anywhere else."""

    def __init__(self, interactive: bool, ask: Callable[[str], str] | None = None) -> None:
        self.interactive = interactive
        self.ask = ask or _ask

    def need(self, option: str, what: str | Message) -> None:
        if not self.interactive:
            raise InputError("new.missing-option", option=option, what=what)

    def choose(self, option: str, what: str, choices: list[tuple[str, str]], many: bool = False) -> list[str]:
        keys = [k for k, _ in choices]
        self.need(option, msg("new.what-choices", what=what, choices=keys))
        print(tr("new.menu", what=what), file=sys.stderr)
        for n, (key, label) in enumerate(choices, start=1):
            print(f"  {n:>2}) {key}  {label}".rstrip(), file=sys.stderr)
        prompt = tr("new.prompt.many") if many else tr("new.prompt.one")
        while True:
            answer = self.ask(prompt).strip()
            picked = [a.strip() for a in answer.replace("，", ",").split(",") if a.strip()]
            chosen = [keys[int(a) - 1] if a.isdigit() and 1 <= int(a) <= len(keys) else a for a in picked]
            if chosen and all(c in keys for c in chosen) and (many or len(chosen) == 1):
                return list(dict.fromkeys(chosen))
            again = "new.again.many" if many else "new.again.one"
            print("  " + tr(again, last=len(choices)), file=sys.stderr)

    def text(self, option: str, what: str, default: str = "") -> str:
        self.need(option, what)
        prompt = tr("new.prompt.default", what=what, default=default) if default else tr("new.prompt.text", what=what)
        return self.ask(prompt).strip() or default


def _pick_year(args: argparse.Namespace, years: list[int], asker: Asker) -> int:
    """--year, else the year of --date, else the only year, else this year if it is assessed; else asked."""
    if args.year:
        return int(args.year)
    if args.date:
        return args.date.year
    if not years:
        raise InputError("build.no-year", root=args.repo or ".")
    if len(years) == 1:
        return years[0]
    if date.today().year in years:
        return date.today().year
    newest_first = sorted(years, reverse=True)
    return int(asker.choose("--year", tr("new.what.year"), [(str(y), "") for y in newest_first])[0])


def _pick_date(year: int, asker: Asker) -> date:
    """Today when it is in the year and nobody is asked; else asked on the terminal until the answer
    is a day of the year (a typo after choosing unit and indicator does not lose those answers)."""
    today = date.today()
    default = today if today.year == year else None
    if default is not None and not asker.interactive:
        return default
    while True:
        answer = asker.text("--date", tr("new.what.date", year=year), default.isoformat() if default else "")
        try:
            day = _typed_date(answer)
        except ValueError:
            problem = tr("new.not-a-date", value=answer, year=year)
        else:
            if day.year == year:
                return day
            problem = tr("new.date-outside-year.typed", date=day, year=year)
        print("  " + problem, file=sys.stderr)


def _pick_count(given: int | None, counted: list[tuple[str, int, str]], asker: Asker) -> int:
    """--count, else, where the file satisfies a counted requirement (不少于10篇), how many it records,
    asked on a terminal in the requirement's measure word until the answer is a whole number of 1 or
    more (Enter: 1); 1 when nobody is asked (a script) or the file counts nothing. One file may well
    record three articles: writing 1 unasked made the clerk's total short without a word."""
    if given is not None:
        if given < 1:
            raise InputError("new.count-too-small")
        return given
    if not counted or not asker.interactive:
        return 1
    measure = counted[0][2]  # the file's one `count` is in the first counted requirement's 量词
    names = tr("value.list-separator").join(name for name, _, _ in counted)
    while True:
        answer = asker.text("--count", tr("new.what.count", names=names, measure=measure), "1")
        count = _typed_count(answer)
        if count is not None:
            return count
        print("  " + tr("new.not-a-count", value=answer, measure=measure, most=MAX_COUNT), file=sys.stderr)


def count_digits(text: str) -> str | None:
    """The digits of a count as a clerk types it, in ASCII: 0-9, or full width (３, as a Chinese input
    method types it), which NFKC makes ASCII, spaces around them left out; None for anything else (a
    sign, 1_000, or another script's digits such as ١٢). The --count option and the question both read
    a count through this, so that what one accepts the other does: int() took ١٢ and 1_000 on the
    command line while the question refused them."""
    digits = unicodedata.normalize("NFKC", text).strip()  # the question strips its answer
    return digits if digits.isascii() and digits.isdigit() else None


def parse_count(text: str) -> int:
    """--count: digits as :func:`count_digits` reads them. A number longer than MAX_COUNT is refused
    here (int() refuses one of thousands of digits); 0 later with its own message (new.count-too-small),
    and one of as many digits but over MAX_COUNT by `kaohe check`, as for a file written by hand."""
    digits = count_digits(text)
    if digits is None:
        raise argparse.ArgumentTypeError(tr("new.count.not-a-number", value=text))
    if len(digits.lstrip("0")) > len(str(MAX_COUNT)):
        raise argparse.ArgumentTypeError(tr("model.too-large", key="--count", limit=MAX_COUNT))
    return int(digits)


def _typed_count(answer: str) -> int | None:
    """A whole number from 1 to MAX_COUNT as typed (digits as :func:`count_digits` reads them), else
    None. The length is checked first: int() refuses a pasted number of thousands of digits."""
    digits = count_digits(answer)
    if digits is None or len(digits.lstrip("0")) > len(str(MAX_COUNT)):
        return None
    count = int(digits)
    return count if 1 <= count <= MAX_COUNT else None


#: 2024年3月5日 (年 月 日, or 号 for 日), written with escapes: a date's pattern, not wording to translate.
_CHINESE_DATE = re.compile(r"\s*(\d{4})\s*\u5e74\s*(\d{1,2})\s*\u6708\s*(\d{1,2})\s*[\u65e5\u53f7]?\s*")


def _typed_date(answer: str) -> date:
    """A date as a clerk types it at the prompt: 2024-03-05, or as Chinese documents write it,
    2024年3月5日 (full-width digits too). ValueError for anything else."""
    match = _CHINESE_DATE.fullmatch(unicodedata.normalize("NFKC", answer))
    if match:
        return date(*(int(g) for g in match.groups()))
    return date.fromisoformat(answer)


def _metrics(pairs: list[str] | None, ind: Indicator) -> dict[str, Decimal]:
    known = requirements(ind).metrics
    out: dict[str, Decimal] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise InputError("new.metric-syntax", pair=pair)
        if key not in known:
            suggestion = did_you_mean(key, known) or _instead(ind, "--metric")
            raise InputError("new.unknown-metric", indicator=ind.id, key=key, suggestion=suggestion)
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            raise InputError("new.metric-not-a-number", key=key, value=value)
        out[key] = number
    return out


def _worded(ind: Indicator, tables: dict[str, str], short: bool = False) -> str:
    """An indicator as the clerk finds it in the document: its table and 序号, then its wording
    (党风廉政建设工作第9项 在县(市)以上…), not the table's key (dangfeng 9); `short`: the table and
    序号 alone, where the row has one."""
    if not str(ind.seq).strip():
        key = "review.indicator.no-seq"
    else:
        key = "new.indicator.short" if short else "review.indicator"  # the wording `kaohe review` gives a row
    return tr(key, category=tables.get(ind.category, ind.category), seq=ind.seq, title=ind.name)


def _listed(values: list[str], known: set[str]) -> list[str]:
    """--satisfies as given, a value that is no requirement's key or name split at commas (half- or
    full-width) as the menu's answer is: a clerk who answered "1,3" there writes
    `--satisfies news,qzxf` here and means both. A name holding a comma (完善的财务管理制度,会计…)
    stays whole."""
    out: list[str] = []
    for value in values:
        whole = value.strip()
        parts = [whole] if whole in known else whole.replace("，", ",").split(",")
        out += [p.strip() for p in parts if p.strip()]
    return out


def _instead(ind: Indicator, given: str) -> Message:
    """What to write instead of `given` (--satisfies or --metric) for an indicator that takes none of
    it: the option its rules do take. A threshold indicator (结案率达不到90%…) is scored from a figure,
    so a clerk who tried --satisfies is told to give --metric, with the figure's key; a checklist's
    clerk who tried --metric is told to name the requirement with --satisfies."""
    req = requirements(ind)
    if given != "--metric" and req.metrics:
        key = next(iter(req.metrics))
        return msg("new.use-metric", keys=sorted(req.metrics), key=key)
    if given != "--satisfies" and req.items:
        return msg("new.use-satisfies", keys=sorted(req.items))
    if given == "--satisfies" and req.items:  # a requirement neither its key nor its name: list both
        pairs = [tr("new.requirement", key=key, name=name) for key, name in req.items.items()]
        return msg("new.requirements", choices=joined("value.list-separator", pairs))
    return msg("new.no-requirements" if given == "--satisfies" else "new.no-metrics")


def run(args: argparse.Namespace) -> int:
    asker = Asker(sys.stdin.isatty())
    ws = load_workspace(args.repo)
    year = _pick_year(args, sorted(ws.repo.assessments), asker)
    a: Assessment | None = ws.repo.assessments.get(year)
    if a is None:
        raise InputError("new.no-assessment", year=year)
    units = {u.id: u for u in a.units}
    unit_id = args.unit or asker.choose("--unit", tr("new.what.unit"), [(u.id, u.name) for u in a.units])[0]
    if unit_id not in units:
        raise InputError("new.unknown-unit", unit=unit_id, year=year, suggestion=did_you_mean(unit_id, units))
    unit = units[unit_id]
    applicable = [
        i for i in a.framework.indicators() if i.applies_to is None or i.applies_to.includes(unit.id, unit.series)
    ]
    indicators = {i.id: i for i in applicable}
    tables = {c.id: c.title for c in a.framework.categories}
    ind_id = (
        args.indicator
        or asker.choose("--indicator", tr("new.what.indicator"), [(i.id, _worded(i, tables)) for i in applicable])[0]
    )
    if ind_id not in indicators:
        every = {i.id for i in a.framework.indicators()}
        why = msg("new.not-applicable", unit=unit_id) if ind_id in every else did_you_mean(ind_id, indicators)
        raise InputError("new.unknown-indicator", indicator=ind_id, unit=unit_id, why=why)
    ind = indicators[ind_id]
    day = args.date or _pick_date(year, asker)
    if day.year != year:
        raise InputError("new.date-outside-year", date=day, year=year)
    req = requirements(ind)
    metrics = _metrics(args.metric, ind)
    satisfies = list(dict.fromkeys(_listed(args.satisfies or [], {*req.items, *req.items.values()})))
    if not satisfies and req.items and not metrics:
        what = tr("new.what.satisfies", indicator=_worded(ind, tables, short=True))
        satisfies = asker.choose("--satisfies", what, list(req.items.items()), many=True)
    by_name = {name: key for key, name in req.items.items()}
    satisfies = list(dict.fromkeys(by_name.get(given, given) for given in satisfies))  # 半年总结 as well as its key
    for key in satisfies:
        if key not in req.items:
            close = did_you_mean(key, [*req.items, *by_name])
            suggestion = close if getattr(close, "id", "") == "hint.did-you-mean" else _instead(ind, "--satisfies")
            raise InputError("new.unknown-requirement", indicator=ind.id, key=key, suggestion=suggestion)
    count = _pick_count(args.count, [req.counted[k] for k in satisfies if k in req.counted], asker)
    default_title = tr("value.list-separator").join(req.items[k] for k in satisfies) or ind.name
    title = (
        args.title
        if args.title is not None
        else (asker.text("--title", tr("new.what.title"), default_title) if asker.interactive else default_title)
    )
    folder = ws.root / "evidence" / str(year) / unit_id
    path = _free(folder / file_name(ind, day, title, satisfies))
    text = render(ind, unit_id, day, title, satisfies, count, metrics, where=_worded(ind, tables, short=True))
    refused = would_fail(ws, year, path.relative_to(ws.root).as_posix(), text)
    if refused:
        raise InputError("new.would-fail", problems=Lines("\n".join(p.format() for p in refused)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:  # "x": never overwrite, even in a race
        fh.write(text)
    print(path.relative_to(ws.root).as_posix())
    print(f"kaohe new: {tr('new.wrote')}", file=sys.stderr)
    return 0


def would_fail(ws: Workspace, year: int, path: str, text: str) -> list[Problem]:
    """The errors `kaohe check` would report in a file at `path` holding `text`, found before it is written.

    The year is loaded again with the file laid over the working tree, so every check that `check`
    makes (front matter, model, references, the year, the folders on the way) decides, not a copy of them.
    """
    checked = load_tree(ws.root, OverlayTree(ws.tree, {path: text.encode("utf-8")}), {year})
    # a folder on the way refused (a symbolic link: the file would be written where it points, and
    # never read) refuses the file too
    return [p for p in checked.problems.errors if p.path == path or path.startswith(p.path + "/")]


def _free(path: Path) -> Path:
    """`path`, or the first `…-2.md`, `…-3.md` that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
