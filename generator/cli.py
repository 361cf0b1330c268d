"""The `kaohe` command: parse arguments, dispatch to a subcommand, turn errors into messages.

Bad input never produces a traceback: it is reported as a message that says what to do.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from enum import IntEnum

from . import __version__
from .controlchars import one_line
from .problems import InputError


class Exit(IntEnum):
    """What `kaohe` exits with (README, "Exit codes"), one code per kind of outcome."""

    OK = 0
    INPUT_ERROR = 1  # the files or options are wrong: the message says what to fix
    USAGE = 2  # no command, or a command line argparse cannot parse (argparse's own code)
    INTERNAL_ERROR = 3  # a bug in kaohe
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


#: Subcommand modules under generator.commands, in the order `kaohe --help` lists them.
COMMANDS = [
    *("check", "score", "todo", "review", "build", "pdf", "diff", "comment"),
    *("new", "schema", "codeowners", "publish", "import_", "export", "individual"),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kaohe", description="Performance assessment as code (目标绩效考核).")
    parser.add_argument("--version", action="version", version=f"kaohe {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--repo", default=argparse.SUPPRESS, help="repository folder (default: found from the current folder upward)"
    )
    parser.add_argument("--repo", default=None, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"generator.commands.{name}").add_parser(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return Exit.USAGE
    try:
        return int(args.run(args) or Exit.OK)
    except InputError as exc:
        # the message's own lines stay; whatever a value in it holds is shown, not obeyed
        message = "\n".join(one_line(line) for line in str(exc).split("\n"))
        print(f"kaohe {args.command}: {message}", file=sys.stderr)
        return Exit.INPUT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return Exit.INTERRUPTED
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # an internal bug: say so briefly, show the trace only on request
        if os.environ.get("KAOHE_DEBUG"):
            traceback.print_exc()
        print(
            f"kaohe {args.command}: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in kaohe, not in your files; set KAOHE_DEBUG=1 to see the traceback and report it.",
            file=sys.stderr,
        )
        return Exit.INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
