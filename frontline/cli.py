"""``python -m frontline``: the command-line interface.

Each command lives in its own module under ``frontline/commands/`` and defines
``register(subparsers)``, which adds its parser (help ending with an example) and
sets ``func`` to a function ``run(args) -> int``. Commands are found automatically.
"""

from __future__ import annotations

import argparse
import csv
import errno
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import FrontlineError

__all__ = ["build_parser", "main", "command_names", "user_message"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m frontline",
        description="Frontline: the territorial rise and fall of ISIS in Syria and Iraq, 2014-2019.",
        epilog="Example:\n  python -m frontline control --date 2017-10-20",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"frontline {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def command_names() -> list[str]:
    """Names of every CLI command (for docs and tests)."""
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return sorted(action.choices)
    return []


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        return 0
    except FrontlineError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (OSError, UnicodeError, csv.Error) as err:  # a user's file or disk, never a traceback
        print(f"error: {user_message(err)}", file=sys.stderr)
        return 1


def user_message(err: BaseException) -> str:
    """One line for an error from a file or the disk, saying what to do.

    >>> user_message(FileNotFoundError(2, "No such file or directory", "x.csv"))
    'x.csv: No such file or directory; check the path'
    >>> user_message(OSError(28, "No space left on device", "data/events.csv"))
    'data/events.csv: No space left on device; free some space and try again (nothing was written)'
    """
    if isinstance(err, UnicodeError):
        return f"{err}; re-save the file as UTF-8"
    if isinstance(err, csv.Error):
        return f"the file is not readable CSV ({err}); run 'python -m frontline validate' to find the line"
    where = f"{err.filename}: " if getattr(err, "filename", None) else ""
    what = err.strerror or str(err)
    hints = {errno.ENOENT: "check the path", errno.EACCES: "check the file's permissions",
             errno.EPERM: "check the file's permissions", errno.EISDIR: "give a file, not a folder",
             errno.ENOTDIR: "check the path", errno.EROFS: "the disk is read-only; write elsewhere",
             errno.ENOSPC: "free some space and try again (nothing was written)"}
    hint = hints.get(err.errno, "check the path and try again")
    return f"{where}{what}; {hint}"
