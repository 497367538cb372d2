"""The parameter list: every parameter of a market, flat, with its value, range, unit and help.

One row per field, keyed by the dotted path the overrides use (``segments.smb.share``), so
the CLI's ``params``, the instructor's form and ``--set`` all speak of the same names.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from market.parameters import MarketParameters, SegmentParameters


@dataclass(frozen=True, slots=True)
class ParameterRow:
    """One parameter: its path, value, and (for numbers) the allowed range, unit and meaning.

    ``pair`` is a (low, high) range such as a quantity; ``integer`` takes whole numbers only.
    Rows without ``low`` are text settings (name, mode, day kind) shown but not ranged.
    """

    key: str
    value: Any
    low: float | None = None
    high: float | None = None
    unit: str = ""
    help: str = ""
    integer: bool = False
    pair: bool = False
    group: str = ""


def parameter_rows(params: MarketParameters) -> list[ParameterRow]:
    """Every parameter of ``params``, segments by segment, in declaration order."""
    return _rows(params, "", "market")


def _rows(obj: Any, prefix: str, group: str) -> list[ParameterRow]:
    rows: list[ParameterRow] = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        path = f"{prefix}{f.name}"
        if f.name == "segments":
            for seg in value:
                rows += _rows(seg, f"segments.{seg.id}.", f"segments.{seg.id}")
        elif hasattr(value, "__dataclass_fields__"):
            rows += _rows(value, f"{path}.", path)
        elif f.metadata:
            meta = f.metadata
            rows.append(
                ParameterRow(
                    key=path,
                    value=list(value) if isinstance(value, tuple) else value,
                    low=meta["low"],
                    high=meta["high"],
                    unit=meta["unit"],
                    help=meta["help"],
                    integer=bool(meta["integer"]),
                    pair=bool(meta.get("pair", False)),
                    group=group,
                )
            )
        elif not isinstance(obj, SegmentParameters):
            rows.append(ParameterRow(key=path, value=value, group=group))
    return rows
