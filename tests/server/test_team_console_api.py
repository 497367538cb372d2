"""What the team console reads to check its forms as they are typed: ``GET /team/state`` names
the moment it shows (``t_sim``) and the desk's rules for the member's role (``desk``: discount
authority, limits, prices, costs, permissions), each complaint's remedy costs, each customer's
open balance and each invoice's days overdue.

The figures must be the ones the desk enforces: the tests act on them and compare with what
the desk then does (a quote within the authority goes out, above it waits for approval,
beyond the approver's is refused; a remedy takes exactly the cash the view said).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.server.helpers import Game, Headers, create_competition, join_team, keep_running, pause, team_state

SEGMENTS = ("key_accounts", "smb", "price_shoppers")
MARKET: dict[str, Any] = (
    {f"segments.{s}.defect": 1.0 for s in SEGMENTS}  # every delivery fails and is complained about
    | {f"segments.{s}.complaint_probability": 1.0 for s in SEGMENTS}
    | {f"segments.{s}.late_base": 0.5 for s in SEGMENTS}  # some invoices paid, some overdue
    | {f"segments.{s}.patience_hours": 500 for s in SEGMENTS}  # inquiries wait for the tests
    | {
        "product.unit_cost": 40.0,  # a floor far below the largest discount: both limits testable
        "service.complaint_delay_days": 0.05,
        "service.sla_minor_hours": 500,
        "service.sla_major_hours": 500,
        "inquiries_per_team_per_day": 8,
    }
)
ROLES = ("manager", "sales", "service", "finance")


@dataclass
class Console:
    client: TestClient
    game: Game
    members: dict[str, Headers]
    state: dict[str, Any]
    fresh: list[str] = field(default_factory=list)

    def take_inquiry(self) -> dict[str, Any]:
        inquiry_id = self.fresh.pop(0)
        return next(i for i in self.state["inbox"] if i["inquiry_id"] == inquiry_id)

    def post(self, path: str, role: str, body: Any = None) -> Any:
        return self.client.post("/api/v1/team" + path, json=body, headers=self.members[role])


def _ready(state: dict[str, Any]) -> bool:
    """Whether the desk holds what the tests need: complaints with orders (one paid), open inquiries
    to quote, and money a customer still owes (orders are few: at some moments all are paid)."""
    owing = any(c["open_balance"] > 0 for c in state["customers"])
    with_orders = [
        c for c in state["complaints"] if c["status"] == "open" and c["remedy_costs"]["order_value"] > 0
    ]
    paid = [c for c in with_orders if c["remedy_costs"]["paid"] > 0]
    fresh = [i for i in state["inbox"] if i["status"] == "open"]
    return len(with_orders) >= 3 and len(paid) >= 1 and len(fresh) >= 4 and owing


@pytest.fixture(scope="module")
def console(module_client: TestClient, module_instructor: Headers) -> Iterator[Console]:
    client = module_client
    game = create_competition(
        client,
        module_instructor,
        teams=(("House", "balanced"), ("Humans", None)),
        seconds_per_hour=0.02,
        rounds=40,
        seed=4242,
        overrides=MARKET | {"mode": "mirrored"},
    )
    members = {role: join_team(client, game.codes["Humans"], f"{role.title()} One", role) for role in ROLES}
    policy = {"discount": 0.05, "terms_days": 1, "delivery_days": 0.5, "delay_hours": 0.1}
    for segment in ("smb", "price_shoppers"):  # key accounts stay for the tests to quote by hand
        response = client.put(
            f"/api/v1/team/policies/quotes/{segment}", json=policy, headers=members["manager"]
        )
        assert response.status_code == 200, response.text
    deadline = time.monotonic() + 30
    while True:
        keep_running(client, game)
        state = team_state(client, members["manager"])
        if _ready(state):
            pause(client, game)
            state = team_state(client, members["manager"])
            if _ready(state):
                break
            client.post(game.path("/resume"), headers=module_instructor)
        assert time.monotonic() < deadline, f"the desk did not fill up in time: {state}"
        time.sleep(0.05)
    fresh = [i["inquiry_id"] for i in state["inbox"] if i["status"] == "open"]
    yield Console(client, game, members, state, fresh)


def test_the_state_names_its_moment_and_the_desk_rules_of_the_members_role(console: Console) -> None:
    parameters = console.client.get(console.game.path("/parameters"), headers=console.members["sales"]).json()
    status = console.client.get(console.game.path(), headers=console.game.instructor).json()
    authority = {"manager": 0.25, "sales": 0.10, "service": 0.0, "finance": 0.0}
    for role in ROLES:
        state = team_state(console.client, console.members[role])
        assert state["t_sim"] == pytest.approx(status["t_sim"])  # paused: the same moment
        desk = state["desk"]
        assert desk["role"] == role
        assert desk["my_authority"] == authority[role]
        assert desk["authority"] == authority
        assert desk["approver"] == "manager" and desk["max_discount"] == 0.25
        assert desk["max_installments"] >= 1 and desk["max_terms_days"] > 0 and desk["max_delivery_days"] > 0
        assert desk["list_price"] == parameters["product"]["list_price"]
        assert desk["unit_cost"] == parameters["product"]["unit_cost"] == 40.0
        assert desk["survey_cost"] == parameters["service"]["survey_cost"]
        assert desk["credit_check_cost"] == parameters["service"]["credit_check_cost"]
        assert desk["care_cost"] == parameters["service"]["care_cost"]
        assert desk["sla_hours"] == {
            "minor": parameters["service"]["sla_minor_hours"],
            "major": parameters["service"]["sla_major_hours"],
        }
        assert desk["remedies"] == ["apology", "credit_note", "replacement", "refund"]
        assert [s["id"] for s in desk["segments"]] == list(parameters["segments"])
        assert desk["campaign"]["days"] == parameters["campaign_days"]
    permissions = {
        role: set(team_state(console.client, console.members[role])["desk"]["permissions"]) for role in ROLES
    }
    assert {"send_quote", "revise_quote", "launch_campaign"} <= permissions["sales"]
    assert "approve_discount" not in permissions["sales"] and "write_off" not in permissions["sales"]
    assert {"resolve_complaint", "request_survey"} <= permissions["service"]
    assert "send_quote" not in permissions["service"]
    assert {"send_reminder", "write_off", "set_credit_limit"} <= permissions["finance"]
    assert {"approve_discount", "set_quote_policy", "send_quote", "write_off"} <= permissions["manager"]
    assert all(permissions[role] <= permissions["manager"] for role in ROLES)


def test_the_routes_a_console_predicts_from_the_desk_rules_are_the_desks(console: Console) -> None:
    desk = console.state["desk"]
    sales = team_state(console.client, console.members["sales"])["desk"]
    # within the seller's authority: sent at once
    inquiry = console.take_inquiry()
    response = console.post(
        f"/inquiries/{inquiry['inquiry_id']}/quote", "sales", {"discount": sales["my_authority"]}
    )
    assert response.status_code == 200, response.text
    assert [e["kind"] for e in response.json()["events"]] == ["quote_sent"]
    # above it, within the approver's: waits for approval
    inquiry = console.take_inquiry()
    between = (sales["my_authority"] + desk["max_discount"]) / 2
    response = console.post(f"/inquiries/{inquiry['inquiry_id']}/quote", "sales", {"discount": between})
    assert response.status_code == 200, response.text
    assert [e["kind"] for e in response.json()["events"]] == ["approval_requested"]
    # beyond the approver's (still above cost here): refused, for the manager too
    inquiry = console.take_inquiry()
    floor = 1 - inquiry["list_discount"] - desk["unit_cost"] / inquiry["list_price"]
    beyond = desk["max_discount"] + 0.05
    assert beyond < floor
    for role in ("sales", "manager"):
        response = console.post(f"/inquiries/{inquiry['inquiry_id']}/quote", role, {"discount": beyond})
        assert response.status_code == 403, response.text
        assert "largest anyone may grant" in response.json()["detail"]
    # the manager's own authority is the approver's
    response = console.post(
        f"/inquiries/{inquiry['inquiry_id']}/quote", "manager", {"discount": desk["max_discount"]}
    )
    assert [e["kind"] for e in response.json()["events"]] == ["quote_sent"]
    # the price the console shows: list price × (1 − price-list discount − position discount)
    expected = round(inquiry["list_price"] * (1 - inquiry["list_discount"] - desk["max_discount"]), 2)
    assert response.json()["events"][0]["unit_price"] == pytest.approx(expected)
    # below the floor the view implies: refused for cost
    inquiry = console.take_inquiry()
    floor = 1 - inquiry["list_discount"] - desk["unit_cost"] / inquiry["list_price"]
    response = console.post(
        f"/inquiries/{inquiry['inquiry_id']}/quote", "manager", {"discount": floor + 0.01}
    )
    assert response.status_code == 422 and "unit cost" in response.json()["detail"]


def _credit_and_refunds(events: list[dict[str, Any]]) -> tuple[float, float]:
    credit = sum(e["amount"] for e in events if e["kind"] == "credit_note_issued")
    refunds = sum(e["amount"] for e in events if e["kind"] == "refund_paid")
    return round(credit, 2), round(refunds, 2)


def test_remedy_costs_are_what_resolving_takes(console: Console) -> None:
    state = team_state(console.client, console.members["service"])
    complaints = [
        c for c in state["complaints"] if c["status"] == "open" and c["remedy_costs"]["order_value"] > 0
    ]
    paid = next(c for c in complaints if c["remedy_costs"]["paid"] > 0)
    others = [c for c in complaints if c is not paid]
    plans = [(paid, "refund", 0.0), (others[0], "replacement", 0.0), (others[1], "credit_note", 30.0)]
    for complaint, remedy, percent in plans:
        before = team_state(console.client, console.members["service"])
        costs = next(c for c in before["complaints"] if c["complaint_id"] == complaint["complaint_id"])[
            "remedy_costs"
        ]
        body = {"remedy": remedy, "credit_percent": percent}
        response = console.post(f"/complaints/{complaint['complaint_id']}/resolve", "service", body)
        assert response.status_code == 200, response.text
        events = response.json()["events"]
        after = team_state(console.client, console.members["service"])
        spent = round(before["cash"] - after["cash"], 2)
        credit, refunds = _credit_and_refunds(events)
        if remedy == "credit_note":  # the console's own sum: credited off open invoices first, then refunded
            give = round(costs["order_value"] * percent / 100, 2)
            expected = {
                "credit": min(give, costs["open"]),
                "cash": min(give - min(give, costs["open"]), costs["paid"]),
            }
        else:
            expected = costs[remedy]
        assert spent == pytest.approx(expected["cash"], abs=0.011), (remedy, costs, events)
        assert credit == pytest.approx(expected["credit"], abs=0.011), (remedy, costs, events)
        if remedy == "refund":
            assert refunds == pytest.approx(costs["refund"]["cash"], abs=0.011)
            assert costs["refund"]["cash"] > 0  # this order had been paid: money goes back
        if remedy == "replacement":
            order = next(o for o in before["orders"] if o["order_id"] == complaint["order_id"])
            assert costs["replacement"] == {
                "cash": round(order["quantity"] * before["desk"]["unit_cost"], 2),
                "credit": 0.0,
            }
    assert all(c["remedy_costs"]["apology"] == {"cash": 0.0, "credit": 0.0} for c in complaints)
    closed = [
        c
        for c in team_state(console.client, console.members["service"])["complaints"]
        if c["status"] != "open"
    ]
    assert len(closed) >= 3 and all(c["remedy_costs"] is None for c in closed)  # only open ones need them


def test_customers_carry_their_open_balance_and_invoices_their_days_overdue(console: Console) -> None:
    state = team_state(console.client, console.members["finance"])
    hours_per_day = console.client.get(console.game.path(), headers=console.game.instructor).json()[
        "hours_per_day"
    ]
    for customer in state["customers"]:
        cid = customer["customer_id"]
        undelivered = sum(
            o["value"] for o in state["orders"] if o["customer_id"] == cid and o["status"] in ("open", "held")
        )
        owed = sum(
            i["outstanding"]
            for i in state["invoices"]
            if i["customer_id"] == cid and i["status"] in ("open", "collection")
        )
        assert customer["open_balance"] == pytest.approx(undelivered + owed, abs=0.011), customer
    assert any(c["open_balance"] > 0 for c in state["customers"])
    for invoice in state["invoices"]:
        days = max(0.0, (state["t_sim"] - invoice["due_t"]) / hours_per_day)
        assert invoice["days_overdue"] == pytest.approx(days, abs=0.001)
        assert (invoice["bucket"] == "current") == (state["t_sim"] < invoice["due_t"])
