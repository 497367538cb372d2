"""The team API: every desk command endpoint, the team's views, isolation and rate limiting.

One competition is played for a few rounds first (two house bots, a human team whose
manager set quote policies, a product recall), so that the human team has open inquiries,
customers, overdue invoices and open complaints. Then the clock is paused and the tests
work that desk through the API; a paused competition still takes commands, and nothing
moves while the tests look.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.wire.channels import team_channel
from tests.server.helpers import (
    Game,
    Headers,
    create_competition,
    in_loop,
    join_team,
    keep_running,
    login_instructor,
    make_app,
    pause,
    status,
    team_state,
    wait_for,
)

SEGMENTS = ("key_accounts", "smb", "price_shoppers")
BUSY_MARKET = (
    {f"segments.{s}.late_base": 0.95 for s in SEGMENTS}  # late payers: invoices come overdue soon
    | {f"segments.{s}.late_mean_delay": 30 for s in SEGMENTS}
    | {f"segments.{s}.patience_hours": 24 for s in SEGMENTS}  # inquiries wait for the tests
    | {"inquiries_per_team_per_day": 6}
)


def refused(response: Any, status_code: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status_code, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert isinstance(body.get("detail"), str) and body["detail"], body
    assert body.get("code"), body
    for word in words:
        assert word.lower() in body["detail"].lower(), (word, body["detail"])
    return body


def accepted(response: Any, *kinds: str) -> list[dict[str, Any]]:
    """Assert an accepted command whose events have ``kinds``; return the events."""
    assert response.status_code == 200, (response.status_code, response.text)
    body = response.json()
    assert body["accepted"] is True
    assert isinstance(body["t_sim"], float)
    events: list[dict[str, Any]] = body["events"]
    assert [e["kind"] for e in events] == list(kinds), events
    assert all(e["team"] == "Humans" for e in events)
    return events


@dataclass
class Desk:
    """The human team's desk, paused, with a member in every role."""

    client: TestClient
    game: Game
    manager: Headers
    sales: Headers
    service: Headers
    finance: Headers
    rival: Headers  # the manager of another human team in the same competition
    state: dict[str, Any]
    fresh: list[str] = field(default_factory=list)
    taken: set[str] = field(default_factory=set)

    def take_inquiry(self) -> str:
        """An open, unquoted inquiry no other test uses.

        The played desk holds a few; a test process that runs more of the tests than that waits
        for the market to send another (the clock runs until one arrives, then stops again).
        """
        if not self.fresh:
            self.fresh = wait_for(self._new_open_inquiries, timeout=60, what="a new open inquiry")
        inquiry = self.fresh.pop(0)
        self.taken.add(inquiry)
        return inquiry

    def _new_open_inquiries(self) -> list[str]:
        keep_running(self.client, self.game)
        self.client.post(self.game.path("/resume"), headers=self.game.instructor)
        time.sleep(0.05)
        pause(self.client, self.game)
        inbox = team_state(self.client, self.manager)["inbox"]
        return [i["inquiry_id"] for i in inbox if i["status"] == "open" and i["inquiry_id"] not in self.taken]

    def events(self, who: Headers | None = None) -> list[dict[str, Any]]:
        response = self.client.get("/api/v1/team/events", params={"limit": 5000}, headers=who or self.manager)
        assert response.status_code == 200, response.text
        result: list[dict[str, Any]] = response.json()
        return result

    def post(self, path: str, who: Headers, body: Any = None) -> Any:
        return self.client.post("/api/v1/team" + path, json=body, headers=who)

    def put(self, path: str, who: Headers, body: Any = None) -> Any:
        return self.client.put("/api/v1/team" + path, json=body, headers=who)


def _ready(state: dict[str, Any]) -> bool:
    overdue = [i for i in state["invoices"] if i["status"] == "open" and i["bucket"] != "current"]
    complaints = [c for c in state["complaints"] if c["status"] == "open"]
    fresh = [i for i in state["inbox"] if i["status"] == "open"]
    won = [c for c in state["customers"] if c["orders"] > 0]
    return len(overdue) >= 2 and len(complaints) >= 1 and len(fresh) >= 6 and len(won) >= 2


