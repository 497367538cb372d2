"""Parameter overrides: ``KEY=VALUE`` changes applied to a parameter set.

Keys are dotted paths into the parameters (``shortlist_size``, ``product.unit_cost``,
``segments.smb.share``; ``segment.`` is accepted for ``segments.``). Values are numbers,
``MIN:MAX`` pairs or words (``mode=mirrored``). The result is validated as a whole, so an
override that breaks a rule (shares no longer adding up to 100 %) is refused with the rule.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from market.errors import ParameterError
from market.parameters import MarketParameters, parameters_from_dict, parameters_to_dict


def parse_value(text: str) -> Any:
    """A number, a ``MIN:MAX`` pair or, failing both, the text itself."""
    text = text.strip()
    if ":" in text:
        low, _, high = text.partition(":")
        return [parse_value(low), parse_value(high)]
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number


def normalise_key(key: str) -> list[str]:
    """The path of ``key`` as a list of names (``segment.x`` → ``segments.x``)."""
    parts = key.strip().split(".")
    if not key.strip() or any(not p for p in parts):
        raise ParameterError(key or "key", "is not a parameter path; write e.g. segments.smb.share")
    if parts[0] == "segment":
        parts[0] = "segments"
    return parts


def apply_overrides(params: MarketParameters, overrides: Iterable[tuple[str, Any]]) -> MarketParameters:
    """``params`` with each (key, value) applied, validated as a whole."""
    data = copy.deepcopy(parameters_to_dict(params))
    for key, value in overrides:
        parts = normalise_key(key)
        node: Any = data
        for depth, part in enumerate(parts[:-1]):
            if not isinstance(node, dict) or part not in node:
                path = ".".join(parts[: depth + 1])
                raise ParameterError(path, "unknown parameter group; see `salesfloor params` for the list")
            node = node[part]
        if not isinstance(node, dict) or parts[-1] not in node:
            raise ParameterError(".".join(parts), "unknown parameter; see `salesfloor params` for the list")
        node[parts[-1]] = value
    return parameters_from_dict(data)


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``KEY=VALUE`` into the key and its parsed value."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise ParameterError(text, "an override is written KEY=VALUE, e.g. segments.smb.share=0.4")
    return key.strip(), parse_value(value)
