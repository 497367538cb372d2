"""The judge panel in a real browser, in both languages: a judge signs in through the page,
watches the live board move without a reload, opens a team's figures explained (the formula
exactly as the API gives it), scores the rubric (stored under the judge's name), is stopped
before sending a score out of range, and sees a correction in the log."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.server.processes import ServerProcess

JUDGE = {"en": "Ms Li", "zh": "李老师"}
SAVED = {"en": "Saved: Aurora", "zh": "已保存：Aurora"}
OUT_OF_RANGE = {"en": "points go from 0 to 10", "zh": "分数范围是 0 到 10"}
CORRECTION = {"en": "correction", "zh": "更正"}


def in_page(page: Any, formula: str) -> str:
    """The server's formula as the page writes it (explain.js formulaText, in the page's language)."""
    return str(page.evaluate("async (f) => (await import('/static/explain.js')).formulaText(f)", formula))


@dataclass
class Game:
    id: int
    judge_code: str
    criterion: int
    instructor: httpx.Client

    def status(self) -> dict[str, Any]:
        response = self.instructor.get(f"/api/v1/competitions/{self.id}/standings")
        response.raise_for_status()
        out: dict[str, Any] = response.json()
        return out

    def wait_between_rounds(self, ended: int, deadline: float = 30.0) -> dict[str, Any]:
        """Poll until round ``ended`` is over and the clock waits for the next one."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            status = self.status()
            if status["between_rounds"] and status["round"] == ended:
                return status
            time.sleep(0.1)
        raise AssertionError(f"round {ended} did not end within {deadline} s: {self.status()}")

    def rubric(self) -> dict[str, Any]:
        response = self.instructor.get(f"/api/v1/competitions/{self.id}/rubric")
        response.raise_for_status()
        out: dict[str, Any] = response.json()
        return out


@pytest.fixture
def game(server: ServerProcess) -> Iterator[Game]:
    """A competition of three house bots, 2 s a round, one per-round rubric criterion (max 10).

    Tests name it first, so that it ends the competition after their pages are closed.
    """
    client = httpx.Client(base_url=server.url, timeout=10)
    client.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    created = client.post(
        "/api/v1/competitions",
        json={"name": "Judging class", "seconds_per_hour": 0.05, "rounds": 4, "seed": 5},
    )
    created.raise_for_status()
    cid = created.json()["id"]
    for name, bot in [("Aurora", "balanced"), ("Borealis", "eager"), ("Cumulus", "dumper")]:
        client.post(f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot}).raise_for_status()
    criterion = client.post(
        f"/api/v1/competitions/{cid}/rubric/criteria",
        json={"name_en": "Complaint replies", "name_zh": "投诉回复质量", "max_points": 10, "per_round": True},
    )
    criterion.raise_for_status()
    client.post(f"/api/v1/competitions/{cid}/start").raise_for_status()
    detail = client.get(f"/api/v1/competitions/{cid}").json()
    yield Game(cid, detail["judge_code"], criterion.json()["id"], client)
    client.post(f"/api/v1/competitions/{cid}/end")
    client.close()


@pytest.fixture
def pages_for(game: Game, open_context: Any) -> Iterator[Callable[..., Any]]:
    """pages_for(lang, viewport=None) → a page in a fresh context; every page is closed after the
    test (before its context and before ``game`` ends the competition)."""
    pages: list[Any] = []

    def new(lang: str, viewport: dict[str, int] | None = None) -> Any:
        page = open_context(lang, viewport).new_page()
        pages.append(page)
        return page

    yield new
    for page in pages:
        page.close()


def sign_in(page: Any, game: Game, lang: str) -> None:
    page.goto(f"/judge/{game.id}")
    page.locator("#login").wait_for(state="visible")
    page.fill("#login input[name=code]", game.judge_code.lower())
    page.fill("#login input[name=name]", JUDGE[lang])
    page.click("#login button[type=submit]")
    page.locator("#panel").wait_for(state="visible")
    page.locator("#board tbody tr").first.wait_for()


def cell(page: Any, team: str) -> Any:
    return page.locator(f'#rubric-grid tr[data-team="{team}"] td.score').first


