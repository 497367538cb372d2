"""The team console in a real browser, in both languages: a member joins through the page and
sees inquiries arrive live; quotes within authority go out at once; a seller's quote above
its authority shows "needs approval" as it is typed and lands in the manager's queue, where
the manager (another browser) approves it; a refused quote shows the server's reason; a
complaint is resolved and an overdue invoice reminded and written off from the console.

Every outcome is checked against the server's own record (the team's events and state
through the API), not only on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.server.helpers import wait_for
from tests.server.processes import ServerProcess

T = TypeVar("T")
SEGMENTS = ("key_accounts", "smb", "price_shoppers")

# Customers wait long and think long, so that what the page shows stays open while the test
# looks at it; inquiries come every second or two at this pace (1 business hour = 0.5 s).
PATIENT_MARKET: dict[str, Any] = {f"segments.{s}.patience_hours": 400 for s in SEGMENTS} | {
    "consideration_hours": 400,
    "days_per_round": 60,
    "inquiries_per_team_per_day": 4,
}
# Every delivery is defective and complained about at once; invoices are paid late.
TROUBLED_MARKET: dict[str, Any] = (
    {f"segments.{s}.defect": 1.0 for s in SEGMENTS}
    | {f"segments.{s}.complaint_probability": 1.0 for s in SEGMENTS}
    | {f"segments.{s}.late_base": 0.99 for s in SEGMENTS}
    | {f"segments.{s}.late_mean_delay": 200 for s in SEGMENTS}
    | {f"segments.{s}.default_probability": 0.0 for s in SEGMENTS}
    | {
        "service.complaint_delay_days": 0.02,
        "service.sla_minor_hours": 400,
        "service.sla_major_hours": 400,
        "service.writeoff_after_days": 300,
        "consideration_hours": 0.05,
        "days_per_round": 60,
        "inquiries_per_team_per_day": 6,
    }
)

REFUSAL = {  # "discount 1.5 is out of range; allowed 0 to 0.99", as the page writes it
    "en": "Discount 150% is out of range: allowed 0% to 99%.",
    "zh": "折扣 150% 超出范围：允许 0% 至 99%。",
}
TEXT = {
    "en": {
        "wait": "Waiting for the start",
        "send": "sent at once",
        "approval": "needs approval",
        "refuse": "refuses",
        "sent": "sent",
        "queued": "waits for the Manager's approval",
        "approved": "Approved",
        "quoted": "quoted",
        "resolved": "resolved",
        "reminded": "Reminder sent",
        "written": "written off",
    },
    "zh": {
        "wait": "等待比赛开始",
        "send": "立即发出",
        "approval": "需要审批",
        "refuse": "系统会拒绝",
        "sent": "报价已发出",
        "queued": "等待经理审批",
        "approved": "已批准",
        "quoted": "已报价",
        "resolved": "已处理",
        "reminded": "催款提醒",
        "written": "已核销",
    },
}


@dataclass
class Game:
    """A competition with a human team (``Humans``) and a house bot, and an API client."""

    http: httpx.Client
    instructor: dict[str, str]
    id: int
    code: str

    def start(self) -> None:
        response = self.http.post(f"/api/v1/competitions/{self.id}/start", headers=self.instructor)
        assert response.status_code == 200, response.text

    def join(self, name: str, role: str) -> dict[str, str]:
        """A member's bearer header (joined through the API, not the page)."""
        response = self.http.post(
            "/api/v1/session/join", json={"code": self.code, "name": name, "role": role}
        )
        self.http.cookies.clear()
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}

    def state(self, member: dict[str, str]) -> dict[str, Any]:
        response = self.http.get("/api/v1/team/state", headers=member)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def events(self, member: dict[str, str], *kinds: str) -> list[dict[str, Any]]:
        response = self.http.get("/api/v1/team/events?limit=5000", headers=member)
        assert response.status_code == 200, response.text
        return [e for e in response.json() if not kinds or e["kind"] in kinds]


@pytest.fixture
def make_game(server: ServerProcess) -> Iterator[Callable[..., Game]]:
    http = httpx.Client(base_url=server.url, timeout=10)

    def make(overrides: dict[str, Any], *, start: bool = True, mode: str = "shared") -> Game:
        response = http.post("/api/v1/session/instructor", json={"password": "pw"})
        http.cookies.clear()
        instructor = {"Authorization": f"Bearer {response.json()['token']}"}
        body = {
            "name": "Console cup",
            "preset": "classroom",
            "seed": 11,
            "rounds": 2,
            "seconds_per_hour": 0.5,
            "mode": mode,
            "overrides": overrides,
        }
        response = http.post("/api/v1/competitions", json=body, headers=instructor)
        assert response.status_code == 201, response.text
        cid = response.json()["id"]
        teams = {}
        for name, bot in (("Humans", None), ("House", "balanced")):
            response = http.post(
                f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot}, headers=instructor
            )
            assert response.status_code == 201, response.text
            teams[name] = response.json()["join_code"]
        game = Game(http, instructor, cid, teams["Humans"])
        if start:
            game.start()
        return game

    yield make
    http.close()


