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

import gettext
import os
import string
import sys
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kaohe"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"
#: gettext's locale folder for each interface language.
_LOCALE_NAMES = {"zh": "zh_CN", "en": "en"}

_current = DEFAULT


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
                raise ValueError(f"unknown language '{value}' (zh or en)")
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
        raise ValueError(f"unknown language '{lang}' (zh or en)")
    _current = lang
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = _LOCALE_NAMES[lang]


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
    """A parameter as readers write it: decimals without exponent or trailing zeros, lists joined."""
    if isinstance(value, bool):
        return tr("value.yes" if value else "value.no", lang=lang)
    if isinstance(value, Decimal):
        return "0" if value == 0 else format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return tr("value.list-separator", lang=lang).join(show(v, lang) for v in items)
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
    if not params:
        return template
    try:
        return _FORMATTER.vformat(template, (), {k: show(v, lang) for k, v in params.items()})
    except (KeyError, IndexError, ValueError):
        return f"{template} {params}"


class Labels:
    """The site's interface words for one language, looked up as ``t["overview"]`` in templates.

    A label is the catalogue entry ``site.<name>``; templates format the few with parameters
    themselves (``t["units_count"].format(n=…)``) — their values are numbers and escaped names.
    """

    PREFIX = "site."

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown site language '{lang}': use one of {', '.join(LANGUAGES)}")
        self.lang = lang

    def __getitem__(self, name: str) -> str:
        message_id = self.PREFIX + name
        text = tr(message_id, lang=self.lang)
        if text == message_id:
            raise KeyError(name)
        return text

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
