"""Bots that pull one lever of ``balanced`` to an extreme, to price each lever in tests.

They are registered in ``teams.bots.BOTS`` only for the test that uses them (``registered``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from market import events as ev
from teams.bots import BOTS
from teams.bots.balanced import BalancedBot
from teams.ledger import Ledger


class CashOnDeliveryBot(BalancedBot):
    name = "cod"
    description = "balanced, but grants no credit terms at all"

    def terms(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> float:
        return 0.0


class LongTermsBot(BalancedBot):
    name = "long_terms"
    description = "balanced, but grants three times the terms asked for"

    def terms(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> float:
        return min(3.0 * inquiry.requested_terms, 120.0)


class DeepDiscountBot(BalancedBot):
    name = "deep_discount"
    description = "balanced, but gives every segment the price shoppers' discount and more"

    def discount(self, inquiry: ev.InquiryReceived) -> float:
        return 0.18


LEVER_BOTS = (CashOnDeliveryBot, LongTermsBot, DeepDiscountBot)


@contextmanager
def registered() -> Iterator[None]:
    """The lever bots playable by name while the block runs."""
    added = [cls for cls in LEVER_BOTS if cls.name not in BOTS]
    for cls in added:
        BOTS[cls.name] = cls
    try:
        yield
    finally:
        for cls in added:
            del BOTS[cls.name]