def join_page(page: Page, code: str, name: str, role: str) -> None:
    """Join through the console's own form (the code comes from ?code=)."""
    page.goto(f"/team?code={code}")
    expect(page.locator("#join-code")).to_have_value(code)
    expect(page.locator("#join-view h2")).to_be_visible()
    page.fill("#join-name", name)
    page.select_option("#join-role", role)
    page.click("#join-form button[type=submit]")


def first_open_inquiry(page: Page) -> str:
    """Open the first inquiry of the inbox that has no quote yet; its id."""
    row = page.locator(
        "#inbox tbody tr", has=page.locator(".badge", has_text=re.compile("^(new|新询价)$"))
    ).first
    expect(row).to_be_visible(timeout=30_000)
    inquiry = row.get_attribute("data-id")
    assert inquiry
    row.click()
    expect(page.locator("#quote-form")).to_be_visible()
    expect(page.locator("#quote-form")).to_have_attribute("data-inquiry", inquiry)
    return inquiry


def toast(page: Page, kind: str, text: str) -> None:
    expect(page.locator(f".toast.{kind}", has_text=text).first).to_be_visible()


def test_a_member_joins_sees_inquiries_arrive_and_quotes_within_authority(
    open_context: Any, make_game: Callable[..., Game], lang: str
) -> None:
    text = TEXT[lang]
    game = make_game(PATIENT_MARKET, start=False)
    page = open_context(lang, DESKTOP).new_page()
    # a wrong code is refused with the reason, in the page's language, on the console's own join form
    page.goto("/team?code=NOSUCH22")
    page.fill("#join-name", "Mei")
    page.click("#join-form button[type=submit]")
    expect(page.locator("#join-message")).to_contain_text(
        "No team has this join code" if lang == "en" else "没有团队使用这个团队码"
    )
    join_page(page, game.code, "Mei", "manager")
    # not started yet: the console waits, then opens by itself and inquiries arrive, no reload
    expect(page.locator("#wait-view h2")).to_have_text(text["wait"])
    page.evaluate("window.sameDocument = true")
    game.start()
    expect(page.locator("#inbox tbody tr").first).to_be_visible(timeout=30_000)
    assert page.evaluate("window.sameDocument === true"), "the page reloaded"
    expect(page.locator("#team-name")).to_have_text("Humans")
    expect(page.locator("#link")).to_have_attribute("data-state", "live")
    expect(page.locator("#state")).to_have_attribute("data-state", "running")

    inquiry = first_open_inquiry(page)
    page.fill("#q-discount", "4")
    expect(page.locator("#q-check")).to_have_attribute("data-route", "send")
    expect(page.locator("#q-check")).to_contain_text(text["send"])
    price = float(page.locator("#q-unit-price").get_attribute("data-value") or "nan")
    page.fill("#q-terms", "5")
    page.fill("#q-delivery", "4")
    page.click("#q-send")
    toast(page, "ok", text["sent"])

    observer = game.join("Wen", "finance")
    quotes = [e for e in game.events(observer, "quote_sent") if e["inquiry_id"] == inquiry]
    assert len(quotes) == 1, quotes
    assert quotes[0]["discount"] == pytest.approx(0.04)
    assert quotes[0]["terms_days"] == 5 and quotes[0]["delivery_days"] == 4
    assert quotes[0]["unit_price"] == pytest.approx(price), "the page showed the price the desk charged"
    # the page follows the server: the row now says quoted
    row = page.locator(f"#inbox tbody tr[data-id='{inquiry}']")
    expect(row).to_contain_text(text["quoted"])


