"""Errors of the market package: one base class, and the parameter error it raises on bad input."""

from __future__ import annotations


class MarketError(Exception):
    """Base class of every error the market package raises."""


class ParameterError(MarketError, ValueError):
    """A market parameter is missing, of the wrong type or out of its allowed range.

    The message names the field (as a dotted path such as ``segments.smb.share``), what is
    wrong with it and how to put it right, so a form, the API and the CLI can show it as is.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}")
