"""A live redraw of the team console never takes a field from under the member's hands.

A panel of the console is redrawn whenever the team's records change (several times a second
in a busy class). While the member types in one of its fields — a number selected to be
typed over, a note with a selection, a Chinese word being composed with an IME — or presses
on one of its buttons, the panel waits: the field stays the same element, so what is typed
is exactly what was typed, and the click lands. Once the member has left the field the panel
shows the newest data (a field they edited keeps what they typed). A note sent with Enter
shows at once, the member still in the field.

The redraws are caused by the server: another member of the team changes the records through
the API between the keystrokes, and the test waits until the console has drawn from them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP
from tests.browser.test_team_console import (  # noqa: F401 (make_game is a fixture)
    PATIENT_MARKET,
    Game,
    first_open_inquiry,
    join_page,
    make_game,
)
from tests.server.helpers import wait_for

# Each draw of the console, noted after the panels have drawn (a listener subscribed last).
WATCH_DRAWS = """async () => {
  const { store, subscribe } = await import("/static/team/store.js");
  subscribe(() => (window.drawnFrom = store.state));
}"""
SAME_FIELD = "() => document.activeElement === window.theField"
# Returns once the timers the page has set so far, and those they set, have run.
AFTER_PENDING_TASKS = "() => new Promise((done) => setTimeout(() => setTimeout(done, 0), 0))"


def command(game: Game, member: dict[str, str], method: str, path: str, body: dict[str, Any]) -> None:
    response = game.http.request(method, f"/api/v1/team{path}", json=body, headers=member)
    assert response.status_code == 200, response.text


def drawn_from(page: Page, condition: str) -> None:
    """Wait until the console has drawn (or held its panels) from records where ``condition``
    (JavaScript, on ``state``) holds: a listener subscribed after the panels' is called after
    they have drawn. (The page's Content-Security-Policy allows no eval: no wait_for_function.)"""
    page.evaluate(
        f"""async () => {{
          const {{ store, subscribe }} = await import("/static/team/store.js");
          const holds = (state) => !!state && ({condition});
          if (holds(window.drawnFrom)) return;
          await new Promise((done, fail) => {{
            subscribe(() => holds(store.state) && done());
            setTimeout(() => fail(new Error("never drawn from: {condition}")), 30000);
          }});
        }}"""
    )


def test_a_number_selected_and_typed_over_during_a_redraw_is_what_was_typed(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
    lang: str,
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang, DESKTOP).new_page()
    join_page(page, game.code, "Mei", "manager")
    colleague = game.join("Mei", "manager")  # the same member, on another device
    policy = page.locator("#policies form.policy[data-segment=price_shoppers]")
    discount = policy.locator("input[type=number]").first
    reminder_days = page.locator("#reminder-policy input[type=number]")
    expect(discount).to_have_value("0")
    expect(reminder_days).to_have_value("1")
    page.evaluate(WATCH_DRAWS)

    discount.click()
    discount.evaluate("(el) => { window.theField = el; el.select(); }")
    # between the select-all and the typing, the team's policies change on the server
    command(game, colleague, "PUT", "/policies/reminders", {"enabled": True, "days_after_due": 3})
    drawn_from(page, "state.policies.reminder_days === 3")
    page.keyboard.type("4")
    expect(discount).to_have_value("4")  # not 04 or 40: the field is the one that was selected
    assert page.evaluate(SAME_FIELD)
    expect(reminder_days).to_have_value("1")  # the panel waits while the member types in it

    # leaving the field (a press elsewhere in the panel) shows the server's values; the
    # discount the member typed stays
    page.locator("#policies h3").click()
    expect(reminder_days).to_have_value("3")
    expect(page.locator("#reminder-policy input[type=checkbox]")).to_be_checked()
    expect(discount).to_have_value("4")

    # a redraw owed while in the field does not take the Save button from under the click
    policy.locator("input[type=checkbox]").check()
    discount.click()
    command(game, colleague, "PUT", "/policies/reminders", {"enabled": True, "days_after_due": 5})
    drawn_from(page, "state.policies.reminder_days === 5")
    save = policy.get_by_role("button").bounding_box()
    assert save
    page.mouse.move(save["x"] + save["width"] / 2, save["y"] + save["height"] / 2)
    page.mouse.down()  # the focus leaves the field, the pointer is still down …
    page.evaluate(AFTER_PENDING_TASKS)  # … as long as a person's press lasts
    page.mouse.up()
    expect(policy.locator(".muted")).to_have_text({"en": "answers by itself", "zh": "自动报价中"}[lang])
    expect(reminder_days).to_have_value("5")
    saved = game.state(colleague)["policies"]["quotes"]["price_shoppers"]
    assert saved["discount"] == 0.04, saved

    # a Save reached with Tab keeps the focus while a redraw is owed: Enter sends the form
    reminder_days.fill("2")
    command(game, colleague, "PUT", "/policies/apology", {"enabled": True})
    drawn_from(page, "state.policies.apology === true")
    page.keyboard.press("Tab")
    save = page.locator("#reminder-policy button[type=submit]")
    expect(save).to_be_focused()
    page.evaluate(AFTER_PENDING_TASKS)  # the owed redraw would have run by now
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    wait_for(lambda: game.state(colleague)["policies"]["reminder_days"] == 2, what="the reminder policy")
    expect(page.locator("#apology-policy input[type=checkbox]")).to_be_checked()


def test_a_note_keeps_its_selection_and_its_composition_through_redraws(
    open_context: Any,
    make_game: Callable[..., Game],  # noqa: F811
    lang: str,
) -> None:
    game = make_game(PATIENT_MARKET)
    page = open_context(lang, DESKTOP).new_page()
    join_page(page, game.code, "Mei", "manager")
    colleague = game.join("Mei", "manager")  # the same member, on another device
    first_open_inquiry(page)
    customer = page.evaluate("async () => (await import('/static/team/store.js')).store.customer")
    assert customer
    notes = page.locator("#customer .notes")
    note = page.locator("#c-note")
    page.evaluate(WATCH_DRAWS)

    def note_from_colleague(text: str) -> None:
        command(game, colleague, "POST", f"/customers/{quote(customer, safe='')}/notes", {"text": text})
        drawn_from(
            page,
            f"state.customers.some((c) => c.customer_id === {customer!r} && c.notes.includes({text!r}))",
        )

    note.click()
    page.keyboard.type("hello world")
    note.evaluate("(el) => { window.theField = el; el.setSelectionRange(6, 11); }")
    note_from_colleague("Called on Monday")
    expect(notes).to_have_count(0)  # held: the card waits while the member types in it
    assert note.evaluate("(el) => [el.selectionStart, el.selectionEnd]") == [6, 11]
    page.keyboard.type("there")
    expect(note).to_have_value("hello there")

    # a word being composed with an IME (pinyin "ni" → 你) survives a redraw in the middle
    cdp = page.context.new_cdp_session(page)
    page.keyboard.press("End")
    cdp.send("Input.imeSetComposition", {"text": " ni", "selectionStart": 3, "selectionEnd": 3})
    note_from_colleague("Prefers e-mail")
    cdp.send("Input.insertText", {"text": " 你"})
    expect(note).to_have_value("hello there 你")
    assert page.evaluate(SAME_FIELD)

    # sent with Enter: the card shows the note at once and the field is empty, still focused
    page.keyboard.press("Enter")
    expect(notes.locator("li")).to_have_text(["Called on Monday", "Prefers e-mail", "hello there 你"])
    expect(note).to_have_value("")
    expect(note).to_be_focused()