def test_a_sellers_discount_above_authority_waits_for_the_managers_approval(
    open_context: Any, make_game: Callable[..., Game], lang: str
) -> None:
    text = TEXT[lang]
    game = make_game(PATIENT_MARKET)
    seller = open_context(lang, PHONE).new_page()
    join_page(seller, game.code, "Li", "sales")
    inquiry = first_open_inquiry(seller)
    seller.fill("#q-discount", "8")
    expect(seller.locator("#q-check")).to_have_attribute("data-route", "send")
    seller.fill("#q-discount", "15")
    expect(seller.locator("#q-check")).to_have_attribute("data-route", "approval")
    expect(seller.locator("#q-check")).to_contain_text(text["approval"])
    # the meter's legend draws its three keys alike (the approval key is no queued-quote card)
    keys = seller.evaluate(
        """() => [...document.querySelectorAll('#q-meter .meter-legend .key')].map((k) => {
          const s = getComputedStyle(k); return [s.borderLeftWidth, s.paddingLeft, s.display]; })"""
    )
    assert len(keys) == 4 and len({tuple(k) for k in keys}) == 1, keys
    seller.click("#q-send")
    toast(seller, "ok", text["queued"])

    manager = open_context(lang, DESKTOP).new_page()
    join_page(manager, game.code, "Mei", "manager")
    item = manager.locator(f"#approvals li[data-inquiry='{inquiry}']")
    expect(item).to_be_visible()
    item.get_by_role("button", name=re.compile("^(Approve|批准)$")).click()
    toast(manager, "ok", text["approved"])

    observer = game.join("Wen", "finance")
    requested = [e for e in game.events(observer, "approval_requested") if e["inquiry_id"] == inquiry]
    assert len(requested) == 1 and requested[0]["role"] == "sales"
    assert requested[0]["discount"] == pytest.approx(0.15)
    decided = [e for e in game.events(observer, "approval_decided") if e["inquiry_id"] == inquiry]
    assert [e["approved"] for e in decided] == [True]
    sent = [e for e in game.events(observer, "quote_sent") if e["inquiry_id"] == inquiry]
    assert len(sent) == 1 and sent[0]["discount"] == pytest.approx(0.15) and sent[0]["role"] == "sales"
    assert game.state(observer)["approvals"] == []
    # the seller's console follows without a reload: the queue is empty, the inquiry quoted
    seller.click("#tabs [data-tab=inbox]")
    expect(seller.locator(f"#inbox tbody tr[data-id='{inquiry}']")).to_contain_text(text["quoted"])
    expect(manager.locator("#approvals li[data-id]")).to_have_count(0)


def test_a_quote_the_desk_would_refuse_is_not_sent_and_refusals_speak_the_pages_language(
    open_context: Any, make_game: Callable[..., Game], lang: str
) -> None:
    text = TEXT[lang]
    game = make_game(PATIENT_MARKET | {"product.unit_cost": 50})  # so that 30 % still covers the cost
    page = open_context(lang, DESKTOP).new_page()
    join_page(page, game.code, "Li", "sales")
    inquiry = first_open_inquiry(page)
    page.fill("#q-discount", "30")
    expect(page.locator("#q-check")).to_have_attribute("data-route", "refuse")
    expect(page.locator("#q-check")).to_contain_text(text["refuse"])
    expect(page.locator("#q-discount")).to_have_attribute("aria-invalid", "true")
    # the form knows the desk would refuse it: Send stays off (a refused click counts against the team)
    expect(page.locator("#q-send")).to_be_disabled()
    page.fill("#q-discount", "8")
    expect(page.locator("#q-send")).to_be_enabled()
    page.fill("#q-discount", "30")
    expect(page.locator("#q-send")).to_be_disabled()

    observer = game.join("Wen", "finance")
    kinds = ("quote_sent", "approval_requested")
    assert [e for e in game.events(observer, *kinds) if e["inquiry_id"] == inquiry] == []
    assert next(i for i in game.state(observer)["inbox"] if i["inquiry_id"] == inquiry)["status"] == "open"

    # a refusal the server makes comes back with its rule and values, and the page writes it in
    # its own language and in percent where the student typed percent (the server's text says 1.5)
    said = page.evaluate(
        """async (inquiry) => {
          const { api } = await import("/static/common/api.js");
          const { refusalText } = await import("/static/common/refusals.js");
          const body = { discount: 1.5, terms_days: 5, delivery_days: 3 };
          const path = `/api/v1/team/inquiries/${encodeURIComponent(inquiry)}/quote`;
          try {
            await api(path, { method: "POST", body });
          } catch (error) {
            return [error.detail, refusalText(error)];
          }
          return null;
        }""",
        inquiry,
    )
    assert said is not None
    server_text, page_text = said
    assert "1.5" in server_text and "0.99" in server_text
    assert page_text == REFUSAL[lang], page_text


