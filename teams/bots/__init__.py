"""Reference bots: programs that play a team through the desk's commands.

``passive`` never answers; ``balanced`` plays a sensible routine; ``eager``, ``dumper``,
``lax`` and ``lavish`` each change one of its habits. ``make_bot`` builds one by name.
"""

from __future__ import annotations

from market.parameters import MarketParameters
from teams.bots.balanced import BalancedBot
from teams.bots.base import Bot, PassiveBot, Reaction
from teams.bots.variants import DumperBot, EagerBot, LavishBot, LaxBot
from teams.errors import TeamError

BOTS: dict[str, type[Bot]] = {
    cls.name: cls for cls in (PassiveBot, BalancedBot, EagerBot, DumperBot, LaxBot, LavishBot)
}

REFERENCE_LEAGUE = ("balanced", "eager", "dumper", "lax", "lavish", "passive")
"""One team per reference bot: the default league of simulate, sweep and the benchmarks."""


def make_bot(name: str, team: str, params: MarketParameters) -> Bot:
    """A bot of kind ``name`` playing ``team``; TeamError if there is no such bot."""
    cls = BOTS.get(name)
    if cls is None:
        raise TeamError(f"unknown bot {name!r}; choose one of {', '.join(sorted(BOTS))}")
    return cls(team, params)


__all__ = [
    "BOTS",
    "REFERENCE_LEAGUE",
    "BalancedBot",
    "Bot",
    "DumperBot",
    "EagerBot",
    "LavishBot",
    "LaxBot",
    "PassiveBot",
    "Reaction",
    "make_bot",
]
