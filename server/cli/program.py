"""The ``salesfloor`` command line: simulate, sweep, replay, presets, params, serve, demo, bot,
export, import, search, balance — each group of commands in its own module, put together here.

Every failure ends with exit code 2 and one readable line on stderr that says what is wrong
(``salesfloor: error: segments.smb.share: 1.4 is out of range; allowed 0 to 1 fraction``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from market.errors import MarketError
from scoring import ScoringError
from server.cli import offline, serve
from server.cli.args import CliError
from server.cli.balance import BalanceError
from server.cli.balance import add_parsers as add_balance_parsers
from server.cli.exports import ExportError
from server.cli.exports import add_parsers as add_export_parsers
from server.input.text_rules import SURROGATE, describe, printable_path
from simulator.errors import SimulatorError
from teams.errors import TeamError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="salesfloor", description="Salesfloor: a live CRM competition, from the command line."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    offline.add_parsers(sub)
    serve.add_parsers(sub)
    offline.add_params_parser(sub)
    add_export_parsers(sub)
    add_balance_parsers(sub)
    return parser


def undecodable_argument(arguments: Sequence[str]) -> str | None:
    """Why an argument is refused: the system hands bytes that are not UTF-8 over as lone
    surrogates (surrogateescape), which no answer, file or database could hold."""
    for argument in arguments:
        found = SURROGATE.search(argument)
        if found is None:
            continue
        code = ord(found.group())
        what = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else describe(found.group())
        where = f"{what} at character {found.start() + 1}"
        return f"the argument '{printable_path(argument)}' is not UTF-8 text ({where}); write it in UTF-8"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    problem = undecodable_argument(arguments)
    if problem is not None:
        print(f"salesfloor: error: {problem}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(arguments)
    try:
        return int(args.run(args))
    except (CliError, ExportError, BalanceError, MarketError, SimulatorError, TeamError, ScoringError) as exc:
        print(f"salesfloor: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("salesfloor: interrupted", file=sys.stderr)
        return 130
