"""The team console's campaign form acts as the quote form does: Launch is disabled while the form
shows an error (a budget below the minimum, above the team's cash), so a launch the desk would
refuse is never sent (each refusal counts against the team). An untouched empty budget at the
first draw shows the hint, not an error; the error appears once the student types or tries.
The prefilled budget (1,000) is valid on a fresh desk, so Launch is enabled before typing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.browser.test_team_console import (
    PATIENT_MARKET,
    Game,
    join_page,
    make_game,  # noqa: F401  (a fixture)
)
from tests.server.helpers import wait_for

BAD_BUDGET = {"en": "The budget must be at least", "zh": "预算至少为"}
NO_CASH = {"en": "More than the team's cash", "zh": "超过团队现金"}


# The page as if its budget field came empty: cleared once the HTML is parsed, before the
# console's modules run (untouched: no input event).
EMPTY_BUDGET = """document.addEventListener("readystatechange", () => {
  const field = document.getElementById("cp-budget");
  if (document.readyState === "interactive" && field) field.value = "";
});"""


def test_launch_is_disabled_while_the_campaign_form_shows_an_error(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
    lang: str,
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang).new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.method) if r.url.endswith("/api/v1/team/campaigns") else None)
    page.add_init_script(EMPTY_BUDGET)
    join_page(page, game.code, "Mei", "manager")
    budget, check, launch = page.locator("#cp-budget"), page.locator("#cp-check"), page.locator("#cp-launch")

    # first draw, the field untouched and empty: the hint, no error, Launch enabled
    expect(page.locator("#cp-hint")).not_to_be_empty()  # drawn (the check is drawn with it)
    expect(budget).to_have_value("")
    expect(check).to_be_empty()
    expect(budget).to_have_attribute("aria-invalid", "false")
    expect(launch).to_be_enabled()

    # tried: the error, nothing sent, Launch disabled until the budget is fixed
    launch.click()
    expect(check).to_have_class(re.compile(r"\berror\b"))
    expect(check).to_contain_text(BAD_BUDGET[lang])
    expect(budget).to_have_attribute("aria-invalid", "true")
    expect(launch).to_be_disabled()
    budget.fill("1500")
    expect(check).to_be_empty()
    expect(launch).to_be_enabled()
    # typed: below the minimum, more than the cash, each an error that disables Launch
    budget.fill("0")
    expect(check).to_contain_text(BAD_BUDGET[lang])
    expect(launch).to_be_disabled()
    budget.fill("99999999")
    expect(check).to_contain_text(NO_CASH[lang])
    expect(launch).to_be_disabled()
    assert sent == []

    budget.fill("1500")
    expect(launch).to_be_enabled()
    launch.click()
    observer = game.join("Wen", "finance")
    (campaign,) = wait_for(lambda: game.events(observer, "campaign_launched"), what="the campaign")
    assert campaign["budget"] == 1500
    assert sent == ["POST"]
