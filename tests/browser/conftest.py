"""Browser tests: Playwright for Python driving Debian's chromium (/usr/bin/chromium; never a
downloaded browser) against a real ``salesfloor serve`` on a free port.

Every page a test opens is watched: a request to any host but the app's own, a JavaScript
error or an error in the console fails the test. ``CI`` set and no chromium: the tests fail
(CI installs it); otherwise they skip with the reason.
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


@dataclass
class Watch:
    """What the pages of one browser context did that they must not: foreign hosts, errors."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def request(self, request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        scheme = {"ws": "http", "wss": "https"}.get(url.scheme, url.scheme)
        if f"{scheme}://{url.netloc}" != self.origin:
            self.foreign.append(request.url)

    def console(self, message: Any) -> None:
        # a refused request (4xx) is logged by the browser; the page shows the reason itself
        expected = "responded with a status of 4" in message.text
        if message.type == "error" and not expected:
            self.errors.append(f"console: {message.text}")

    def response(self, response: Any) -> None:
        if response.status >= 500:
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


@pytest.fixture
def open_context(browser: Any, server: ServerProcess) -> Iterator[Opener]:
    """open_context(lang="en", viewport=DESKTOP) → a new browser context (own cookies), watched."""
    made: list[tuple[Any, Watch]] = []

    def open_(lang: str = "en", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            locale=LOCALES[lang],
            viewport=viewport or DESKTOP,
            base_url=server.url,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        watch = Watch(server.url)
        context.on("request", watch.request)
        context.on("response", watch.response)

        def watch_page(page: Any) -> None:
            page.on("console", watch.console)
            page.on("pageerror", watch.page_error)

        context.on("page", watch_page)
        made.append((context, watch))
        return context

    yield open_
    for context, _watch in made:
        context.close()
    for _context, watch in made:
        watch.check()


@pytest.fixture(params=["en", "zh"])
def lang(request: pytest.FixtureRequest) -> str:
    """Each test that takes ``lang`` runs in both languages."""
    return str(request.param)
