"""Reference bots: programs that play a team through the desk's commands.

``passive`` never answers; ``balanced`` plays a sensible routine; ``eager``, ``dumper``,
``lax`` and ``lavish`` each change one of its habits; ``cod``, ``lender``, ``forgetful`` and
``forgiver`` each push one lever to its extreme. ``make_bot`` builds one by name, or any
point of the strategy family from a ``strategy:LEVER=VALUE;…`` name.
"""

from __future__ import annotations

from market.parameters import MarketParameters
from teams.bots.balanced import BalancedBot
from teams.bots.base import Bot, PassiveBot, Reaction
from teams.bots.degenerate import CashOnDeliveryBot, ForgetfulBot, ForgiverBot, LenderBot
from teams.bots.family import StrategyBot
from teams.bots.strategy import Strategy, from_spec, is_spec
from teams.bots.variants import DumperBot, EagerBot, LavishBot, LaxBot
from teams.errors import TeamError

BOTS: dict[str, type[Bot]] = {
    cls.name: cls
    for cls in (
        PassiveBot,
        BalancedBot,
        EagerBot,
        DumperBot,
        LaxBot,
        LavishBot,
        CashOnDeliveryBot,
        LenderBot,
        ForgetfulBot,
        ForgiverBot,
    )
}

REFERENCE_LEAGUE = ("balanced", "eager", "dumper", "lax", "lavish", "passive")
"""One team per reference bot: the default league of simulate, sweep and the benchmarks."""

DEGENERATE = ("eager", "dumper", "cod", "lender", "forgetful", "forgiver", "lax", "lavish", "passive")
"""Bots that game one lever (or several, or play nothing): a sensible team must outrank each."""


def check_bot_name(name: str) -> None:
    """TeamError (saying what is wrong) unless ``name`` is a reference bot or a valid
    ``strategy:LEVER=VALUE;…`` point of the strategy family: the one check wherever a team may
    be played by a house bot (the desk's API, an archive's teams)."""
    if is_spec(name):
        from_spec(name)
    elif name not in BOTS:
        raise TeamError(
            f"unknown bot {name!r}; choose one of {', '.join(sorted(BOTS))}, or strategy:LEVER=VALUE;…"
        )


def make_bot(name: str, team: str, params: MarketParameters) -> Bot:
    """A bot of kind ``name`` playing ``team``; TeamError if there is no such bot."""
    if is_spec(name):
        return StrategyBot.from_name(name, team, params)
    check_bot_name(name)
    return BOTS[name](team, params)


__all__ = [
    "BOTS",
    "DEGENERATE",
    "REFERENCE_LEAGUE",
    "BalancedBot",
    "Bot",
    "CashOnDeliveryBot",
    "DumperBot",
    "EagerBot",
    "ForgetfulBot",
    "ForgiverBot",
    "LavishBot",
    "LaxBot",
    "LenderBot",
    "PassiveBot",
    "Reaction",
    "Strategy",
    "StrategyBot",
    "check_bot_name",
    "make_bot",
]
