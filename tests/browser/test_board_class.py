"""The board around the play, in a real browser and both languages: the lobby before the start
(teams and members as they join, the clock to the planned start, join codes and QR codes only
on the instructor's screen, no ranks), a board of a competition that does not exist, the
highlights (in the ticker and as a card), a reloaded board that keeps its recent ticker, and
the icon every page asks for."""

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

LAPTOP = {"width": 1366, "height": 768}

WAIT_MS = 25_000

TEXT = {
    "en": {
        "waiting": "Waiting for the first member",
        "bot": "Played by a house bot",
        "missing": "There is no competition 99999",
        "sales": "Sales",
        "first_order": "First order",
        "startsIn": "to the start",
        "soon": "Starting soon",
    },
    "zh": {
        "waiting": "等待第一位队员",
        "bot": "由内置机器人操作",
        "missing": "没有第 99999 场比赛",
        "sales": "销售",
        "first_order": "第一笔订单",
        "startsIn": "后开始",
        "soon": "即将开始",
    },
}


@pytest.fixture
def http(server: ServerProcess) -> Iterator[httpx.Client]:
    client = httpx.Client(base_url=server.url, timeout=10)
    client.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    yield client
    client.close()


def create(http: httpx.Client, name: str, teams: list[dict[str, Any]]) -> dict[str, Any]:
    body = {"name": name, "preset": "classroom", "seconds_per_hour": 0.1, "rounds": 6, "seed": 3}
    created = http.post("/api/v1/competitions", json=body)
    assert created.status_code == 201, created.text
    competition: dict[str, Any] = created.json()
    for team in teams:
        added = http.post(f"/api/v1/competitions/{competition['id']}/teams", json=team)
        assert added.status_code == 201, added.text
    detail: dict[str, Any] = http.get(f"/api/v1/competitions/{competition['id']}").json()
    return detail


def test_the_lobby_shows_who_joins_and_the_clock_to_the_start(
    http: httpx.Client, server: ServerProcess, open_context: Any, lang: str
) -> None:
    detail = create(http, f"Lobby {lang}", [{"name": "Aurora"}, {"name": "Robots", "bot": "balanced"}])
    cid = detail["id"]
    code = next(team["join_code"] for team in detail["teams"] if team["name"] == "Aurora")
    planned = http.put(f"/api/v1/competitions/{cid}/starts-at", json={"minutes": 5})
    assert planned.status_code == 200, planned.text

    page = open_context(lang, DESKTOP).new_page()
    page.goto(f"/board/{cid}")
    lobby = page.locator("#lobby")
    expect(lobby).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#title")).to_have_text(f"Lobby {lang}")
    expect(page.locator("#stage")).to_be_hidden()  # no table: nobody is ranked before the start
    aurora = lobby.locator(".lobby-team[data-team='Aurora']")
    expect(aurora).to_contain_text(TEXT[lang]["waiting"])
    expect(lobby.locator(".lobby-team[data-team='Robots']")).to_contain_text(TEXT[lang]["bot"])
    expect(page.locator("#clock")).to_have_text(re.compile(r"^[45]:\d\d$"))
    expect(page.locator("#clock-label")).to_have_text(TEXT[lang]["startsIn"])
    expect(lobby.locator(".lobby-code")).to_have_count(0)  # the public never sees a code
    assert code not in page.content()

    with httpx.Client(base_url=server.url, timeout=10) as student:
        joined = student.post("/api/v1/session/join", json={"code": code, "name": "Mei 梅", "role": "sales"})
        assert joined.status_code == 200, joined.text
    expect(aurora.locator(".lobby-member")).to_have_text(re.compile(f"Mei 梅\\s*{TEXT[lang]['sales']}"))
    expect(aurora).to_have_attribute("data-members", "1")

    teacher = open_context(lang, DESKTOP)
    teacher.request.post("/api/v1/session/instructor", data={"password": "pw"})
    screen = teacher.new_page()
    screen.goto(f"/board/{cid}")
    expect(screen.locator(".lobby-team[data-team='Aurora'] .lobby-code")).to_have_text(code, timeout=WAIT_MS)
    qr = screen.locator(".lobby-team[data-team='Aurora'] .lobby-qr")
    expect(qr).to_be_visible()
    screen.wait_for_function("() => document.querySelector('.lobby-qr').naturalWidth > 0")

    phone = open_context(lang, PHONE).new_page()
    phone.goto(f"/board/{cid}")
    expect(phone.locator(".lobby-member")).to_have_count(1, timeout=WAIT_MS)
    assert phone.evaluate("() => document.documentElement.scrollWidth <= innerWidth")

    assert http.post(f"/api/v1/competitions/{cid}/start").status_code == 200
    expect(lobby).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator("#board tbody tr")).to_have_count(2, timeout=WAIT_MS)
    again = http.put(f"/api/v1/competitions/{cid}/starts-at", json={"minutes": 5})
    assert again.status_code == 409 and "started already" in again.json()["detail"]
    http.post(f"/api/v1/competitions/{cid}/end")


