"""The year a build loaded and scored, kept in the cache folder for the next build of that year.

Loading, validating and scoring a year reads and checks every file: at 30,000 evidence files that
was most of a build after a one-file edit, although the page cache then rendered one page. So
`kaohe build` keeps the loaded year (with the earlier year it is compared with) in the cache
folder (``years/``), beside every answer the loading got from the working tree
(:mod:`generator.treeanswers`: the file lists, paths outside them, each file's stat data and
content digest). The next build of the same year, with the same kaohe, options and language:

- takes the kept year as it is when no answer changed;
- when only the bodies of some of the year's evidence files changed (their front matter, first
  heading and links as they were), reads those files again and keeps the year as it is but for
  what it knows of those bodies (their digest, heading and 公文页): nothing scored or checked
  across files reads a body. That knowledge is written beside the kept year (its "overlay")
  instead of pickling the year again;
- when the content of some of the year's evidence files changed otherwise, reads those files
  again, checks the year across files again (:func:`generator.validate.validate_assessment`) and
  scores again only the units whose files changed, as ``kaohe serve`` does after an edit;
- loads the year from the files in every other case: a file added, deleted or renamed, a
  framework, units.toml or findings file changed, a kept year that had warnings or period results,
  a year that judges filing deadlines (after an edit), or an edited file with any problem (so that
  the problems are reported as a full load reports them).

The kept year holds exactly what loading the files gives: ``tests/test_kept_year.py`` compares it
with a fresh load, and the incremental-build tests compare the site with a clean build.

A kept year is Python objects (``pickle``), and whoever can write into the cache folder chooses
what is in it. So it is read with only the classes kaohe's models define and four standard types
allowed (the ``pickle`` documentation's "restricting globals": a planted file never runs code);
it is taken only when every evidence file it holds is one its answers read and vouch for; and
none is read or written in a cache folder git tracks files in (a pull request can commit a
``.kaohe-cache/``; :func:`generator.cachedir.tracked`). Otherwise an entry is trusted like the
repository (docs/performance.md).
"""

from __future__ import annotations

import contextlib
import copy
import copyreg
import dataclasses
import io
import json
import pickle
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..apart import run_apart
from ..cachedir import claim, code_digest, read_file, tracked
from ..gcpause import gc_paused
from ..individual.privacy import refuse_public_site
from ..load import bodies
from ..load.evidence import load_evidence
from ..messages import language
from ..model import Assessment, Evidence
from ..problems import Problems
from ..score import score_assessment
from ..tree import FsTree, Tree, find_root
from ..treeanswers import (
    Changed,
    Recorder,
    changed_reads,
    china_day,
    current_stats,
    digest,
    future_commit,
    history_state,
    libraries,
    prune,
    read_entry,
    replace_file,
    same_answers,
    table_of,
    vouch,
    write_entry,
)
from ..validate import validate_assessment
from ..yearcompare import previous_year
from .yearkey import EVIDENCE_FIELDS, year_digest
from .years import LoadedYear
from .years import load_year as load_from_files

#: The layout of an entry; another layout is a miss.
FORMAT = 2
FOLDER = "years"
#: Entries kept (years, option sets, kaohe versions); the least recently written are deleted.
KEEP = 4
MAGIC = b"kaohe-kept-year"
#: Bodies an overlay holds before they are pickled with the year (~100 bytes each, in the entry's
#: head that every build reads and writes).
OVERLAY_MAX = 1000

Kept = tuple[LoadedYear, Assessment | None]


@dataclass(frozen=True)
class Lineage:
    """The kept year a build started from and the one it left (digests of their pickles and
    overlays; None: none), and the evidence files read again in between. Every page of the build
    that left `before` is made from the same year as this build's, but for those files' own pages
    (the page cache uses it: :func:`generator.render.engine.build`). `content` is the year's digest
    without bodies (:func:`generator.render.yearkey.year_digest` of the year and the one it is
    compared with) when the entry knows it: the site's year key is made from it
    (:attr:`generator.render.pages.Site.year_key`) instead of walking the year again."""

    before: str | None
    after: str | None
    changed: frozenset[str] = frozenset()
    content: str | None = None


