"""One definition of the current round on every page, in both languages: between rounds the
team console, the projector board, the instructor's controls and the API all name the round
that has just ended (and the instructor's button the next one); the console's feed does not
announce the next round while nothing runs, and keeps its recent items across a reload; after
the last round no page says "Round 3" of 2."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import expect

from server.client.api_client import SalesfloorClient
from tests.browser.test_instructor_panel import instructor_api, sign_in
from tests.browser.test_team_console import join_page
from tests.server.processes import ServerProcess

LAPTOP = {"width": 1366, "height": 768}
WORDS = {
    "en": {
        "header": "Round 1 of 2",
        "banner": "Round 1 is over",
        "board": "Round 1 / 2",
        "instructor": "Round 1 of 2 is over",
        "next": "Start round 2",
        "ended": "Round 1 ended",
        "started2": "Round 2 started",
        "last": "Round 2 of 2",
        "beyond": r"Round 3 [·/o]",  # a time, a board header or "of 2"
    },
    "zh": {
        "header": "第 1 轮 / 共 2 轮",
        "banner": "第 1 轮已结束",
        "board": "第 1 / 2 轮",
        "instructor": "第 1 轮已结束（共 2 轮）",
        "next": "开始第 2 轮",
        "ended": "第 1 轮结束",
        "started2": "第 2 轮开始",
        "last": "第 2 轮 / 共 2 轮",
        "beyond": r"第 3 (轮 [·/]|/)",
    },
}


def _wait(
    api: SalesfloorClient, cid: int, condition: Any, what: str, deadline: float = 40.0
) -> dict[str, Any]:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        status: dict[str, Any] = api.request("GET", f"/api/v1/competitions/{cid}")
        if condition(status):
            return status
        time.sleep(0.1)
    raise AssertionError(f"{what} did not come within {deadline} s")


def test_every_page_names_the_same_round(open_context: Any, server: ServerProcess, lang: str) -> None:
    words = WORDS[lang]
    api = instructor_api(server)
    cid = api.request(
        "POST", "/api/v1/competitions", json={"name": f"Rounds {lang}", "rounds": 2, "seconds_per_hour": 0.1}
    )["id"]
    code = api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "Humans"})["join_code"]
    api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "House", "bot": "balanced"})
    console = open_context(lang, LAPTOP).new_page()
    join_page(console, code, "Ana", "manager")
    expect(console.locator("#wait-view")).to_be_visible()
    api.request("POST", f"/api/v1/competitions/{cid}/start")
    status = _wait(api, cid, lambda s: s["between_rounds"], "the end of round 1")
    assert (status["round"], status["next_round"]) == (1, 2)

    expect(console.locator("#round")).to_have_text(words["header"])
    expect(console.locator("#banners")).to_contain_text(words["banner"])
    feed = console.locator("#activity")
    expect(feed).to_contain_text(words["ended"])
    assert words["started2"] not in feed.text_content(), "round 2 is not news while nothing runs"
    console.reload()
    expect(console.locator("#activity li").first).to_be_attached()
    expect(console.locator("#activity")).to_contain_text(words["ended"])  # the feed survives a reload

    board = open_context(lang, LAPTOP).new_page()
    board.goto(f"/board/{cid}")
    expect(board.locator("#round")).to_have_text(words["board"])
    panel = open_context(lang, LAPTOP).new_page()
    sign_in(panel)
    panel.goto(f"/instructor/{cid}#live")
    expect(panel.locator("#clock")).to_have_text(words["instructor"])
    expect(panel.locator("#next-round")).to_have_text(words["next"])

    panel.click("#next-round")
    expect(console.locator("#activity")).to_contain_text(words["started2"])
    _wait(api, cid, lambda s: s["state"] == "finished", "the end of the last round")
    expect(console.locator("#round")).to_have_text(words["last"])
    expect(board.locator("#round")).to_have_text(words["board"].replace("1", "2", 1))
    for page in (console, board, panel):
        assert not re.search(words["beyond"], page.locator("body").inner_text()), page.url
