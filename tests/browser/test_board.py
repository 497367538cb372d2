"""The projector leaderboard in a real browser, in both languages: it shows the teams and follows
the standings without a reload, runs the ticker, says when its link drops and that it came back,
freezes for the public while the judges' view stays live, plays the reveal ceremony to the final
standings, and fits a phone without sideways scrolling. A judge's sign-in on it waits out a busy
server with the same notice as every page, in the board's own style."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_resend import NOTICE, BusyServer
from tests.server.processes import ServerProcess

TEAMS = (("Aurora", "balanced"), ("Blue Harbor", "eager"), ("Cheap Deals", "dumper"))
WAIT_MS = 25_000
CEREMONY_MS = 60_000

ROWS_JS = """() => [...document.querySelectorAll('#board tbody tr')].map((tr) =>
  [tr.dataset.team, tr.querySelector('.c-composite').textContent,
   ...[...tr.querySelectorAll('td.c-metric')].map((td) => td.textContent)].join('|'))"""
ORDER_JS = "() => [...document.querySelectorAll('#board tbody tr')].map((tr) => tr.dataset.team)"


@dataclass
class Game:
    """A competition of house bots on the test server, driven by the instructor through the API."""

    http: httpx.Client
    id: int
    judge_code: str

    def path(self, tail: str = "") -> str:
        return f"/api/v1/competitions/{self.id}{tail}"

    def post(self, tail: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(self.path(tail), json=body)
        assert response.status_code < 300, response.text
        result: dict[str, Any] = response.json()
        return result

    def status(self) -> dict[str, Any]:
        result: dict[str, Any] = self.http.get(self.path("/public")).json()
        return result

    def keep_going(self) -> None:
        """Start the next round when one has ended, so that the standings keep moving."""
        status = self.status()
        if status["state"] == "paused" and status["between_rounds"]:
            self.http.post(self.path("/next-round"))

    def finish(self) -> None:
        """End the game if it still runs (its bots stop)."""
        if self.status()["state"] in ("running", "paused"):
            self.http.post(self.path("/end"))

    def live_order(self) -> list[str]:
        response = self.http.get(self.path("/standings"))
        assert response.status_code == 200, response.text
        return [row["team"] for row in response.json()["standings"]]


@pytest.fixture
def game(server: ServerProcess) -> Iterator[Game]:
    """A game of three house bots, started."""
    http = httpx.Client(base_url=server.url, timeout=10)
    http.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    body = {
        "name": "Board test",
        "preset": "classroom",
        "seconds_per_hour": 0.1,
        "rounds": 6,
        "seed": 5,
        "overrides": {"days_per_round": 10},
    }
    created = http.post("/api/v1/competitions", json=body)
    assert created.status_code == 201, created.text
    made = Game(http, created.json()["id"], created.json()["judge_code"])
    for name, bot in TEAMS:
        made.post("/teams", {"name": name, "bot": bot})
    made.post("/start")
    yield made
    made.finish()
    http.close()


def wait_until(page: Any, check: Callable[[], bool], game: Game, what: str, timeout: float = 25) -> None:
    """Poll `check` (short polls), starting the next round meanwhile; fail naming `what`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        game.keep_going()
        page.wait_for_timeout(150)
    raise AssertionError(f"timed out waiting for {what}")


def rows(page: Any) -> list[str]:
    result: list[str] = page.evaluate(ROWS_JS)
    return result


def open_board(open_context: Any, lang: str, game: Game, query: str = "", viewport: Any = None) -> Any:
    page = open_context(lang, viewport or DESKTOP).new_page()
    page.goto(f"/board/{game.id}{query}")
    expect(page.locator("#board tbody tr")).to_have_count(len(TEAMS), timeout=WAIT_MS)
    expect(page.locator("#link")).to_have_attribute("data-state", "live", timeout=WAIT_MS)
    return page


def changes(page: Any, game: Game, what: str) -> None:
    """Wait until the table shows other numbers than it does now."""
    before = rows(page)
    wait_until(page, lambda: rows(page) != before, game, what)


def judge_board(open_context: Any, lang: str, game: Game) -> Any:
    """The judges' live board, signed in through its own form."""
    page = open_context(lang, DESKTOP).new_page()
    page.goto(f"/board/{game.id}?view=judge")
    form = page.locator("#judge-login")
    expect(form).to_be_visible(timeout=WAIT_MS)
    badge = page.locator("#judge-badge")
    expect(badge).to_be_hidden()  # not signed in: nothing is live yet
    form.locator("input[name=code]").fill("WRONG123")
    form.locator("input[name=name]").fill("Ms Li")
    form.locator("button[type=submit]").click()
    expect(form.locator(".form-message")).to_contain_text("judge code", timeout=WAIT_MS)
    expect(badge).to_be_hidden()  # a refused code signs nobody in
    form.locator("input[name=code]").fill(game.judge_code.lower())
    form.locator("button[type=submit]").click()
    expect(form).to_be_hidden(timeout=WAIT_MS)
    expect(badge).to_be_visible(timeout=WAIT_MS)  # signed in, the judges' channel live
    expect(page.locator("#link")).to_have_attribute("data-state", "live")
    expect(page.locator("#board tbody tr")).to_have_count(len(TEAMS), timeout=WAIT_MS)
    return page