def load(
    cache: Path | None,
    start: str,
    year: int | None,
    filing_dates: bool,
    history: tuple[Path, str] | None,
    lang: str,
    apart: bool = False,
) -> tuple[Kept, Lineage]:
    """The year `year` of the repository at or above `start`, scored, and the earlier year it is
    compared with: kept from the last build when its inputs allow (see the module), else loaded;
    and where it came from. With `apart` (``kaohe serve``, which needs no lineage) a year loaded
    from the files is kept by a forked child while this process goes on (:mod:`generator.apart`)."""
    if cache is None or year is None or history is not None:  # a copy outside git is a new folder each time
        return _from_files(start, year, filing_dates, history, lang, None), Lineage(None, None)
    root = find_root(Path(start))
    path = cache / FOLDER / f"{_name(root, year, filing_dates, lang)}.json"
    started = time.time_ns()  # before any stat data is taken (the racy rule of generator.treeanswers)
    trusted = not tracked(root, cache)
    entry = _read(path) if trusted else None
    if entry is not None:
        head, reads, pickled = entry
        with contextlib.suppress(Changed, *_MISSHAPEN):
            before = _identity(head["year"], head["overlay"])
            found = _again(head, reads, pickled, FsTree(root), root, year, lang)
            if found is not None:
                kept, changed, refreshed, overlay = found
                after, data = before, pickled
                if overlay is None:  # scored again: pickled again, with what it now knows of bodies
                    head = {**head, "overlay": {}, "content": _content(kept)}
                    data = _pickled(kept)
                elif len(overlay) > OVERLAY_MAX:  # folded into the pickle: the entry's head stays small
                    head = {**head, "overlay": {}}
                    data = _pickled(kept)
                elif overlay != head["overlay"]:
                    head = {**head, "overlay": overlay}
                if changed or refreshed:  # new content or new stat data: the next build compares against them
                    after = _write(cache, path, head, reads, data, started)
                return kept, Lineage(before, after, frozenset(changed), head["content"] if after else None)
    # what the year is judged against besides the files, taken before they are read: a commit made,
    # or midnight passed, while the year loads is then never paired with what was read before it
    moment = _Moment(history_state(root, "HEAD") if filing_dates and trusted else None, china_day(), started)
    recorder = Recorder(FsTree(root))
    kept = _from_files(start, year, filing_dates, history, lang, recorder)
    if not trusted:
        return kept, Lineage(None, None)
    if apart:
        run_apart(lambda: _store(cache, path, root, recorder, kept, moment, _content(kept)))
        return kept, Lineage(None, None)
    content = _content(kept)
    after = _store(cache, path, root, recorder, kept, moment, content)
    return kept, Lineage(None, after, content=content)


#: What reading an entry of the wrong shape raises (its digests are right: someone wrote it so).
_MISSHAPEN = (KeyError, TypeError, AttributeError, ValueError, IndexError)


def _from_files(
    start: str, year: int | None, filing_dates: bool, history: tuple[Path, str] | None, lang: str, tree: Any
) -> Kept:
    opened = (tree.tree.root, tree) if tree is not None else None
    with language(lang):  # the names scoring gives missing items, in the site's language
        loaded = load_from_files(start, year, filing_dates, history, opened)
    with bodies.letting_go():
        previous = previous_year(loaded.root, loaded.assessment, filing_dates, history, tree)
    return loaded, previous


def _content(kept: Kept) -> str | None:
    """The digest of the kept year without bodies (see :class:`Lineage`)."""
    loaded, previous = kept
    return year_digest(loaded.assessment, previous)


def _identity(year: str, overlay: dict[str, list[Any]]) -> str:
    """What names a kept year: the digest of its pickle, and of its overlay when it has one."""
    if not overlay:
        return year
    text = json.dumps([year, overlay], sort_keys=True, ensure_ascii=False)
    return digest(text.encode("utf-8", "surrogatepass"))