@pytest.fixture(scope="module")
def desk(module_client: TestClient, module_instructor: Headers) -> Iterator[Desk]:
    client = module_client
    game = create_competition(
        client,
        module_instructor,
        teams=(("Alpha", "balanced"), ("Beta", "balanced"), ("Humans", None), ("Others", None)),
        seconds_per_hour=0.02,
        rounds=40,
        seed=777,
        overrides=BUSY_MARKET,
    )
    manager = join_team(client, game.codes["Humans"], "Mia", "manager")
    desk = Desk(
        client=client,
        game=game,
        manager=manager,
        sales=join_team(client, game.codes["Humans"], "Sam", "sales"),
        service=join_team(client, game.codes["Humans"], "Sue", "service"),
        finance=join_team(client, game.codes["Humans"], "Fin", "finance"),
        rival=join_team(client, game.codes["Others"], "Rex", "manager"),
        state={},
    )
    for segment in SEGMENTS:
        policy = {"discount": 0.08, "terms_days": 2, "delivery_days": 1, "delay_hours": 0.1}
        assert desk.put(f"/policies/quotes/{segment}", manager, policy).status_code == 200

    started = time.monotonic()
    recalled, policies_on = False, True
    deadline = started + 25
    while True:
        keep_running(client, game)
        state = team_state(client, manager)
        if not recalled and sum(c["orders"] for c in state["customers"]) >= 6:
            shock = {"shock": "recall", "segment": "*", "magnitude": 1.0}
            assert client.post(game.path("/shocks"), json=shock, headers=module_instructor).status_code == 200
            recalled = True
        overdue = [i for i in state["invoices"] if i["status"] == "open" and i["bucket"] != "current"]
        if policies_on and recalled and len(overdue) >= 2:
            for segment in SEGMENTS:
                assert desk.put(f"/policies/quotes/{segment}", manager, {"enabled": False}).status_code == 200
            policies_on = False
        if not policies_on and _ready(state):
            pause(client, game)
            state = team_state(client, manager)
            if _ready(state):
                break
            keep_running(client, game)
            client.post(game.path("/resume"), headers=module_instructor)
        assert time.monotonic() < deadline, f"the desk did not fill up in time: {state}"
        time.sleep(0.05)
    desk.state = state
    desk.fresh = [i["inquiry_id"] for i in state["inbox"] if i["status"] == "open"]
    print(f"desk played in {time.monotonic() - started:.1f} s to t={status(client, game)['t_sim']:.1f} h")
    yield desk


def overdue_invoices(desk: Desk) -> list[str]:
    return [
        i["invoice_id"] for i in desk.state["invoices"] if i["status"] == "open" and i["bucket"] != "current"
    ]


def open_complaints(desk: Desk) -> list[str]:
    return [c["complaint_id"] for c in desk.state["complaints"] if c["status"] == "open"]


def customers_with_orders(desk: Desk) -> list[str]:
    return [c["customer_id"] for c in desk.state["customers"] if c["orders"] > 0]


def customers_without_orders(desk: Desk) -> list[str]:
    return [c["customer_id"] for c in desk.state["customers"] if c["orders"] == 0]


def above_sales_authority(desk: Desk, inquiry: str) -> float:
    """A discount above a seller's 10 % that still prices the inquiry above the unit cost."""
    (record,) = [i for i in desk.state["inbox"] if i["inquiry_id"] == inquiry]
    unit_cost = 76.0  # classroom: list price 100
    ceiling = 1.0 - record["list_discount"] - unit_cost / record["list_price"]
    discount = round(min(0.15, ceiling - 0.01), 2)
    assert discount > 0.1, record
    return discount


# --- the played desk -------------------------------------------------------------------------------


def test_the_desk_is_paused_with_work_to_do(desk: Desk) -> None:
    assert status(desk.client, desk.game)["state"] == "paused"
    assert len(desk.fresh) >= 6


# --- inquiries: quote, revise, follow up, decline ----------------------------------------------------


