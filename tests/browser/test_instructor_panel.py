"""The instructor panel in a real browser, in both languages: sign in, create a competition from
a preset with one changed parameter (an out-of-range value is refused at the form and never
sent), preview it, register teams, print their join cards, run and pause it, change the market,
announce, freeze and reveal, define a rubric criterion and download an export. Every outcome is
checked through the API, not only on the page."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from server.client.api_client import ApiError, SalesfloorClient
from tests.browser.conftest import PHONE
from tests.server.processes import ServerProcess

TEXT = {
    "en": {
        "out_of_range": "Out of range",
        "fix_first": "nothing was sent",
        "frozen": "Frozen at",
        "paused": "Paused",
    },
    "zh": {
        "out_of_range": "超出范围",
        "fix_first": "尚未提交任何内容",
        "frozen": "冻结",
        "paused": "已暂停",
    },
}


INTRUDER = "<img src=x onerror=alert(1)>"  # a member's name is theirs to choose


def instructor_api(server: ServerProcess) -> SalesfloorClient:
    client = SalesfloorClient(server.url)
    client.login_instructor("pw")
    return client


def sign_in(page: Any) -> None:
    page.goto("/instructor")
    page.fill("#login input[name=password]", "pw")
    page.click("#login button[type=submit]")
    expect(page.locator("#create")).to_be_visible()


def create_competition(page: Any, api: SalesfloorClient, lang: str, name: str) -> int:
    """Fill the create form (one changed parameter), check the refusal of a bad value, preview."""
    words = TEXT[lang]
    # the preset fills the rounds when its parameters arrive: typing before that, on a loaded
    # machine the fill could land between its clearing and its typing ("6" + "2" = 62); typing
    # before the preset arrives is its own test below
    expect(page.locator('#create details[data-group="market"]')).to_be_attached()
    page.fill("#create input[name=name]", name)
    page.fill("#create input[name=rounds]", "2")
    page.fill("#create input[name=seconds_per_hour]", "1")
    expect(page.locator("#pacing-hint")).to_contain_text("40")

    # a value out of its range is refused at the form, in the page's language, and not sent
    page.click('details[data-group="segments.smb"] > summary')
    patience = page.locator('input[name="segments.smb.patience_hours"]')
    patience.fill("5000")
    error = page.locator('.param[data-key="segments.smb.patience_hours"] .field-error')
    expect(error).to_contain_text(words["out_of_range"])
    expect(patience).to_have_attribute("aria-invalid", "true")
    sent: list[str] = []

    def watch(request: Any) -> None:
        if request.method == "POST" and request.url.endswith("/api/v1/competitions"):
            sent.append(request.url)

    page.on("request", watch)
    page.click("#create button[type=submit]")
    expect(page.locator(".submit-card .form-message")).to_contain_text(words["fix_first"])
    assert sent == []
    assert name not in [c["name"] for c in api.request("GET", "/api/v1/competitions")]
    patience.fill("12")
    expect(error).to_be_hidden()

    # one changed parameter, previewed with the reference bots
    page.click('details[data-group="market"] > summary')
    page.fill('input[name="inquiries_per_team_per_day"]', "4")
    expect(page.locator('.param[data-key="inquiries_per_team_per_day"]')).to_have_class(re.compile("changed"))
    page.click("#preview .run-preview")
    rows = page.locator("#preview .preview-table tbody tr")
    expect(rows).to_have_count(6)
    expect(page.locator('#preview tr[data-bot="balanced"]')).to_be_visible()
    expect(page.locator("#preview .verdict")).to_be_visible()
    expect(page.locator("#preview .preview-facts")).to_contain_text("2")

    page.click("#create button[type=submit]")
    page.wait_for_url(re.compile(r"/instructor/\d+"))
    assert sent, "the competition was created through the form"
    expect(page.locator(".toast.ok").first).to_contain_text(name)  # confirmed on the new page
    return int(re.search(r"/instructor/(\d+)", page.url).group(1))  # type: ignore[union-attr]


def add_teams(page: Any, api: SalesfloorClient, cid: int) -> dict[str, Any]:
    expect(page.locator("#add-team")).to_be_visible()
    page.fill("#add-team input[name=team]", "Red")
    page.click("#add-team button[type=submit]")
    expect(page.locator('.team-list tr[data-team="Red"]')).to_be_visible()
    page.fill("#add-team input[name=team]", "Robo")
    page.select_option("#add-team select[name=bot]", "balanced")
    page.click("#add-team button[type=submit]")
    expect(page.locator('.team-list tr[data-team="Robo"]')).to_be_visible()
    page.fill("#add-csv textarea", "name,bot\nBlue\nGreen,passive")
    page.click("#add-csv button[type=submit]")
    expect(page.locator(".team-list tbody tr")).to_have_count(4)
    detail = api.request("GET", f"/api/v1/competitions/{cid}")
    assert {t["name"]: t["bot"] for t in detail["teams"]} == {
        "Blue": None,
        "Green": "passive",
        "Red": None,
        "Robo": "balanced",
    }
    for team in detail["teams"]:
        code = page.locator(f'.team-list tr[data-team="{team["name"]}"] .join-code')
        expect(code).to_have_text(team["join_code"])
    return detail


def check_codes_page(page: Any, detail: dict[str, Any]) -> None:
    codes = page.context.new_page()
    codes.goto(f"/instructor/{detail['id']}/codes")
    cards = codes.locator(".join-card[data-team]")
    expect(cards).to_have_count(len(detail["teams"]))
    for team in detail["teams"]:
        card = codes.locator(f'.join-card[data-team="{team["name"]}"]')
        expect(card.locator(".code")).to_have_text(team["join_code"])
        expect(card.locator(".url")).to_contain_text(f"/?code={team['join_code']}")
        expect(card.locator("img.qr")).to_have_attribute("src", re.compile(r"^/api/v1/qr\.svg\?text="))
    codes.wait_for_function(
        "() => [...document.querySelectorAll('img.qr')].every((img) => img.complete && img.naturalWidth > 0)"
    )
    expect(codes.locator(".join-card.judge .code")).to_have_text(detail["judge_code"])
    codes.close()


def run_and_pause(page: Any, api: SalesfloorClient, lang: str, cid: int) -> None:
    page.click("#start")
    expect(page.locator("#pause")).to_be_visible()
    assert api.request("GET", f"/api/v1/competitions/{cid}")["state"] == "running"
    clock = page.locator("#clock")
    expect(clock).to_contain_text(":")
    first = clock.inner_text()
    expect(clock).not_to_have_text(first)  # the clock runs on without a reload
    expect(page.locator(".standings-table tbody tr")).to_have_count(4)
    page.click("#pause")
    expect(page.locator("#resume")).to_be_visible()
    expect(page.locator("#time-left")).to_contain_text(TEXT[lang]["paused"])
    assert api.request("GET", f"/api/v1/competitions/{cid}")["state"] == "paused"


def change_market(page: Any, api: SalesfloorClient, cid: int) -> None:
    page.click("#tab-market")
    form = page.locator("#change-parameters")
    form.locator('details[data-group="product"] > summary').click()
    field = form.locator('input[name="product.order_cost"]')
    expect(field).to_be_enabled()
    before = api.request("GET", f"/api/v1/competitions/{cid}/parameters")["product"]["order_cost"]
    field.fill("65")
    form.locator("button[type=submit]").click()
    change = page.locator('#parameter-history li[data-key="product.order_cost"]').first
    expect(change).to_contain_text("product.order_cost")
    # the history reads old → new
    expect(change.locator(".old-value")).to_have_text(re.compile(rf"^{before:g}(\.0+)?$"))
    expect(change.locator(".new-value")).to_have_text("65")
    assert api.request("GET", f"/api/v1/competitions/{cid}/parameters")["product"]["order_cost"] == 65
    history = api.request("GET", f"/api/v1/competitions/{cid}/parameters/history")
    assert history[-1]["changes"] == [["product.order_cost", 65]]
    assert history[-1]["before"] == {"product.order_cost": before}


def test_parameters_change_from_the_market_tab_before_the_start(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    """The API takes changes before the start, and so does the tab (it said it could not)."""
    api = instructor_api(server)
    cid = api.request("POST", "/api/v1/competitions", json={"name": f"Early {lang}", "seconds_per_hour": 60})[
        "id"
    ]
    page = open_context(lang, {"width": 1366, "height": 768}).new_page()
    sign_in(page)
    page.goto(f"/instructor/{cid}#market")
    expect(page.locator("#params-note")).to_have_class(re.compile("ok-banner"))
    change_market(page, api, cid)
    assert api.request("GET", f"/api/v1/competitions/{cid}")["state"] == "draft"


def announce(page: Any, api: SalesfloorClient, lang: str, cid: int) -> None:
    page.click("#tab-live")
    text = "Round 2 brings a price war" if lang == "en" else "第 2 轮将出现价格战"
    page.fill("#announce textarea", text)
    page.click("#announce button[type=submit]")
    expect(page.locator("#instructor-log")).to_contain_text(text)
    events = api.request("GET", f"/api/v1/competitions/{cid}/events?limit=5000")
    assert any(e["kind"] == "announcement_made" and e["text"] == text for e in events)


def freeze_and_reveal(page: Any, api: SalesfloorClient, lang: str, cid: int) -> None:
    page.click("#tab-board")
    page.click("#freeze-now")
    expect(page.locator("#freeze-state")).to_contain_text(TEXT[lang]["frozen"])
    status = api.request("GET", f"/api/v1/competitions/{cid}")
    assert status["freeze_t"] is not None and status["frozen"] is True
    page.click("#reveal")  # confirmed in the dialog
    expect(page.locator("#ceremony tbody tr")).to_have_count(4)
    status = api.request("GET", f"/api/v1/competitions/{cid}")
    assert status["freeze_t"] is None and status["revealed"] is True
    assert len(api.request("GET", f"/api/v1/competitions/{cid}/public/reveal")["steps"]) == 4
    actions = [e["action"] for e in api.request("GET", f"/api/v1/competitions/{cid}/board-log")]
    assert actions == ["freeze", "reveal"]


def define_criterion(page: Any, api: SalesfloorClient, cid: int) -> None:
    page.click("#tab-rubric")
    form = page.locator("#add-criterion")
    form.locator("input[name=name_en]").fill("Complaint replies")
    form.locator("input[name=name_zh]").fill("投诉回复")
    form.locator("input[name=max_points]").fill("5")
    form.locator("input[name=per_round]").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#criteria tbody tr[data-criterion]")).to_have_count(1)
    criteria = api.request("GET", f"/api/v1/competitions/{cid}/rubric")["criteria"]
    assert [(c["name_en"], c["name_zh"], c["max_points"], c["per_round"]) for c in criteria] == [
        ("Complaint replies", "投诉回复", 5.0, True)
    ]


def download_export(page: Any, cid: int) -> None:
    page.click("#tab-exports")
    with page.expect_download() as info:
        page.click('button[data-file="standings.csv"]')
    download = info.value
    assert download.suggested_filename == f"salesfloor-{cid}-standings.csv"
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert {row.get("team") for row in rows} == {"Blue", "Green", "Red", "Robo"}


def test_the_instructor_runs_a_competition_from_the_panel(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    api = instructor_api(server)
    page = open_context(lang).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page)
    cid = create_competition(page, api, lang, f"Panel {lang}")
    detail = api.request("GET", f"/api/v1/competitions/{cid}")
    assert detail["parameters"]["inquiries_per_team_per_day"] == 4
    assert detail["parameters"]["segments"]["smb"]["patience_hours"] == 12
    assert detail["rounds"] == 2 and detail["seconds_per_hour"] == 1
    detail = add_teams(page, api, cid)
    check_codes_page(page, detail)
    run_and_pause(page, api, lang, cid)
    change_market(page, api, cid)
    announce(page, api, lang, cid)
    freeze_and_reveal(page, api, lang, cid)
    define_criterion(page, api, cid)
    download_export(page, cid)


def test_every_parameter_has_words_in_both_languages(open_context: Any, server: ServerProcess) -> None:
    page = open_context("en").new_page()
    page.goto("/instructor")
    client = SalesfloorClient(server.url)
    presets = [p["name"] for p in client.request("GET", "/api/v1/presets")]
    keys = sorted(
        {
            row["key"]
            for name in presets
            for row in client.request("GET", f"/api/v1/presets/{name}/parameters")
        }
    )
    missing = page.evaluate(
        """async (keys) => {
          const { default: words } = await import("/static/strings/parameters.js");
          const pattern = (key) => key.replace(/^segments\\.[^.]+\\./, "segments.*.");
          return keys.flatMap((key) => ["en", "zh"].flatMap((lang) => ["label", "help"]
            .map((part) => `param.${pattern(key)}.${part}`)
            .filter((name) => !words[lang][name])
            .map((name) => `${lang}:${name}`)));
        }""",
        keys,
    )
    assert missing == []


def test_the_panel_fits_a_phone(open_context: Any, server: ServerProcess) -> None:
    api = instructor_api(server)
    created = api.request("POST", "/api/v1/competitions", json={"name": "Phone", "seconds_per_hour": 5})
    api.request("POST", f"/api/v1/competitions/{created['id']}/teams", json={"name": "Solo"})
    page = open_context("zh", PHONE).new_page()
    sign_in(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"/instructor/{created['id']}#live")
    expect(page.locator("#start")).to_be_visible()
    for tab in ("live", "teams", "market", "board", "rubric", "exports"):
        page.click(f"#tab-{tab}")
        expect(page.locator(f"#panel-{tab}")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], tab
    expect(page.locator("#tab-live")).to_have_text("实时")
    page.click("#lang")  # the language switches in place, forms and tables included
    expect(page.locator("#tab-live")).to_have_text("Live")
    expect(page.locator("#start")).to_have_text("Start round 1")
    assert page.evaluate("document.documentElement.lang") == "en"


def test_rounds_and_mode_typed_before_the_preset_arrives_are_kept(
    open_context: Any, server: ServerProcess
) -> None:
    """On a busy server the preset's parameters may come after the instructor has typed: the
    preset then fills the market, and the rounds and mode typed stay as typed."""
    page = open_context("en").new_page()
    held: list[Any] = []
    page.route("**/api/v1/presets/*/parameters", lambda route: held.append(route))
    sign_in(page)
    page.fill("#create input[name=rounds]", "2")
    page.select_option("#create select[name=mode]", "mirrored")
    for _ in range(100):  # the page asks for the preset's parameters as it opens
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the preset's parameters were asked for"
    for route in held:
        route.continue_()
    expect(page.locator('#create details[data-group="market"]')).to_be_attached()
    expect(page.locator("#create input[name=rounds]")).to_have_value("2")
    expect(page.locator("#create select[name=mode]")).to_have_value("mirrored")


def test_the_preset_does_not_write_into_the_rounds_being_typed(
    open_context: Any, server: ServerProcess
) -> None:
    """The preset's rounds arrive while the instructor is in the field: they are not written
    under the caret (typed digits would join them: "6" then "2" made 62 rounds); a field left
    empty and untouched takes the preset's rounds when the instructor leaves it."""
    page = open_context("en").new_page()
    held: list[Any] = []
    page.route("**/api/v1/presets/*/parameters", lambda route: held.append(route))
    sign_in(page)
    rounds = page.locator("#create input[name=rounds]")
    for _ in range(100):  # the page asks for the preset's parameters as it opens
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the preset's parameters were asked for"
    rounds.click()
    page.evaluate("document.querySelector('#create input[name=rounds]').value = ''")
    for route in held:
        route.continue_()
    expect(page.locator('#create details[data-group="market"]')).to_be_attached()
    expect(rounds).to_have_value("")  # not written under the caret
    page.locator("#create input[name=name]").click()  # leaves the field, empty and untouched
    expect(rounds).to_have_value("6")  # the classroom's rounds
    rounds.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    expect(rounds).to_have_value("2")


