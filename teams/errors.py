"""Errors of the teams package: one base class and the refusal of a command."""

from __future__ import annotations


class TeamError(Exception):
    """Base class of every error the teams package raises."""


class CommandRefused(TeamError):
    """A command broke a rule; nothing changed.

    ``code`` says what kind of refusal it is (``forbidden``, ``not_found``, ``conflict``,
    ``invalid``, ``insufficient_cash``, ``credit_limit``) so the server can map it to an HTTP
    status; ``reason`` says what is wrong and how to put it right.
    """

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(reason)
