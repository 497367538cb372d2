"""A whole class in a real browser, in both languages.

The instructor creates a competition in the panel, registers a human team and a house bot,
defines a rubric criterion and starts it; the projector board is open on its own screen. Two
members of the human team join in separate browser contexts (a manager at a desk, a seller on
a phone): the seller answers an inquiry with a discount above its authority, the manager
approves it; the manager resolves a complaint and sends a reminder on an overdue invoice. A
judge scores the rubric. The board moves without a reload all along. The instructor freezes
the board (the projector shows it frozen), ends the competition, reveals the board (the
projector plays the ceremony and ends on the final standings) and downloads the standings.
Every step is checked through the API, not only on the page; every page is watched for
requests to other hosts and for errors.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from server.client.api_client import SalesfloorClient
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_team_console import (
    SEGMENTS,
    TEXT,
    TROUBLED_MARKET,
    first_open_inquiry,
    join_page,
    toast,
)
from tests.server.helpers import wait_for
from tests.server.processes import ServerProcess

# Customers wait for the manager's approval; every delivery brings a complaint at once;
# invoices are due on delivery and paid late, so a reminder is due within seconds.
CLASS_MARKET: dict[str, Any] = {
    **TROUBLED_MARKET,
    **{f"segments.{s}.patience_hours": 400 for s in SEGMENTS},
    "mode": "mirrored",
    "days_per_round": 30,
}
JUDGE = {"en": "Ms Li", "zh": "李老师"}
SAVED = {"en": "Saved", "zh": "已保存"}
FROZEN = {"en": "frozen", "zh": "冻结"}


def board_text(page: Page) -> str:
    return str(page.locator("#board tbody").inner_text())


def instructor_creates_and_starts(page: Page, api: SalesfloorClient, lang: str) -> dict[str, Any]:
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()
    page.fill("#create input[name=name]", f"Class {lang}")
    page.fill("#create input[name=rounds]", "3")
    page.fill("#create input[name=seconds_per_hour]", "0.5")
    page.click("#create button[type=submit]")
    page.wait_for_url(re.compile(r"/instructor/\d+"))
    cid = int(re.search(r"/instructor/(\d+)", page.url).group(1))  # type: ignore[union-attr]
    # the market is tuned for a short test through the API (the panel's form has its own tests)
    api.request("POST", f"/api/v1/competitions/{cid}/parameters", json={"changes": CLASS_MARKET})

    page.click("#tab-teams")
    page.fill("#add-team input[name=team]", "Humans")
    page.click("#add-team button[type=submit]")
    expect(page.locator('.team-list tr[data-team="Humans"]')).to_be_visible()
    page.fill("#add-team input[name=team]", "House")
    page.select_option("#add-team select[name=bot]", "balanced")
    page.click("#add-team button[type=submit]")
    expect(page.locator('.team-list tr[data-team="House"]')).to_be_visible()

    page.click("#tab-rubric")
    form = page.locator("#add-criterion")
    form.locator("input[name=name_en]").fill("Complaint replies")
    form.locator("input[name=name_zh]").fill("投诉回复")
    form.locator("input[name=max_points]").fill("10")
    form.locator("button[type=submit]").click()
    expect(page.locator("#criteria tbody tr[data-criterion]")).to_have_count(1)

    page.click("#start")
    expect(page.locator("#pause")).to_be_visible()
    detail = api.request("GET", f"/api/v1/competitions/{cid}")
    assert detail["state"] == "running" and detail["mode"] == "mirrored"
    assert {t["name"]: t["bot"] for t in detail["teams"]} == {"Humans": None, "House": "balanced"}
    return detail


def test_a_whole_class_runs_in_the_browser(open_context: Any, server: ServerProcess, lang: str) -> None:
    text = TEXT[lang]
    api = SalesfloorClient(server.url)
    api.login_instructor("pw")
    instructor = open_context(lang, DESKTOP).new_page()
    instructor.on("dialog", lambda dialog: dialog.accept())
    detail = instructor_creates_and_starts(instructor, api, lang)
    cid = detail["id"]
    code = next(t["join_code"] for t in detail["teams"] if t["name"] == "Humans")

    board = open_context(lang, DESKTOP).new_page()
    board.goto(f"/board/{cid}")
    expect(board.locator("#board tbody tr")).to_have_count(2)
    first_board = board_text(board)

    # two members of one team, each in its own browser: a seller on a phone, a manager at a desk
    seller = open_context(lang, PHONE).new_page()
    join_page(seller, code, "Tao", "sales")
    manager = open_context(lang, DESKTOP).new_page()
    manager.on("dialog", lambda dialog: dialog.accept())
    join_page(manager, code, "Mei", "manager")
    expect(manager.locator("#team-name")).to_have_text("Humans")

    # the seller answers an inquiry above its authority; the manager approves the discount
    inquiry = first_open_inquiry(seller)
    seller.fill("#q-discount", "15")
    expect(seller.locator("#q-check")).to_have_attribute("data-route", "approval")
    seller.click("#q-send")
    toast(seller, "ok", text["queued"])
    item = manager.locator(f"#approvals li[data-inquiry='{inquiry}']")
    expect(item).to_be_visible()
    item.get_by_role("button", name=re.compile("^(Approve|批准)$")).click()
    toast(manager, "ok", text["approved"])
    events = api.request("GET", f"/api/v1/competitions/{cid}/events?limit=5000&team=Humans")
    sent = [e for e in events if e["kind"] == "quote_sent" and e["inquiry_id"] == inquiry]
    assert len(sent) == 1 and sent[0]["role"] == "sales" and sent[0]["discount"] == pytest.approx(0.15)

    # the manager quotes the rest by policy, so that orders, complaints and invoices follow
    policy = {"discount": 0.05, "terms_days": 0, "delivery_days": 0.25, "delay_hours": 0.05}
    member = SalesfloorClient(server.url)
    member.join(code, "Mei", "manager")  # a second session of the manager, for the set-up
    for segment in SEGMENTS:
        member.request("PUT", f"/api/v1/team/policies/quotes/{segment}", json=policy)  # set-up

    def state() -> dict[str, Any]:
        result: dict[str, Any] = member.request("GET", "/api/v1/team/state")
        return result

    wait_for(
        lambda: [c for c in state()["complaints"] if c["status"] == "open"], timeout=45, what="a complaint"
    )
    ticket = manager.locator("#complaints li.ticket").first
    expect(ticket).to_be_visible(timeout=30_000)
    complaint = ticket.get_attribute("data-id")
    ticket.locator("select").select_option("apology")
    ticket.get_by_role("button", name=re.compile("^(Resolve|处理)$")).click()
    toast(manager, "ok", text["resolved"])
    resolved = next(c for c in state()["complaints"] if c["complaint_id"] == complaint)
    assert resolved["status"] == "resolved" and resolved["remedy"] == "apology"

    def overdue() -> list[dict[str, Any]]:
        return [i for i in state()["invoices"] if i["status"] == "open" and i["bucket"] != "current"]

    invoice = wait_for(overdue, timeout=45, what="an overdue invoice")[0]["invoice_id"]
    row = manager.locator(f"#invoices tr[data-id='{invoice}']")
    expect(row).to_be_visible(timeout=30_000)
    row.locator("[data-action=remind]").click()
    toast(manager, "ok", text["reminded"])
    assert len(next(i for i in state()["invoices"] if i["invoice_id"] == invoice)["reminders"]) == 1

    # a judge scores the rubric
    judge = open_context(lang, DESKTOP).new_page()
    judge.goto(f"/judge/{cid}")
    judge.fill("#login input[name=code]", detail["judge_code"])
    judge.fill("#login input[name=name]", JUDGE[lang])
    judge.click("#login button[type=submit]")
    cell = judge.locator('#rubric-grid tr[data-team="Humans"] td.score').first
    expect(cell).to_be_visible()
    cell.locator("input.points").fill("8")
    judge.locator('#rubric-grid tr[data-team="Humans"] button.save').click()
    expect(judge.locator(".toast.ok", has_text=SAVED[lang]).first).to_be_visible()
    rubric = api.request("GET", f"/api/v1/competitions/{cid}/rubric")
    assert [(s["team"], s["judge"], s["points"]) for s in rubric["scores"]] == [("Humans", JUDGE[lang], 8.0)]

    # the projector moved on its own
    assert board_text(board) != first_board, "the board updates without a reload"

    # freeze: the projector says so; reveal: it plays the ceremony and ends on the live standings
    instructor.click("#tab-board")
    instructor.click("#freeze-now")
    expect(board.locator("#banner")).to_be_visible(timeout=25_000)
    expect(board.locator("#banner")).to_contain_text(FROZEN[lang])
    assert api.request("GET", f"/api/v1/competitions/{cid}")["frozen"] is True
    instructor.click("#end")  # the last whistle (confirmed in the dialog): the standings stop moving
    expect(instructor.locator("#end")).to_be_hidden()
    assert api.request("GET", f"/api/v1/competitions/{cid}")["state"] == "finished"
    instructor.click("#tab-board")
    instructor.click("#reveal")  # confirmed in the dialog
    expect(board.locator("body")).to_have_attribute("data-ceremony", "done", timeout=60_000)
    final = [r["team"] for r in api.request("GET", f"/api/v1/competitions/{cid}/standings")["standings"]]
    shown = board.evaluate(
        "() => [...document.querySelectorAll('#board tbody tr')].map((tr) => tr.dataset.team)"
    )
    assert shown == final
    assert api.request("GET", f"/api/v1/competitions/{cid}")["revealed"] is True

    # the grades of the class, downloaded from the panel
    instructor.click("#tab-exports")
    with instructor.expect_download() as info:
        instructor.click('button[data-file="standings.csv"]')
    download = info.value
    assert download.suggested_filename == f"salesfloor-{cid}-standings.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert [row["team"] for row in rows] == final
