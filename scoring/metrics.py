"""Team metrics: the frozen figures of one team at one moment, as the board and exports show them."""

from __future__ import annotations

from dataclasses import dataclass

from market.accounts import Aging


@dataclass(frozen=True, slots=True)
class TeamMetrics:
    """Everything scoring knows about one team at time ``now`` of the query.

    The three headline metrics are on a 0–100 scale and None while undefined (nothing closed, no
    customers — v2: no experience —, nothing due — v2: nothing invoiced). ``profit`` is cash
    gained since joining plus what customers still owe on open invoices (not written off; v2:
    less its expected loss); ``cash`` includes the starting cash, ``collected``
    is payments less refunds. ``dso_days`` and the aging buckets are in reporting days
    (``ScoringConfig.hours_per_day``). ``last_change_t`` is the simulated time of the last event
    that changed conversion, satisfaction or receivables (None if none did). ``quoted`` counts the
    inquiries ``mean_reply_hours`` is the mean over (quoted while still open).
    """

    team: str
    conversion: float | None
    satisfaction: float | None
    receivables: float | None
    profit: float
    cash: float
    collected: float
    dso_days: float | None
    overdue_share: float | None
    bad_debt_ratio: float | None
    aging: Aging
    due_total: float
    collected_due: float
    written_off: float
    won: int
    lost: int
    declined: int
    expired: int
    inquiries: int
    quoted: int
    customers: int
    invoices_due: int
    complaints_opened: int
    complaints_resolved: int
    complaints_resolved_within_sla: int
    mean_reply_hours: float | None
    last_change_t: float | None
    capital: float = 0.0
    """Starting cash (Σ ``TeamJoined.starting_cash``): the base of the v2 profit scale."""
    invoiced: float = 0.0
    """Net amount of every invoice issued (less credit notes and refunds)."""
    expected_loss: float | None = None
    """Rules v2: written off + expected loss on open invoices (None under v1)."""
    rounds: float = 1.0
    """Rounds played at ``now`` (now ÷ round length, at least 1): the v2 profit score's time base."""
    weeks: float = 1.0
    """Business weeks played at ``now`` (now ÷ week length, at least 1): the v5 profit score's time base."""
    experiences: int = 0
    """Experiences the team gave (``SatisfactionChanged`` events): what v2 satisfaction is the mean over."""

    @property
    def closed(self) -> int:
        """Inquiries closed in any way: won, lost, declined or expired."""
        return self.won + self.lost + self.declined + self.expired
