"""The debrief between rounds in a real browser, in both languages: on the projector page the
instructor steps through the six pictures of the round (each a chart, its notable moments and
one line of what it teaches), picks a round and hides the team names; the instructor panel has
it in a tab; anybody else is told who may open it; and each team gets its own round report at
the round's end without asking."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.server.processes import ServerProcess

WAIT_MS = 25_000
TEAMS = ("Aurora", "Blue Harbor", "Cheap Deals")
TITLES = {
    "en": [
        "market share and win rate",
        "discount against win rate",
        "reply time against conversion",
        "payment terms against days to get paid",
        "complaints resolved in time",
        "Cash over time",
    ],
    "zh": [
        "市场份额与成交率",
        "折扣与成交率",
        "响应时间与转化率",
        "付款期限与回款天数",
        "及时解决的投诉与满意度",
        "现金走势",
    ],
}
TEXT = {
    "en": {
        "refused": "only for the instructor",
        "anonymous": "Team 1",
        "round1": "Round 1",
        "lesson": "Customers wait only so long",
        "team": "Round 1 is over: your round",
        "median": "Class median",
        "noRound": "No round has ended yet: a round's debrief opens at its end.",
    },
    "zh": {
        "refused": "仅对讲师和本场比赛的评委开放",
        "anonymous": "队伍 1",
        "round1": "第 1 轮",
        "lesson": "客户的耐心有限",
        "team": "第 1 轮结束：你们的本轮成绩",
        "median": "全班中位数",
        "noRound": "还没有结束的轮次：每轮结束后才能复盘。",
    },
}
TEXT["en"]["refused"] = "for the instructor and this competition's judges"


@pytest.fixture
def game(server: ServerProcess) -> Iterator[tuple[httpx.Client, int, str]]:
    """Three bots and one team of people, stopped after round 1 (between rounds)."""
    http = httpx.Client(base_url=server.url, timeout=10)
    http.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    body = {"name": "Debrief", "preset": "classroom", "seconds_per_hour": 0.08, "rounds": 3, "seed": 11}
    cid = http.post("/api/v1/competitions", json=body).json()["id"]
    for name, bot in zip(TEAMS, ("balanced", "eager", "dumper"), strict=True):
        assert (
            http.post(f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot}).status_code == 201
        )
    people = http.post(f"/api/v1/competitions/{cid}/teams", json={"name": "Humans"}).json()
    code = people["join_code"] if "join_code" in people else people["teams"][0]["join_code"]
    yield http, cid, code
    http.post(f"/api/v1/competitions/{cid}/end")
    http.close()


def run_round_one(http: httpx.Client, cid: int) -> None:
    assert http.post(f"/api/v1/competitions/{cid}/start").status_code == 200
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        status = http.get(f"/api/v1/competitions/{cid}/public").json()
        if status["between_rounds"]:
            return
        time.sleep(0.2)
    raise AssertionError("round 1 did not end")


def test_the_instructor_steps_through_the_debrief_on_the_projector(
    game: tuple[httpx.Client, int, str], open_context: Any, lang: str
) -> None:
    http, cid, code = game
    student = open_context(lang, DESKTOP)
    joined = student.request.post(
        "/api/v1/session/join", data={"code": code, "name": "Li", "role": "manager"}
    )
    assert joined.ok, joined.text()
    console = student.new_page()
    console.goto("/team")
    expect(console.locator("#round-report")).to_be_hidden(timeout=WAIT_MS)

    outsider = open_context(lang, DESKTOP).new_page()
    outsider.goto(f"/debrief/{cid}")
    expect(outsider.locator("#refused-reason")).to_contain_text(TEXT[lang]["refused"], timeout=WAIT_MS)

    early = open_context(lang, DESKTOP)  # before any round's end: when to come back, in the language
    assert early.request.post("/api/v1/session/instructor", data={"password": "pw"}).ok
    waiting = early.new_page()
    waiting.goto(f"/debrief/{cid}")
    expect(waiting.locator(".debrief-message")).to_contain_text(TEXT[lang]["noRound"], timeout=WAIT_MS)
    panel = early.new_page()  # the instructor panel's tab says the same
    panel.goto(f"/instructor/{cid}#debrief")
    expect(panel.locator("#panel-debrief .debrief-message")).to_contain_text(TEXT[lang]["noRound"])

    run_round_one(http, cid)
    report = console.locator("#round-report")  # the team's own round, at the round's end, unasked
    expect(report).to_be_visible(timeout=WAIT_MS)
    expect(report).to_contain_text(TEXT[lang]["team"])
    expect(report).to_contain_text(TEXT[lang]["median"])
    report.locator("button.close-report").click()
    expect(report).to_be_hidden()

    # the Rank figure is coloured by where the rank stands: green at the top, red at the bottom
    bands = console.evaluate(
        """async () => { const { rankBand } = await import('/static/team/header.js');
        return [[1, 6], [2, 6], [3, 6], [5, 6], [6, 6], [1, 1]].map(([r, n]) => rankBand(r, n)); }"""
    )
    assert bands == ["top", "top", "middle", "bottom", "bottom", "top"]
    rank = console.locator("#kpi-rank")
    expect(rank).to_have_attribute("data-band", re.compile("^(top|middle|bottom)$"))
    colors = console.evaluate(
        """() => { const dd = document.getElementById('kpi-rank'); const out = {};
        for (const band of ['top', 'middle', 'bottom']) {
          dd.dataset.band = band; out[band] = getComputedStyle(dd).color; }
        return out; }"""
    )
    assert len(set(colors.values())) == 3, colors

    teacher = open_context(lang, DESKTOP)
    teacher.request.post("/api/v1/session/instructor", data={"password": "pw"})
    page = teacher.new_page()
    page.goto(f"/debrief/{cid}")
    title = page.locator(".debrief-title")
    expect(title).to_contain_text(TITLES[lang][0], timeout=WAIT_MS)
    expect(page.locator(".debrief-round[aria-pressed=true]")).to_have_text(TEXT[lang]["round1"])
    expect(page.locator(".debrief-chart svg .row-label")).to_have_count(4)
    expect(page.locator(".debrief-moments li").first).to_be_visible()
    for step, words in enumerate(TITLES[lang][1:], start=2):
        page.keyboard.press("ArrowRight")
        expect(title).to_contain_text(words)
        expect(page.locator(".debrief-counter")).to_have_text(f"{step} / 6")
        expect(page.locator(".debrief-chart svg")).to_have_count(1)
        if step == 3:
            expect(page.locator(".debrief-lesson")).to_contain_text(TEXT[lang]["lesson"])
    expect(page.locator(".debrief-next")).to_be_disabled()
    expect(page.locator(".debrief-chart svg path.line")).to_have_count(4)  # cash: a line per team
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".debrief-counter")).to_have_text("1 / 6")
    page.keyboard.press("h")
    labels = page.locator(".debrief-chart svg .row-label")
    expect(labels.filter(has_text=TEXT[lang]["anonymous"])).to_have_count(1)
    shown = page.locator(".debrief-main, .debrief-side").all_inner_texts()
    for team in (*TEAMS, "Humans"):
        assert all(team not in text for text in shown), (team, shown)

    phone = teacher.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(f"/debrief/{cid}")
    expect(phone.locator(".debrief-chart svg")).to_have_count(1, timeout=WAIT_MS)
    assert phone.evaluate("() => document.documentElement.scrollWidth <= innerWidth")

    panel = teacher.new_page()
    panel.goto(f"/instructor/{cid}#debrief")
    expect(panel.locator("#panel-debrief .debrief-title")).to_contain_text(TITLES[lang][0], timeout=WAIT_MS)
    expect(panel.locator("#open-debrief")).to_have_attribute("href", f"/debrief/{cid}")
    panel.locator("#panel-debrief .debrief-next").click()
    expect(panel.locator("#panel-debrief .debrief-title")).to_contain_text(TITLES[lang][1])