def _name(root: Path, year: int, filing_dates: bool, lang: str) -> str:
    """The entry's name: everything the loaded year depends on that is not a file."""
    name = {
        "format": FORMAT,
        "root": str(root),
        "year": year,
        "filing_dates": filing_dates,
        "language": lang,
        "code": code_digest(),
        "python": sys.version,
        "libraries": libraries(),
    }
    text = json.dumps(name, sort_keys=True, ensure_ascii=False)
    return digest(text.encode("utf-8", "surrogatepass"))


# -- taking the kept year again ------------------------------------------------------------------


def _again(
    head: dict[str, Any], reads: dict[str, list[Any]], pickled: bytes, tree: FsTree, root: Path, year: int, lang: str
) -> tuple[Kept, set[str], bool, dict[str, list[Any]] | None] | None:
    """The kept year brought up to date, the files read again into it, whether stat data was
    refreshed, and the overlay that brings the pickled year up to date (None: it was scored again,
    and must be pickled again); None when it cannot be brought up to date (:class:`Changed` where
    an answer differs that no update can follow)."""
    if head["day"] is not None and head["day"] != china_day():
        raise Changed("day")
    if head["history"] is not None and history_state(root, "HEAD") != head["history"]:
        raise Changed("history")
    answers, stamp = head["answers"], head["stamp"]
    refreshed = same_answers(answers, tree, stamp)
    now = current_stats(str(tree.root), answers["paths"])
    if not answers["fresh"] and digest(now.tobytes()) == answers["stats"]:
        changed: set[str] = set()
    else:
        changed = changed_reads(answers, reads, tree, stamp, now)
        refreshed = True
    if not all(_evidence_file(path, year) for path in changed):
        raise Changed("not evidence")  # the year is loaded from the files: not worth unpickling (0.5 s at 30,000 files)
    loaded, previous = _unpickle(pickled, tree)
    vouched = set(answers["paths"])
    if not all(e.path in vouched for e in [*loaded.assessment.evidence, *(previous.evidence if previous else [])]):
        raise Changed("evidence")  # a file no answer vouches for: not a year kaohe kept
    overlay = head["overlay"]
    _lay_over(loaded.assessment, overlay, tree)
    loaded.root = root
    refuse_public_site(root, loaded.assessment)  # asks the folder itself, not the tree: not among the answers
    if not changed:
        return (loaded, previous), changed, refreshed, overlay
    recorder = Recorder(tree)
    patched = _patched(loaded, changed, recorder, lang)
    if patched is None or not recorder.reads.keys() <= changed or not recorder.tops <= answers["walks"].keys():
        return None  # the files read again asked what the entry cannot ask again
    reads.update(recorder.reads)  # the content loaded, not the content compared
    for question, found in recorder.outside.items():  # where the edited files' links lead
        answers["outside"][question].update(found)
    if patched is not loaded:
        return (patched, previous), changed, True, None
    bodies_now = {e.path: e.released for e in loaded.assessment.evidence if e.path in changed}
    overlay = {**overlay, **{p: [r.digest, r.heading, r.pages] for p, r in bodies_now.items()}}
    return (loaded, previous), changed, True, overlay


def _evidence_file(path: str, year: int) -> bool:
    """Whether `path` can be one of the year's evidence files (``evidence/<year>/<unit>/<name>.md``)."""
    parts = path.split("/")
    return len(parts) == 4 and parts[:2] == ["evidence", str(year)] and path.endswith(".md")


def _lay_over(a: Assessment, overlay: dict[str, list[Any]], tree: Tree) -> None:
    """Bring the bodies the overlay names up to date in the year just unpickled."""
    if not overlay:
        return
    evidence = {e.path: e for e in a.evidence}
    for path, (body, heading, pages) in overlay.items():
        e = evidence.get(path)
        if e is None or e.released is None:
            raise Changed("overlay")
        e.released = bodies.Released(tree, body, heading, pages)