GRADING = {
    "en": {"shared": "partly luck", "mirrored": "the same customers"},
    "zh": {"shared": "部分取决于运气", "mirrored": "同样的客户"},
}


def test_the_mode_says_what_it_means_for_grades(open_context: Any, server: ServerProcess, lang: str) -> None:
    """Under the market mode the form says what the choice means for grades: a shared season is
    partly luck, mirrored gives every team the same customers; the note follows the mode chosen,
    the preset's default and a reset, in the page's language."""
    page = open_context(lang).new_page()
    sign_in(page)
    note = page.locator("#create .grading-note")
    expect(note).to_have_attribute("data-mode", "shared")  # classroom is a shared market
    expect(note).to_contain_text(GRADING[lang]["shared"])
    page.select_option("#create select[name=mode]", "mirrored")
    expect(note).to_have_attribute("data-mode", "mirrored")
    expect(note).to_contain_text(GRADING[lang]["mirrored"])
    page.click("#create .params .actions button >> nth=2")  # reset every value to the preset's
    expect(page.locator("#create select[name=mode]")).to_have_value("shared")
    expect(note).to_contain_text(GRADING[lang]["shared"])
    other = "zh" if lang == "en" else "en"
    page.click("#lang")  # the note switches language in place
    expect(note).to_contain_text(GRADING[other]["shared"])


