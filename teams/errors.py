"""Errors of the teams package: one base class and the refusal of a command."""

from __future__ import annotations


class TeamError(Exception):
    """Base class of every error the teams package raises."""


class CommandRefused(TeamError):
    """A command broke a rule; nothing changed.

    ``code`` says what kind of refusal it is (``forbidden``, ``not_found``, ``conflict``,
    ``invalid``, ``insufficient_cash``, ``credit_limit``) so the server can map it to an HTTP
    status; ``reason`` says what is wrong and how to put it right, in English. A refusal a page
    should explain in its own language and units also names its ``rule`` (``out_of_range``,
    ``below_cost``, ``above_max_discount``, ``credit_limit``, ``insufficient_cash``) and the
    ``values`` the reason is made of (the field, the value sent, the bounds, amounts), so that
    a page writes "discount 30 % is out of range: 0 % to 25 %" where the student typed percent.
    """

    def __init__(self, code: str, reason: str, rule: str = "", **values: float | str) -> None:
        self.code = code
        self.reason = reason
        self.rule = rule
        self.values = values
        super().__init__(reason)
