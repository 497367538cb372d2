"""The instructor's form checks team names by the server's rule: letters of any script are
welcome (红队 is added through the panel in both languages), and the page's pattern agrees
with ``is_team_name`` name by name, so the form never refuses what the server takes."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from server.client.api_client import SalesfloorClient
from simulator.competition import is_team_name
from tests.browser.test_instructor_panel import instructor_api, sign_in
from tests.server.processes import ServerProcess
from tests.simulator.test_team_names import BAD, GOOD

LAPTOP = {"width": 1366, "height": 768}


def test_the_page_and_the_server_agree_on_every_name(open_context: Any) -> None:
    page = open_context("en").new_page()
    page.goto("/")
    names = [*GOOD, *BAD, "Ab\u0301c", "x" * 39 + "\u0301", "红" * 40, "红" * 41]
    verdicts = page.evaluate(
        "async (names) => { const { TEAM_NAME } = await import('/static/instructor/teams.js');"
        " return names.map((n) => TEAM_NAME.test(n)); }",
        names,
    )
    assert dict(zip(names, verdicts, strict=True)) == {n: is_team_name(n) for n in names}


def test_a_chinese_team_name_is_added_from_the_panel(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    api: SalesfloorClient = instructor_api(server)
    cid = api.request("POST", "/api/v1/competitions", json={"name": f"名字 {lang}", "seconds_per_hour": 60})[
        "id"
    ]
    page = open_context(lang, LAPTOP).new_page()
    sign_in(page)
    page.goto(f"/instructor/{cid}#teams")
    for name in ("红队", "टीम"):
        page.fill("#add-team input[name=team]", name)
        page.click("#add-team button[type=submit]")
        expect(page.locator(f'.team-list tr[data-team="{name}"]')).to_be_visible()
    page.fill("#add-team input[name=team]", "_hidden")
    page.click("#add-team button[type=submit]")
    expect(page.locator("#add-team .form-message")).not_to_be_empty()
    teams = [t["name"] for t in api.request("GET", f"/api/v1/competitions/{cid}")["teams"]]
    assert sorted(teams) == sorted(["红队", "टीम"])