# The figures of a standings table (rows: a selector; cells rank, team, score, conversion,
# satisfaction, receivables, profit) unlike the projector board's writing of the public standings.
UNLIKE_THE_BOARD = """async ({ id, rows }) => {
  const { formatValue } = await import('/static/board/table.js');
  const { standings } = await (await fetch(`/api/v1/competitions/${id}/public`)).json();
  const columns = { composite: 2, conversion: 3, satisfaction: 4, receivables: 5, profit: 6 };
  const out = [];
  for (const row of standings) {
    const named = (r) => r.children[1].textContent.startsWith(row.team);
    const tr = [...document.querySelectorAll(rows)].find(named);
    for (const [metric, at] of Object.entries(columns)) {
      const shown = tr.children[at].textContent;
      const board = formatValue(metric, row[metric]);
      if (shown !== board) out.push(`${row.team} ${metric}: ${shown} (board: ${board})`);
    }
  }
  return out;
}"""


def test_a_judge_signs_in_and_watches_the_live_board(
    game: Game, pages_for: Callable[..., Any], lang: str
) -> None:
    game.wait_between_rounds(1)
    page = pages_for(lang)
    page.goto(f"/judge/{game.id}")
    title = page.locator("#login h2")
    assert title.inner_text() == ("Sign in as a judge" if lang == "en" else "评委登录")
    page.click("#login button[type=submit]")  # nothing typed: the page says what is missing
    message = page.locator("#login .form-message")
    assert message.inner_text() == ("Write the judge code." if lang == "en" else "请填写评委码。")
    page.fill("#login input[name=code]", "NOSUCH22")  # a code no competition has: said in the language
    page.fill("#login input[name=name]", JUDGE[lang])
    page.click("#login button[type=submit]")
    wrong = (
        "No competition has this judge code. Check it with the instructor."
        if lang == "en"
        else "没有比赛使用这个评委码。请向教师核对。"
    )
    expect(message).to_have_text(wrong)
    sign_in(page, game, lang)
    assert JUDGE[lang] in page.locator("#who").inner_text()
    assert len(page.locator("#board tbody tr").all()) == 3
    # each figure is written as the projector board writes it (rates with % and one decimal) — the
    # judges' standings here, and the instructor's live standings of the same class
    unlike = page.evaluate(UNLIKE_THE_BOARD, {"id": game.id, "rows": "#board tbody tr"})
    assert not unlike, unlike
    instructor = pages_for(lang)
    assert instructor.request.post("/api/v1/session/instructor", data={"password": "pw"}).ok
    instructor.goto(f"/instructor/{game.id}")
    expect(instructor.locator(".standings-table tbody tr")).to_have_count(3)
    unlike = instructor.evaluate(UNLIKE_THE_BOARD, {"id": game.id, "rows": ".standings-table tbody tr"})
    assert not unlike, unlike

    page.evaluate("window.__stayed = true")
    before = page.locator("#board tbody").inner_text()
    game.instructor.post(f"/api/v1/competitions/{game.id}/next-round").raise_for_status()
    page.wait_for_function(
        "before => document.querySelector('#board tbody').innerText !== before", arg=before, timeout=15_000
    )
    assert page.evaluate("window.__stayed === true"), "the board changed by reloading the page"
    chip = page.locator("#round-status")
    game.wait_between_rounds(2)
    expected = "Round 2 of 4 ended" if lang == "en" else "第 2 轮已结束"
    page.wait_for_function(
        "text => document.querySelector('#round-status').textContent.includes(text)", arg=expected
    )
    assert expected in chip.inner_text()