def test_send_quote(desk: Desk) -> None:
    inquiry = desk.take_inquiry()
    path = f"/inquiries/{inquiry}/quote"
    refused(desk.post(path, desk.service, {"discount": 0.05}), 403, "service", "sales")
    refused(desk.post(path, desk.finance, {"discount": 0.05}), 403, "finance")
    refused(desk.post(path, desk.sales, {"discount": "a lot"}), 422, "discount")
    refused(desk.post(path, desk.sales, {"discount": 0.05, "team": "Alpha"}), 422, "team")
    refused(desk.post(path, desk.sales, {"discount": 0.05, "colour": "red"}), 422, "colour")
    refused(desk.post(path, desk.sales, {"installments": 1.5}), 422, "installments")
    refused(desk.post(path, desk.sales, {"terms_days": 500}), 422, "terms_days")
    refused(desk.post(path, desk.sales, {"discount": 0.3}), 422, "unit cost")
    refused(desk.post(path, desk.manager, {"discount": 0.2, "terms_days": -1}), 422, "terms_days")
    refused(desk.post("/inquiries/R999999/Humans/quote", desk.sales, {"discount": 0.05}), 404, "R999999")
    # another team's member does not see this team's inquiry at all
    refused(desk.post(path, desk.rival, {"discount": 0.05}), 404, "Others")

    events = accepted(
        desk.post(path, desk.sales, {"discount": 0.05, "terms_days": 5, "delivery_days": 3}), "quote_sent"
    )
    assert events[0]["inquiry_id"] == inquiry
    assert (events[0]["discount"], events[0]["terms_days"], events[0]["delivery_days"]) == (0.05, 5.0, 3.0)
    assert events[0]["role"] == "sales"
    refused(desk.post(path, desk.sales, {"discount": 0.05}), 409, "already quoted")

    # revise the quote; then follow it up, once
    revise = f"/inquiries/{inquiry}/revise"
    refused(desk.post(revise, desk.service, {"discount": 0.03}), 403, "service")
    refused(desk.post(revise, desk.sales, {"discount": 0.03, "bogus": True}), 422, "bogus")
    events = accepted(desk.post(revise, desk.sales, {"discount": 0.03, "terms_days": 5}), "quote_sent")
    assert events[0]["revision"] == 1 and events[0]["discount"] == 0.03
    follow = f"/inquiries/{inquiry}/follow-up"
    refused(desk.post(follow, desk.finance), 403, "finance")
    refused(desk.post(follow, desk.sales, {"inquiry_id": "x"}), 422, "inquiry_id")
    accepted(desk.post(follow, desk.sales), "follow_up_made")
    refused(desk.post(follow, desk.sales), 409, "already followed up")
    refused(desk.post("/inquiries/R999999/Humans/follow-up", desk.sales), 404)


def test_a_refusal_names_its_rule_and_values_for_the_page(desk: Desk) -> None:
    """So that a page writes it in its language and units (common/refusals.js)."""
    inquiry = desk.take_inquiry()
    path = f"/inquiries/{inquiry}/quote"
    body = refused(desk.post(path, desk.sales, {"terms_days": 500}), 422, "terms_days")
    assert body["rule"] == "out_of_range"
    assert body["values"]["field"] == "terms_days" and body["values"]["value"] == 500
    assert body["values"]["low"] == 0 and body["values"]["high"] < 500
    body = refused(desk.post(path, desk.sales, {"discount": 0.3}), 422, "unit cost")
    assert body["rule"] == "below_cost"
    assert body["values"]["price"] < body["values"]["cost"] and 0 < body["values"]["most"] < 0.3
    body = refused(desk.post("/inquiries/R999999/Humans/quote", desk.sales, {"discount": 0.05}), 404)
    assert "rule" not in body  # a refusal without a rule is shown as the server wrote it
    assert all(i["inquiry_id"] != inquiry or i["status"] == "open" for i in desk.state["inbox"])


def test_revise_and_follow_up_need_a_quote(desk: Desk) -> None:
    inquiry = desk.take_inquiry()
    refused(
        desk.post(f"/inquiries/{inquiry}/revise", desk.sales, {"discount": 0.02}), 409, "no quote to revise"
    )
    refused(desk.post(f"/inquiries/{inquiry}/follow-up", desk.sales), 409, "no quote")
    refused(desk.post("/inquiries/R999999/Humans/revise", desk.sales, {"discount": 0.02}), 404)
    # the inquiry is still there for others
    desk.fresh.append(inquiry)


def test_decline_inquiry(desk: Desk) -> None:
    inquiry = desk.take_inquiry()
    path = f"/inquiries/{inquiry}/decline"
    refused(desk.post(path, desk.finance, {"reason": "too small"}), 403, "finance")
    refused(desk.post(path, desk.sales, {"reason": 5}), 422, "reason")
    refused(desk.post("/inquiries/nope/decline", desk.sales), 404, "nope")
    events = accepted(desk.post(path, desk.sales, {"reason": "too small"}), "inquiry_declined")
    assert events[0]["inquiry_id"] == inquiry and events[0]["reason"] == "too small"
    refused(desk.post(path, desk.sales), 409, "already declined")
    refused(desk.post(f"/inquiries/{inquiry}/quote", desk.sales, {"discount": 0.01}), 409, "declined")
    state = team_state(desk.client, desk.manager)
    assert inquiry not in [i["inquiry_id"] for i in state["inbox"]]


# --- approvals: a discount above a seller's authority goes to the manager --------------------------------


