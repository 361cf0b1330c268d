"""The `kaohe` command: parse arguments, dispatch to a subcommand, turn errors into messages.

Bad input never produces a traceback: it is reported as a message that says what to do. Every
message is worded by the catalogue (:mod:`generator.messages`): Chinese by default, English with
``--lang en`` (before or after the subcommand), ``KAOHE_LANG=en`` or an English locale.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import os
import sys
import traceback
from enum import IntEnum
from pathlib import PurePath
from typing import NoReturn

from . import __version__
from .controlchars import Lines, one_line, one_line_isolated
from .gcpause import gc_paused
from .messages import LANGUAGES, Message, UnknownLanguage, choose_language, current_language, tr, use_language
from .problems import InputError
from .quickexit import leave
from .stops import exit_code, stops_unwind


class Exit(IntEnum):
    """What `kaohe` exits with (README, "Exit codes"), one code per kind of outcome."""

    OK = 0
    INPUT_ERROR = 1  # the files or options are wrong: the message says what to fix
    USAGE = 2  # no command, or a command line argparse cannot parse (argparse's own code)
    INTERNAL_ERROR = 3  # a bug in kaohe
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


#: Subcommand modules under generator.commands, in the order `kaohe --help` lists them.
COMMANDS = [
    *("check", "score", "todo", "review", "build", "assemble", "serve", "pdf", "diff", "comment"),
    *("new", "schema", "codeowners", "publish", "import_", "export", "individual"),
]


def build_parser(
    commands: list[str] = COMMANDS, kind: type[argparse.ArgumentParser] = argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """The parser, its help worded in the language of the moment (call :func:`use_language` first)."""
    parser = kind(prog="kaohe", description=tr("cli.description"))
    parser.add_argument("--version", action="version", version=f"kaohe {__version__}", help=tr("cli.version.help"))
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--repo", default=argparse.SUPPRESS, help=tr("cli.repo.help"))
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=tr("cli.lang.help"))
    parser.add_argument("--repo", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help=tr("cli.lang.help"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in commands:
        importlib.import_module(f"generator.commands.{name}").add_parser(sub, common)
    return parser


def command_named(argv: list[str]) -> str | None:
    """The module of the command `argv` names (None for no command, `--help` or an unknown one)."""
    args = iter(argv)
    for arg in args:
        if arg in ("-h", "--"):
            return None
        if arg.startswith("--") and "=" not in arg:  # argparse takes any unambiguous prefix: --rep DIR
            if any(option.startswith(arg) for option in ("--help", "--version")):
                return None
            if any(option.startswith(arg) for option in ("--repo", "--lang")):
                next(args, None)
        elif not arg.startswith("-"):
            module = f"{arg}_" if arg == "import" else arg
            return module if module in COMMANDS else None
    return None


def language_argument(argv: list[str]) -> str | None:
    """The value of `--lang`, wherever it stands (before or after the subcommand), read before the
    parser exists: the parser's own help is worded in that language."""
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and n + 1 < len(argv):
            return argv[n + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def _worded_safely(exc: InputError) -> str:
    """The refusal's text with every parameter on one line: a value holding a newline (a file name in a
    part a CI job uploaded: "x\\nkaohe assemble: 已把 …") would start a line that looks like kaohe's own."""
    exc.params = {key: _escaped(value) for key, value in exc.params.items()}
    return str(exc)


def _lines_shown(text: str) -> str:
    """A refusal's own lines, each made safe as a line of a terminal. The isolates around right-to-left
    values in its problem lines (matched FSI … PDI pairs, put there by ``Problem.format``) are kept,
    as `kaohe check` prints them: written out, "\\u2068ئۈرۈمچى\\u2069" stood where check shows the
    name. Every other value was escaped before (:func:`_escaped`), so no pair of its own is left."""
    return "\n".join(one_line_isolated(line) for line in text.split("\n"))


def _escaped(value: object) -> object:
    """`value` as a refusal shows it, every character a terminal acts on written as a visible escape."""
    if isinstance(value, Lines):  # problem lines, each already safe
        return value
    if isinstance(value, InputError):  # a refusal inside another (a year's build): its own lines stay
        return Lines(_lines_shown(_worded_safely(value)))
    if isinstance(value, str | PurePath | BaseException):
        return one_line(str(value))
    if isinstance(value, Message):
        return Message(value.id, tuple((key, _escaped(v)) for key, v in value.params))
    if isinstance(value, list | tuple):
        return tuple(_escaped(v) for v in value)
    return value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    before = current_language()
    try:
        explicit = language_argument(argv)
        try:
            use_language(choose_language(explicit))
        except UnknownLanguage as exc:
            # argparse refuses a bad --lang itself; a bad KAOHE_LANG is said once, then ignored
            use_language(choose_language(None, {k: v for k, v in os.environ.items() if k != "KAOHE_LANG"}))
            if explicit is None:
                print(f"kaohe: {one_line(str(exc))}", file=sys.stderr)
        return _run(argv)
    finally:
        use_language(before)


def _collector(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """The cyclic collector paused for the whole of a command that holds what it loads until it
    ends (``set_defaults(holds_everything=True)``: `kaohe check`, `kaohe score`). Each collection
    walks every object alive, all of which stay alive, and the stages' own pauses
    (:mod:`generator.gcpause`) left the collector a year's worth of young objects to walk each time
    they ended: 0.5–0.7 s of a cold check or score at 30,000 evidence files, with the same peak
    memory (the cycles these commands make are few)."""
    return gc_paused() if getattr(args, "holds_everything", False) else contextlib.nullcontext()


class _NotReplayed(Exception):
    """The command line is not one a stored outcome answers (help, a usage error): parse it for real."""


class _QuietParser(argparse.ArgumentParser):
    """A parser that neither prints nor exits: anything but a plain parse gives up the warm path."""

    def error(self, message: str) -> NoReturn:
        raise _NotReplayed(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _NotReplayed(message)

    def _print_message(self, message: str, file: object = None) -> None:
        raise _NotReplayed(message)


def _stored_outcome(argv: list[str]) -> tuple[str, str, int] | None:
    """What `kaohe check` printed and returned last time, if nothing it read has changed since
    (:mod:`generator.checkcache`). Only the check command's parser is built: a warm re-check loads
    no other command."""
    if "check" not in argv:
        return None
    try:
        args = build_parser(["check"], _QuietParser).parse_args(argv)
    except _NotReplayed:
        return None
    if getattr(args, "command", None) != "check":
        return None
    from .checkcache import replay

    try:
        return replay(args)
    except Exception:  # a fault in the warm path costs a cold check, never a wrong answer
        if os.environ.get("KAOHE_DEBUG"):
            traceback.print_exc()
        return None


def _run(argv: list[str]) -> int:
    try:
        stored = _stored_outcome(argv)
        if stored is not None:
            out, err, code = stored
            sys.stdout.write(out)
            sys.stderr.write(err)
            return code
    except KeyboardInterrupt:
        print(tr("cli.interrupted"), file=sys.stderr)
        return Exit.INTERRUPTED
    except BrokenPipeError:
        return Exit.OK
    # only the named command's module is imported (all of them for --help or an unknown command): the
    # others (the site, spreadsheets, import) cost `kaohe check` a third of a second for nothing
    named = command_named(argv)
    parser = build_parser([named] if named else COMMANDS)
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return Exit.USAGE
    try:
        with stops_unwind(), _collector(args):
            return int(args.run(args) or Exit.OK)
    except InputError as exc:
        return _input_error(args.command, exc)
    except KeyboardInterrupt as stop:  # Ctrl-C, or a stop (generator.stops): every cleanup has run
        print(tr("cli.interrupted"), file=sys.stderr)
        return exit_code(stop, Exit.INTERRUPTED)
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # an internal bug: say so briefly, show the trace only on request
        too_long = _name_too_long(exc)
        if too_long is not None:
            return _input_error(args.command, too_long)
        if os.environ.get("KAOHE_DEBUG"):
            traceback.print_exc()
        error = one_line(f"{type(exc).__name__}: {exc}")
        print(f"kaohe {args.command}: {tr('cli.internal-error', error=error)}", file=sys.stderr)
        return Exit.INTERNAL_ERROR


def _input_error(command: str, exc: InputError) -> int:
    """Print a refusal of the files or options (exit 1)."""
    if os.environ.get("KAOHE_DEBUG") and exc.__cause__ is not None:  # a library's own words, for a developer
        traceback.print_exception(exc.__cause__)
    # the message's own lines stay; whatever a value in it holds is shown, not obeyed
    message = _lines_shown(_worded_safely(exc))
    print(f"kaohe {command}: {message}", file=sys.stderr)
    return Exit.INPUT_ERROR


def _name_too_long(exc: Exception) -> InputError | None:
    """A path the system refuses as too long (a folder or file name over 255 bytes, ENAMETOOLONG),
    wherever kaohe first touched it: the path came from the command line or a file's name, never
    from kaohe, which cuts the names it makes to fit. Every command's paths (--repo, --site-dir,
    --cache-dir, -o, the file to import) reach the system in many places; one refusal here words
    them all instead of 内部错误."""
    if not isinstance(exc, OSError) or exc.errno != errno.ENAMETOOLONG or exc.filename is None:
        return None
    path = os.fsdecode(exc.filename) if isinstance(exc.filename, bytes) else str(exc.filename)
    refusal = InputError("cli.name-too-long", path=path)
    refusal.__cause__ = exc
    return refusal


def entry() -> NoReturn:
    """The installed `kaohe` command: :func:`main`, then a quick exit (:mod:`generator.quickexit`)."""
    leave(main())


if __name__ == "__main__":
    entry()
