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
    ind: Indicator, unit: str, day: date, title: str, satisfies: list[str], count: int, metrics: dict[str, Decimal]
) -> str:
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
        front.add("count", tomlkit.item(count).comment("本文件记录的次数"))
    if metrics:
        figures = tomlkit.inline_table()
        for key, value in metrics.items():
            figures.add(key, tomlkit.value(format(value, "f")))  # the exact decimal, as written
        front.add("metrics", figures)
    elif req.metrics:
        example = ", ".join(f"{k} = …" for k in req.metrics)
        front.add(tomlkit.comment(f"metrics = {{ {example} }}  # 填报数据：填好数字后删除行首的 #"))
    body = [f"# {_heading(title or ind.name)}", ""]
    body.append(f"> 指标 `{ind.id}`（第{ind.seq}项）：{_one_line(ind.target)}")
    if ind.standard:
        body += [">", f"> 考核标准：{_one_line(ind.standard)}"]
    body.append("")
    if satisfies:
        body += ["## 本材料满足的要求", ""]
        for key in satisfies:
            line = f"- {req.items.get(key, key)}（`{key}`）"
            if key in req.counted:
                _, required, unit_word = req.counted[key]
                line += f"：本文件记录{count}{unit_word}，全年应{required}{unit_word}"
            body.append(line)
        body.append("")
    others = [(k, v) for k, v in req.items.items() if k not in satisfies]
    if others:
        body += ["本指标的其他要求（由其他材料证明）：" + "；".join(f"{v}（`{k}`）" for k, v in others), ""]
    if req.metrics:
        body += ["## 填报数据", ""]
        body += [
            f"- {name}（`{key}`）：{format(metrics[key], 'f') if key in metrics else '在 metrics 中填报'}"
            for key, name in req.metrics.items()
        ]
        body.append("")
    body += ["## 内容", "", "（时间、地点、参加人员、主要内容。附件放在同一文件夹，在正文中用相对链接引用。）", ""]
    return "+++\n" + tomlkit.dumps(front) + "+++\n" + "\n".join(body)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _heading(title: str) -> str:
    """The title as a one-line heading: no line breaks or control characters in the body."""
    return _one_line("".join(c if c.isprintable() else " " for c in title))
