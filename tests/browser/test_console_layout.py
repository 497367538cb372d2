"""The team console's layout where a room sees its defects, in both languages: on a 1366×768
laptop the counted tabs stay in view under the header and jump to far-away panels; on a
390×844 phone the round's clock stays in view when the tall header scrolls away, a toast never
takes a click meant for the form under it, a sent quote returns to the inbox, and the tab bar,
wider than the phone, fades at an edge with more tabs past it and scrolls the chosen tab into
view."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE
from tests.browser.test_team_console import (
    PATIENT_MARKET,
    TROUBLED_MARKET,
    Game,
    first_open_inquiry,
    join_page,
    make_game,  # noqa: F401  (a fixture)
)

LAPTOP = {"width": 1366, "height": 768}


def _in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    assert size is not None
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"]  # type: ignore[index]


def test_on_a_laptop_complaints_and_receivables_are_counted_in_view(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
    lang: str,
) -> None:
    game = make_game(TROUBLED_MARKET)
    page = open_context(lang, LAPTOP).new_page()
    join_page(page, game.code, "Ana", "manager")
    expect(page.locator("#console")).to_be_visible()
    # quote every inquiry by policy with the terms customers expect (rules 2: key accounts and
    # small businesses buy less without them), set up through the page's own session, so that orders,
    # complaints and invoices follow
    page.evaluate(
        """async () => {
          const { api } = await import("/static/common/api.js");
          const body = { discount: 0.05, terms_days: 30, delivery_days: 0.25, delay_hours: 0.05 };
          for (const segment of ["key_accounts", "smb", "price_shoppers"]) {
            await api(`/api/v1/team/policies/quotes/${segment}`, { method: "PUT", body });
          }
        }"""
    )
    service = page.locator('#tabs [data-count="service"]')
    expect(service).to_have_text(re.compile(r"^\d+$"), timeout=30_000)
    assert _in_view(page, "#tabs")
    complaints = page.locator("#complaints-card")
    page.mouse.wheel(0, 2000)
    assert _in_view(page, '#tabs [data-tab="service"]'), "the counts stay in view while scrolling"
    page.locator('#tabs [data-tab="service"]').click()
    expect(complaints).to_be_in_viewport()
    expect(page.locator("#complaints li.ticket").first).to_be_visible()


def test_on_a_phone_the_clock_stays_toasts_let_clicks_through_and_a_sent_quote_returns_to_the_inbox(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
    lang: str,
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang, PHONE).new_page()
    join_page(page, game.code, "Ana", "manager")
    inquiry = first_open_inquiry(page)
    page.mouse.wheel(0, 1200)
    expect(page.locator("#tab-clock")).to_have_text(re.compile(r"^\d+:\d\d$"))
    assert _in_view(page, "#tab-clock"), "the round's clock stays in view"
    # a toast over the form: the click still reaches the button under it
    page.evaluate("async () => (await import('/static/common/ui.js')).toast('x'.repeat(300), 'ok')")
    expect(page.locator(".toast").first).to_be_visible()
    assert page.locator(".toasts").evaluate("(el) => getComputedStyle(el).pointerEvents") == "none"
    page.fill("#q-discount", "2")
    page.click("#q-send")
    expect(page.locator('#tabs [data-tab="inbox"]')).to_have_attribute("aria-selected", "true")
    expect(page.locator("#inbox-card")).to_be_visible()
    expect(page.locator(f"#inbox tbody tr[data-id='{inquiry}']")).to_be_visible()
    observer = game.join("Wen", "finance")
    sent = [e for e in game.events(observer, "quote_sent") if e["inquiry_id"] == inquiry]
    assert len(sent) == 1


IN_BAR = """([bar, tab]) => {
  const a = bar.getBoundingClientRect(), b = tab.getBoundingClientRect();
  return b.left >= a.left && b.right <= a.right;
}"""


def fade(side: str, shown: bool) -> str:
    """A condition: the tab bar's fade at an edge (::before at the start, ::after at the end)."""
    return f"() => getComputedStyle(document.getElementById('tabs'), '::{side}').opacity === '{int(shown)}'"


def test_on_a_phone_the_tab_bar_shows_it_scrolls_and_keeps_the_active_tab_in_view(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
    lang: str,
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang, PHONE).new_page()
    join_page(page, game.code, "Ana", "manager")
    bar = page.locator("#tabs")
    expect(page.locator("#inbox-card")).to_be_visible()
    assert bar.evaluate("(el) => el.scrollWidth > el.clientWidth"), "the tabs do not fit: the bar scrolls"
    # more tabs past the end: that edge fades (an arrow), the start does not
    expect(bar).to_have_attribute("data-more-end", "")
    assert bar.get_attribute("data-more-start") is None
    page.wait_for_function(fade("after", True))
    page.wait_for_function(fade("before", False))

    # the last tab chosen (ArrowLeft from the first): scrolled into view, the end's fade gone
    page.locator('#tabs [data-tab="inbox"]').focus()
    page.keyboard.press("ArrowLeft")
    last = page.locator('#tabs [data-tab="activity"]')
    expect(last).to_have_attribute("aria-selected", "true")
    page.wait_for_function(IN_BAR, arg=[bar.element_handle(), last.element_handle()])
    expect(bar).to_have_attribute("data-more-start", "")
    page.wait_for_function("() => !document.getElementById('tabs').hasAttribute('data-more-end')")
    page.wait_for_function(fade("after", False))
    page.wait_for_function(fade("before", True))

    # back to the first: in view again, the start's fade gone
    page.keyboard.press("ArrowRight")
    first = page.locator('#tabs [data-tab="inbox"]')
    expect(first).to_have_attribute("aria-selected", "true")
    page.wait_for_function(IN_BAR, arg=[bar.element_handle(), first.element_handle()])
    page.wait_for_function("() => !document.getElementById('tabs').hasAttribute('data-more-start')")
    expect(bar).to_have_attribute("data-more-end", "")
