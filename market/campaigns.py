"""Campaigns: a team's marketing budget in a segment, and the lift it gives while it runs.

A running campaign lifts the team's weight in the shortlists of the segment's customers and,
averaged over all teams, the segment's arrival rate; the lift grows with the budget still
running and saturates (``market.demand.campaign_lift``). A campaign ends at its ``ends_t``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from market import events as ev
from market.demand import campaign_lift

if TYPE_CHECKING:
    from market.market import Market


class Campaigns:
    """Every campaign launched in one market, by team and segment."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self._launched: dict[tuple[str, str], list[tuple[float, float]]] = {}

    def team_lift(self, team: str, segment: str) -> float:
        """The lift of the team's running campaigns in the segment (0 without any)."""
        active = self._launched.get((team, segment))
        if not active:
            return 0.0
        m = self.market
        now = m.env.now
        budget = sum(b for b, end in active if end > now)
        return campaign_lift(budget, m.params.campaign_lift, m.params.campaign_scale)

    def segment_lift(self, segment: str) -> float:
        """The segment's demand lift: the teams' lifts there, averaged over all teams."""
        teams = self.market.teams
        return sum(self.team_lift(t, segment) for t in teams) / len(teams)

    def on_launched(self, event: ev.CampaignLaunched) -> None:
        self._launched.setdefault((event.team, event.segment), []).append((event.budget, event.ends_t))
