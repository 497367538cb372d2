"""Reference bots that each change one habit of the balanced bot, to show what it costs.

``eager`` answers as fast but at list price; ``dumper`` quotes at cost; ``lax`` grants the
longest terms in the market, never checks credit, never reminds, never collects; ``lavish``
refunds every complaint in full. Under the default preset each must rank below ``balanced``.
"""

from __future__ import annotations

from market import events as ev
from teams.bots.balanced import BalancedBot
from teams.ledger import Ledger


class EagerBot(BalancedBot):
    name = "eager"
    description = "answers fast at list price"

    def discount(self, inquiry: ev.InquiryReceived) -> float:
        return 0.0


class DumperBot(BalancedBot):
    name = "dumper"
    description = "quotes every inquiry at cost"

    def discount(self, inquiry: ev.InquiryReceived) -> float:
        return 1.0  # capped at the largest discount that still covers cost


class LaxBot(BalancedBot):
    name = "lax"
    description = "longest terms, no credit checks, no reminders, no collection"
    checks_credit = False
    sends_reminders = False
    collects = False

    def terms(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> float:
        return max(max(s.requested_terms) for s in self.params.segments)


class LavishBot(BalancedBot):
    name = "lavish"
    description = "refunds every complaint in full"

    def remedy(self, complaint: ev.ComplaintOpened) -> tuple[str, float]:
        return ("refund", 0.0)