def test_complaints_and_overdue_invoices_are_worked_from_the_console(
    open_context: Any, make_game: Callable[..., Game], lang: str
) -> None:
    text = TEXT[lang]
    game = make_game(TROUBLED_MARKET, mode="mirrored")
    manager = game.join("Mei", "manager")
    policy = {"discount": 0.05, "terms_days": 0, "delivery_days": 0.25, "delay_hours": 0.05}
    for segment in SEGMENTS:
        response = game.http.put(f"/api/v1/team/policies/quotes/{segment}", json=policy, headers=manager)
        assert response.status_code == 200, response.text

    def overdue() -> list[dict[str, Any]]:
        return [
            i for i in game.state(manager)["invoices"] if i["status"] == "open" and i["bucket"] != "current"
        ]

    wait_for(
        lambda: [c for c in game.state(manager)["complaints"] if c["status"] == "open"],
        what="a complaint",
        timeout=30,
    )
    wait_for(overdue, timeout=30, what="an overdue invoice")

    page = open_context(lang, DESKTOP).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    join_page(page, game.code, "Mei", "manager")

    ticket = page.locator("#complaints li.ticket").first
    expect(ticket).to_be_visible()
    complaint = ticket.get_attribute("data-id")
    ticket.locator("select").select_option("credit_note")
    ticket.locator("input.pct").fill("20")
    expect(ticket.locator("select option[value=credit_note]")).to_contain_text("—")
    ticket.get_by_role("button", name=re.compile("^(Resolve|处理)$")).click()
    toast(page, "ok", text["resolved"])
    resolved = next(c for c in game.state(manager)["complaints"] if c["complaint_id"] == complaint)
    assert resolved["status"] == "resolved" and resolved["remedy"] == "credit_note"
    events = [e for e in game.events(manager, "complaint_resolved") if e["complaint_id"] == complaint]
    assert len(events) == 1 and events[0]["credit_percent"] == pytest.approx(20.0)

    invoice = overdue()[0]["invoice_id"]
    row = page.locator(f"#invoices tr[data-id='{invoice}']")
    expect(row).to_be_visible()
    row.locator("[data-action=remind]").click()
    toast(page, "ok", text["reminded"])
    after = next(i for i in game.state(manager)["invoices"] if i["invoice_id"] == invoice)
    assert len(after["reminders"]) == 1

    row.locator("[data-action=write-off]").click()  # confirmed in the dialog

    def status() -> str:
        return str(next(i for i in game.state(manager)["invoices"] if i["invoice_id"] == invoice)["status"])

    settled = wait_for(lambda: status() != "open" and status(), timeout=30, what="the invoice settled")
    if settled == "written_off":
        toast(page, "ok", text["written"])
    else:  # the reminded customer paid first (the market runs on): nothing is left to write off
        assert settled in ("paid", "credited"), settled
    expect(page.locator(f"#invoices tr[data-id='{invoice}']")).to_have_count(0)