def _patched(loaded: LoadedYear, changed: set[str], tree: Recorder, lang: str) -> LoadedYear | None:
    """`loaded` with the evidence files `changed` read again and their units scored again; None
    when that is not how a full load would see it (see the module). When only their bodies
    changed, `loaded` itself with what it knows of those bodies updated."""
    a = loaded.assessment
    if loaded.warnings or loaded.period_results or a.filing_deadlines:
        return None
    before = {e.path: e for e in a.evidence}
    if not changed <= before.keys():
        return None  # a framework, units.toml, a findings file, or a file loading passed over
    problems = Problems()
    units = {u.id for u in a.units}
    evidence = dict(before)
    touched: set[str] = set()
    prefix = f"evidence/{a.year}/"
    with bodies.letting_go():
        for path in sorted(changed):
            e = load_evidence(tree, path, path[len(prefix) :].split("/")[0], units, problems)
            if e is None:
                return None
            evidence[path] = e
            touched |= {e.unit, before[path].unit}
    if problems:
        return None
    if all(_same_but_body(before[p], evidence[p]) for p in changed):
        for p in changed:
            before[p].released = evidence[p].released
        return loaded
    new = dataclasses.replace(a, evidence=[evidence[e.path] for e in a.evidence])
    new.index()
    validate_assessment(new, set(), problems)
    if problems:
        return None
    bodies.drop_front_matter(evidence[p] for p in changed)
    reuse = {r.id: copy.copy(r) for r in loaded.results.units if r.id not in touched}
    with language(lang):
        results = score_assessment(new, reuse=reuse)
    return LoadedYear(loaded.root, new, results, [], {})


def _same_but_body(old: Evidence, new: Evidence) -> bool:
    """Whether an evidence file read again is what it was to everything but its own page and the
    review's 公文页: the same facts (written as the year's key writes them: 1.0 is not 1.00) and
    the same first heading."""
    return repr([getattr(old, f) for f in EVIDENCE_FIELDS]) == repr(
        [getattr(new, f) for f in EVIDENCE_FIELDS]
    ) and bodies.heading(old) == bodies.heading(new)


# -- storing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Moment:
    """What a year was loaded against besides its files, taken before they were read."""

    history: list[str] | None  # git's state (filing dates on), else None
    day: str  # today in China (appeal deadlines)
    started: int  # time.time_ns() before any stat data was taken


def _store(
    cache: Path, path: Path, root: Path, recorder: Recorder, kept: Kept, moment: _Moment, content: str | None
) -> str | None:
    """Keep the year just loaded, unless it depends on something that changes by itself; the digest
    of what was written, or None. With
    filing dates on, git history is part of it even when neither year kept judges deadlines: an
    earlier year that does was passed over for want of history, and is compared once it comes."""
    loaded, previous = kept
    years = [loaded.assessment, *([previous] if previous is not None else [])]
    started = moment.started
    if moment.history is not None and future_commit(root, "HEAD", started):
        return None  # judged impossible until the clock gets there: the same history reads differently later
    day = moment.day if any(a.appeals for a in years) else None
    history = moment.history
    answers, reads = recorder.answers(started)
    if "unknown" in answers:
        return None
    head = {"format": FORMAT, "history": history, "day": day, "answers": answers, "overlay": {}, "content": content}
    return _write(cache, path, head, reads, _pickled(kept), started)


def _write(
    cache: Path, path: Path, head: dict[str, Any], reads: dict[str, list[Any]], data: bytes | None, started: int
) -> str | None:
    """Write the year's pickle `data` (unless the entry names it already), then the entry naming its
    digest (:func:`generator.treeanswers.write_entry`); keep the KEEP newest entries. Returns what
    names the year written (:func:`_identity`), or None when nothing could be written."""
    if data is None or not claim(cache):
        return None
    vouch(head["answers"], reads, started)
    written, year = head.get("year"), digest(data)
    try:
        path.parent.mkdir(exist_ok=True)
        if year != written:
            replace_file(path.with_suffix(".pickle"), data)
        write_entry(path, MAGIC, {**head, "stamp": started, "year": year}, reads)
    except OSError:
        return None  # a full or read-only disk: the next build loads the year from the files
    prune(path.parent, KEEP, ".pickle")
    return _identity(year, head["overlay"])


