"""New evidence files, written so that they pass `kaohe check` as they are.

A clerk should not have to remember the front matter keys or which requirement keys an indicator
has: the framework knows. The body template repeats the indicator's target, standard and the
named requirements, so the file explains itself in review. The front matter is written by a TOML
library (every string escaped, whatever a title holds); comments are fixed text, never input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .messages import joined, tr
from .model import Indicator

_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Requirements:
    """What evidence for an indicator can declare: requirement keys, counted keys, metrics."""

    items: dict[str, str] = field(default_factory=dict)  # key → name, from every rule
    counted: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # key → (name, required, measure word)
    metrics: dict[str, str] = field(default_factory=dict)  # metric key → name


def requirements(ind: Indicator) -> Requirements:
    req = Requirements()
    for rule in ind.rule:
        req.items.update(rule.requirement_keys())
        req.metrics.update(rule.metric_keys())
        if rule.kind == "count":
            req.counted[rule.key] = (rule.name, rule.required, rule.measure)  # type: ignore[attr-defined]
            for sub in rule.of_which:  # type: ignore[attr-defined]  # 其中《黔质新风》1篇: counted in the total too
                req.counted[sub.key] = (sub.name, sub.required, rule.measure)  # type: ignore[attr-defined]
    return req


def slug(title: str, satisfies: list[str]) -> str:
    """An ASCII file-name part: the requirement keys, else an ASCII title, else "evidence"."""
    if satisfies:
        return "-".join(satisfies)[:40].strip("-")
    text = _SLUG.sub("-", title.lower()).strip("-")
    if sum(c.isalpha() for c in text) >= 3:
        return text[:40].strip("-")
    return "evidence"


def file_name(ind: Indicator, day: date, title: str, satisfies: list[str]) -> str:
    """<indicator>-<date>-<slug>.md: the indicator first, so that ownership patterns match it."""
    return f"{ind.id}-{day.isoformat()}-{slug(title, satisfies)}.md"


def render(
    ind: Indicator,
    unit: str,
    day: date,
    title: str,
    satisfies: list[str],
    count: int,
    metrics: dict[str, Decimal],
    where: str,
) -> str:
    """The new evidence file. Its body is shown on the site's evidence page, so it names the
    indicator as the document does (`where`: 党风廉政建设工作第9项) and requirements by their names:
    keys and ids stay in the front matter, for whoever edits it."""
    import tomlkit  # only `kaohe new` writes TOML: every other command starts without it

    req = requirements(ind)
    front = tomlkit.document()
    front.add("indicator", ind.id)
    front.add("unit", unit)
    front.add("date", day)
    front.add("title", title)
    if satisfies:
        front.add("satisfies", satisfies)
    if any(k in req.counted for k in satisfies):
        front.add("count", tomlkit.item(count).comment(tr("scaffold.count-comment")))
    if metrics:
        figures = tomlkit.inline_table()
        for key, value in metrics.items():
            figures.add(key, tomlkit.value(format(value, "f")))  # the exact decimal, as written
        front.add("metrics", figures)
    elif req.metrics:
        example = ", ".join(f"{k} = …" for k in req.metrics)
        front.add(tomlkit.comment(tr("scaffold.metrics-comment", example=f"{{ {example} }}")))
    body = [f"# {_heading(title or ind.name)}", ""]
    body.append("> " + tr("scaffold.indicator", where=where, target=_one_line(ind.target)))
    if ind.standard:
        body += [">", "> " + tr("scaffold.standard", standard=_one_line(ind.standard))]
    body.append("")
    if satisfies:
        body += ["## " + tr("scaffold.satisfies"), ""]
        for key in satisfies:
            line = "- " + req.items.get(key, key)
            if key in req.counted:
                _, required, unit_word = req.counted[key]
                line += tr("scaffold.counted", count=count, required=required, unit=unit_word)
            body.append(line)
        body.append("")
    others = [v for k, v in req.items.items() if k not in satisfies]
    if others:
        body += [tr("scaffold.others", requirements=joined("value.sentence-separator", others)), ""]
    if req.metrics:
        body += ["## " + tr("scaffold.metrics"), ""]
        for key, name in req.metrics.items():
            value = format(metrics[key], "f") if key in metrics else tr("scaffold.metric-to-fill")
            body.append("- " + tr("scaffold.metric", name=name, value=value))
        body.append("")
    body += ["## " + tr("scaffold.content"), "", tr("scaffold.content-note"), ""]
    return "+++\n" + tomlkit.dumps(front) + "+++\n" + "\n".join(body)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _heading(title: str) -> str:
    """The title as a one-line heading: no line breaks or control characters in the body."""
    return _one_line("".join(c if c.isprintable() else " " for c in title))