def test_approval_flow_through_two_members(desk: Desk) -> None:
    inquiry = desk.take_inquiry()
    discount = above_sales_authority(desk, inquiry)
    events = accepted(
        desk.post(f"/inquiries/{inquiry}/quote", desk.sales, {"discount": discount, "terms_days": 3}),
        "approval_requested",
    )
    approval = events[0]["approval_id"]
    assert (
        events[0]["inquiry_id"] == inquiry
        and events[0]["discount"] == discount
        and events[0]["role"] == "sales"
    )
    state = team_state(desk.client, desk.manager)
    assert approval in [a["approval_id"] for a in state["approvals"]]
    refused(desk.post(f"/inquiries/{inquiry}/quote", desk.sales, {"discount": 0.05}), 409, "awaits approval")

    path = f"/approvals/{approval}/approve"
    refused(desk.post(path, desk.sales), 403, "sales", "manager")
    refused(desk.post(path, desk.finance), 403)
    refused(desk.post(path, desk.manager, {"approved": True}), 422, "approved")
    refused(desk.post("/approvals/Humans-ap999/approve", desk.manager), 404, "Humans-ap999")
    events = accepted(desk.post(path, desk.manager), "approval_decided", "quote_sent")
    assert events[0]["approved"] is True and events[0]["approval_id"] == approval
    assert (
        events[1]["inquiry_id"] == inquiry
        and events[1]["discount"] == discount
        and events[1]["role"] == "sales"
    )
    refused(desk.post(path, desk.manager), 409, "already approved")
    refused(desk.post(f"/approvals/{approval}/reject", desk.manager), 409, "already approved")
    assert approval not in [a["approval_id"] for a in team_state(desk.client, desk.manager)["approvals"]]


def test_reject_discount(desk: Desk) -> None:
    inquiry = desk.take_inquiry()
    discount = above_sales_authority(desk, inquiry)
    events = accepted(
        desk.post(f"/inquiries/{inquiry}/quote", desk.sales, {"discount": discount}), "approval_requested"
    )
    approval = events[0]["approval_id"]
    path = f"/approvals/{approval}/reject"
    refused(desk.post(path, desk.sales, {"reason": "no"}), 403, "sales")
    refused(desk.post(path, desk.manager, {"reason": ["no"]}), 422, "reason")
    refused(desk.post("/approvals/nope/reject", desk.manager), 404, "nope")
    events = accepted(desk.post(path, desk.manager, {"reason": "too generous"}), "approval_decided")
    assert events[0]["approved"] is False and events[0]["reason"] == "too generous"
    refused(desk.post(path, desk.manager), 409, "already rejected")
    # the seller may quote again, within authority
    accepted(desk.post(f"/inquiries/{inquiry}/quote", desk.sales, {"discount": 0.1}), "quote_sent")
    refused(desk.post(f"/inquiries/{inquiry}/quote", desk.manager, {"discount": 0.5}), 409, "already quoted")


def test_a_manager_quotes_a_larger_discount_without_approval(desk: Desk) -> None:
    inquiry = desk.take_inquiry()
    path = f"/inquiries/{inquiry}/quote"
    discount = above_sales_authority(desk, inquiry)
    refused(desk.post(path, desk.sales, {"discount": discount, "approval": True}), 422, "approval")
    events = accepted(desk.post(path, desk.manager, {"discount": discount, "terms_days": 2}), "quote_sent")
    assert events[0]["discount"] == discount and events[0]["role"] == "manager"


# --- receivables ------------------------------------------------------------------------------------------


def test_send_reminder(desk: Desk) -> None:
    invoice = overdue_invoices(desk)[0]
    path = f"/invoices/{invoice}/reminder"
    refused(desk.post(path, desk.service), 403, "service", "finance")
    refused(desk.post(path, desk.sales), 403)
    refused(desk.post("/invoices/I999/Humans-1/reminder", desk.finance), 404, "I999/Humans-1")
    refused(desk.post(path, desk.finance, {"early": False}), 422, "early")
    events = accepted(desk.post(path, desk.finance), "reminder_sent")
    assert events[0]["invoice_id"] == invoice and events[0]["early"] is False and events[0]["by"] == "Fin"
    events = accepted(desk.post(path, desk.finance), "reminder_sent")
    assert events[0]["repeated"] is True


def test_hand_over_to_collection(desk: Desk) -> None:
    invoice = overdue_invoices(desk)[0]
    path = f"/invoices/{invoice}/collection"
    refused(desk.post(path, desk.sales), 403, "sales")
    refused(desk.post("/invoices/nope/collection", desk.finance), 404, "nope")
    events = accepted(desk.post(path, desk.finance), "invoice_handed_over")
    assert events[0]["invoice_id"] == invoice and events[0]["outstanding"] > 0
    refused(desk.post(path, desk.finance), 409, "collection")
    refused(desk.post(f"/invoices/{invoice}/reminder", desk.finance), 409, "not open")


