"""A live update never takes a form of the instructor's or the judges' panel from under their hands.

The judges' rubric grid is rebuilt when another judge's score arrives (the standings carry each
team's rubric component); the instructor's team list is rebuilt when the competition's state
changes. While the judge types in the grid, or presses its Save, and while the instructor's
focus is on a button of the list, the redraw waits (``static/common/hold.js``, shared with the
team console): a number selected and typed over is what was typed, the click lands, Enter finds
the button. The updates come from the server (another judge's API call, the competition started
through the API) between the keystrokes; the tests wait on what the page shows, never on time.
The freeze card's list of rounds waits the same way through a state change, and a rubric
criterion being edited keeps what was typed through the rows' redraws (language, tab). The
instructor's rubric tab follows a judge's score sent through the API while it is shown, the row
the instructor is in waiting until let go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import expect

from server.client.api_client import SalesfloorClient
from tests.browser.test_judge_panel import (  # noqa: F401 (game and pages_for are fixtures)
    JUDGE,
    Game,
    cell,
    game,
    pages_for,
    sign_in,
)
from tests.server.helpers import wait_for
from tests.server.processes import ServerProcess

SAME_FIELD = "() => document.activeElement === window.theField"
# Returns once the timers the page has set so far, and those they set, have run.
AFTER_PENDING_TASKS = "() => new Promise((done) => setTimeout(() => setTimeout(done, 0), 0))"


class OtherJudge:
    """A second judge, scoring through the API."""

    def __init__(self, game: Game) -> None:  # noqa: F811
        self.game = game
        self.http = httpx.Client(base_url=game.instructor.base_url, timeout=10)
        self.http.post(
            "/api/v1/session/judge", json={"code": game.judge_code, "name": "Mr Wu"}
        ).raise_for_status()

    def score(self, team: str, points: float, round_number: int) -> None:
        self.http.put(
            f"/api/v1/competitions/{self.game.id}/rubric/scores",
            json={"criterion_id": self.game.criterion, "team": team, "round": round_number, "points": points},
        ).raise_for_status()


def test_a_judge_types_and_saves_while_another_judges_scores_arrive(
    game: Game,  # noqa: F811
    pages_for: Callable[..., Any],  # noqa: F811
    lang: str,
) -> None:
    status = game.wait_between_rounds(1)
    round_number = status["round"]
    page = pages_for(lang)
    sign_in(page, game, lang)
    page.locator("#rubric-grid tbody tr").first.wait_for()
    other = OtherJudge(game)
    # the log shows Borealis' scores: a line there says the page has read the other judge's
    # score (the grid is drawn, or held, just before the log)
    page.click('#board tbody tr[data-team="Borealis"]')
    log_rows = page.locator("#rubric-log tbody tr")
    borealis_component = page.locator('#rubric-grid tr[data-team="Borealis"] td.component')
    before = borealis_component.inner_text()
    points = cell(page, "Aurora").locator("input.points")

    points.fill("4")
    points.evaluate("(el) => { window.theField = el; el.select(); }")
    other.score("Borealis", 5, round_number)  # between the select-all and the typing
    expect(log_rows).to_have_count(1)
    page.keyboard.type("7")
    expect(points).to_have_value("7")  # not 74: the field is the one that was selected
    assert page.evaluate(SAME_FIELD)
    expect(borealis_component).to_have_text(before)  # the grid waits while the judge types

    # a score arriving while Save is pressed does not take the button from under the click
    save = page.locator('#rubric-grid tr[data-team="Aurora"] button.save')
    box = save.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()  # the focus leaves the field, the pointer is still down …
    other.score("Borealis", 6, round_number)
    expect(log_rows).to_have_count(2)
    page.evaluate(AFTER_PENDING_TASKS)  # … as long as a person's press lasts
    page.mouse.up()
    mine = wait_for(
        lambda: [s for s in game.rubric()["scores"] if s["team"] == "Aurora" and s["judge"] == JUDGE[lang]],
        what="the judge's score for Aurora",
    )
    assert [s["points"] for s in mine] == [7.0]
    # let go, the grid shows the newest scores, what the judge typed and saved still there
    expect(borealis_component).not_to_have_text(before)
    expect(cell(page, "Aurora").locator("input.points")).to_have_value("7")
    expect(cell(page, "Aurora").locator("button.withdraw")).to_be_visible()


def test_the_instructors_button_keeps_the_focus_when_the_competition_starts(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    api = SalesfloorClient(server.url)
    api.login_instructor("pw")
    cid = api.request("POST", "/api/v1/competitions", json={"name": f"Hold {lang}", "seconds_per_hour": 60})[
        "id"
    ]
    code = api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "Alpha"})["join_code"]
    page = open_context(lang).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()
    page.goto(f"/instructor/{cid}#teams")
    row = page.locator('.team-list tr[data-team="Alpha"]')
    new_code = row.locator("button.new-code")
    expect(row.locator("code.join-code")).to_have_text(code)
    new_code.focus()  # reached with Tab, about to press Enter

    api.request("POST", f"/api/v1/competitions/{cid}/start")  # the team list is drawn anew
    expect(page.locator("#add-team")).to_be_hidden()  # the page has taken the new state
    page.evaluate(AFTER_PENDING_TASKS)
    expect(new_code).to_be_focused()
    page.keyboard.press("Enter")
    expect(row.locator("code.join-code")).not_to_have_text(code)
    fresh = row.locator("code.join-code").inner_text()
    assert api.request("GET", f"/api/v1/competitions/{cid}")["teams"][0]["join_code"] == fresh
    api.request("POST", f"/api/v1/competitions/{cid}/end")


def test_the_list_of_rounds_to_freeze_at_is_not_rebuilt_while_the_instructor_is_in_it(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    api = SalesfloorClient(server.url)
    api.login_instructor("pw")
    cid = api.request(
        "POST", "/api/v1/competitions", json={"name": f"Freeze {lang}", "seconds_per_hour": 60, "rounds": 3}
    )["id"]
    api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "House", "bot": "balanced"})
    api.request("POST", f"/api/v1/competitions/{cid}/start")
    page = open_context(lang).new_page()
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()
    page.goto(f"/instructor/{cid}#board")
    rounds = page.locator("#freeze-later select[name=round]")
    expect(rounds.locator("option")).to_have_count(2)  # rounds 2 and 3 are still to come
    rounds.focus()
    rounds.evaluate("(el) => { window.theOption = el.options[0]; }")
    api.request("POST", f"/api/v1/competitions/{cid}/pause")  # the state changes on the server
    expect(page.locator(".crumb-state [data-state=paused]")).to_be_visible()
    # the list the instructor is choosing from is the same one, with its choice
    assert rounds.evaluate("(el) => el.options[0] === window.theOption")
    expect(rounds).to_be_focused()
    expect(rounds).to_have_value("3")
    # let go, it is drawn from the newest state
    page.locator("#freeze h2").click()
    page.wait_for_function(
        "() => document.querySelector('#freeze-later select[name=round]').options[0] !== window.theOption"
    )
    expect(rounds).to_have_value("3")
    api.request("POST", f"/api/v1/competitions/{cid}/end")


def test_a_criterion_being_edited_keeps_what_was_typed_through_the_rows_redraws(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    api = SalesfloorClient(server.url)
    api.login_instructor("pw")
    cid = api.request(
        "POST", "/api/v1/competitions", json={"name": f"Rubric {lang}", "seconds_per_hour": 60}
    )["id"]
    criterion = api.request(
        "POST",
        f"/api/v1/competitions/{cid}/rubric/criteria",
        json={"name_en": "Replies", "name_zh": "回复", "max_points": 10, "per_round": False},
    )["id"]
    page = open_context(lang).new_page()
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()
    page.goto(f"/instructor/{cid}#rubric")
    row = page.locator(f'.criteria-table tr[data-criterion="{criterion}"]')
    name_en = row.locator("input[name=name_en]")
    expect(name_en).to_have_value("Replies")
    name_en.fill("Replies to complaints")
    row.locator("input[name=max_points]").fill("7")
    row.locator("input[name=per_round]").check()

    # the rows are drawn again: the language switched there and back, another tab and back
    row.evaluate("(el) => { window.theRow = el; }")
    page.locator("#lang").click()
    page.locator("#lang").click()
    page.locator("#tab-teams").click()
    page.locator("#tab-rubric").click()
    page.wait_for_function(
        "() => { const rows = document.querySelectorAll('.criteria-table tbody tr');"
        " return rows.length === 1 && rows[0] !== window.theRow; }"
    )
    expect(name_en).to_have_value("Replies to complaints")
    expect(row.locator("input[name=max_points]")).to_have_value("7")
    expect(row.locator("input[name=per_round]")).to_be_checked()

    row.locator("button.save").click()
    saved = wait_for(
        lambda: [
            c
            for c in api.request("GET", f"/api/v1/competitions/{cid}/rubric")["criteria"]
            if c["name_en"] == "Replies to complaints"
        ],
        what="the criterion saved",
    )
    assert (saved[0]["max_points"], saved[0]["per_round"], saved[0]["name_zh"]) == (7.0, True, "回复")


def test_a_judges_note_keeps_its_composition_and_a_row_saved_with_enter_shows_at_once(
    game: Game,  # noqa: F811
    pages_for: Callable[..., Any],  # noqa: F811
    lang: str,
) -> None:
    status = game.wait_between_rounds(1)
    round_number = status["round"]
    page = pages_for(lang)
    sign_in(page, game, lang)
    page.locator("#rubric-grid tbody tr").first.wait_for()
    other = OtherJudge(game)
    page.click('#board tbody tr[data-team="Borealis"]')
    log_rows = page.locator("#rubric-log tbody tr")
    aurora = cell(page, "Aurora")
    aurora.locator("input.points").fill("6")
    note = aurora.locator("input.note")
    note.click()
    page.keyboard.type("clear")
    note.evaluate("(el) => { window.theField = el; }")

    # a word being composed with an IME (pinyin "ni" → 你) survives another judge's score
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": " ni", "selectionStart": 3, "selectionEnd": 3})
    other.score("Borealis", 5, round_number)
    expect(log_rows).to_have_count(1)
    cdp.send("Input.insertText", {"text": " 你"})
    expect(note).to_have_value("clear 你")
    assert page.evaluate(SAME_FIELD)
    expect(aurora.locator("button.withdraw")).to_be_hidden()

    # saved with Enter: the row shows the stored score at once, the judge still in the note
    page.keyboard.press("Enter")
    expect(cell(page, "Aurora").locator("button.withdraw")).to_be_visible()
    expect(cell(page, "Aurora").locator("input.note")).to_be_focused()
    expect(cell(page, "Aurora").locator("input.note")).to_have_value("clear 你")
    mine = [s for s in game.rubric()["scores"] if s["team"] == "Aurora"]
    assert [(s["points"], s["note"], s["judge"]) for s in mine] == [(6.0, "clear 你", JUDGE[lang])]


def test_the_instructors_rubric_tab_follows_the_judges_scores(
    game: Game,  # noqa: F811
    pages_for: Callable[..., Any],  # noqa: F811
    lang: str,
) -> None:
    status = game.wait_between_rounds(1)
    page = pages_for(lang)
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()
    page.goto(f"/instructor/{game.id}#rubric")
    aurora = page.locator('#components tr[data-team="Aurora"] td')
    expect(aurora.nth(2)).to_have_text("0")
    expect(aurora.nth(1)).to_have_text("—")
    row = page.locator(f'.criteria-table tr[data-criterion="{game.criterion}"]')
    expect(row.locator(".badge")).to_have_count(0)
    name_en = row.locator("input[name=name_en]")
    name_en.fill("Complaint replies, kept")  # the instructor is in a criterion's row

    OtherJudge(game).score("Aurora", 8, status["round"])  # a judge scores through the API
    expect(aurora.nth(2)).to_have_text("1")  # the tab shows it, not shown again
    expect(aurora.nth(1)).not_to_have_text("—")
    expect(name_en).to_be_focused()  # the row waits while the instructor is in it
    expect(name_en).to_have_value("Complaint replies, kept")
    expect(row.locator(".badge")).to_have_count(0)

    page.locator("#components h2").click()  # let go: the row shows the score, the draft kept
    expect(row.locator(".badge")).to_be_visible()
    expect(name_en).to_have_value("Complaint replies, kept")
    assert [(s["team"], s["points"]) for s in game.rubric()["scores"]] == [("Aurora", 8.0)]
