"""Browser tests: Playwright for Python driving Debian's chromium (/usr/bin/chromium; never a
downloaded browser) against a real ``salesfloor serve`` on a free port.

Every page a test opens is watched: a request to any host but the app's own, a JavaScript
error or an error in the console fails the test. ``CI`` set and no chromium: the tests fail
(CI installs it); otherwise they skip with the reason.

A test that fails prints what its pages showed (each page's address, the start of its text,
its last console lines) and the server's last log lines, so that a failure seen once in CI
names its cause (``failure_report``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.server.helpers import in_ci
from tests.server.processes import ServerProcess

CHROMIUM = "/usr/bin/chromium"
LOCALES = {"en": "en-US", "zh": "zh-CN"}
DESKTOP = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
RECENT_LINES = 12  # console lines per context, and server log lines, in a failure's report
PAGE_TEXT = 600  # characters of each page's text in a failure's report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember on the test whether its call failed (the fixtures' teardown reads it)."""
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@dataclass
class Watch:
    """What the pages of one browser context did that they must not: foreign hosts, errors."""

    origin: str
    allowed: tuple[int, ...] = ()  # statuses a test makes the page see on purpose (page.route)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # the last console lines of its pages

    def request(self, request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        scheme = {"ws": "http", "wss": "https"}.get(url.scheme, url.scheme)
        if f"{scheme}://{url.netloc}" != self.origin:
            self.foreign.append(request.url)

    def console(self, message: Any) -> None:
        self.recent = [*self.recent[-(RECENT_LINES - 1) :], f"{message.type}: {message.text}"]
        # a refused request (4xx) is logged by the browser; the page shows the reason itself
        expected = "responded with a status of 4" in message.text or any(
            f"responded with a status of {status}" in message.text for status in self.allowed
        )
        if message.type == "error" and not expected:
            self.errors.append(f"console: {message.text}")

    def response(self, response: Any) -> None:
        if response.status >= 500 and response.status not in self.allowed:
            self.errors.append(f"server error {response.status} for {response.url}")

    def page_error(self, error: Any) -> None:
        self.errors.append(f"page error: {error}")

    def check(self) -> None:
        assert not self.foreign, f"requests to other hosts: {self.foreign}"
        assert not self.errors, f"errors in the page: {self.errors}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One chromium per test module; assertions wait up to 15 s (CI runs two workers on 2 cores).

    Per module, not per session: Playwright's sync API keeps an event loop running in the
    worker's main thread while it is open, and a later test of another package in the same
    worker (xdist deals tests out as it likes) could then not call ``asyncio.run``.
    """
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium"
        if in_ci():
            pytest.fail(f"{reason} (CI is set: the browser tests must run, not skip)")
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A real server on a fresh SQLite file (instructor password ``pw``)."""
    path = tmp_path_factory.mktemp("browser") / "salesfloor.db"
    process = ServerProcess({"DATABASE_URL": f"sqlite:///{path}", "TICK_SECONDS": "0.1"})
    yield process
    process.stop()


Opener = Callable[..., Any]


def failure_report(contexts: list[tuple[Any, Watch]], server: ServerProcess) -> str:
    """What the pages showed and the server logged when a test failed."""
    lines = ["--- what the pages showed when the test failed ---"]
    for number, (context, watch) in enumerate(contexts, 1):
        for page in context.pages:
            try:
                text = " ".join(str(page.evaluate("() => document.body.innerText")).split())
            except Exception as exc:  # a closed or crashed page says so instead
                text = f"(no text: {type(exc).__name__})"
            lines.append(f"context {number}: {page.url}\n  text: {text[:PAGE_TEXT]}")
        lines += [f"  console {line}" for line in watch.recent]
    lines.append("--- the server's last log lines ---")
    lines += server.output[-RECENT_LINES:]
    return "\n".join(lines)


@pytest.fixture
def open_context(browser: Any, server: ServerProcess, request: pytest.FixtureRequest) -> Iterator[Opener]:
    """open_context(lang="en", viewport=DESKTOP) → a new browser context (own cookies), watched;
    ``allowed=(503,)`` when the test itself makes the page see such answers."""
    made: list[tuple[Any, Watch]] = []

    def open_(lang: str = "en", viewport: dict[str, int] | None = None, allowed: tuple[int, ...] = ()) -> Any:
        context = browser.new_context(
            locale=LOCALES[lang],
            viewport=viewport or DESKTOP,
            base_url=server.url,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        watch = Watch(server.url, allowed)
        context.on("request", watch.request)
        context.on("response", watch.response)

        def watch_page(page: Any) -> None:
            page.on("console", watch.console)
            page.on("pageerror", watch.page_error)

        context.on("page", watch_page)
        made.append((context, watch))
        return context

    yield open_
    if request.node.stash.get(FAILED, False):
        print(failure_report(made, server))
    for context, _watch in made:
        context.close()
    for _context, watch in made:
        watch.check()


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> str:
    """Each test that takes ``lang`` runs in both languages."""
    return str(request.param)