def test_write_off(desk: Desk) -> None:
    invoice = overdue_invoices(desk)[1]
    path = f"/invoices/{invoice}/write-off"
    refused(desk.post(path, desk.service), 403, "service")
    refused(desk.post("/invoices/nope/write-off", desk.finance), 404)
    refused(desk.post(path, desk.finance, {"amount": 1}), 422, "amount")
    events = accepted(desk.post(path, desk.finance), "invoice_written_off")
    assert events[0]["invoice_id"] == invoice and events[0]["by"] == "team"
    refused(desk.post(path, desk.finance), 409, "written off")
    current = [
        i["invoice_id"] for i in desk.state["invoices"] if i["status"] == "open" and i["bucket"] == "current"
    ]
    if current:  # an invoice that is not due yet cannot be written off or handed over
        refused(desk.post(f"/invoices/{current[0]}/write-off", desk.finance), 409, "not due yet")
        refused(desk.post(f"/invoices/{current[0]}/collection", desk.finance), 409, "not due yet")


# --- service ------------------------------------------------------------------------------------------


def test_resolve_complaint(desk: Desk) -> None:
    complaint = open_complaints(desk)[0]
    path = f"/complaints/{complaint}/resolve"
    refused(desk.post(path, desk.sales, {"remedy": "apology"}), 403, "sales", "service")
    refused(desk.post(path, desk.service), 422)  # the remedy is required
    refused(desk.post(path, desk.service, {}), 422, "remedy")
    refused(desk.post(path, desk.service, {"remedy": "flowers"}), 422, "flowers", "apology")
    refused(desk.post(path, desk.service, {"remedy": "credit_note"}), 422, "credit_percent")
    refused(
        desk.post(path, desk.service, {"remedy": "credit_note", "credit_percent": 150}), 422, "credit_percent"
    )
    refused(desk.post("/complaints/K999/Humans/resolve", desk.service, {"remedy": "apology"}), 404, "K999")
    events = accepted(desk.post(path, desk.service, {"remedy": "apology"}), "complaint_resolved")
    assert (
        events[0]["complaint_id"] == complaint
        and events[0]["remedy"] == "apology"
        and events[0]["by"] == "Sue"
    )
    refused(desk.post(path, desk.service, {"remedy": "apology"}), 409, "already resolved")


def test_request_survey(desk: Desk) -> None:
    customer = desk.state["customers"][0]["customer_id"]
    path = f"/customers/{customer}/survey"
    refused(desk.post(path, desk.finance), 403, "finance")
    refused(desk.post("/customers/C999.9/survey", desk.service), 404, "C999.9")
    events = accepted(desk.post(path, desk.service), "survey_requested")
    assert events[0]["customer_id"] == customer and events[0]["cost"] > 0


def test_check_credit(desk: Desk) -> None:
    customer = customers_with_orders(desk)[0]
    path = f"/customers/{customer}/credit-check"
    refused(desk.post(path, desk.service), 403, "service")
    refused(desk.post("/customers/C999.9/credit-check", desk.finance), 404)
    events = accepted(desk.post(path, desk.finance), "credit_checked")
    assert events[0]["customer_id"] == customer and events[0]["grade"]
    accepted(desk.post(f"/customers/{customer}/credit-check", desk.sales), "credit_checked")


def test_set_credit_limit(desk: Desk) -> None:
    customer = customers_with_orders(desk)[0]
    path = f"/customers/{customer}/credit-limit"
    refused(desk.put(path, desk.sales, {"limit": 1000}), 403, "sales")
    refused(desk.put(path, desk.finance), 422)  # the limit is required
    refused(desk.put(path, desk.finance, {"limit": -1}), 422, "limit")
    refused(desk.put(path, desk.finance, {"limit": "high"}), 422, "limit")
    refused(desk.put("/customers/C999.9/credit-limit", desk.finance, {"limit": 1000}), 404)
    events = accepted(desk.put(path, desk.finance, {"limit": 2500}), "credit_limit_set")
    assert events[0]["limit"] == 2500
    limits = {c["customer_id"]: c["credit_limit"] for c in team_state(desk.client, desk.manager)["customers"]}
    assert limits[customer] == 2500


def test_care_for_account(desk: Desk) -> None:
    customer = customers_with_orders(desk)[-1]
    refused(desk.post(f"/customers/{customer}/care", desk.finance), 403, "finance")
    refused(desk.post("/customers/C999.9/care", desk.sales), 404)
    prospects = customers_without_orders(desk)
    if prospects:
        refused(desk.post(f"/customers/{prospects[0]}/care", desk.sales), 409, "not bought")
    events = accepted(desk.post(f"/customers/{customer}/care", desk.service), "account_cared")
    assert events[0]["customer_id"] == customer


