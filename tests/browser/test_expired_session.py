"""An expired session in a real browser, in both languages: the page shows its login again and says why.

A member's console notices by itself when the competition's end (no grace here:
``SESSION_GRACE_HOURS=0``) ends the session, and goes back to the join form with the reason;
the instructor's panel, opened on a session unused for longer than the idle limit (its last
use moved back in the database), asks for the password with the reason. Signing in again
works at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.test_team_console import join_page
from tests.server.processes import ServerProcess

ENDED = {
    "en": "Your session ended: the competition finished a while ago. The instructor has the results.",
    "zh": "你的登录已结束：比赛已经结束一段时间了。成绩请向教师索取。",
}
EXPIRED = {
    "en": "Your session expired: it was not used for a long while. Log in again.",
    "zh": "你的登录已过期：很长时间没有使用。请重新登录。",
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("expiry") / "salesfloor.db"


@pytest.fixture(scope="module")
def server(database: Path) -> Iterator[ServerProcess]:
    """A real server whose sessions end with their competition (no grace), and that reads a
    session from the database on every request (the tests age sessions in the database)."""
    process = ServerProcess(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "TICK_SECONDS": "0.1",
            "SESSION_GRACE_HOURS": "0",
            "SESSION_CACHE_SECONDS": "0",
        }
    )
    yield process
    process.stop()


@pytest.fixture
def instructor(server: ServerProcess) -> Iterator[httpx.Client]:
    client = httpx.Client(base_url=server.url, timeout=10)
    client.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    yield client
    client.close()


def test_a_member_s_console_returns_to_the_join_form_when_the_competition_ends_the_session(
    open_context: Any, instructor: httpx.Client, lang: str
) -> None:
    created = instructor.post(
        "/api/v1/competitions", json={"name": f"Ending {lang}", "seconds_per_hour": 3600}
    )
    cid = created.json()["id"]
    team = instructor.post(f"/api/v1/competitions/{cid}/teams", json={"name": "People", "bot": None})
    code = team.json()["join_code"]
    instructor.post(f"/api/v1/competitions/{cid}/start").raise_for_status()
    page = open_context(lang).new_page()
    join_page(page, code, "Mei", "manager")
    expect(page.locator("#logout")).to_be_visible()
    instructor.post(f"/api/v1/competitions/{cid}/end").raise_for_status()
    # the console's next refresh finds the session ended: the join form again, with the reason
    expect(page.locator("#join-note")).to_have_text(ENDED[lang])
    expect(page.locator("#join-view")).to_be_visible()
    expect(page.locator("#logout")).to_be_hidden()


def test_the_instructor_panel_asks_for_the_password_again_after_an_idle_expiry(
    open_context: Any, server: ServerProcess, database: Path, lang: str
) -> None:
    page = open_context(lang).new_page()
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()
    with sqlite3.connect(database, timeout=10) as db:  # the server reads what time did to the session
        db.execute("UPDATE sessions SET created_at = created_at - 86400, last_seen_at = last_seen_at - 86400")
    page.reload()
    expect(page.locator("#login .form-message")).to_have_text(EXPIRED[lang])
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()
