"""The pages wait out a busy server: a 503 with ``Retry-After`` (a worker busy, a competition
being handed over, the database away) is waited out and the request sent again, a command with
the same ``Idempotency-Key``, within 30 s; meanwhile the control that sent it is held and says
"Server busy — retrying…" in the page's language. A 503 without ``Retry-After``, a 429 and a
wait beyond the budget are shown as the server's refusal at once, as before.

The busy answers are made in the browser (``page.route``); the rest is the real server, which
shows that a command whose first try did land is applied once when its key comes again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_instructor_panel import instructor_api, sign_in
from tests.browser.test_team_console import PATIENT_MARKET, Game, join_page, make_game  # noqa: F401 (a fixture)
from tests.server.processes import ServerProcess

NOTICE = {"en": "Server busy — retrying…", "zh": "服务器繁忙，正在重试…"}
BUSY = (
    "the worker that serves this request is busy (64 requests are waiting for it already); "
    "nothing was done — try again in a moment"
)
MOVING = "the competition is moving to another worker; try again in a moment"
LAUNCHED = {"en": "Campaign", "zh": "营销活动"}


def refuse(route: Route, status: int, detail: str, retry_after: str | None) -> None:
    """Answer the request as the server does when it cannot take it now."""
    route.fulfill(
        status=status,
        headers={"Retry-After": retry_after} if retry_after is not None else {},
        content_type="application/json",
        body=json.dumps({"detail": detail, "code": "unavailable" if status == 503 else "rate_limited"}),
    )


def key_of(route: Route) -> str:
    return route.request.headers.get("idempotency-key", "")


def refusing(tries: list[str], status: int, detail: str, retry_after: str | None) -> Callable[[Route], None]:
    """A route handler that refuses every try (noting its key)."""

    def refused(route: Route) -> None:
        tries.append(key_of(route))
        refuse(route, status, detail, retry_after)

    return refused


def launch_campaign(page: Page, budget: str) -> None:
    page.select_option("#cp-segment", "smb")
    page.fill("#cp-budget", budget)
    page.click("#cp-launch")


class BusyServer:
    """A route handler: busy (503, ``Retry-After: 1``) at least twice and until ``release()``,
    then the real server. With ``first_lands`` the first try reaches the server and only its
    answer is the busy one, as if the answer had been lost."""

    def __init__(self, first_lands: bool = False) -> None:
        self.first_lands = first_lands
        self.keys: list[str] = []
        self.busy = True

    def release(self) -> None:
        self.busy = False

    def __call__(self, route: Route) -> None:
        self.keys.append(key_of(route))
        if len(self.keys) == 1 and self.first_lands:
            route.fetch()
        if self.busy or len(self.keys) < 3:
            refuse(route, 503, BUSY if len(self.keys) == 1 else MOVING, "1")
        else:
            route.continue_()


def test_a_command_refused_as_busy_is_sent_again_with_its_key_and_applied_once(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
    lang: str,
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang, DESKTOP, allowed=(503,)).new_page()
    join_page(page, game.code, "Mei", "manager")
    launch, notice = page.locator("#cp-launch"), page.locator("#cp-launch + .resend-notice")
    expect(launch).to_be_enabled()
    server = BusyServer(first_lands=True)
    page.route("**/api/v1/team/campaigns", server)
    launch_campaign(page, "1500")
    expect(notice).to_have_text(NOTICE[lang])  # calm, on the button, not an error
    expect(launch).to_be_disabled()
    launch.dispatch_event("click")  # a second click while it waits sends nothing
    expect(page.locator(".toast.error")).to_have_count(0)
    server.release()
    expect(page.locator(".toast.ok", has_text=LAUNCHED[lang])).to_be_visible()
    expect(notice).to_have_count(0)
    expect(launch).to_be_enabled()
    expect(page.locator(".toast.error")).to_have_count(0)
    keys = server.keys
    assert len(keys) >= 3 and len(set(keys)) == 1, keys
    assert len(keys[0]) == 32 and int(keys[0], 16) >= 0  # 128 random bits in hex
    observer = game.join("Wen", "finance")
    (campaign,) = game.events(observer, "campaign_launched")  # applied once, by the first try
    assert campaign["segment"] == "smb" and campaign["budget"] == 1500

    # a 503 that does not say when to try again is the server's refusal, at once, as before
    page.unroute("**/api/v1/team/campaigns")
    tries: list[str] = []
    page.route("**/api/v1/team/campaigns", refusing(tries, 503, BUSY, None))
    launch_campaign(page, "1200")
    expect(page.locator(".toast.error", has_text=BUSY)).to_be_visible()
    expect(notice).to_have_count(0)
    expect(launch).to_be_enabled()
    assert len(tries) == 1 and tries[0] and tries[0] != keys[0]  # a new command, a new key
    assert len(game.events(observer, "campaign_launched")) == 1


def test_a_rate_limit_and_a_wait_beyond_the_budget_are_refusals_at_once(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context("en", DESKTOP, allowed=(503,)).new_page()
    join_page(page, game.code, "Mei", "manager")
    expect(page.locator("#cp-launch")).to_be_enabled()
    for status, detail, retry_after in ((429, "too many commands", "1"), (503, BUSY, "31")):
        tries: list[str] = []
        page.route("**/api/v1/team/campaigns", refusing(tries, status, detail, retry_after))
        launch_campaign(page, "1000")
        expect(page.locator(".toast.error", has_text=detail)).to_be_visible()
        expect(page.locator(".resend-notice")).to_have_count(0)
        expect(page.locator("#cp-launch")).to_be_enabled()
        assert len(tries) == 1, (status, tries)
        page.unroute("**/api/v1/team/campaigns")
    observer = game.join("Wen", "finance")
    assert game.events(observer, "campaign_launched") == []


def test_the_instructor_s_page_and_start_wait_out_a_hand_over(
    open_context: Any, server: ServerProcess
) -> None:
    api = instructor_api(server)
    created = api.request("POST", "/api/v1/competitions", json={"name": "Moving", "seconds_per_hour": 5})
    cid = created["id"]
    api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "Solo"})
    page = open_context("zh", DESKTOP, allowed=(503,)).new_page()
    sign_in(page)
    reads: list[str | None] = []

    def busy_once(route: Route) -> None:  # a read is sent again too, without a key
        reads.append(route.request.headers.get("idempotency-key"))
        if len(reads) == 1:
            refuse(route, 503, MOVING, "0")
        else:
            route.continue_()

    page.route(f"**/api/v1/competitions/{cid}", busy_once)
    page.goto(f"/instructor/{cid}#live")
    start = page.locator("#start")
    expect(start).to_be_visible()
    assert len(reads) >= 2 and reads[:2] == [None, None], reads
    server = BusyServer()
    page.route(f"**/api/v1/competitions/{cid}/start", server)
    start.click()
    expect(page.locator("#start + .resend-notice")).to_have_text(NOTICE["zh"])
    expect(start).to_be_disabled()
    server.release()
    expect(page.locator("#pause")).to_be_visible()
    expect(page.locator(".resend-notice")).to_have_count(0)
    expect(page.locator(".toast.error")).to_have_count(0)
    assert len(server.keys) >= 3 and len(set(server.keys)) == 1 and server.keys[0], server.keys
    assert api.request("GET", f"/api/v1/competitions/{cid}")["state"] == "running"


RESEND = """async () => { window.resend = await import("/static/common/resend.js"); }"""
PAUSE = "([status, header, spent]) => window.resend.pauseBeforeResend(status, header, spent)"
UNTIL_GIVEN_UP = """(headers) => {
  let spent = 0;
  let tries = 1;
  for (const header of headers) {
    const pause = window.resend.pauseBeforeResend(503, header, spent);
    if (pause == null) break;
    spent += pause;
    tries += 1;
  }
  return [tries, spent];
}"""


def test_when_the_pages_send_again(open_context: Any) -> None:
    """The rule itself, in the browser that runs it: only a 503 saying when, within 30 s."""
    page = open_context("en").new_page()
    page.goto("/")
    page.evaluate(RESEND)

    def pause(status: int, header: str | None, spent: float = 0.0) -> float | None:
        result: float | None = page.evaluate(PAUSE, [status, header, spent])
        return result

    assert pause(503, "2") == 2 and pause(503, "1", 28.5) == 1
    assert pause(503, "0") == 0.1 and pause(503, "0.05") == 0.1  # a wait counts at least 0.1 s
    assert pause(503, None) is None and pause(503, "soon") is None and pause(503, "-1") is None
    assert pause(503, "Wed, 21 Oct 2026 07:28:00 GMT") is None  # only the delay form
    assert pause(503, "31") is None and pause(503, "2", 28.5) is None  # beyond the 30 s budget
    assert pause(429, "1") is None and pause(500, "1") is None and pause(502, "1") is None
    keys = page.evaluate("() => [1, 2, 3].map(() => window.resend.newIdempotencyKey())")
    assert len(set(keys)) == 3 and all(len(k) == 32 and int(k, 16) >= 0 for k in keys)

    headers = st.one_of(
        st.none(),
        st.integers(0, 5000).map(str),
        st.floats(0, 40, allow_nan=False).map(lambda x: f"{x:.3f}"),
        st.text(max_size=6),
    )

    @settings(max_examples=60)
    @given(st.lists(headers, max_size=400))
    def never_beyond_the_budget(sent: list[str | None]) -> None:
        tries, spent = page.evaluate(UNTIL_GIVEN_UP, sent)
        assert spent <= 30 + 1e-9 and tries <= 301  # every wait counts 0.1 s at least: it ends

    never_beyond_the_budget()