def test_add_note(desk: Desk) -> None:
    customer = desk.state["customers"][0]["customer_id"]
    path = f"/customers/{customer}/notes"
    refused(desk.post(path, desk.finance), 422)  # the text is required
    refused(desk.post(path, desk.finance, {"text": "   "}), 422, "text")
    refused(desk.post(path, desk.finance, {"text": "x" * 501}), 422, "text")
    refused(desk.post("/customers/C999.9/notes", desk.finance, {"text": "hello"}), 404)
    for who in (desk.finance, desk.sales, desk.service, desk.manager):  # everyone may write notes
        accepted(desk.post(path, who, {"text": "  prefers email  "}), "note_added")
    notes = {c["customer_id"]: c["notes"] for c in team_state(desk.client, desk.manager)["customers"]}
    assert len(notes[customer]) == 4


# --- marketing and policies ------------------------------------------------------------------------------


def test_launch_campaign(desk: Desk) -> None:
    refused(desk.post("/campaigns", desk.service, {"segment": "smb", "budget": 500}), 403, "service")
    refused(desk.post("/campaigns", desk.sales), 422)
    refused(desk.post("/campaigns", desk.sales, {"segment": "smb"}), 422, "budget")
    refused(desk.post("/campaigns", desk.sales, {"segment": "pensioners", "budget": 500}), 422, "pensioners")
    refused(desk.post("/campaigns", desk.sales, {"segment": "smb", "budget": 0}), 422, "budget")
    body = refused(desk.post("/campaigns", desk.sales, {"segment": "smb", "budget": 1e9}), 409, "cash")
    assert body["code"] == "insufficient_cash"
    events = accepted(
        desk.post("/campaigns", desk.sales, {"segment": "smb", "budget": 500}), "campaign_launched"
    )
    assert events[0]["segment"] == "smb" and events[0]["budget"] == 500


def test_set_quote_policy(desk: Desk) -> None:
    path = "/policies/quotes/smb"
    refused(desk.put(path, desk.sales, {"enabled": False}), 403, "sales")
    refused(desk.put("/policies/quotes/pensioners", desk.manager, {"enabled": False}), 422, "pensioners")
    refused(desk.put(path, desk.manager, {"discount": 0.3}), 422, "discount")
    refused(desk.put(path, desk.manager, {"delay_hours": 0}), 422, "delay_hours")
    refused(desk.put(path, desk.manager, {"enabled": "sometimes"}), 422, "enabled")
    events = accepted(
        desk.put(path, desk.manager, {"enabled": False, "discount": 0.05, "terms_days": 7}),
        "quote_policy_set",
    )
    assert events[0]["segment"] == "smb" and events[0]["enabled"] is False
    assert "smb" not in team_state(desk.client, desk.manager)["policies"]["quotes"]  # switched off
    events = accepted(desk.put(path, desk.manager, {"discount": 0.05, "terms_days": 7}), "quote_policy_set")
    policy = team_state(desk.client, desk.manager)["policies"]["quotes"]["smb"]
    assert (policy["discount"], policy["terms_days"], policy["delay_hours"]) == (0.05, 7.0, 0.25)
    accepted(desk.put(path, desk.manager, {"enabled": False}), "quote_policy_set")


def test_set_reminder_policy(desk: Desk) -> None:
    path = "/policies/reminders"
    refused(desk.put(path, desk.finance, {"days_after_due": 2}), 403, "finance")
    refused(desk.put(path, desk.manager, {"days_after_due": -1}), 422, "days_after_due")
    refused(desk.put(path, desk.manager, {"days": 2}), 422, "days")
    events = accepted(
        desk.put(path, desk.manager, {"enabled": True, "days_after_due": 2}), "reminder_policy_set"
    )
    assert events[0]["days_after_due"] == 2
    assert team_state(desk.client, desk.manager)["policies"]["reminder_days"] == 2
    accepted(desk.put(path, desk.manager, {"enabled": False}), "reminder_policy_set")


def test_set_apology_policy(desk: Desk) -> None:
    path = "/policies/apology"
    refused(desk.put(path, desk.service, {"enabled": True}), 403, "service")
    refused(desk.put(path, desk.manager, {"enabled": "maybe"}), 422, "enabled")
    events = accepted(desk.put(path, desk.manager, {"enabled": True}), "apology_policy_set")
    assert events[0]["enabled"] is True
    assert team_state(desk.client, desk.manager)["policies"]["apology"] is True
    accepted(desk.put(path, desk.manager), "apology_policy_set")  # the body is optional: enabled by default


# --- refusals change nothing ------------------------------------------------------------------------------


