"""One message catalogue for everything a person reads: the CLI, check's problems, the site, outputs.

Every message has a stable id (``check.unknown-key``) and named parameters; its wording lives in
gettext catalogues, ``generator/locale/<lang>/LC_MESSAGES/kaohe.po`` (Chinese is the default,
English the alternative), compiled to ``.mo`` files that are committed beside them, so that the
package needs nothing beyond the standard library at run time. Tests and scripts match ids and
parameters, never wording; translators edit the ``.po`` files with any gettext tool.

Edit a ``.po`` file, then run ``python -m generator.messages compile`` (needs Babel, a test
dependency); ``tests/test_messages.py`` fails while a ``.mo`` file is stale, an id used in the code
is missing from a catalogue, or a user-facing string bypasses the catalogue.

Why gettext with symbolic ids rather than English msgids: the ids are what ``kaohe check --format
json`` reports and what tests assert, so rewording a message never breaks a script; and argparse's
own strings ("usage: ", "error: …") go through the same domain, so ``kaohe --help`` reads Chinese too.
"""

from __future__ import annotations

import contextlib
import gettext
import os
import string
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from .controlchars import isolate

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kaohe"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"
#: gettext's locale folder for each interface language.
_LOCALE_NAMES = {"zh": "zh_CN", "en": "en"}

_current = DEFAULT
#: Whether message parameters are isolated (:func:`isolating`).
_isolating = False


class MessageError(Exception):
    """An error whose text is a catalogue message: a stable `code` and named parameters.

    ``str(error)`` words it in the language of the moment; scripts and tests read ``code`` and
    ``params``, never the wording.
    """

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> Message:
        return msg(self.code, **self.params)

    def __str__(self) -> str:
        return worded(self.code, self.params)


class UnknownLanguage(MessageError, ValueError):
    """A language kaohe has no catalogue for (``--lang fr``, ``KAOHE_LANG=fr``)."""


