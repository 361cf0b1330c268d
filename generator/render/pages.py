"""Every page of a year's results site, as HTML built from the results model.

Nothing here knows MkDocs: a :class:`Site` lists its pages (:meth:`Site.pages`) and renders any of
them to an HTML fragment (:meth:`Site.render`), so the page builders are tested on their own and
the renderer could be replaced without touching loading or scoring. Links between pages are
relative and computed here (see :mod:`generator.render.urls`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from itertools import pairwise
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..controlchars import isolate
from ..lifecycle import site_stage
from ..load import bodies
from ..load.links import on_site
from ..messages import has, isolating, language, tr
from ..model import Assessment, Evidence, Indicator, PeriodDeclaration
from ..organization import of_framework
from ..output.jsonout import dec
from ..provenance import Provenance
from ..review import Review, attach_previous, build_review
from ..score import score_assessment
from ..score.results import IndicatorResult, Line, Results, UnitResult, effect_key, loss_method, rate_places
from ..source import Source
from ..todo import Board, build_board, default_as_of
from ..types import plain, printed
from ..yearcompare import YearComparison, compare_years
from . import urls
from .labels import labels
from .pagekinds import PAGE_KINDS, PageSpec
from .yearkey import year_digest

TEMPLATES = Path(__file__).parent / "templates"

#: Rule kinds, rule parameters and the fields interpretation markers name are worded by the
#: catalogue: "rule.kind.<kind>", "rule.param.<name>", "field.<name>", and parameter values with a
#: reading of their own "rule.value.<name>.<value>" (the rest are shown as written).
VALUE_READINGS = frozenset({"partial"})
#: Parameters that only shape messages, or that the page shows elsewhere (the label, the markers).
#: Keys (requirement and metric names as evidence spells them) are for the files, not for readers.
PARAM_HIDDEN = {"suffix", "label", "interpreted", "key", "metric"}
#: Yes/no parameters worth a word only when set: "规则待确认：否" under every rule says nothing.
FLAGS_SHOWN_WHEN_SET = {"exclusive", "proposed"}

#: Where the searchable part of a page ends (evidence: title and front matter, not the body).
SEARCH_END = "<!-- kaohe: end of the searchable part -->"

CN_NUMERALS = "一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """一, 二 … 十, 十一 …: the numbering of tables in the source documents."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    if n < 20:
        return "十" + CN_NUMERALS[n - 11]
    return str(n)


def section_label(table: str, seq: str | None) -> str:
    """Where the document prints an indicator: its table and row, "三、4" (the table alone without a row)."""
    return f"{table}、{seq}" if seq else table


class Use(NamedTuple):
    """A score line (or an indicator row) that uses an evidence file: the target of a back-link.

    A tuple, not a frozen dataclass: a province's site makes 30,000 of them each time kaohe serve
    shows an edit, and a tuple takes about half the time to make."""

    unit: UnitResult
    indicator: IndicatorResult
    line: Line | None
    index: int  # position of the line among the indicator's lines; -1 for the row itself


@dataclass(frozen=True)
class DigestEntry:
    """One line of a sheet's digest: a deduction, veto, correction or bonus, and the row it belongs to."""

    row: IndicatorResult | None  # None: a correction of the unit's total (a part's cap)
    line: Line
    index: int  # position among the row's lines (its anchor); among the unit's adjustments when row is None
    bonus: bool  # counted in the 加分 column, not in 扣分
    #: On the first line of a row with several: the row's net 扣分 (加分), which orders the digest
    #: (0.6 less 0.2 酌情少扣 is listed as 0.4, after a 0.5), so the reader sees the figure compared.
    net: Decimal | None = None


_PAIRED = re.compile(r"[\u4e00-\u9fff]{4,}")
_CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def header_words(label: str) -> Markup:
    """A table header that may wrap between two-character words only (适用|单位, 改变|名次).

    Chinese wraps between any two characters, so a narrow column printed 改变名 over 次; the header
    cells are `word-break: keep-all` (kaohe.css) and wrap only where this puts a <wbr>: every second
    character of a run of four or more, an odd run ending on three (失分单位数: 失分|单位数).
    Shorter runs (公文页) stay on one line, and so does anything without a space that is not only
    Chinese characters (件/分, ：2010年度): Chromium breaks 件/ over 分 even under keep-all.
    """
    pieces = []
    for part in re.split(f"({_PAIRED.pattern})", label):
        if _PAIRED.fullmatch(part):
            cuts = [0, *range(2, len(part) - 1, 2), len(part)]
            pieces.append(Markup("<wbr>").join(escape(part[a:b]) for a, b in pairwise(cuts)))
        elif part and not any(c.isspace() for c in part) and not _CHINESE.fullmatch(part):
            pieces.append(Markup('<span class="kh-nobreak">{}</span>').format(part))
        else:
            pieces.append(escape(part))
    return Markup("").join(pieces)


