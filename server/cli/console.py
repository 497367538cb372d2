"""Terminal output of the CLI: a progress bar on stderr and plain-text tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import IO


class ProgressBar:
    """A one-line progress bar, drawn only when the stream is a terminal."""

    def __init__(self, label: str, stream: IO[str] | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = self.stream.isatty()

    def update(self, fraction: float, note: str = "") -> None:
        if not self.enabled:
            return
        fraction = min(1.0, max(0.0, fraction))
        filled = round(self.width * fraction)
        bar = "█" * filled + "·" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {fraction:4.0%} {note}".rstrip() + " ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def fmt(value: float | None, digits: int = 1) -> str:
    """A number for a table, or an em dash when there is none yet."""
    return "—" if value is None else f"{value:,.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Rows under headers, columns padded to their widest cell; numbers right-aligned."""
    right = right or [False] * len(headers)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if r else c.ljust(w) for c, w, r in zip(cells, widths, right, strict=True)]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