# -- reading -------------------------------------------------------------------------------------

_SHAPE = {
    **{"stamp": int, "history": (list, type(None)), "day": (str, type(None)), "answers": dict, "year": str},
    **{"overlay": dict, "content": (str, type(None))},
}


def _read(path: Path) -> tuple[dict[str, Any], dict[str, list[Any]], bytes] | None:
    """The entry at `path`: its head, table of reads and pickled year, each checked against the
    digest that names it; None when there is none or it is damaged."""
    entry = read_entry(path, MAGIC, FORMAT, _SHAPE)
    if entry is None:
        return None
    head, table = entry
    answers = head["answers"]
    if not all(isinstance(answers.get(k), t) for k, t in (("walks", dict), ("outside", dict), ("fresh", bool))):
        return None
    if not all(_overlaid(path, body) for path, body in head["overlay"].items()):
        return None
    try:
        reads = table_of(head, table)
        kept = read_file(path.with_suffix(".pickle"))
    except (Changed, OSError, KeyError):
        return None
    return (head, reads, kept) if digest(kept) == head["year"] else None


def _overlaid(path: object, body: object) -> bool:
    """Whether an overlay's item is what :func:`_again` writes: a path, and a body's digest, first
    heading and 公文页."""
    if not isinstance(path, str) or not isinstance(body, list) or len(body) != 3:
        return False
    digest_, heading, pages = body
    return (
        isinstance(digest_, str)
        and len(digest_) == 40
        and not digest_.strip("0123456789abcdef")
        and isinstance(heading, str | None)
        and type(pages) is int
        and pages >= 1
    )


#: The only classes a kept year is made of: kaohe's models and results, and these standard types.
_STANDARD = {("datetime", "date"), ("decimal", "Decimal"), ("pathlib", "PosixPath"), ("pathlib", "WindowsPath")}
_MODULES = (
    "generator.model",
    "generator.score.results",
    "generator.score.rules.",
    "generator.period",
    "generator.source",
    "generator.tomlsource",
    "generator.messages",
    "generator.load.bodies",
    "generator.render.years",
)


class _Tree:
    """Stands for the working tree that bodies are read again from
    (:class:`generator.load.bodies.Released`): the next build gives its own."""


def _as_tree(_: Any) -> tuple[type, tuple[()]]:
    return _Tree, ()


class _Unpickler(pickle.Unpickler):
    """Reads a kept year and nothing else: a class outside the allowed ones is an error, not a call."""

    def __init__(self, data: bytes, tree: Tree) -> None:
        super().__init__(io.BytesIO(data))
        self.tree = tree

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, _Tree.__name__):
            return lambda: self.tree
        allowed = (module, name) in _STANDARD or module in _MODULES or module.startswith(_MODULES[2])
        found = super().find_class(module, name) if allowed and "." not in name else None
        if not isinstance(found, type) or found.__module__ != module:  # defined there, not imported
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a kept year")
        return found


def _pickled(kept: Kept) -> bytes | None:
    """The kept year as bytes; None when some object in it cannot be pickled (then it is not kept)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.dispatch_table = {**copyreg.dispatch_table, FsTree: _as_tree, Recorder: _as_tree}
    try:
        with gc_paused():  # tens of thousands of objects, none of them garbage
            pickler.dump(kept)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return out.getvalue()


def _unpickle(data: bytes, tree: Tree) -> Kept:
    try:
        with gc_paused(freeze=True):  # alive until the build ends: see generator.gcpause
            loaded, previous = _Unpickler(data, tree).load()
    except Exception as exc:  # damaged, or not a kept year: load from the files
        raise Changed("year") from exc
    if not isinstance(loaded, LoadedYear) or not (previous is None or isinstance(previous, Assessment)):
        raise Changed("year")
    return loaded, previous