TEXT = {
    "en": {
        "score": "Score",
        "round": re.compile(r"Round \d+ (started|ended)"),
        "down": "reconnecting…",
        "back": re.compile(r"^(reconnected|live)$"),
        "frozen": re.compile(r"The board is frozen at Round \d+ · day \d+ · \d\d:\d\d"),
        "winner": "Winner",
    },
    "zh": {
        "score": "总分",
        "round": re.compile(r"第 \d+ 轮(开始|结束)"),
        "down": "重新连接中…",
        "back": re.compile(r"^(已重新连接|实时)$"),
        "frozen": re.compile(r"排行榜已冻结在 第 \d+ 轮 · 第 \d+ 天 · \d\d:\d\d"),
        "winner": "冠军",
    },
}


def test_the_board_follows_the_standings_and_the_ticker(game: Game, open_context: Any, lang: str) -> None:
    page = open_board(open_context, lang, game)
    text = TEXT[lang]
    expect(page.locator("th.c-composite")).to_have_text(text["score"])
    assert sorted(page.evaluate(ORDER_JS)) == sorted(name for name, _ in TEAMS)
    expect(page.locator("#title")).to_have_text("Board test")
    page.evaluate("window.__sameDocument = true")

    changes(page, game, "the standings to change on the page")
    first = page.locator("#board tbody tr").first
    expect(first.locator(".spark-line")).to_have_attribute("d", re.compile(r"^M.*L"))
    assert page.evaluate("window.__sameDocument") is True, "the page reloaded"

    ticker = page.locator("#ticker li")
    wait_until(page, lambda: bool(ticker.filter(has_text=text["round"]).count()), game, "a round line")
    note = f"Coffee break {lang} {game.id}"
    game.post("/announcements", {"text": note})
    line = ticker.filter(has_text=note)
    expect(line).to_have_count(1, timeout=WAIT_MS)
    expect(line).to_have_attribute("data-kind", "announcement")


SOCKETS_JS = """(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); }
  };
  window.__badge = [];
  document.addEventListener("DOMContentLoaded", () => {
    const badge = document.getElementById("link");
    new MutationObserver(() => {
      const seen = [badge.dataset.state, badge.textContent];
      if (JSON.stringify(window.__badge.at(-1)) !== JSON.stringify(seen)) window.__badge.push(seen);
    }).observe(badge, { attributes: true, childList: true, characterData: true, subtree: true });
  });
})()"""
"""Keeps the page's websockets (to drop them) and every state its link badge has shown."""


def test_a_dropped_link_says_so_and_comes_back(game: Game, open_context: Any, lang: str) -> None:
    context = open_context(lang, DESKTOP)
    context.add_init_script(SOCKETS_JS)
    page = context.new_page()
    page.goto(f"/board/{game.id}")
    badge = page.locator("#link")
    expect(badge).to_have_attribute("data-state", "live", timeout=WAIT_MS)
    page.evaluate("window.__badge = []; window.__sockets.forEach((socket) => socket.close())")
    text = TEXT[lang]

    def came_back() -> bool:
        shown: list[list[str]] = page.evaluate("window.__badge")
        down = next((i for i, (state, _) in enumerate(shown) if state == "down"), None)
        return down is not None and any(state == "live" for state, _ in shown[down:])

    wait_until(page, came_back, game, "the badge to show the drop and the reconnection")
    shown = page.evaluate("window.__badge")
    assert ["down", text["down"]] in shown
    back = shown[[state for state, _ in shown].index("down") :]
    assert any(state == "live" and text["back"].match(label) for state, label in back), shown
    assert page.evaluate("window.__sockets.length") >= 2
    changes(page, game, "the standings to move again after the reconnection")