def test_a_refused_command_leaves_the_team_events_unchanged(desk: Desk) -> None:
    inquiry = desk.take_inquiry()  # open and unquoted: a follow-up has nothing to follow
    live = desk.client.app.state.runtime.live[desk.game.id]  # type: ignore[attr-defined]
    # whatever the simulation had scheduled for this very moment happens at the next command,
    # whoever sends it (the bots play on while paused): let that happen first
    refused(desk.post("/customers/nobody/notes", desk.sales, {"text": "settle"}), 404)
    before_events = desk.events()
    before_commands = in_loop(desk.client, lambda: live.activity["Humans"].commands)
    attempts = [
        (desk.post(f"/inquiries/{inquiry}/quote", desk.service, {"discount": 0.05}), 403, True),
        (desk.post("/inquiries/nope/quote", desk.sales, {"discount": 0.05}), 404, True),
        (desk.post(f"/inquiries/{inquiry}/follow-up", desk.sales), 409, True),
        (desk.post(f"/inquiries/{inquiry}/quote", desk.sales, {"discount": 0.3}), 422, True),
        (desk.post(f"/inquiries/{inquiry}/quote", desk.sales, {"discount": "x"}), 422, False),
        (desk.post("/campaigns", desk.sales, {"segment": "smb", "budget": 1e9}), 409, True),
        (desk.put("/policies/apology", desk.manager, {"enabled": True, "x": 1}), 422, False),
    ]
    for response, code, _logged in attempts:
        refused(response, code)
    after_events = desk.events()
    assert after_events == before_events, [e for e in after_events if e not in before_events]
    # refusals by the desk are logged (a replay must refuse them too); malformed requests are not
    assert in_loop(desk.client, lambda: live.activity["Humans"].commands) == before_commands + sum(
        logged for *_, logged in attempts
    )
    monitor = desk.client.get(desk.game.path("/monitor"), headers=desk.game.instructor).json()
    humans = next(t for t in monitor["teams"] if t["team"] == "Humans")
    assert humans["refused"] >= 5


# --- views ------------------------------------------------------------------------------------------------


def test_team_overview(desk: Desk) -> None:
    response = desk.client.get("/api/v1/team", headers=desk.sales)
    assert response.status_code == 200
    overview = response.json()
    assert (overview["team"], overview["member"], overview["role"]) == ("Humans", "Sam", "sales")
    assert overview["members"] == ["Fin", "Mia", "Sam", "Sue"]
    assert overview["competition"]["id"] == desk.game.id and overview["competition"]["state"] == "paused"
    assert overview["standing"]["team"] == "Humans"
    assert isinstance(overview["cash"], float)
    rival = desk.client.get("/api/v1/team", headers=desk.rival).json()
    assert (rival["team"], rival["members"]) == ("Others", ["Rex"])


def test_team_state(desk: Desk) -> None:
    state = team_state(desk.client, desk.finance)
    assert set(state) >= {
        "cash",
        "free_cash",
        "inbox",
        "approvals",
        "orders",
        "invoices",
        "aging",
        "complaints",
    }
    assert set(state) >= {"customers", "policies"}
    assert all(i["inquiry_id"].endswith("/Humans") for i in state["inbox"])
    assert all(i["status"] in ("open", "quoted") for i in state["inbox"])
    assert set(state["aging"]) == {"current", "1-30", "31-60", "61-90", "90+"}
    rival = team_state(desk.client, desk.rival)
    mine = {c["customer_id"] for c in state["customers"]}
    assert not {i["inquiry_id"] for i in rival["inbox"]} & {i["inquiry_id"] for i in state["inbox"]}
    assert rival["invoices"] == [] or not {i["invoice_id"] for i in rival["invoices"]} & {
        i["invoice_id"] for i in state["invoices"]
    }
    assert mine