def test_a_board_of_no_competition_says_so(open_context: Any, lang: str) -> None:
    page = open_context(lang, DESKTOP).new_page()
    page.goto("/board/99999")
    expect(page.locator("#missing")).to_contain_text(TEXT[lang]["missing"], timeout=WAIT_MS)
    expect(page.locator("#link")).to_be_hidden()
    expect(page.locator("#stage")).to_be_hidden()


def test_highlights_reach_the_ticker_and_a_reload_keeps_the_ticker(
    http: httpx.Client, open_context: Any, lang: str
) -> None:
    teams = [{"name": "Aurora", "bot": "balanced"}, {"name": "Blue Harbor", "bot": "eager"}]
    cid = create(http, f"Highlights {lang}", teams)["id"]
    page = open_context(lang, DESKTOP).new_page()
    page.goto(f"/board/{cid}")
    expect(page.locator("#lobby")).to_be_visible(timeout=WAIT_MS)
    page.evaluate(
        """() => { window.spotted = [];
        new MutationObserver(() => { const s = document.getElementById('spotlight');
          if (!s.hidden) window.spotted.push(s.textContent); })
        .observe(document.getElementById('spotlight'), {attributes: true, childList: true}); }"""
    )
    assert http.post(f"/api/v1/competitions/{cid}/start").status_code == 200
    first = page.locator("#ticker li.highlight[data-kind='first_order']")
    expect(first).to_have_count(1, timeout=WAIT_MS)
    expect(first).to_contain_text(re.compile("Aurora|Blue Harbor"))
    spotted = page.evaluate("() => window.spotted")
    assert any(TEXT[lang]["first_order"] in text for text in spotted), spotted
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline and page.locator("#ticker li").count() < 3:
        page.wait_for_timeout(200)
    http.post(f"/api/v1/competitions/{cid}/pause")
    shown = page.locator("#ticker li .tick-text").all_text_contents()
    page.reload()
    expect(page.locator("#link")).to_have_attribute("data-state", "live", timeout=WAIT_MS)
    expect(page.locator("#ticker li")).to_have_count(len(shown), timeout=WAIT_MS)
    assert page.locator("#ticker li .tick-text").all_text_contents() == shown
    expect(page.locator("#ticker li.highlight[data-kind='first_order']")).to_have_count(1)
    for size in (LAPTOP, PHONE):  # the highlight's line and card fit a laptop and a phone
        small = open_context(lang, size).new_page()
        small.goto(f"/board/{cid}")
        expect(small.locator("#ticker li.highlight").first).to_be_visible(timeout=WAIT_MS)
        small.evaluate(  # the card as it shows a highlight (it shows each for six seconds only)
            """() => { const s = document.getElementById('spotlight'); s.hidden = false;
            s.textContent = document.querySelector('#ticker li.highlight .tick-text').textContent; }"""
        )
        assert small.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    http.post(f"/api/v1/competitions/{cid}/end")