def test_freeze_then_reveal(game: Game, open_context: Any, lang: str) -> None:
    public = open_board(open_context, lang, game)
    requests: list[str] = []
    public.on("request", lambda request: requests.append(request.url))
    judge = judge_board(open_context, lang, game)
    changes(public, game, "the public standings to move before the freeze")

    frozen = game.http.put(game.path("/freeze"), json={})
    assert frozen.status_code == 200, frozen.text
    banner = public.locator("#banner")
    expect(banner).to_be_visible(timeout=WAIT_MS)
    expect(banner).to_have_text(TEXT[lang]["frozen"])
    expect(judge.locator("#banner")).to_have_attribute("data-kind", "judge", timeout=WAIT_MS)
    cut = [row["team"] for row in game.status()["standings"]]
    wait_until(public, lambda: public.evaluate(ORDER_JS) == cut, game, "the public table to show the freeze")
    still = rows(public)
    changes(judge, game, "the judges' standings to move during the freeze")
    changes(judge, game, "the judges' standings to move again")
    assert rows(public) == still, "the public board moved while frozen"
    assert not [url for url in requests if "/ws/judge" in url or re.search(r"/\d+/(history|awards)", url)]
    note = f"Frozen, but still talking {lang} {game.id}"
    game.post("/announcements", {"text": note})
    for page in (public, judge):
        expect(page.locator("#ticker li").filter(has_text=note)).to_have_count(1, timeout=WAIT_MS)

    game.post("/end")
    game.post("/reveal")
    final = game.live_order()
    for page in (public, judge):
        expect(page.locator("body")).to_have_attribute("data-ceremony", "running", timeout=WAIT_MS)
    expect(public.locator("#ceremony")).to_be_visible()
    expect(public.locator("#board tbody tr.revealing")).to_have_count(1, timeout=WAIT_MS)
    for page in (public, judge):
        expect(page.locator("body")).to_have_attribute("data-ceremony", "done", timeout=CEREMONY_MS)
        assert page.evaluate(ORDER_JS) == final
    expect(public.locator("#banner")).to_be_hidden()
    awards = public.locator("#awards")
    expect(awards).to_be_visible(timeout=WAIT_MS)
    expect(awards.locator(".winner")).to_contain_text(TEXT[lang]["winner"])
    expect(awards.locator(".winner strong")).to_have_text(final[0])
    public.keyboard.press("Escape")
    expect(awards).to_be_hidden()
    assert public.evaluate(ORDER_JS) == final


def test_a_late_page_plays_the_reveal_and_replays_it(game: Game, open_context: Any, lang: str) -> None:
    end = time.monotonic() + 20
    while not all(row["conversion"] is not None for row in game.status()["standings"]):
        assert time.monotonic() < end, "the teams closed no inquiry"
        game.keep_going()
        time.sleep(0.1)
    game.http.put(game.path("/freeze"), json={}).raise_for_status()
    game.post("/end")
    game.post("/reveal")
    final = game.live_order()
    page = open_context(lang, PHONE).new_page()
    page.goto(f"/board/{game.id}?reveal=1")
    body = page.locator("body")
    expect(body).to_have_attribute("data-ceremony", "running", timeout=WAIT_MS)
    expect(body).to_have_attribute("data-ceremony", "done", timeout=CEREMONY_MS)
    assert page.evaluate(ORDER_JS) == final
    expect(page.locator("#awards")).to_be_visible(timeout=WAIT_MS)
    page.locator("#awards-close").click()
    expect(page.locator("#replay")).to_be_visible()
    page.keyboard.press("r")
    expect(body).to_have_attribute("data-ceremony", "running", timeout=WAIT_MS)
    expect(body).to_have_attribute("data-ceremony", "done", timeout=CEREMONY_MS)
    assert page.evaluate(ORDER_JS) == final
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_phone_has_no_sideways_scroll(game: Game, open_context: Any, lang: str) -> None:
    page = open_board(open_context, lang, game, viewport=PHONE)
    changes(page, game, "the standings to change on the phone")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.locator("th[data-metric=conversion]").is_hidden()
    expect(page.locator("#chart canvas").first).to_be_visible()
    game.http.put(game.path("/freeze"), json={}).raise_for_status()
    expect(page.locator("#banner")).to_be_visible(timeout=WAIT_MS)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_language_switches_and_is_remembered(game: Game, open_context: Any) -> None:
    page = open_board(open_context, "en", game)
    expect(page.locator("th.c-composite")).to_have_text("Score")
    page.click("#lang")
    expect(page.locator("th.c-composite")).to_have_text("总分")
    expect(page.locator("#chart-title")).to_have_text("前 5 名得分走势")
    page.reload()
    expect(page.locator("th.c-composite")).to_have_text("总分")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"


def test_a_busy_server_is_said_calmly_on_the_board_in_its_own_style(
    game: Game, open_context: Any, lang: str
) -> None:
    page = open_context(lang, DESKTOP, allowed=(503,)).new_page()
    page.goto(f"/board/{game.id}?view=judge")
    form = page.locator("#judge-login")
    expect(form).to_be_visible(timeout=WAIT_MS)
    badge = page.locator("#judge-badge")
    expect(badge).to_be_hidden()  # not signed in
    server = BusyServer()
    page.route("**/api/v1/session/judge", server)
    form.locator("input[name=code]").fill(game.judge_code)
    form.locator("input[name=name]").fill("Ms Li")
    form.locator("button[type=submit]").click()
    notice = form.locator("button[type=submit] + .resend-notice")
    expect(notice).to_have_text(NOTICE[lang])
    style = notice.evaluate(
        """(el) => { const s = getComputedStyle(el), around = getComputedStyle(el.parentElement);
          return [s.color, s.fontSize, s.marginInlineStart, around.color]; }"""
    )
    # the board's dim text (board.css --dim), smaller, apart from the button: not a browser
    # default span in the form's colour
    assert style == ["rgb(154, 164, 191)", "14.08px", "8px", "rgb(241, 244, 251)"], style
    server.release()
    expect(form).to_be_hidden(timeout=WAIT_MS)
    expect(badge).to_be_visible(timeout=WAIT_MS)  # signed in, the judges' channel live
    expect(page.locator("#link")).to_have_attribute("data-state", "live")
    expect(notice).to_have_count(0)
