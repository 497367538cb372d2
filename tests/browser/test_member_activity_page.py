"""Who did what inside a team, in a real browser and both languages: the instructor's monitor
lists each member's commands, refusals and last command and flags the idle one, a member
signed in on two devices as one row (laptop 1366×768); at the end a member rates a teammate
on the phone (390×844), and the instructor reads the rating in the panel. Every outcome is
checked through the API too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from server.client.api_client import ApiError, SalesfloorClient
from tests.browser.conftest import PHONE
from tests.browser.test_instructor_panel import instructor_api, sign_in
from tests.browser.test_team_console import join_page
from tests.server.processes import ServerProcess

LAPTOP = {"width": 1366, "height": 768}
TEXT = {
    "en": {
        "lee": "3 commands, 1 refused",
        "idle": "idle",
        "missing": "Rate every teammate",
        "saved": "Saved",
    },
    "zh": {"lee": "3 条指令，1 条被拒绝", "idle": "闲置", "missing": "请为每位队友", "saved": "已保存"},
}


def test_the_monitor_shows_members_and_peer_review_closes_the_game(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    words = TEXT[lang]
    api = instructor_api(server)
    cid = api.request(
        "POST", "/api/v1/competitions", json={"name": f"Who did what {lang}", "seconds_per_hour": 0.5}
    )["id"]
    code = api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "红队"})["join_code"]
    api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "House", "bot": "balanced"})
    phone = open_context(lang, PHONE).new_page()
    join_page(phone, code, "Kim", "sales")
    expect(phone.locator("#wait-view")).to_be_visible()
    api.request("POST", f"/api/v1/competitions/{cid}/start")
    lee = SalesfloorClient(server.url)
    lee.join(code, "Lee", "manager")
    lee_again = SalesfloorClient(server.url)  # Lee signs in again on another device: still Lee
    lee_again.join(code, " LEE ", "manager")
    for enabled in (True, False):
        lee.request("PUT", "/api/v1/team/policies/apology", json={"enabled": enabled})
    with pytest.raises(ApiError):
        lee_again.request("POST", "/api/v1/team/invoices/nope/reminder", json={})

    panel = open_context(lang, LAPTOP).new_page()
    sign_in(panel)
    panel.goto(f"/instructor/{cid}#live")
    team = panel.locator('.monitor-table tr[data-team="红队"]')
    expect(team.locator('.person[data-member="Lee"]')).to_contain_text(words["lee"])
    # Kim has sent nothing: idle once the market has run four business hours (2 s at this pace)
    expect(team.locator('.person[data-member="Kim"] .badge')).to_have_text(words["idle"])
    assert team.locator('.person[data-member="Lee"]').is_visible()
    expect(team.locator(".person")).to_have_count(2)  # Kim and Lee: one row for Lee's two sign-ins
    monitor = api.request("GET", f"/api/v1/competitions/{cid}/monitor")
    people = {p["name"]: p for t in monitor["teams"] for p in t["people"]}
    assert (people["Lee"]["commands"], people["Lee"]["refused"]) == (3, 1)
    assert people["Kim"]["commands"] == 0

    api.request("POST", f"/api/v1/competitions/{cid}/end")
    card = phone.locator("#peer-card")
    expect(card).to_be_visible()
    expect(phone.locator("#frozen-banner")).to_have_count(0)  # no "keep working" after the end
    card.locator("#peer-send").click()
    expect(card.locator("#peer-message")).to_contain_text(words["missing"])
    assert api.request("GET", f"/api/v1/competitions/{cid}/peer-reviews")["reviews"] == 0
    card.locator(".peer-option", has=phone.locator('input[value="4"]')).click()
    card.locator("textarea").fill("拿下了大客户 · closed the big one")
    for _ in range(2):  # the form is drawn again in the other language, and back: nothing lost
        phone.locator("#lang").click()
        expect(card.locator('input[value="4"]')).to_be_checked()
        expect(card.locator("textarea")).to_have_value("拿下了大客户 · closed the big one")
    card.locator("#peer-send").click()
    expect(card.locator("#peer-message")).to_contain_text(words["saved"])
    box = card.locator("#peer-send").bounding_box()
    assert box and box["width"] <= PHONE["width"], "the form fits the phone"
    reviews = api.request("GET", f"/api/v1/competitions/{cid}/peer-reviews")
    (lee_row,) = [m for m in reviews["members"] if m["name"] == "Lee"]
    assert lee_row["mean"] == 4 and lee_row["ratings"][0]["comment"] == "拿下了大客户 · closed the big one"

    panel.goto(f"/instructor/{cid}#exports")
    row = panel.locator('#peer-reviews tr[data-member="Lee"]')
    expect(row.locator("td.mean")).to_have_text("4.00")
    expect(row).to_contain_text("拿下了大客户")
