"""A team's report in a real browser: after a few rounds it shows its charts, a row per round
ended, its notable moments and its score explained as the API gives them; a member of another
team is refused with the server's reason; the page fits a phone and prints without buttons."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_formula_words import english_words
from tests.server.processes import ServerProcess

BEST = ("best_climb", "big_order", "complaint_in_time")
WORST = ("worst_fall", "written_off", "order_voided", "complaint_escalated")
PER_KIND = 4


def in_page(page: Any, formula: str) -> str:
    """The server's formula as the page writes it (explain.js formulaText, in the page's language)."""
    return str(page.evaluate("async (f) => (await import('/static/explain.js')).formulaText(f)", formula))


@dataclass
class Game:
    id: int
    codes: dict[str, str]
    instructor: httpx.Client

    def report(self, team: str) -> dict[str, Any]:
        response = self.instructor.get(f"/api/v1/competitions/{self.id}/report/{quote(team)}")
        response.raise_for_status()
        out: dict[str, Any] = response.json()
        return out


def wait_between_rounds(client: httpx.Client, cid: int, ended: int, deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        status = client.get(f"/api/v1/competitions/{cid}/standings").json()
        if status["between_rounds"] and status["round"] == ended:
            return
        time.sleep(0.1)
    raise AssertionError(f"round {ended} did not end within {deadline} s")


@pytest.fixture(scope="module")
def game(server: ServerProcess) -> Iterator[Game]:
    """Three house bots and one human team (that never plays), two rounds played, 2 s each."""
    client = httpx.Client(base_url=server.url, timeout=10)
    client.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    created = client.post(
        "/api/v1/competitions",
        json={"name": "Report class", "seconds_per_hour": 0.05, "rounds": 4, "seed": 3},
    )
    created.raise_for_status()
    cid = created.json()["id"]
    for name, bot in [
        ("Aurora Sales", "balanced"),
        ("Borealis", "eager"),
        ("Cumulus", "dumper"),
        ("Delta", None),
    ]:
        client.post(f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot}).raise_for_status()
    client.post(f"/api/v1/competitions/{cid}/start").raise_for_status()
    wait_between_rounds(client, cid, 1)
    client.post(f"/api/v1/competitions/{cid}/next-round").raise_for_status()
    wait_between_rounds(client, cid, 2)
    detail = client.get(f"/api/v1/competitions/{cid}").json()
    yield Game(cid, {t["name"]: t["join_code"] for t in detail["teams"]}, client)
    client.post(f"/api/v1/competitions/{cid}/end")
    client.close()


def open_report(page: Any, game: Game, team: str) -> dict[str, Any]:
    """Open the page and return the report data it was given."""
    url = f"/api/v1/competitions/{game.id}/report/{quote(team)}"
    with page.expect_response(lambda r: r.url.endswith(url)) as answer:
        page.goto(f"/report/{game.id}/{quote(team)}")
    page.locator("#report").wait_for(state="visible")
    data: dict[str, Any] = answer.value.json()
    return data


def test_the_report_after_two_rounds(open_context: Any, game: Game, lang: str) -> None:
    context = open_context(lang)
    context.request.post("/api/v1/session/instructor", data={"password": "pw"})
    page = context.new_page()
    data = open_report(page, game, "Aurora Sales")
    assert page.locator("#team-name").inner_text() == "Aurora Sales"
    assert page.locator("#rank").inner_text() == str(data["standing"]["rank"])

    for chart in ("#chart-metrics", "#chart-score"):
        page.locator(f"{chart} canvas").first.wait_for()
    legend = page.locator("#chart-metrics .u-legend").inner_text()
    for name in (
        ("Conversion", "Satisfaction", "Receivables") if lang == "en" else ("转化率", "满意度", "回款率")
    ):
        assert name in legend

    assert len(data["rounds"]) == 2
    rows = page.locator("#rounds tbody tr")
    assert rows.count() == len(data["rounds"])
    first = rows.nth(0).inner_text()
    assert ("Round 1" if lang == "en" else "第 1 轮") in first

    moments = {kind: sum(1 for m in data["moments"] if m["kind"] == kind) for kind in BEST + WORST}
    assert sum(moments.values()) > 0, "two rounds of a balanced bot should leave some moments"
    for kinds, selector in ((BEST, "#moments-best"), (WORST, "#moments-worst")):
        shown = page.locator(f"{selector} li.moment")
        assert shown.count() == sum(min(moments[k], PER_KIND) for k in kinds)
    big = [m for m in data["moments"] if m["kind"] == "big_order"]
    if big:
        text = page.locator('#moments-best li[data-kind="big_order"]').first.inner_text()
        assert ("Won an order of" if lang == "en" else "赢得") in text

    reasons = set(data["counts"]["not_won"])
    items = data["explanations"]["conversion"]["items"]
    reasons |= {"cancelled"} if any(i["reason"] == "cancelled" for i in items) else set()
    assert page.locator("#not-won li").count() == len(reasons)
    if reasons:  # every closed inquiry not won is counted under one reason
        summary = page.locator("#not-won p").first.inner_text()
        lost = sum(1 for i in items if i["outcome"] != "won")
        assert str(lost) in summary

    formula = page.locator("#explain-composite pre.formula")
    assert formula.inner_text() == in_page(page, data["explanations"]["composite"]["formula"])
    parts = page.locator('#explain-composite table.explain-items[data-kind="CompositePart"] tbody tr')
    assert parts.count() == len(data["explanations"]["composite"]["items"])
    details = page.locator("#explain-metrics details.metric-detail")
    assert details.count() == 4  # conversion, satisfaction, receivables, profit: every weighted metric
    for metric in ("conversion", "satisfaction", "receivables", "profit"):  # the line beside each name
        line = page.locator(
            f'#explain-metrics details.metric-detail[data-metric="{metric}"] .summary-formula'
        )
        assert line.inner_text() == in_page(page, data["explanations"][metric]["formula"])
        if lang == "zh":
            assert not english_words(line.inner_text()), line.inner_text()
    details.nth(0).locator("summary").click()
    shown = details.nth(0).locator(".explain pre.formula")
    assert shown.inner_text() == in_page(page, data["explanations"]["conversion"]["formula"])
    # profit with its parts and the scale's anchors (rules v5: return on starting capital per
    # business week, the weeks played from the time)
    profit = page.locator('#explain-metrics details.metric-detail[data-metric="profit"]')
    profit.locator("summary").click()
    assert profit.locator(".explain pre.formula").inner_text() == in_page(
        page, data["explanations"]["profit"]["formula"]
    )
    profit_formula = data["explanations"]["profit"]["formula"]
    assert "-5 % a business week → 0, 0 % → 50, +5 % → 100" in profit_formula
    assert "business weeks played" in profit_formula and "% per business week" in profit_formula
    weekly = "per business week played" if lang == "en" else "按每个营业周"
    assert weekly in profit.locator(".explain p.explain-def").inner_text()
    assert profit.locator('table.explain-items[data-kind="ProfitLine"] tbody tr').count() == 3
    receivables = page.locator('#explain-metrics details.metric-detail[data-metric="receivables"]')
    receivables.locator("summary").click()
    risks = data["explanations"]["receivables"]["items"]
    if risks:
        rows = receivables.locator('table.explain-items[data-kind="InvoiceRisk"] tbody tr')
        assert rows.count() == len(risks)


def test_a_member_of_another_team_is_refused_with_the_reason(
    open_context: Any, game: Game, lang: str
) -> None:
    context = open_context(lang)
    joined = context.request.post(
        "/api/v1/session/join", data={"code": game.codes["Delta"], "name": f"Ana {lang}", "role": "sales"}
    )
    assert joined.ok, joined.text()
    refusal = context.request.get(f"/api/v1/competitions/{game.id}/report/{quote('Aurora Sales')}")
    assert refusal.status == 403
    page = context.new_page()
    page.goto(f"/report/{game.id}/{quote('Aurora Sales')}")
    refused = page.locator("#refused")
    refused.wait_for(state="visible")
    assert page.locator("#refused-reason").inner_text() == refusal.json()["detail"]
    assert refused.locator("h2").inner_text() == (
        "This report is not open to you" if lang == "en" else "你无权查看这份报告"
    )
    assert "Aurora Sales" in page.locator("#refused-hint").inner_text()
    assert page.locator("#report").is_hidden()

    # the page offers its own team's report, which is open to it
    link = page.locator("#own-link")
    assert link.get_attribute("href") == f"/report/{game.id}/Delta"
    url = f"/api/v1/competitions/{game.id}/report/Delta"
    with page.expect_response(lambda r: r.url.endswith(url)) as answer:
        link.click()
    page.locator("#report").wait_for(state="visible")
    own = answer.value.json()
    assert own["team"] == "Delta"
    assert page.locator("#team-name").inner_text() == "Delta"


def test_the_report_fits_a_phone_and_prints_without_buttons(open_context: Any, game: Game) -> None:
    context = open_context("zh", PHONE)
    context.request.post("/api/v1/session/instructor", data={"password": "pw"})
    page = context.new_page()
    open_report(page, game, "Cumulus")
    page.locator("#chart-score canvas").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"

    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert page.locator("#print").is_hidden()
    assert page.locator("header.bar").is_hidden()
    chart = page.locator("#chart-metrics .uplot").bounding_box()
    assert chart is not None and chart["width"] <= 700
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert page.locator("#print").is_visible()


def test_a_class_ended_between_rounds_reads_finished(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    """The instructor may end the class between rounds: the report and the judges' status chip
    then say finished, not between rounds (the status says so too: between_rounds false)."""
    client = httpx.Client(base_url=server.url, timeout=10)
    client.post("/api/v1/session/instructor", json={"password": "pw"}).raise_for_status()
    body = {"name": f"Ended early {lang}", "seconds_per_hour": 0.05, "rounds": 4, "seed": 5}
    detail = client.post("/api/v1/competitions", json=body).json()
    cid = detail["id"]
    team = {"name": "Aurora", "bot": "balanced"}
    client.post(f"/api/v1/competitions/{cid}/teams", json=team).raise_for_status()
    client.post(f"/api/v1/competitions/{cid}/start").raise_for_status()
    wait_between_rounds(client, cid, 1)
    client.post(f"/api/v1/competitions/{cid}/end").raise_for_status()
    status = client.get(f"/api/v1/competitions/{cid}/public").json()
    assert status["state"] == "finished" and not status["between_rounds"]
    client.close()
    finished, between = ("finished", "between rounds") if lang == "en" else ("已结束", "轮间休息")
    context = open_context(lang)
    assert context.request.post("/api/v1/session/instructor", data={"password": "pw"}).ok
    page = context.new_page()
    page.goto(f"/report/{cid}/Aurora")
    expect(page.locator("#as-of")).to_contain_text(finished)
    assert between not in page.locator("#as-of").inner_text()
    judge = open_context(lang)
    assert judge.request.post("/api/v1/session/judge", data={"code": detail["judge_code"], "name": "Lee"}).ok
    panel = judge.new_page()
    panel.goto(f"/judge/{cid}")
    chip = panel.locator("#round-status")
    expect(chip).to_have_attribute("data-state", "finished")
    expect(chip).to_contain_text(finished)
