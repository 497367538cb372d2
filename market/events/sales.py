"""What customers and the market do in the sales funnel: inquiries, closings, orders, deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import TeamEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryReceived(TeamEvent):
    kind: ClassVar[str] = "inquiry_received"
    inquiry_id: str
    request_id: str
    customer_id: str
    segment: str
    quantity: int
    list_price: float
    list_discount: float
    requested_terms: float
    wanted_delivery: float
    expires_t: float
    repeat: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryExpired(TeamEvent):
    kind: ClassVar[str] = "inquiry_expired"
    inquiry_id: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryLost(TeamEvent):
    """The customer chose another team, walked away, or never considered this quote."""

    kind: ClassVar[str] = "inquiry_lost"
    inquiry_id: str
    customer_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderWon(TeamEvent):
    kind: ClassVar[str] = "order_won"
    order_id: str
    inquiry_id: str
    customer_id: str
    segment: str
    quantity: int
    unit_price: float
    terms_days: float
    delivery_days: float
    installments: int
    delivery_due_t: float
    reply_hours: float

    @property
    def value(self) -> float:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderDelivered(TeamEvent):
    kind: ClassVar[str] = "order_delivered"
    order_id: str
    customer_id: str
    late_days: float
    defect: bool
    cogs: float

    @property
    def cash_delta(self) -> float:
        return -self.cogs


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryHeld(TeamEvent):
    """The goods are ready but the team lacks the cash to pay for them; the order waits."""

    kind: ClassVar[str] = "delivery_held"
    order_id: str
    customer_id: str
    needed: float


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderVoided(TeamEvent):
    """The customer cancelled an order that was too late: the sale is lost after all."""

    kind: ClassVar[str] = "order_voided"
    order_id: str
    customer_id: str
    late_days: float