def test_every_page_has_its_icon(server: ServerProcess) -> None:
    icon = httpx.get(f"{server.url}/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    linked = httpx.get(f"{server.url}/static/favicon.svg")
    assert linked.status_code == 200 and b"<svg" in linked.content


PLAN = {
    "en": {"bad": "whole number of minutes", "in": "the start is planned in", "none": "No planned start"},
    "zh": {"bad": "0 到 1440 之间的整数", "in": "计划", "none": "未设开始时间"},
}


def test_the_instructor_plans_the_start_the_lobby_counts_down_to(
    http: httpx.Client, open_context: Any, lang: str
) -> None:
    cid = create(http, f"Plan {lang}", [{"name": "Aurora"}])["id"]
    teacher = open_context(lang, DESKTOP)
    teacher.request.post("/api/v1/session/instructor", data={"password": "pw"})
    panel = teacher.new_page()
    panel.goto(f"/instructor/{cid}")
    card = panel.locator(".lobby-card")
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(panel.locator("#open-lobby")).to_have_attribute("href", f"/board/{cid}")
    expect(panel.locator("#planned-start")).to_contain_text(PLAN[lang]["none"])
    sent: list[str] = []
    panel.on("request", lambda r: sent.append(r.url) if r.method == "PUT" else None)
    panel.fill("#starts-in", "2000")
    panel.click("#plan-start")
    expect(card.locator(".field-error")).to_contain_text(PLAN[lang]["bad"])
    assert sent == []
    panel.fill("#starts-in", "3")
    panel.click("#plan-start")
    expect(panel.locator("#planned-start")).to_contain_text(PLAN[lang]["in"])
    expect(panel.locator("#planned-start")).to_contain_text(re.compile(r"[23]:\d\d"))
    board = open_context(lang, DESKTOP).new_page()
    board.goto(f"/board/{cid}")
    expect(board.locator("#clock")).to_have_text(re.compile(r"^[23]:\d\d$"), timeout=WAIT_MS)
    panel.click("#clear-start")
    expect(panel.locator("#planned-start")).to_contain_text(PLAN[lang]["none"])
    expect(board.locator("#clock")).to_have_text(TEXT[lang]["soon"], timeout=WAIT_MS)
    http.post(f"/api/v1/competitions/{cid}/start")
    expect(card).to_be_hidden(timeout=WAIT_MS)
    http.post(f"/api/v1/competitions/{cid}/end")


SIZES_JS = """() => {
  const px = (selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.getClientRects().length)
    .map((el) => parseFloat(getComputedStyle(el).fontSize));
  return {
    headers: px("#board th"), legend: px("#legend li"), titles: px(".panel-title"),
    ticker: px("#ticker .tick-text"), cells: px("#board td.c-metric"),
  };
}"""


def test_the_projector_board_is_legible_from_the_back_of_the_room(
    http: httpx.Client, open_context: Any, lang: str
) -> None:
    teams = [{"name": "Aurora", "bot": "balanced"}, {"name": "Blue Harbor", "bot": "eager"}]
    cid = create(http, f"Legible {lang}", teams)["id"]
    http.post(f"/api/v1/competitions/{cid}/start")
    page = open_context(lang, DESKTOP).new_page()
    page.goto(f"/board/{cid}")
    expect(page.locator("#legend li")).to_have_count(2, timeout=WAIT_MS)
    expect(page.locator("#ticker li").first).to_be_visible(timeout=WAIT_MS)
    sizes = page.evaluate(SIZES_JS)
    minimum = {"headers": 20, "legend": 20, "titles": 20, "ticker": 20, "cells": 18}
    for what, least in minimum.items():
        assert sizes[what] and min(sizes[what]) >= least, (what, sizes[what])
    http.post(f"/api/v1/competitions/{cid}/end")