def test_team_events_are_the_team_s_own(desk: Desk) -> None:
    client, game = desk.client, desk.game
    everything = client.get(game.path("/events"), params={"limit": 5000}, headers=game.instructor).json()
    hidden = [e for e in everything if e["kind"] == "satisfaction_changed" and e.get("team") == "Humans"]
    assert hidden, "the played game should have moved some satisfaction of the human team"
    others = [e for e in everything if e.get("team") not in (None, "Humans")]
    assert others
    for who, team in ((desk.manager, "Humans"), (desk.service, "Humans"), (desk.rival, "Others")):
        events = desk.events(who)
        assert events
        assert all(e.get("team") in (None, team) for e in events), team
        assert not [e for e in events if e["kind"] == "satisfaction_changed"]
        seqs = [e["seq"] for e in events]
        assert seqs == sorted(set(seqs))
        expected = [
            e for e in everything if e.get("team") in (None, team) and e["kind"] != "satisfaction_changed"
        ]
        assert events == expected[: len(events)]
    mine = desk.events()
    after = mine[len(mine) // 2]["seq"]
    page = client.get("/api/v1/team/events", params={"after": after, "limit": 3}, headers=desk.manager).json()
    assert page == [e for e in mine if e["seq"] > after][:3]
    refused(client.get("/api/v1/team/events", params={"limit": 0}, headers=desk.manager), 422, "limit")
    refused(client.get("/api/v1/team/events", params={"after": "x"}, headers=desk.manager), 422, "after")


def test_the_team_channel_carries_only_the_team_s_events(desk: Desk) -> None:
    broadcaster = desk.client.app.state.runtime.broadcaster  # type: ignore[attr-defined]
    channel = team_channel(desk.game.id, "Humans")
    history = in_loop(desk.client, lambda: list(broadcaster.channels[channel].history))
    events = [m["data"] for m in history if m["type"] == "event"]
    assert events
    assert all(e.get("team") in (None, "Humans") for e in events)
    assert not [e for e in events if e["kind"] == "satisfaction_changed"]


# --- a competition that does not run takes no commands -------------------------------------------------


def test_commands_and_views_outside_a_running_competition(
    module_client: TestClient, module_instructor: Headers
) -> None:
    client = module_client
    game = create_competition(
        client, module_instructor, teams=(("Early", None),), seconds_per_hour=5, start=False
    )
    member = join_team(client, game.codes["Early"], "Eve", "manager")
    refused(client.put("/api/v1/team/policies/apology", json={"enabled": True}, headers=member), 409, "draft")
    refused(client.get("/api/v1/team/state", headers=member), 409, "not started")
    assert client.get("/api/v1/team/events", headers=member).json() == []
    overview = client.get("/api/v1/team", headers=member).json()
    assert overview["cash"] is None and overview["competition"]["state"] == "draft"

    assert client.post(game.path("/start"), headers=module_instructor).status_code == 200
    assert (
        client.put("/api/v1/team/policies/apology", json={"enabled": True}, headers=member).status_code == 200
    )
    assert client.post(game.path("/end"), headers=module_instructor).status_code == 200
    refused(
        client.put("/api/v1/team/policies/apology", json={"enabled": True}, headers=member), 409, "finished"
    )
    assert team_state(client, member)["policies"]["apology"] is True
    refused(
        client.post("/api/v1/session/join", json={"code": game.codes["Early"], "name": "Z", "role": "sales"}),
        409,
    )


def test_the_manager_role_is_taken_once(module_client: TestClient, module_instructor: Headers) -> None:
    client = module_client
    game = create_competition(
        client, module_instructor, teams=(("Crew", None),), seconds_per_hour=5, start=False
    )
    join_team(client, game.codes["Crew"], "Ada", "manager")
    join_team(client, game.codes["Crew"], "Ada", "manager")  # the same person again
    join_team(client, game.codes["Crew"], "Bob", "sales")
    join_team(client, game.codes["Crew"], "Cy", "sales")  # several sellers are fine
    body = {"code": game.codes["Crew"].lower(), "name": "Dee", "role": "manager"}
    refused(client.post("/api/v1/session/join", json=body), 409, "Ada", "manager")
    refused(client.post("/api/v1/session/join", json={**body, "role": "boss"}), 422, "role")
    refused(
        client.post("/api/v1/session/join", json={**body, "code": "NOSUCH22", "role": "sales"}),
        401,
        "join code",
    )


# --- rate limiting ----------------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after(sqlite_url: str) -> None:
    app = make_app(sqlite_url, commands_per_minute=4)  # a bucket of one command, refilled every 15 s
    with TestClient(app) as client:
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=(("Solo", None),), seconds_per_hour=5)
        first = join_team(client, game.codes["Solo"], "Quick", "manager")
        second = join_team(client, game.codes["Solo"], "Slow", "sales")
        live = app.state.runtime.live[game.id]

        ok = client.put("/api/v1/team/policies/apology", json={"enabled": True}, headers=first)
        assert ok.status_code == 200
        events = client.get("/api/v1/team/events", headers=first).json()
        commands = in_loop(client, lambda: live.next_seq)
        for _ in range(3):
            response = client.put("/api/v1/team/policies/apology", json={"enabled": False}, headers=first)
            body = refused(response, 429, "too many commands")
            assert body["code"] == "rate_limited"
            retry_after = int(response.headers["retry-after"])
            assert 1 <= retry_after <= 15
        assert client.get("/api/v1/team/events", headers=first).json() == events
        assert in_loop(client, lambda: live.next_seq) == commands  # nothing was logged
        assert client.get("/api/v1/team/state", headers=first).status_code == 200  # views are not limited
        # the bucket is per member: another member of the team still has its command
        accepted_other = client.post(
            "/api/v1/team/customers/nobody/notes", json={"text": "x"}, headers=second
        )
        refused(accepted_other, 404)
        refused(client.post("/api/v1/team/customers/nobody/notes", json={"text": "x"}, headers=second), 429)