def test_the_customer_card_campaigns_and_policies_act_on_the_desk(
    open_context: Any, make_game: Callable[..., Game], lang: str
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang, DESKTOP).new_page()
    join_page(page, game.code, "Mei", "manager")
    inquiry = first_open_inquiry(page)
    page.click("#q-send")
    expect(page.locator(f"#inbox tbody tr[data-id='{inquiry}']")).to_contain_text(TEXT[lang]["quoted"])
    observer = game.join("Wen", "finance")
    customer = next(i for i in game.events(observer, "inquiry_received") if i["inquiry_id"] == inquiry)[
        "customer_id"
    ]

    # revise and follow up the quote
    page.locator(f"#inbox tbody tr[data-id='{inquiry}']").click()
    expect(page.locator("#q-revise")).to_be_enabled()
    page.fill("#q-discount", "6")
    page.click("#q-revise")
    expect(page.locator("#q-follow")).to_be_enabled()
    page.click("#q-follow")
    wait_for(
        lambda: [e for e in game.events(observer, "follow_up_made") if e["inquiry_id"] == inquiry],
        what="follow-up",
        timeout=30,
    )
    quotes = [e for e in game.events(observer, "quote_sent") if e["inquiry_id"] == inquiry]
    assert [q["discount"] for q in quotes] == [pytest.approx(0.0), pytest.approx(0.06)]

    # the customer card: a note, a survey, a credit check and a credit limit
    expect(page.locator("#customer-name")).to_have_text(customer)

    def done(kind: str) -> Callable[[], list[dict[str, Any]]]:
        """The member waits for each action's answer before the next, as a person does."""
        return lambda: [e for e in game.events(observer, kind) if e["customer_id"] == customer]

    page.fill("#c-note", "Prefers calls in the morning")
    page.locator("#c-note").press("Enter")
    wait_for(done("note_added"), timeout=30, what="the note")
    page.click("#c-survey")
    wait_for(done("survey_requested"), timeout=30, what="the survey")
    page.click("#c-credit")
    wait_for(done("credit_checked"), timeout=30, what="the credit check")
    page.fill("#c-limit", "5000")
    page.locator("#c-limit").press("Enter")
    record = wait_for(
        lambda: next(
            (
                c
                for c in game.state(observer)["customers"]
                if c["customer_id"] == customer and c["credit_limit"]
            ),
            None,
        ),
        what="the credit limit",
        timeout=30,
    )
    assert record["notes"] == ["Prefers calls in the morning"]
    assert record["credit_limit"] == 5000 and record["grade"] in ("A", "B", "C", "D")
    assert [e["customer_id"] for e in game.events(observer, "survey_requested")] == [customer]
    expect(page.locator("#customer .notes")).to_contain_text("Prefers calls in the morning")

    # a campaign, a quote policy and the reminder schedule
    page.select_option("#cp-segment", "smb")
    page.fill("#cp-budget", "1500")
    page.click("#cp-launch")
    policy = page.locator("#policies form.policy[data-segment=price_shoppers]")
    policy.locator("input[type=checkbox]").check()
    policy.locator("input[type=number]").first.fill("30")  # above what a policy may grant
    expect(policy.locator(".form-message")).to_have_class(re.compile("error"))
    policy.locator("input[type=number]").first.fill("4")
    policy.get_by_role("button").click()
    reminders = page.locator("#reminder-policy")
    reminders.locator("input[type=checkbox]").check()
    reminders.locator("input[type=number]").fill("2")
    reminders.get_by_role("button").click()
    state = wait_for(
        lambda: (s := game.state(observer))["policies"]["reminder_days"] is not None and s,
        what="the reminder policy",
        timeout=30,
    )
    assert state["policies"]["quotes"]["price_shoppers"]["discount"] == pytest.approx(0.04)
    assert state["policies"]["reminder_days"] == 2
    (campaign,) = game.events(observer, "campaign_launched")
    assert campaign["segment"] == "smb" and campaign["budget"] == 1500
    expect(page.locator("#kpi-cash")).not_to_contain_text("40,000")  # spent on the campaign and the customer


ENTER_THEN_ESCAPE = """() => {
  const key = (el, name) => el.dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true}));
  key(document.activeElement, "Enter");
  key(document.activeElement, "Escape");
}"""


def test_the_console_works_from_the_keyboard_and_follows_the_board(
    open_context: Any, make_game: Callable[..., Game], lang: str
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang, DESKTOP).new_page()
    join_page(page, game.code, "Li", "sales")
    expect(page.locator("#inbox tbody tr").nth(1)).to_be_visible(timeout=30_000)
    clock = page.locator("#clock").inner_text()
    expect(page.locator("#clock")).not_to_have_text(clock)  # the round clock counts down by itself

    page.locator("body").press("/")
    rows = page.locator("#inbox tbody tr")
    expect(rows.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(rows.nth(1)).to_be_focused()
    second = rows.nth(1).get_attribute("data-id")
    page.keyboard.press("Enter")
    expect(page.locator("#quote-form")).to_have_attribute("data-inquiry", second or "")
    expect(page.locator("#q-discount")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#inbox tbody tr:focus")).to_have_count(1)
    # Enter and Escape in the same instant (a fast typist, a loaded machine): the form's own
    # deferred focus must not pull the user back from the inbox
    page.evaluate(ENTER_THEN_ESCAPE)
    page.wait_for_timeout(300)  # the deferred focus has run
    expect(page.locator("#inbox tbody tr:focus")).to_have_count(1)
    page.keyboard.press("q")
    expect(page.locator("#q-discount")).to_be_focused()
    for control in page.locator("#console input:visible, #console select:visible").all():
        name = control.evaluate(
            "el => el.labels?.length ? el.labels[0].innerText : el.getAttribute('aria-label')"
        )
        assert name and name.strip(), control.evaluate("el => el.outerHTML")

    # the other language, without a reload: static and drawn text alike
    other = {"en": ("询价箱", "你的折扣权限"), "zh": ("Inbox", "Your authority")}[lang]
    page.click("#lang")
    expect(page.locator("#inbox-title")).to_contain_text(other[0])
    expect(page.locator("#q-discount-hint")).to_contain_text(other[1])
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN" if lang == "en" else "en")

    # a freeze shows as a banner, from the state message alone
    response = game.http.put(f"/api/v1/competitions/{game.id}/freeze", json={}, headers=game.instructor)
    assert response.status_code == 200, response.text
    expect(page.locator("#frozen-banner")).to_be_visible()
    page.click("#logout")
    expect(page.locator("#join-form")).to_be_visible()
