"""Account service: what a team does for a customer it knows, outside a sale or a complaint.

Account care lifts the customer's satisfaction with the team at once and, for
``care_days``, lowers its churn (``market.retention``). A survey is answered
``survey_hours`` later with the customer's satisfaction at that moment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from market import events as ev

if TYPE_CHECKING:
    from market.customer import Customer
    from market.market import Market


class AccountService:
    """The customers of one market answering the teams' care and surveys."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def on_care(self, event: ev.AccountCared) -> None:
        m = self.market
        customer = m.customers.get(event.customer_id)
        if customer is None:
            return
        customer.care_until[event.team] = m.env.now + m.hours(m.params.service.care_days)
        lift = m.params.satisfaction.care_lift
        m.feel(customer, event.team, "account_care", lambda s: s.lift(lift))

    def on_survey(self, event: ev.SurveyRequested) -> None:
        m = self.market
        customer = m.customers.get(event.customer_id)
        if customer is None:
            return
        m.at(m.env.now + m.params.service.survey_hours, self._answer_survey, customer, event.team)

    def _answer_survey(self, customer: Customer, team: str) -> None:
        m = self.market
        s = m.sentiment(customer, team).satisfaction
        m.emit(ev.SurveyAnswered, team=team, customer_id=customer.id, satisfaction=round(s, 3))