def test_a_refusal_naming_a_parameter_marks_that_field(open_context: Any, server: ServerProcess) -> None:
    """Rules the form cannot check are the server's: its 422 names the field, the form marks it."""
    page = open_context("en").new_page()
    sign_in(page)
    detail = "product.unit_cost: 99 is out of range for this market; allowed 0 to 90"

    def refuse(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        body = {"detail": detail, "code": "invalid", "field": "product.unit_cost"}
        route.fulfill(status=422, content_type="application/json", body=json.dumps(body))

    page.route("**/api/v1/competitions", refuse)
    page.fill("#create input[name=name]", "Refused")
    page.click("#create button[type=submit]")
    field = page.locator('input[name="product.unit_cost"]')
    expect(field).to_be_visible()  # its group opened
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator('.param[data-key="product.unit_cost"] .field-error')).to_have_text(detail)
    expect(page.locator(".submit-card .form-message")).to_have_text(detail)
    expect(field).to_be_focused()


def test_the_instructor_removes_an_intruder_and_gives_the_team_a_new_code(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    """A code leaked: the teams tab lists who is in, removes one, and issues a new code."""
    api = instructor_api(server)
    created = api.request(
        "POST", "/api/v1/competitions", json={"name": f"Doors {lang}", "seconds_per_hour": 60}
    )
    cid = created["id"]
    code = api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "Alpha"})["join_code"]
    api.request("POST", f"/api/v1/competitions/{cid}/start")
    kim, mallory = SalesfloorClient(server.url), SalesfloorClient(server.url)
    kim.join(code, "Kim", "manager")
    mallory.join(code, INTRUDER, "finance")
    page = open_context(lang).new_page()
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    sign_in(page)
    page.goto(f"/instructor/{cid}#teams")
    row = page.locator('.team-list tr[data-team="Alpha"]')
    intruder = row.locator(f'.chip.member[data-member="{INTRUDER}"]')
    expect(intruder).to_contain_text(INTRUDER)  # a name is text, never markup
    assert row.locator(".chip.member img").count() == 0
    expect(row.locator('.chip.member[data-member="Kim"]')).to_contain_text("Kim")
    intruder.locator(".chip-remove").click()
    expect(intruder).to_have_count(0)
    expect(row.locator('.chip.member[data-member="Kim"]')).to_be_visible()
    with pytest.raises(ApiError) as gone:
        mallory.team()
    assert gone.value.status == 401, "the removed member's session has ended"
    row.locator("button.new-code").click()
    expect(row.locator("code.join-code")).not_to_have_text(code)
    fresh = row.locator("code.join-code").inner_text()
    detail = api.request("GET", f"/api/v1/competitions/{cid}")
    assert detail["teams"][0]["join_code"] == fresh
    assert kim.team()["team"] == "Alpha", "members already in stay in"
    with pytest.raises(ApiError) as refused:
        SalesfloorClient(server.url).join(code, "Mallory", "sales")
    assert refused.value.status == 401, "the old code no longer works"
    assert dialogs == ["confirm", "confirm"], "the page asked before each step, and nothing else"