def choose_language(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang` if given, else ``KAOHE_LANG``, else English where the locale asks for it, else Chinese.

    The users are Chinese clerks, so a machine whose locale says nothing (``C``, ``POSIX``, unset:
    most CI runners and servers) speaks Chinese; a developer whose locale is English gets English.
    """
    environ = os.environ if environ is None else environ
    for value in (explicit, environ.get("KAOHE_LANG")):
        if value:
            lang = value.split("_")[0].split("-")[0].lower()
            if lang not in LANGUAGES:
                raise UnknownLanguage("cli.unknown-language", value=value, languages=LANGUAGES)
            return lang
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            first = value.split(":")[0].lower()
            if first.startswith("en"):
                return "en"
            if first.startswith("zh"):
                return "zh"
            if first not in ("c", "posix", "c.utf-8", "c.utf8"):
                return DEFAULT
    return DEFAULT


def use_language(lang: str) -> None:
    """Make `lang` the language of this process: messages, problems, and argparse's own strings.

    argparse translates through the global gettext domain; pointing it at this catalogue (and
    LANGUAGE at the chosen language) is the standard way to translate "usage:" and its errors.
    """
    global _current
    if lang not in LANGUAGES:
        raise UnknownLanguage("cli.unknown-language", value=lang, languages=LANGUAGES)
    _current = lang
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = _LOCALE_NAMES[lang]


@contextlib.contextmanager
def language(lang: str) -> Iterator[None]:
    """Word messages in `lang` inside the block (a site's own language), then as before.

    Only kaohe's messages change; argparse and the environment are left alone.
    """
    global _current
    if lang not in LANGUAGES:
        raise UnknownLanguage("cli.unknown-language", value=lang, languages=LANGUAGES)
    before, _current = _current, lang
    try:
        yield
    finally:
        _current = before


@contextlib.contextmanager
def isolating() -> Iterator[None]:
    """Inside the block, every parameter of a message is isolated (:func:`.controlchars.isolate`):
    for text a person reads on a page or a terminal, where a unit name or a reason holding
    right-to-left text (or a bidi control) must not turn around the wording after it ("{reason}（{count}次）",
    "{name}应{required}{unit}"). Not for CSV, JSON or workbooks, which get the values as stored."""
    global _isolating
    before, _isolating = _isolating, True
    try:
        yield
    finally:
        _isolating = before


def current_language() -> str:
    return _current


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang`; English falls back to nothing (ids show through, loudly)."""
    return gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[_LOCALE_NAMES[lang]], fallback=True)


def has(message_id: str, lang: str | None = None) -> bool:
    return catalogue(lang or _current).gettext(message_id) != message_id


class _Fields(string.Formatter):
    """``str.format`` restricted to plain ``{name}`` fields: a template can never reach attributes,
    items or conversions of its parameters, whoever edited the catalogue."""

    def get_field(self, field_name: str, args, kwargs):  # type: ignore[override]
        if not field_name.isidentifier():
            raise KeyError(field_name)
        return kwargs[field_name], field_name


_FORMATTER = _Fields()


def show(value: object, lang: str | None = None) -> str:
    """A parameter as readers write it: decimals as written (never an exponent), lists joined, messages worded."""
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, Joined):
        return tr(value.separator, lang=lang).join(show(v, lang) for v in value.items)
    if isinstance(value, MessageError):
        return worded(value.code, value.params, lang)
    if isinstance(value, bool):
        return tr("value.yes" if value else "value.no", lang=lang)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return tr("value.list-separator", lang=lang).join(show(v, lang) for v in items)
    return str(value)


def freeze(value: object) -> object:
    """`value` made hashable (lists become tuples), so that problems and lines can be compared and kept in sets."""
    if type(value) in _ATOMS:  # most parameters: one set lookup instead of three isinstance tests
        return value
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(freeze(v) for v in value))  # type: ignore[type-var]
    if isinstance(value, dict):
        return tuple((k, freeze(v)) for k, v in value.items())
    return value


#: Types :func:`freeze` returns as they are (exactly these types: a subclass of list is still frozen).
_ATOMS = frozenset({str, int, bool, float, Decimal, date, type(None)})


@dataclass(frozen=True)
class Message:
    """A message not yet worded: its id and parameters, worded when shown (in the reader's language).

    Score lines, notes and sub-messages (a hint's "did you mean") carry these, so a site built in
    English and a terminal in Chinese word the same result each in its own language.
    """

    id: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str | None = None) -> str:
        return tr(self.id, lang=lang, **dict(self.params))

    def __str__(self) -> str:
        return self.text()

    @property
    def kwargs(self) -> dict[str, Any]:
        return dict(self.params)


@dataclass(frozen=True)
class Joined:
    """Parameters joined by a catalogue separator when worded ("，" in Chinese, ", " in English)."""

    separator: str  # a message id, e.g. "value.clause-separator"
    items: tuple[Any, ...]


def msg(message_id: str, /, **params: object) -> Message:
    """The message `message_id` with `params`, to be worded later (:class:`Message`)."""
    return Message(message_id, tuple((k, freeze(v)) for k, v in params.items()))


def joined(separator: str, items: Iterable[object]) -> Joined:
    return Joined(separator, tuple(freeze(i) for i in items))


def plain_params(params: Iterable[tuple[str, Any]] | Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON values for scripts: decimals and dates as strings, sub-messages as {code, params}."""
    items = params.items() if isinstance(params, Mapping) else params
    return {k: _plain(v) for k, v in items}


def _plain(value: object) -> object:
    if isinstance(value, Message):
        return {"code": value.id, "params": plain_params(value.params)}
    if isinstance(value, Joined):
        return [_plain(v) for v in value.items]
    if isinstance(value, MessageError):
        return {"code": value.code, "params": plain_params(value.params)}
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def tr(message_id: str, /, *, lang: str | None = None, **params: object) -> str:
    """The message `message_id` in `lang` (default: this process's language), parameters filled in.

    A message missing from the chosen catalogue falls back to the Chinese one, then to its id, so a
    gap shows as ``check.some-id`` rather than as nothing; tests keep the catalogues complete.
    """
    lang = lang or _current
    template = catalogue(lang).gettext(message_id)
    if template == message_id and lang != DEFAULT:
        template = catalogue(DEFAULT).gettext(message_id)
    if not params and "{" not in template:
        return template
    try:
        shown = {k: show(v, lang) for k, v in params.items()}
        if _isolating:
            shown = {k: isolate(v) for k, v in shown.items()}
        return _FORMATTER.vformat(template, (), shown)
    except (KeyError, IndexError, ValueError):  # a catalogue entry naming a parameter the code does not give
        return template


def worded(code: str, params: Mapping[str, Any], lang: str | None = None) -> str:
    """The message `code` followed by its hint ("<code>.hint"), when the catalogue has one and it is not empty."""
    text = tr(code, lang=lang, **params)
    hint_id = code + ".hint"
    hint = tr(hint_id, lang=lang, **params).strip() if has(hint_id, lang) else ""
    return text + (tr("problem.hint", lang=lang, hint=hint) if hint else "")


class Labels:
    """The site's interface words for one language, looked up as ``t["overview"]`` in templates.

    A label is the catalogue entry ``site.<name>``; templates format the few with parameters
    themselves (``t["units_count"].format(n=…)``) — their values are numbers and escaped names.
    """

    PREFIX = "site."

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise UnknownLanguage("cli.unknown-language", value=lang, languages=LANGUAGES)
        self.lang = lang

    def __getitem__(self, name: str) -> str:
        """``site.<name>``, else the shared entry ``<name>`` (a status name is one word everywhere)."""
        for message_id in (self.PREFIX + name, name):
            text = tr(message_id, lang=self.lang)
            if text != message_id:
                return text
        raise KeyError(name)

    def format(self, name: str, /, **params: object) -> str:
        """The label `name` with its parameters filled in (plain ``{name}`` fields only, as :func:`tr`)."""
        self[name]  # a KeyError for a label no catalogue has
        for message_id in (self.PREFIX + name, name):
            if has(message_id, self.lang) or has(message_id, DEFAULT):
                return tr(message_id, lang=self.lang, **params)
        raise KeyError(name)

    def get(self, name: str, default: str = "") -> str:
        try:
            return self[name]
        except KeyError:
            return default


def compile_catalogues() -> list[Path]:
    """Compile every ``.po`` under locale/ to its ``.mo`` (Babel); return the files written."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


if __name__ == "__main__":  # python -m generator.messages compile
    if sys.argv[1:] != ["compile"]:
        sys.exit("usage: python -m generator.messages compile")
    for path in compile_catalogues():
        print(path)
