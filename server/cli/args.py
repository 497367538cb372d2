"""What the command line's parsers share: argument types, and the error that is one readable line
and exit code 2."""

from __future__ import annotations

import argparse
from collections.abc import Callable


class CliError(Exception):
    """A problem to report in one line with exit code 2."""


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, or a message saying what is allowed."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range; allowed {low} to {high}")
        return value

    return parse
