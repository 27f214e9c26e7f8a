"""``python -m frontline``: the command-line interface.

Each command lives in its own module under ``frontline/commands/`` and defines
``register(subparsers)``, which adds its parser (help ending with an example) and
sets ``func`` to a function ``run(args) -> int``. Commands are found automatically.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import FrontlineError

__all__ = ["build_parser", "main", "command_names"]


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
    except FrontlineError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
