"""How the balance report writes a figure (a signed mean with its standard error, a share in percent)
and a markdown table."""

from __future__ import annotations

from collections.abc import Sequence


def pm(mean: float, se: float, digits: int = 1) -> str:
    """``+1.2 ± 0.3``: a mean with its sign and one standard error."""
    return f"{mean:+.{digits}f} ± {se:.{digits}f}"


def pct(x: float) -> str:
    """``95 %``: a share of 1 in whole percent."""
    return f"{100 * x:.0f} %"


def needed(margin: float) -> str:
    """The needed margin as the bound a bot's mean margin must reach: ``-12.5`` (``0.0`` without luck)."""
    return f"{-margin:+.1f}" if round(margin, 1) else "0.0"


def table_head(head: Sequence[str]) -> list[str]:
    """A markdown table's header row and its rule."""
    return [table_row(head), "|" + "---|" * len(head)]


def table_row(cells: Sequence[str]) -> str:
    """``| a | b |``: one markdown table row."""
    return "| " + " | ".join(cells) + " |"
