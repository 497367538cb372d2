"""The reference reply pace: how soon the balanced routine answers an inquiry, fitted to the market's clock.

A reply sent t hours after an inquiry is considered with probability e(t), which decays with
the market's τ (``reply_tau_hours``; docs/market.md, "Replies and engagement"). Under rules 1–3
the balanced routine replied after a quarter of a business hour in every preset — 94 % of
replies considered where τ = 4 h, but only 88 % in ``rush`` (τ = 2 h), so a strategy that
merely answered sooner beat the reference there (docs/strategy-search.md, "Rules v4: the
reference pace"). From rules 4, in the markets on a classroom clock (τ of an hour or more:
calm, classroom, credit-crunch, rush) it replies while the customer still considers
``REFERENCE_ENGAGEMENT`` of replies. Under rules 4 ``realistic`` (τ = 0.5 h) keeps the quarter
hour: there a reply in 18 seconds lifted every sensible team's return past the top of the profit
scale (+5 % a round, with monthly rounds), where profit stops telling teams apart (measured).
From rules 5 profit is taken per business week, a month no longer reaches the top, and
``realistic`` gets the fitted pace too (18 seconds). Earlier versions keep their pace, so their
seasons play as they did.
"""

from __future__ import annotations

import math

from market.parameters import MarketParameters

LEGACY_REPLY_HOURS = 0.25
"""The reply delay of rules 1–3, in every preset."""
PACE_RULES = 4
"""The first rules version whose reference pace follows the market's τ."""
REFERENCE_ENGAGEMENT = 0.99
"""From rules 4: the share of its replies a customer still considers when the reference replies."""
PACED_TAU_HOURS = 1.0
"""Under rules 4, the smallest τ whose market gets the fitted pace (a classroom clock)."""
PACE_EVERYWHERE_RULES = 5
"""From rules 5 (profit per business week, no ceiling a month could reach) every market gets it."""


def reference_reply_hours(params: MarketParameters) -> float:
    """Business hours from an inquiry to the balanced routine's quote in this market."""
    if params.rules < PACE_RULES:
        return LEGACY_REPLY_HOURS
    if params.rules < PACE_EVERYWHERE_RULES and params.reply_tau_hours < PACED_TAU_HOURS:
        return LEGACY_REPLY_HOURS
    floor = params.engagement_floor
    if floor >= REFERENCE_ENGAGEMENT:
        return LEGACY_REPLY_HOURS
    # e(t) = floor + (1 − floor)·exp(−t/τ) = REFERENCE_ENGAGEMENT
    return params.reply_tau_hours * math.log((1.0 - floor) / (REFERENCE_ENGAGEMENT - floor))
