"""Every page words the moment of a freeze the same way (``fmt.simTime`` in common/i18n.js).

A freeze made while the clock waits between rounds falls exactly on a round's end: the board,
the instructor panel, the judge panel and the team console all call it the end of the round
that closed ("Round 1 · day 5 · 17:00"), as the server calls the current round between rounds
(server/live/core.py ``round``) — the board said "round 2, day 1" of the same moment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_team_console import join_page
from tests.server.helpers import wait_for
from tests.server.processes import ServerProcess

JUDGE = {"en": "Ms Li", "zh": "李老师"}
# the end of round 1 (40 business hours of 5 days of 8 hours), as each page words it
MOMENT = {"en": "Round 1 · day 5 · 17:00", "zh": "第 1 轮 · 第 5 天 · 17:00"}
SAID = {
    "en": {
        "board": "The board is frozen at {m}: the final standings will be revealed at the end",
        "panel": "Frozen at {m}: the public and the teams see the standings as of then.",
        "judge": "The public board is frozen at {m}.",
        "team": "The board is frozen at {m}: standings show that moment.",
    },
    "zh": {
        "board": "排行榜已冻结在 {m}：最终排名将在比赛结束时揭晓",
        "panel": "已于 {m} 冻结：公众和各团队看到的是那一刻的排名。",
        "judge": "公开排行榜已冻结在 {m}。",
        "team": "排行榜已冻结在 {m}：显示的是那一刻的成绩。",
    },
}


@dataclass
class Class:
    id: int
    judge_code: str
    join_code: str
    http: httpx.Client


@pytest.fixture
def frozen_at_round_end(server: ServerProcess) -> Iterator[Class]:
    """A class whose first round has ended (the clock waits on the boundary), frozen there."""
    http = httpx.Client(base_url=server.url, timeout=10)
    http.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    created = http.post(
        "/api/v1/competitions",
        json={"name": "Freeze words", "seconds_per_hour": 0.05, "rounds": 3, "seed": 5},
    )
    created.raise_for_status()
    cid = created.json()["id"]
    http.post(
        f"/api/v1/competitions/{cid}/teams", json={"name": "House", "bot": "balanced"}
    ).raise_for_status()
    joined = http.post(f"/api/v1/competitions/{cid}/teams", json={"name": "Humans"})
    joined.raise_for_status()
    http.post(f"/api/v1/competitions/{cid}/start").raise_for_status()

    def between() -> dict[str, Any] | None:
        status: dict[str, Any] = http.get(f"/api/v1/competitions/{cid}/standings").json()
        return status if status["between_rounds"] and status["round"] == 1 else None

    status = wait_for(between, what="the end of round 1", timeout=30)
    assert status["t_sim"] == pytest.approx(40.0)
    frozen = http.put(f"/api/v1/competitions/{cid}/freeze", json={})
    frozen.raise_for_status()
    assert frozen.json()["freeze_t"] == pytest.approx(40.0)
    detail = http.get(f"/api/v1/competitions/{cid}").json()
    yield Class(cid, detail["judge_code"], joined.json()["join_code"], http)
    http.post(f"/api/v1/competitions/{cid}/end")
    http.close()


def moment_in(page: Page, selector: str, said: str, lang: str) -> str:
    """The moment a page's text names, once the text says the freeze."""
    pattern = re.escape(said).replace(re.escape("{m}"), "(.+?)")
    element = page.locator(selector)
    expect(element).to_contain_text(re.compile(pattern))
    match = re.search(pattern, element.inner_text())
    assert match, element.inner_text()
    return match.group(1)


def test_a_freeze_at_a_rounds_end_reads_the_same_on_every_page(
    frozen_at_round_end: Class, open_context: Any, lang: str
) -> None:
    game = frozen_at_round_end
    said = SAID[lang]
    pages: list[Page] = []

    def page_in(lang: str) -> Page:
        page = open_context(lang).new_page()
        pages.append(page)
        return page

    board = page_in(lang)
    board.goto(f"/board/{game.id}")
    on_board = moment_in(board, "#banner", said["board"], lang)

    panel = page_in(lang)
    panel.goto("/instructor")
    panel.fill("#login input[name=password]", "pw")
    panel.click("#login button[type=submit]")
    expect(panel.locator("#create")).to_be_visible()
    panel.goto(f"/instructor/{game.id}#board")
    on_panel = moment_in(panel, ".freeze-state", said["panel"], lang)

    judge = page_in(lang)
    judge.goto(f"/judge/{game.id}")
    judge.fill("#login input[name=code]", game.judge_code.lower())
    judge.fill("#login input[name=name]", JUDGE[lang])
    judge.click("#login button[type=submit]")
    on_judge = moment_in(judge, "#frozen-note", said["judge"], lang)

    team = page_in(lang)
    join_page(team, game.join_code, "Mei", "manager")
    on_team = moment_in(team, "#frozen-banner", said["team"], lang)

    assert on_board == on_panel == on_judge == on_team == MOMENT[lang]
    for page in pages:
        page.close()
