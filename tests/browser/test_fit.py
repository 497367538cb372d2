"""Nothing is cut, with a full class of 60 teams: on the projector board (public and judges'),
the lobby, the debrief, the judge panel and the instructor panel (its tabs and the reference
bots' preview), at
1920×1080, 1366×768 and 390×844, in both languages. A cell is cut when its content is wider
than the cell (``scrollWidth > clientWidth``: an ellipsis, or text spilling over its neighbour);
at the two desktop sizes every table also fits its box without scrolling sideways (a long
table scrolls down, never across); on a phone a wide table may scroll inside its box."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.server.processes import ServerProcess

LAPTOP = {"width": 1366, "height": 768}
SIZES = (("1920", DESKTOP), ("1366", LAPTOP), ("390", PHONE))
WAIT_MS = 60_000
BOTS = ("balanced", "eager", "dumper", "lax", "lavish", "passive")
LONG = "Northern Lights Wholesale Trading Group"  # 39 characters: long names must wrap, not cut

CUT_JS = """(desktop) => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const name = (el) =>
    `${el.tagName.toLowerCase()}.${el.className || ""} "${el.textContent.trim().slice(0, 30)}"`;
  const out = [];
  for (const cell of document.querySelectorAll("th, td")) {
    if (!shown(cell)) continue;
    if (cell.scrollWidth > cell.clientWidth + 1)
      out.push(`cut cell ${name(cell)} ${cell.scrollWidth}>${cell.clientWidth}`);
    for (const inner of cell.querySelectorAll("*")) {
      const ellipsis = getComputedStyle(inner).textOverflow === "ellipsis";
      if (shown(inner) && ellipsis && inner.scrollWidth > inner.clientWidth + 1)
        out.push(`ellipsis in ${name(cell)}`);
    }
  }
  if (desktop) {
    for (const table of document.querySelectorAll("table")) {
      if (!shown(table)) continue;
      let box = table.parentElement;
      const clips = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
      while (box && box !== document.body && !clips(box)) box = box.parentElement;
      if (box && box !== document.body && box.scrollWidth > box.clientWidth + 1) {
        const head = name(table.querySelector("th") || table);
        out.push(`table wider than its box: ${head} ${box.scrollWidth}>${box.clientWidth}`);
      }
    }
  }
  for (const chart of document.querySelectorAll("svg.chart-svg")) {
    const box = chart.parentElement;
    if (shown(chart) && chart.getBoundingClientRect().width > box.clientWidth + 1)
      out.push(`chart wider than its box ${chart.getBoundingClientRect().width}>${box.clientWidth}`);
  }
  const page = document.documentElement.scrollWidth;
  if (page > innerWidth + 1) out.push(`page scrolls sideways ${page}>${innerWidth}`);
  return out;
}"""


# A header may wrap between its words, never inside one: in Chinese (no spaces) a header such as
# 满意度 must not stand as 满 / 意 / 度 one character a line. Counts the lines each header's text
# takes and its words (separated by spaces), and names the headers with more lines than words.
BROKEN_HEADERS_JS = """() => {
  const out = [];
  for (const th of document.querySelectorAll("#board th")) {
    const text = th.textContent.trim();
    if (!text || th.getClientRects().length === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(th);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0);
    const tops = new Set(rects.map((r) => Math.round(r.top)));
    const words = text.split(/\\s+/).length;
    if (tops.size > words) out.push(`${text}: ${tops.size} lines for ${words} word(s)`);
  }
  return out;
}"""


@dataclass
class Class:
    id: int
    judge_code: str
    lobby: int = 0


@pytest.fixture(scope="module")
def full_class(server: ServerProcess) -> Iterator[Class]:
    """60 house-bot teams with rubric scores, stopped after the first round."""
    http = httpx.Client(base_url=server.url, timeout=60)
    http.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    body = {
        "name": "A full class of sixty teams",
        "preset": "classroom",
        "seconds_per_hour": 0.05,
        "rounds": 2,
        "seed": 4,
    }
    detail = http.post("/api/v1/competitions", json=body).json()
    cid = detail["id"]
    names = [LONG, *(f"Team {i:02d}" for i in range(1, 60))]
    csv_text = "\n".join(f"{name},{BOTS[i % len(BOTS)]}" for i, name in enumerate(names))
    added = http.post(
        f"/api/v1/competitions/{cid}/teams/bulk", content=csv_text, headers={"Content-Type": "text/csv"}
    )
    assert added.status_code == 201, added.text
    criterion = http.post(
        f"/api/v1/competitions/{cid}/rubric/criteria",
        json={"name_en": "Pitch", "name_zh": "路演", "max_points": 10, "per_round": False},
    ).json()
    judge = httpx.Client(base_url=server.url, timeout=30)
    judge.post(
        "/api/v1/session/judge", json={"code": detail["judge_code"], "name": "Ms Li"}
    ).raise_for_status()
    for i, name in enumerate(names[:20]):
        scored = judge.put(
            f"/api/v1/competitions/{cid}/rubric/scores",
            json={"criterion_id": criterion["id"], "team": name, "points": 3 + i % 8},
        )
        assert scored.status_code < 300, scored.text
    http.post(f"/api/v1/competitions/{cid}/start").raise_for_status()
    for _ in range(600):
        status = http.get(f"/api/v1/competitions/{cid}/public").json()
        if status["between_rounds"]:
            break
        http.get("/api/v1/health")  # a short wait that also proves the server answers
    assert http.get(f"/api/v1/competitions/{cid}/public").json()["between_rounds"], "round 1 did not end"
    body = {**body, "name": "The same class, before the start"}
    lobby = http.post("/api/v1/competitions", json=body).json()["id"]
    people = "\n".join(names)  # teams of people: the lobby shows their codes on the instructor's screen
    added = http.post(
        f"/api/v1/competitions/{lobby}/teams/bulk", content=people, headers={"Content-Type": "text/csv"}
    )
    assert added.status_code == 201, added.text
    for team in added.json()[:3]:
        joined = httpx.post(
            f"{server.url}/api/v1/session/join",
            json={"code": team["join_code"], "name": "Mei", "role": "sales"},
        )
        assert joined.status_code == 200, joined.text
    yield Class(cid, detail["judge_code"], lobby)
    http.post(f"/api/v1/competitions/{cid}/end")
    http.close()
    judge.close()


def check_sizes(page: Any, what: str) -> None:
    problems = {}
    for label, size in SIZES:
        page.set_viewport_size(size)
        page.wait_for_timeout(500)  # layouts and charts follow the new size
        found = page.evaluate(CUT_JS, size is not PHONE)
        if found:
            problems[label] = found[:8]
    assert not problems, f"{what}: {problems}"


def signed_in(open_context: Any, lang: str, kind: str, full_class: Class) -> Any:
    context = open_context(lang, DESKTOP)
    if kind == "instructor":
        assert context.request.post("/api/v1/session/instructor", data={"password": "pw"}).ok
    else:
        login = {"code": full_class.judge_code, "name": "Ms Li"}
        assert context.request.post("/api/v1/session/judge", data=login).ok
    return context


def test_the_boards_cut_nothing(full_class: Class, open_context: Any, lang: str) -> None:
    page = open_context(lang, DESKTOP).new_page()
    page.goto(f"/board/{full_class.id}")
    expect(page.locator("#board tbody tr")).to_have_count(60, timeout=WAIT_MS)
    expect(page.locator("#board th[data-metric=rubric]")).to_be_visible()
    check_sizes(page, "public board")
    for label, size in SIZES:
        page.set_viewport_size(size)
        expect(page.locator("#board tbody tr").first).to_be_visible()
        assert not page.evaluate(BROKEN_HEADERS_JS), f"{label}: {page.evaluate(BROKEN_HEADERS_JS)}"
    judge = signed_in(open_context, lang, "judge", full_class).new_page()
    judge.goto(f"/board/{full_class.id}?view=judge")
    expect(judge.locator("#board tbody tr")).to_have_count(60, timeout=WAIT_MS)
    check_sizes(judge, "judges' board")


def test_the_judge_panel_cuts_nothing(full_class: Class, open_context: Any, lang: str) -> None:
    page = signed_in(open_context, lang, "judge", full_class).new_page()
    page.goto(f"/judge/{full_class.id}")
    expect(page.locator("table.board tbody tr")).to_have_count(60, timeout=WAIT_MS)
    check_sizes(page, "judge panel")


def test_the_instructor_panel_cuts_nothing(full_class: Class, open_context: Any, lang: str) -> None:
    page = signed_in(open_context, lang, "instructor", full_class).new_page()
    for tab in ("live", "teams", "board", "rubric", "debrief"):
        page.goto(f"/instructor/{full_class.id}#{tab}")
        expect(page.locator(f"#panel-{tab}")).to_be_visible(timeout=WAIT_MS)
        if tab == "live":
            expect(page.locator("#panel-live .standings-table tbody tr")).to_have_count(60, timeout=WAIT_MS)
        page.wait_for_timeout(1000)
        check_sizes(page, f"instructor panel, {tab} tab")


def test_the_preview_cuts_nothing(open_context: Any, lang: str) -> None:
    page = signed_in(open_context, lang, "instructor", Class(0, "")).new_page()
    page.set_viewport_size(LAPTOP)
    page.goto("/instructor")
    page.fill("#create input[name=rounds]", "2")
    page.click("#preview .run-preview")
    expect(page.locator(".preview-table tbody tr")).to_have_count(6, timeout=120_000)
    check_sizes(page, "preview of the reference bots")


def test_the_lobby_and_the_debrief_cut_nothing(full_class: Class, open_context: Any, lang: str) -> None:
    context = signed_in(open_context, lang, "instructor", full_class)
    lobby = context.new_page()
    lobby.goto(f"/board/{full_class.lobby}")
    expect(lobby.locator(".lobby-team .lobby-code")).to_have_count(60, timeout=WAIT_MS)
    expect(lobby.locator(".lobby-member")).to_have_count(3)
    check_sizes(lobby, "lobby")
    debrief = context.new_page()
    debrief.goto(f"/debrief/{full_class.id}")
    expect(debrief.locator(".debrief-chart svg .row-label")).to_have_count(60, timeout=WAIT_MS)
    for step in range(6):
        expect(debrief.locator(".debrief-counter")).to_have_text(f"{step + 1} / 6")
        check_sizes(debrief, f"debrief, picture {step + 1}")
        debrief.set_viewport_size(DESKTOP)
        debrief.keyboard.press("ArrowRight")


SHOWN_ROWS_JS = """() => [...document.querySelectorAll("#board tbody tr")]
  .filter((tr) => tr.getClientRects().length > 0)
  .map((tr) => ({team: tr.dataset.team, bottom: tr.getBoundingClientRect().bottom + scrollY}))"""


def shown_rows(page: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = page.evaluate(SHOWN_ROWS_JS)
    return rows


def test_a_long_board_shows_a_page_at_a_time_on_a_projector(
    full_class: Class, open_context: Any, lang: str
) -> None:
    """60 teams do not fit a projector: every page fits the screen without scrolling, the line
    under the table says which ranks are shown, ← / → turn the page, every team is on exactly one
    page, and the page turns by itself; a phone scrolls the whole table instead."""
    page = open_context(lang, DESKTOP).new_page()
    page.goto(f"/board/{full_class.id}")
    expect(page.locator("#board tbody tr")).to_have_count(60, timeout=WAIT_MS)
    line = page.locator("#board-pages")
    for label, size in (("1920", DESKTOP), ("1366", LAPTOP)):
        page.set_viewport_size(size)
        expect(line).to_be_visible()
        page.wait_for_timeout(300)  # the page size follows the new screen
        first = shown_rows(page)
        height = size["height"]
        assert 8 <= len(first) < 60, f"{label}: {len(first)} rows on a page"
        assert all(row["bottom"] <= height + 8 for row in first), f"{label}: a row below the screen"
        assert first[0]["team"] == page.locator("#board tbody tr").first.get_attribute("data-team")
        per_page = len(first)
        pages = -(-60 // per_page)
        words = f"1–{per_page}" if lang == "en" else f"第 1–{per_page} 名"
        expect(line).to_contain_text(words)
        expect(line).to_contain_text(f"{pages}")
        seen = [row["team"] for row in first]
        for turn in range(1, pages):
            page.keyboard.press("ArrowRight")
            rows = shown_rows(page)
            assert all(row["bottom"] <= height + 8 for row in rows), f"{label}: page {turn + 1} too long"
            seen += [row["team"] for row in rows]
        assert sorted(seen) == sorted(set(seen)) and len(seen) == 60, f"{label}: teams shown {len(seen)}"
        page.keyboard.press("ArrowRight")  # past the last page: the first again
        assert [row["team"] for row in shown_rows(page)] == [row["team"] for row in first]
        page.keyboard.press("ArrowLeft")
        last = 60 - (pages - 1) * per_page
        assert len(shown_rows(page)) == last, f"{label}: ← from the first page shows the last"
        page.keyboard.press("ArrowRight")
    if lang == "en":  # the timer turns the page (about 10 s)
        before = line.text_content()
        expect(line).not_to_have_text(before or "", timeout=20_000)
        assert shown_rows(page)[0]["team"] != first[0]["team"]
    page.set_viewport_size(PHONE)
    expect(line).to_be_hidden()
    page.wait_for_timeout(300)
    assert len(shown_rows(page)) == 60, "a phone shows every team and scrolls"