def test_a_team_record_explains_its_figures_as_the_api_does(
    game: Game, pages_for: Callable[..., Any], lang: str
) -> None:
    game.wait_between_rounds(1)
    page = pages_for(lang)
    sign_in(page, game, lang)
    explain = f"/api/v1/competitions/{game.id}/explain/Aurora/"
    with page.expect_response(lambda r: r.url.endswith(explain + "composite")) as first:
        page.click('#board tbody tr[data-team="Aurora"]')
    assert page.locator("#record-team").inner_text() == "Aurora"
    formula = page.locator("#explain-panel pre.formula")
    formula.wait_for()
    assert formula.inner_text() == in_page(page, first.value.json()["formula"])

    for metric in ("conversion", "satisfaction", "receivables", "rubric"):
        with page.expect_response(lambda r, m=metric: r.url.endswith(explain + m)) as answer:
            page.click(f'#explain-tabs [data-metric="{metric}"]')
        shown = page.locator(f'#explain-panel .explain[data-metric="{metric}"] pre.formula')
        shown.wait_for()
        assert shown.inner_text() == in_page(page, answer.value.json()["formula"])

    # the same figure, asked of the API directly (the clock waits between rounds; should a house
    # bot still act meanwhile, the page's Refresh catches up)
    page.click('#explain-tabs [data-metric="conversion"]')
    for _ in range(20):
        fresh = in_page(page, game.instructor.get(explain + "conversion").json()["formula"])
        if page.locator("#explain-panel pre.formula").inner_text() == fresh:
            break
        with page.expect_response(lambda r: r.url.endswith(explain + "conversion")):
            page.click("#explain-panel button.refresh")
    assert page.locator("#explain-panel pre.formula").inner_text() == fresh
    table = page.locator('#explain-panel table.explain-items[data-kind="ClosedInquiry"]')
    if table.count():
        header = table.locator("thead").inner_text()
        assert ("Outcome" if lang == "en" else "结果") in header
    assert page.locator("#events li").first.is_visible()
    report = page.locator("#record-report")
    assert report.get_attribute("href") == f"/report/{game.id}/Aurora"


def test_a_judge_scores_the_rubric_and_corrects_it(
    game: Game, pages_for: Callable[..., Any], lang: str
) -> None:
    status = game.wait_between_rounds(1)
    page = pages_for(lang)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.post_data or "") if r.method == "PUT" else None)
    sign_in(page, game, lang)
    page.locator("#rubric-grid tbody tr").first.wait_for()
    round_number = int(page.locator("#rubric-round").input_value())
    assert round_number == status["round"]  # the round that just ended

    aurora = cell(page, "Aurora")
    aurora.locator("input.points").fill("7")
    aurora.locator("input.note").fill("clear apology")
    page.locator('#rubric-grid tr[data-team="Aurora"] button.save').click()
    page.locator(".toast.ok", has_text=SAVED[lang]).wait_for()
    scores = [s for s in game.rubric()["scores"] if s["team"] == "Aurora"]
    assert scores == [
        {
            "criterion_id": game.criterion,
            "team": "Aurora",
            "judge": JUDGE[lang],
            "round": round_number,
            "points": 7.0,
            "note": "clear apology",
        }
    ]
    assert cell(page, "Aurora").locator("input.points").input_value() == "7"  # prefilled from the server

    # out of range: said as it is typed, and on Save nothing is sent
    puts = len(sent)
    borealis = cell(page, "Borealis")
    borealis.locator("input.points").fill("11")
    assert OUT_OF_RANGE[lang] in borealis.locator(".cell-message").inner_text()
    assert borealis.locator("input.points").get_attribute("aria-invalid") == "true"
    page.locator('#rubric-grid tr[data-team="Borealis"] button.save').click()
    assert OUT_OF_RANGE[lang] in page.locator("#rubric-message").inner_text()
    assert len(sent) == puts
    assert not [s for s in game.rubric()["scores"] if s["team"] == "Borealis"]

    # a correction: a new line in the log, the newest marked as such
    page.click('#board tbody tr[data-team="Aurora"]')
    with page.expect_response(lambda r: r.url.endswith("/rubric/log")):
        cell(page, "Aurora").locator("input.points").fill("8")
        cell(page, "Aurora").locator("input.points").press("Enter")
    rows = page.locator("#rubric-log tbody tr")
    page.wait_for_function("() => document.querySelectorAll('#rubric-log tbody tr').length === 2")
    newest = rows.nth(0).inner_text()
    assert "8" in newest and CORRECTION[lang] in newest and JUDGE[lang] in newest
    assert "7" in rows.nth(1).inner_text()
    log = game.instructor.get(f"/api/v1/competitions/{game.id}/rubric/log").json()
    assert [(e["team"], e["points"], e["judge"]) for e in log] == [
        ("Aurora", 7.0, JUDGE[lang]),
        ("Aurora", 8.0, JUDGE[lang]),
    ]
    assert [s["points"] for s in game.rubric()["scores"]] == [8.0]


def test_the_judge_panel_fits_a_phone(game: Game, pages_for: Callable[..., Any]) -> None:
    game.wait_between_rounds(1)
    page = pages_for("zh", PHONE)
    sign_in(page, game, "zh")
    page.click('#board tbody tr[data-team="Cumulus"]')
    page.locator("#explain-panel pre.formula").wait_for()
    page.locator("#rubric-grid tbody tr").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
