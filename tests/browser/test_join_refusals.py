"""The console's join form says a manager role already taken in the page's language: the
server's 409 carries the rule ``role_taken`` and who holds the role, and the page words it. A code
no team has (the server's 401) is said in the page's language too, with what to do."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from server.client.api_client import SalesfloorClient
from tests.browser.conftest import DESKTOP
from tests.browser.test_instructor_panel import instructor_api
from tests.browser.test_team_console import join_page
from tests.server.processes import ServerProcess

TAKEN = {
    "en": "Ann is already the Manager of Humans; choose another role.",
    "zh": "Ann已是Humans的经理，请选择其他角色。",
}


def test_a_manager_role_already_taken_is_refused_in_the_page_s_language(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    api: SalesfloorClient = instructor_api(server)
    cid = api.request("POST", "/api/v1/competitions", json={"name": f"Taken {lang}", "seconds_per_hour": 60})[
        "id"
    ]
    code = api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "Humans"})["join_code"]
    SalesfloorClient(server.url).join(code, "Ann", "manager")
    page = open_context(lang, DESKTOP).new_page()
    join_page(page, code, "Bob", "manager")
    expect(page.locator("#join-message")).to_have_text(TAKEN[lang])
    join_page(page, code, "Bob", "sales")  # another role is free
    expect(page.locator("#join-view")).to_be_hidden()


NO_SUCH_CODE = {
    "en": "No team has this join code. Check it against your join card or ask the instructor.",
    "zh": "没有团队使用这个团队码。请对照加入卡核对，或询问教师。",
}


def test_a_code_no_team_has_is_refused_in_the_page_s_language(open_context: Any, lang: str) -> None:
    page = open_context(lang, DESKTOP).new_page()
    join_page(page, "NOSUCH22", "Bob", "sales")
    expect(page.locator("#join-message")).to_have_text(NO_SUCH_CODE[lang])
    expect(page.locator("#join-view")).to_be_visible()
