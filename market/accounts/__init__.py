"""A team's account as its events tell it: cash, what each invoice still owes, and the aging.

One fold that both sides read: the desk's console (``teams``) and the board (``scoring``) keep
an :class:`Account` each and feed it the team's events, so the cash and the aging they show are
the same numbers by construction. Pure bookkeeping over the event vocabulary, nothing else.
"""

from __future__ import annotations

from market.accounts.account import Account, InvoiceBalance
from market.accounts.aging import AGING_BUCKETS, MONEY_EPSILON, Aging, aging_bucket, days_past_due

__all__ = [
    "AGING_BUCKETS",
    "MONEY_EPSILON",
    "Account",
    "Aging",
    "InvoiceBalance",
    "aging_bucket",
    "days_past_due",
]