def shown(value: Any) -> Any:
    """Every value a template prints, before Jinja escapes it: text isolated (:func:`isolate`), so a
    unit name, title, reason or file name holding right-to-left text or a bidi control ("Trojan
    Source") cannot reorder the cell, sentence or figures printed after it. The isolate is two
    Unicode characters, not a ``<bdi>`` element: values are printed into attributes (``title``,
    ``aria-label``), a CSS string and SVG as well as into elements, and the characters work in all
    of them. Markup (HTML kaohe made, its values isolated where they were put in) is left alone."""
    return isolate(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        finalize=shown,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["d"] = lambda v: printed(v) if v is not None else "—"  # "−0.075", never "-0.075"
    env.filters["header_words"] = header_words
    env.globals["line_anchor"] = urls.line_anchor  # sheets set it, evidence pages link to it: one spelling
    env.globals["stage_of"] = site_stage  # the banner's stage (草稿, 公示, 审定, 备案)
    return env


_ENV = _env()


class Site:
    """A year's results with everything its pages link: evidence, framework, provenance, labels."""

    def __init__(
        self,
        assessment: Assessment,
        results: Results,
        provenance: Provenance,
        lang: str = "zh",
        previous: Assessment | None = None,
        period_results: dict[str, Results] | None = None,
        *,
        built: date | None = None,
    ) -> None:
        self.a = assessment
        #: The day a draft's progress pages are as of (see :func:`.pagekinds.progress.build_date`);
        #: default the year's last day, like the results.
        self.built = built
        #: The same organisation's previous year (None: no comparable year): its results for the 上年
        #: columns, its figures for the indicator review's trend.
        self.previous = previous
        self.previous_results = score_assessment(previous) if previous is not None else None
        self.results = results
        #: The decimals every 得分率 of the year is printed with (:func:`rate_places`).
        self.rate_places = rate_places(results.units)
        self.trend: YearComparison | None = (
            compare_years(results, self.previous_results) if self.previous_results is not None else None
        )
        #: Period key → that period's results, for each period shorter than the year (its own page).
        self.period_results = period_results or {}
        self.provenance = provenance
        self.lang = lang
        #: The digest of the year and the previous one without bodies, when known already (a build
        #: that took a kept year: :class:`.keptyear.Lineage`); else :attr:`year_key` makes it.
        self.content: str | None = None
        self.t = labels(lang)
        self.year = assessment.year
        self.framework = assessment.framework
        self.organization = of_framework(self.framework)  # whose series of years this year belongs to
        self.indicators: dict[str, Indicator] = {i.id: i for i in self.framework.indicators()}
        self.categories = {c.id: c for c in self.framework.categories}
        self.series = {s.id: s.title for s in self.framework.series}
        self.evidence: dict[str, Evidence] = {e.path: e for e in sorted(assessment.evidence, key=lambda e: e.path)}
        self.units = {u.id: u for u in assessment.units}
        #: Categories of bonus indicators (创优加分): what they do not add is not "lost".
        self.bonus_categories = {c.id for c in self.framework.categories if c.bonus}
        self.rows = {u.id: {r.id: r for r in u.indicators} for u in results.units}
        #: Tables are numbered 一, 二, 三 … as the documents number them; an indicator is "三、4".
        self.table_numbers = {c.id: cn_ordinal(n) for n, c in enumerate(self.framework.categories, 1)}
        self.series_sizes = Counter(u.series for u in results.units)
        #: A unit-level correction names its part by the part's source line.
        self.part_by_source = {p.source: p for p in self.framework.part}
        self.findings = {f.source: f for f in assessment.findings}
        self.uses: dict[str, list[Use]] = defaultdict(list)
        for unit in results.units:
            for row in unit.indicators:
                for path in row.evidence:
                    self.uses[path].append(Use(unit, row, None, -1))
                for n, line in enumerate(row.lines):
                    for path in line.evidence:
                        self.uses[path].append(Use(unit, row, line, n))
        self._attachments = self._find_attachments()
        self.attachment_paths = {repo: site_path for site_path, repo in self._attachments}

    # -- what the site holds ---------------------------------------------------------------------

    @cached_property
    def board(self) -> Board | None:
        """The progress board of a draft, as of the build date held inside the year; None for a final
        year, whose results are all there is (it has no progress pages)."""
        if not self.provenance.draft:
            return None
        return build_board(self.a, default_as_of(self.year, self.built or date(self.year, 12, 31)))

    @cached_property
    def review(self) -> Review:
        """The indicator review of the year at its end, with the earlier year's figures beside it."""
        year_end = self.results if self.results.as_of == date(self.year, 12, 31) else None
        review = build_review(self.a, results=year_end)
        if self.previous is not None:
            attach_previous(review, build_review(self.previous, results=self.previous_results))
        return review

    @cached_property
    def year_key(self) -> str | None:
        """What keys the pages made from the whole year: a digest of what it was loaded into, bodies
        left out (:mod:`.yearkey`), and the day its pages are as of; None when some part of it
        cannot be written down. The digest is :attr:`content`'s when the kept year knew it."""
        content = self.content or year_digest(self.a, self.previous)
        return None if content is None else year_digest(content, self.built)

    def pages(self) -> list[PageSpec]:
        """Every page of the year, kind by kind in the order of :data:`.pagekinds.PAGE_KINDS`."""
        return list(self._pages)

    @cached_property
    def _pages(self) -> list[PageSpec]:  # listed once: the navigation and MkDocs' files both ask (30,000 at scale)
        with language(self.lang):
            return [
                PageSpec(kind.path(key, self.year), kind.name, key, title)
                for kind in PAGE_KINDS.values()
                for key, title in kind.pages(self)
            ]

    @property
    def shows_progress(self) -> bool:
        """Whether the year has progress pages (a draft's), known without building the board."""
        return self.provenance.draft

    def download_paths(self, pages: list[PageSpec]) -> list[str]:
        """The site paths of the table downloads of `pages`, in the order :meth:`downloads` gives them."""
        return [urls.table_file(p.src_uri) for p in pages if PAGE_KINDS[p.kind].download is not None]

    def downloads(self) -> list[tuple[str, str]]:
        """(site path, CSV text) of every page's table download (see :attr:`.pagekinds.PageKind.download`)."""
        out = []
        for spec in self.pages():
            kind = PAGE_KINDS[spec.kind]
            if kind.download is not None:
                with language(self.lang):  # score lines and labels in the site's language, whatever the CLI's
                    text = kind.download(PageContext(self, spec.src_uri), spec.key)
                out.append((urls.table_file(spec.src_uri), text))
        return out

    def attachments(self) -> list[tuple[str, str]]:
        """(site path, repository path) of files evidence links to that the site copies (images, PDFs)."""
        return self._attachments

    def _find_attachments(self) -> list[tuple[str, str]]:
        found: dict[str, str] = {}
        for e in self.evidence.values():
            for target in e.links:
                if on_site(e.path, target) == "attachment":  # the rule `kaohe check` warns by
                    found[urls.attachment(target, self.year)] = target
        return sorted(found.items())

    # -- helpers the templates use -----------------------------------------------------------------

    def section(self, ind: Indicator | IndicatorResult) -> str:
        """Where the document prints the indicator: its table and row, "三、4" (the table alone without a row)."""
        return section_label(self.table_numbers.get(ind.category, ""), ind.seq)

    def indicator_title(self, ind: Indicator | IndicatorResult) -> str:
        return f"{self.section(ind)} {isolate(ind.title if isinstance(ind, IndicatorResult) else ind.name)}"

    @cached_property
    def method_by_part(self) -> bool:
        """Whether the framework's 计分方式 is each part's own (the Liaoyang measures: 得分制, 扣分制 with
        扣分不设下限, 加分, part by part) rather than one for the whole framework: framework.toml
        sets neither `method` nor `floor`, and every table is in a part that sets its method. The
        facts row then points to the parts' table instead of printing the defaults (扣分制 · 扣完为止),
        which such a document never says."""
        fw = self.framework
        parts = {p.id: p for p in fw.part}
        if fw.method is not None or fw.floor is not None or not parts:
            return False
        return all(c.part in parts and parts[c.part].method is not None for c in fw.categories)

    def is_bonus(self, row: IndicatorResult) -> bool:
        """A bonus (创优加分) row: what it adds is 加分, and what it does not add is not lost."""
        ind = self.indicators.get(row.id)
        return ind is not None and ind.method == "bonus"

    def lost(self, row: IndicatorResult) -> Decimal:
        """The row's 扣分: its maximum less its score (nothing for a bonus row or a row that does not count)."""
        return Decimal(0) if self.is_bonus(row) else row.lost

    def hidden_note(self, rows: list[IndicatorResult], bonus: bool) -> str:
        """ "另有3项没有扣分，未显示" in the table's own terms: 没有未得分 in a 得分制 table, 没有加分 in a
        创优加分 table (nothing was deducted there either way)."""
        method = "bonus" if bonus else loss_method(rows)
        key = {"earned": "hidden_rows.earned", "bonus": "hidden_rows.bonus"}.get(method, "hidden_rows")
        return self.t.format(key, n=self.quiet(rows))

    def loss_headers(self, rows: Iterable[IndicatorResult]) -> tuple[str, str]:
        """The 扣分 and 扣分理由 headers of a table of `rows`, by :func:`.results.loss_method`."""
        method = loss_method(rows)
        if method == "earned":
            return self.t["lost.earned"], self.t["reason.earned"]
        if method == "mixed":
            return self.t["lost_total"], self.t["reason.mixed"]
        return self.t["lost"], self.t["reason"]

    def lost_key(self, key: str, rows: Iterable[IndicatorResult]) -> str:
        """`key` (扣分与加分一览, 只看扣分项) as 失分 ("<key>.lost": 失分与加分一览, 只看失分项) where `rows`, the
        unit's digest rows, include 得分制 rows (:func:`.results.loss_method` earned or mixed: 辽阳 第十条,
        第十二条, 2010 tables 二, 六, 九 lose points not earned, not deducted), `key` where all deduct."""
        return key if loss_method(rows) == "deduction" else f"{key}.lost"

    def digest_rows(self, unit: UnitResult, digest: list[DigestEntry]) -> list[IndicatorResult]:
        """The rows whose method words the digest's title, note, 合计, switch and empty sentence: the
        rows of its lost lines (:meth:`lost_key`); where it has none, the unit's rows that count, which
        it could have lost on: a unit that lost nothing in 得分制 tables (辽阳 第十条, 第十二条) has no
        未得分, not "no 扣分" it could never have had."""
        rows = [entry.row for entry in digest if not entry.bonus and entry.row is not None]
        return rows or [row for row in unit.indicators if self.counts(row) and not self.is_bonus(row)]

    def digest_none(self, rows: Iterable[IndicatorResult]) -> str:
        """The empty digest's sentence in the terms of the unit's `rows` (:func:`.results.loss_method`):
        本单位没有扣分、否决或加分 where they deduct, 没有未得分 where they only earn, 没有失分 where both."""
        method = loss_method(rows)
        return self.t["digest.none" if method == "deduction" else f"digest.none.{method}"]

    def counts(self, row: IndicatorResult) -> bool:
        """Whether the row's points count in the unit's maximum (not 不适用, 未到期 or 不计分)."""
        return row.status in ("scored", "vetoed")

    def shows_loss(self, row: IndicatorResult) -> bool:
        """What the "只看扣分项" switch keeps: a row with any line, a loss or a veto."""
        return bool(row.lines) or self.lost(row) != 0 or row.status == "vetoed"

    def quiet(self, rows: list[IndicatorResult]) -> int:
        """How many of `rows` the "只看扣分项" switch hides."""
        return sum(1 for row in rows if not self.shows_loss(row))

    def vetoes(self, unit: UnitResult) -> list[IndicatorResult]:
        return [row for row in unit.indicators if row.status == "vetoed"]

    def digest(self, unit: UnitResult) -> list[DigestEntry]:
        """Every line of the sheet: deductions, then bonuses; a row's lines kept together, the rows
        by their net amount, largest first.

        By the row's net, not line by line: a 酌情少扣 or 扣完为止 correction says what it takes off
        the deduction above it, so it stays beside it, and the net is what the indicator cost (its
        扣分 column, the overview's largest losses). The note above the table says so, and a row of
        several lines shows its net. The 扣分 entries add up to the unit's 失分 and the 加分 entries
        to its 加分, so the digest is a table whose columns sum like every other table of the sheet.
        """
        groups: list[tuple[bool, Decimal, int, list[DigestEntry]]] = []
        for n, row in enumerate(unit.indicators):
            lines = row.lines
            if lines:
                bonus = self.is_bonus(row)
                net = row.score if bonus else self.lost(row)
                net_noted = net if len(lines) > 1 else None  # beside the first of several lines
                entries = [
                    DigestEntry(row, line, k, bonus, net_noted if k == 0 else None) for k, line in enumerate(lines)
                ]
                groups.append((bonus, net, n, entries))
        for k, line in enumerate(unit.adjustments):  # a part's cap follows the bonuses it limits
            groups.append((True, Decimal(-1), len(unit.indicators) + k, [DigestEntry(None, line, k, True)]))
        groups.sort(key=lambda g: (g[0], -g[1], g[2]))  # what was lost first, then what was added
        return [entry for *_, entries in groups for entry in entries]

    def largest_losses(self, unit: UnitResult, n: int = 3) -> list[IndicatorResult]:
        """The rows that cost the unit most, largest first (what the overview lists per unit)."""
        losing = [row for row in unit.indicators if self.lost(row) > 0]
        return sorted(losing, key=lambda row: -self.lost(row))[:n]

    def adjustment_category(self, line: Line) -> str | None:
        """The category a unit-level correction belongs with: the last of its part's categories."""
        part = self.part_by_source.get(line.source)
        cats = [c.id for c in self.framework.categories if part is not None and c.part == part.id]
        return cats[-1] if cats else None

    def evidence_title(self, e: Evidence) -> str:
        """The front matter's title, else the body's first heading, else the file name."""
        if e.title:
            return e.title
        return bodies.heading(e) or PurePosixPath(e.path).stem

    def render(self, spec: PageSpec) -> str:
        kind = PAGE_KINDS.get(spec.kind)
        if kind is None:
            raise KeyError(spec.kind)  # a bug: every spec comes from PAGE_KINDS
        page = PageContext(self, spec.src_uri)
        # score lines and labels in the site's language, whatever the CLI's; their values isolated
        with language(self.lang), isolating():
            return page.render(kind.template, **kind.values(page, spec.key))

    @staticmethod
    def mid_year(members: list[UnitResult]) -> bool:
        """Whether some indicators are not yet due: the maxima shown are then not the year's."""
        return any(u.year_max != u.max for u in members)

    def series_categories(self, members: list[UnitResult]) -> list[Any]:
        """The categories that concern a series: some member has points (or a score) in them."""
        used = {c.id for u in members for c in u.categories if c.max != 0 or c.score != 0}
        return [c for c in self.framework.categories if c.id in used]

    def title(self) -> str:
        """The year's title: units.toml's, else the organization's name and the year."""
        organization = isolate(self.organization.name)  # alone: the year after it stays after it
        default = self.t.format("organization_year_title", organization=organization, year=self.year)
        return self.a.title or default

    def period_title(self, key: str) -> str:
        """A period's short title on the year's pages: 第三季度 (the year is said once already)."""
        pr = self.period_results.get(key)
        title = pr.title if pr is not None else key
        return title.removeprefix(tr("period.year-prefix", lang=self.lang, year=self.year))

    def period_declaration(self, period: Any) -> Any:
        """The framework's `[[period]]` a period comes from (None for a framework without periods):
        where its weight, report day and their interpretations are written."""
        return next(
            (
                d
                for d in self.framework.period
                if d.kind == period.kind and (period.kind != "special" or d.id == period.special)
            ),
            None,
        )

    def period_declaration_title(self, declaration: Any) -> str:
        """A declaration's title (季度考核), else its kind's name (季度)."""
        return declaration.title or tr(f"period.kind.{declaration.kind}", lang=self.lang)

    def period_assesses(self, declaration: Any) -> list[str]:
        """Titles of the parts and categories a declaration assesses, as the framework names them."""
        parts = {p.id: p.title for p in self.framework.part}
        categories = {c.id: c.title for c in self.framework.categories}
        return [parts.get(i, i) for i in declaration.parts] + [categories.get(i, i) for i in declaration.categories]

    def period_of(self, unit: UnitResult, key: str) -> Any:
        """The unit's total in period `key` (a PeriodTotal), or None."""
        return next((p for p in unit.periods if p.period.key == key), None)

    def shared_inputs(self) -> str:
        """What any page may show of the year besides its own inputs: the framework, the units, the
        provenance, the language, and the banner every page carries (its stage comes from stages and
        appeals; see :attr:`.pagekinds.PageKind.inputs`)."""
        units = [u.model_dump_json() for u in self.a.units]
        # the categories and indicators are the framework's private parts: model_dump leaves them out
        framework = [self.framework.model_dump_json()]
        for category in self.framework.categories:
            framework.append(category.model_dump_json())
            framework += [(i.model_dump_json(), i.source, i.category) for i in category.indicators]
        return repr((self.year, self.lang, self.title(), self.provenance, framework, units, self.banner()))

    def banner(self) -> str:
        """The provenance every page states (and the 草稿 banner of a draft), as HTML."""
        with language(self.lang), isolating():
            return _ENV.get_template("banner.html").render(p=self.provenance, t=self.t, site=self)


class PageContext:
    """Rendering one page: the site plus links relative to this page."""

    def __init__(self, site: Site, src_uri: str) -> None:
        self.site = site
        self.src = src_uri

    def render(self, template: str, **values: Any) -> str:
        return _ENV.get_template(template).render(
            site=self.site,
            t=self.site.t,
            page=self,
            r=self.site.results,
            fw=self.site.framework,
            search_end=Markup(SEARCH_END),
            **values,
        )

    # links to pages of this site
    def to(self, kind: str, key: str = "", anchor: str | None = None) -> str:
        """A relative link from this page to the page `key` of `kind` (see :mod:`.pagekinds`)."""
        return urls.href(self.src, PAGE_KINDS[kind].path(key, self.site.year), anchor)

    def to_sheet(self, unit: str, anchor: str | None = None) -> str:
        return self.to("sheet", unit, anchor)

    def to_indicator(self, indicator_id: str) -> str:
        return self.to("indicator", indicator_id)

    def to_framework(self, anchor: str | None = None) -> str:
        return self.to("framework", "", anchor)

    def to_indicators(self) -> str:
        return self.to("indicators")

    def to_download(self, unit: str | None = None) -> str:
        return urls.asset(self.src, urls.download(unit))

    def to_evidence(self, path: str) -> str:
        return self.to("evidence", path)

    def to_period(self, key: str, anchor: str | None = None) -> str:
        return self.to("period", key, anchor)

    def table_file(self) -> str:
        """The CSV download of this page's table (beside the page, same name)."""
        return urls.asset(self.src, urls.table_file(self.src))

    def to_rule(self, indicator_id: str, rule_id: str) -> str:
        ind = self.site.indicators.get(indicator_id)
        if ind is not None and ind.rule_by_id(rule_id) is not None:
            return self.to_framework(urls.rule_anchor(indicator_id, rule_id))
        return self.to_framework(urls.indicator_anchor(indicator_id))

    def repo_link(self, repo_path: str) -> str | None:
        """Where a link inside an evidence body to `repo_path` goes on the site (None: not on the site)."""
        site = self.site
        if repo_path in site.evidence:
            return self.to_evidence(repo_path)
        site_path = site.attachment_paths.get(repo_path)
        return urls.asset(self.src, site_path) if site_path is not None else None

    # links into the repository's web interface
    def source(self, source: Source, summary: str = "source") -> Markup:
        """`path:line` as a link to that line at the built commit, or as plain text without one.

        `summary` names the label of the click that shows the plain text: 来源 beside a line's other
        links; a row already labelled with what it is says 查看存放位置 instead of 来源 again.
        """
        link = self.site.provenance.link(source.path, source.line)
        label = escape(self.site.t["source_link"])
        if link:
            return Markup(f'<a class="kh-src" href="{escape(link)}" title="{escape(isolate(str(source)))}">{label}</a>')
        # no web interface to link to: the file and line stay one click away, out of the reading text
        # and out of the search results (a result's summary would print the path among the words)
        summary_label = escape(self.site.t[summary])
        return Markup(
            f'<details class="kh-src" data-search-exclude><summary>{summary_label}</summary>'
            f"<code>{escape(isolate(str(source)))}</code></details>"
        )

    def file_source(self, path: str, summary: str = "source") -> Markup:
        """:meth:`source` for a whole file: its first line."""
        return self.source(Source(path), summary)

    # numbers and words
    def amount(self, line: Line, method: str = "deduction", value: Decimal | None = None) -> str:
        """A line's effect in words, never a bare sign, as the row's `method` scores it: 扣0.2分, 少扣5分
        (a cap), 未得0.83分 (得分制: not earned, never deducted), 加1分, 少加0.1分, 否决·扣20分.
        `value` words another amount of the line the same way (its original, struck through)."""
        t = self.site.t
        amount = plain(abs(line.amount if value is None else value))
        key = effect_key(line, method, value)
        if key.startswith("veto"):
            return t.format(f"amount.{key}", veto=t["veto"], amount=amount)
        return t.format(f"amount.{key}", amount=amount)

    def bonus_figure(self, line: Line) -> str:
        """What a line of the digest shows in its 加分 column: its signed amount, or 不加分 for a veto
        that stands in a 加分 row. Such a veto adds nothing and takes nothing (此项不得分: the bonus is
        not added); its amount is only the ceiling it withheld, so the column carries no amount for it
        and still adds up to the unit's 加分. A veto revoked on appeal shows its amount, 0."""
        if line.kind == "veto" and line.original is None:
            return self.site.t["digest.not_added"]
        return self.signed(line.amount)

    def lost_words(self, value: Decimal, method: str = "deduction") -> str:
        """What a row cost, in words where no header is in view (the overview's 主要失分, a digest's net):
        扣0.4分 in a 扣分制 row, 未得0.83分 in a 得分制 row."""
        key = "miss" if method == "earned" else "deduct"
        return self.site.t.format(f"amount.{key}" if value >= 0 else f"amount.{key}_less", amount=plain(abs(value)))

    def sum_lost_words(self, value: Decimal, rows: Iterable[IndicatorResult]) -> str:
        """An amount lost over `rows`, in words where no header is in view (the digest's 合计, a weighted
        table's 折算 line on a phone's card): 扣 where all are 扣分制, 未得 where all are 得分制, 失 (both at
        once) where they hold deductions and points not earned; a negative amount (折算 lowers what a
        table lost) as 少扣, 未得分少计, 失分少计."""
        method = loss_method(rows)
        if method == "mixed":
            key = "amount.lose" if value >= 0 else "amount.lose_less"
            return self.site.t.format(key, amount=plain(abs(value)))
        return self.lost_words(value, method)

    def add_words(self, value: Decimal) -> str:
        """A sum added, in words where no 加分 header is in view: 加0.5分, 少加0.1分."""
        return self.site.t.format("amount.add" if value >= 0 else "amount.add_less", amount=plain(abs(value)))

    @staticmethod
    def signed(value: Decimal) -> str:
        """A number in a column that adds up: "0.5" or "−0.5" (a true minus sign, as printed tables use)."""
        return printed(value)

    @staticmethod
    def change(value: Decimal) -> str:
        """A change from last year: "+2.6", "−0.19" or "0"; unlike a column that adds up, a rise carries
        its sign, so that "2.6" is not read as last year's figure."""
        return f"+{dec(value)}" if value > 0 else PageContext.signed(value)

    def decided(self, line: Line) -> str:
        """Who found a finding's line and when ("州局稽查支队 2010-11-26"); "" for a rule's own line."""
        finding = self.site.findings.get(line.source) if line.finding else None
        if finding is None:
            return ""
        return " ".join(x for x in (isolate(finding.assessor), finding.date.isoformat()) if x)

    def rank(self, unit: UnitResult) -> str:
        """ "3 / 8", and "3 / 8（并列）" for a shared place: the place among the units of its series."""
        text = f"{unit.rank} / {self.site.series_sizes[unit.series]}"
        return self.parenthesised(text, self.site.t["tied"]) if unit.tied else text

    def parenthesised(self, text: str, inside: str) -> str:
        """ "text（inside）", or "text (inside)" on an English page: the brackets are the page's own."""
        t = self.site.t
        return f"{text}{t['paren_open']}{inside}{t['paren_close']}"

    def grade(self, unit: UnitResult) -> str:
        """The unit's grade with the band's short note ("优秀（拟定示例）"): an invented band says so wherever shown."""
        return self.site.results.grade_label(unit.grade)

    @staticmethod
    def css_string(value: str) -> Markup:
        """`value` as a quoted CSS string that cannot end the string or the <style> element it is in."""
        out = []
        for ch in value:
            if ch in '"\\<>&' or ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append(f"\\{ord(ch):x} ")
            else:
                out.append(ch)
        return Markup('"' + "".join(out) + '"')

    def lost(self, row: IndicatorResult) -> str:
        return self.signed(self.site.lost(row)) if self.site.counts(row) and self.site.lost(row) else ""

    def rate(self, unit: UnitResult) -> str:
        """得分率 as printed: rounded to 0.01 %, or to as many more places as tell the year's units
        apart (:func:`rate_places`); ranking compares the exact fraction."""
        rate = unit.rate_to(self.site.rate_places)
        return f"{printed(rate)}%" if rate is not None else "—"

    def evidence_name(self, path: str) -> str:
        e = self.site.evidence.get(path)
        return self.site.evidence_title(e) if e is not None else PurePosixPath(path).name

    def has_page(self, path: str) -> bool:
        return path in self.site.evidence

    def status_note(self, row: IndicatorResult) -> str:
        ind = self.site.indicators.get(row.id)
        if row.status == "not_applicable" and ind is not None and ind.applies_to and ind.applies_to.note:
            return ind.applies_to.note
        return self.site.t[f"status.{row.status}.note"]

    def series_title(self, series_id: str) -> str:
        return self.site.series.get(series_id, series_id)

    def cn(self, n: int) -> str:
        return cn_ordinal(n)

    def rule_params(self, rule: Any, indicator: Any) -> list[tuple[str, str]]:
        data = rule.model_dump(exclude={"id", "kind", "text"}, exclude_none=True)
        out = []
        for key, value in data.items():
            if value in ([], {}, None) or key in PARAM_HIDDEN or (key in FLAGS_SHOWN_WHEN_SET and not value):
                continue
            reading = f"rule.value.{key}.{value}"
            if key == "softens":  # other rules of the row, by their number in its list (第2条), not their ids
                worded = self._rules_by_number(value, indicator)
            else:
                worded = tr(reading) if key in VALUE_READINGS and has(reading) else _plain(value)
            out.append((_param_title(key, getattr(rule, "kind", None)), worded))
        return out

    def _rules_by_number(self, ids: list[str], indicator: Any) -> str:
        numbers = [indicator.rule_number(i) for i in ids]
        return tr("value.list-separator").join(tr("rule.value.rule-number", n=n) for n in numbers if n)

    # interpretation markers: what the document does not print, and why the project reads it so
    def interpretation(self, table: Any, field: str) -> str:
        return getattr(table, "interpreted", {}).get(field, "")

    def interp_tag(self, reason: str) -> str:
        """A short tag for a narrow cell: the reason's lead ("按年底计：…" → 按年底计), else 解释."""
        head, colon, _ = reason.partition("：")
        return head if colon and len(head) <= 8 else self.site.t["interpreted"]

    def interpretations(self, table: Any) -> list[tuple[str, str]]:
        """(field title, reason) of every marker on `table`, for the framework page."""
        markers = getattr(table, "interpreted", {}).items()
        if isinstance(table, PeriodDeclaration):  # a period's weight counts it into the year: not 折算分值
            return [(_title(f"field.period.{k}", "") or _title(f"field.{k}", k), reason) for k, reason in markers]
        kind = getattr(table, "kind", None)
        return [(_title(f"field.{k}", "") or _param_title(k, kind), reason) for k, reason in markers]

    def kind_title(self, kind: str) -> str:
        return _title(f"rule.kind.{kind}", kind)

    def requirement_names(self, e: Evidence) -> list[str]:
        ind = self.site.indicators.get(e.indicator)
        names: dict[str, str] = {}
        if ind is not None:
            for rule in ind.rule:
                names.update(rule.requirement_keys())
        return [names.get(k, k) for k in e.satisfies]

    def metric_names(self, e: Evidence) -> list[tuple[str, str]]:
        ind = self.site.indicators.get(e.indicator)
        names: dict[str, str] = {}
        if ind is not None:
            for rule in ind.rule:
                names.update(rule.metric_keys())
        return [(names.get(k, k), printed(v)) for k, v in sorted(e.metrics.items())]

    def applies(self, ind: Indicator) -> str:
        a = ind.applies_to
        if a is None:
            return ""
        names = [self.site.units[u].name if u in self.site.units else u for u in a.units]
        names += [self.series_title(s) for s in a.series]
        text = self.site.t["enum_comma"].join(isolate(name) for name in names)
        return self.parenthesised(isolate(a.note), text) if a.note and text else a.note or text


def _param_title(key: str, kind: str | None) -> str:
    """A rule parameter's name, in the words of its kind where they differ: `missing_amount` is what
    an unreported figure costs a threshold (未报告扣分) but what a missing ballot result or rating
    leaves unearned in a 得分制 votes or award rule (无测评结果失分, 无评定记录失分)."""
    own = f"rule.param.{key}.{kind}"
    return tr(own) if kind and has(own) else _title(f"rule.param.{key}", key)


def _title(message_id: str, default: str) -> str:
    """The catalogue's name for a rule kind, parameter or field; `default` (its key) where it has none."""
    return tr(message_id) if has(message_id) else default


def _plain(value: Any) -> str:
    """A rule parameter as short text: decimals without exponent, lists and tables flattened."""
    if isinstance(value, Decimal):
        return printed(value)
    if isinstance(value, bool):
        return tr("value.yes" if value else "value.no")
    if isinstance(value, dict):
        if "name" in value:  # a checklist item or a sub-quota: its name, key and own amount or count
            amount = value["required"] if value.get("required") is not None else value.get("amount")
            return (
                tr("rule.value.pair", key=value["name"], value=_plain(amount)) if amount is not None else value["name"]
            )
        if "at" in value:  # a step: from how many, how much
            return tr("rule.value.step", at=_plain(value["at"]), amount=_plain(value.get("amount")))
        pairs = [tr("rule.value.pair", key=k, value=_plain(v)) for k, v in value.items()]
        return tr("value.clause-separator").join(pairs)
    if isinstance(value, list):
        return tr("value.list-separator").join(_plain(v) for v in value)
    return str(value)
