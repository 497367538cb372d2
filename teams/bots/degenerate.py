"""Degenerate reference bots: the balanced routine with one lever pushed to its extreme.

Each is a point of the strategy family that a clever student might try to game the score
with: ``cod`` grants no credit at all (cash on delivery), ``lender`` grants the longest terms
in the market to everyone without checking anyone, ``forgetful`` never reminds nor hands an
invoice to a collector, ``forgiver`` writes every unpaid invoice off the day it falls due.
(``eager`` — list price only — and ``dumper`` — the largest discount that covers cost — are
the other two single-lever extremes.) A sensible team must rank above each of them.
"""

from __future__ import annotations

import dataclasses

from market.parameters import MarketParameters
from teams.bots.family import StrategyBot
from teams.bots.strategy import BALANCED


class CashOnDeliveryBot(StrategyBot):
    name = "cod"
    description = "grants no credit: every quote is cash on delivery"
    strategy = dataclasses.replace(
        BALANCED, terms=(("key_accounts", 0.0), ("price_shoppers", 0.0), ("smb", 0.0)), check_credit=()
    )


class LenderBot(StrategyBot):
    name = "lender"
    description = "grants the longest terms in the market to everyone, checks no one"

    def __init__(self, team: str, params: MarketParameters) -> None:
        longest = max(max(s.requested_terms) for s in params.segments)
        super().__init__(
            team,
            params,
            dataclasses.replace(BALANCED, terms_floor_days=longest, check_credit=(), grade_d_terms=1.0),
        )


class ForgetfulBot(StrategyBot):
    name = "forgetful"
    description = "never reminds and never hands an invoice to a collector"
    strategy = dataclasses.replace(BALANCED, remind_days=None, collect_share=None)


class ForgiverBot(StrategyBot):
    name = "forgiver"
    description = "writes every unpaid invoice off the day it falls due"
    strategy = dataclasses.replace(BALANCED, writeoff_share=0.0)
