"""One money formatter: the board's profit column and the team console's cash are written the
same way in each language (whole units, grouped, the language's sign), never a compact "$5.1K"
beside a full "¥5063", and a language switch rewrites every figure."""

from __future__ import annotations

import re
import time
from typing import Any

from playwright.sync_api import expect

from server.client.api_client import ApiError
from tests.browser.test_instructor_panel import instructor_api
from tests.server.processes import ServerProcess

LAPTOP = {"width": 1366, "height": 768}
MONEY = {"en": re.compile(r"^-?\$\d{1,3}(,\d{3})*$"), "zh": re.compile(r"^-?¥\d{1,3}(,\d{3})*$")}


def test_profit_is_written_one_way_in_each_language(
    open_context: Any, server: ServerProcess, lang: str
) -> None:
    api = instructor_api(server)
    cid = api.request(
        "POST", "/api/v1/competitions", json={"name": f"Money {lang}", "seconds_per_hour": 0.05}
    )["id"]
    for name, bot in (("Aurora", "balanced"), ("Borealis", "lavish"), ("Cascade", "dumper")):
        api.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot})
    api.request("POST", f"/api/v1/competitions/{cid}/start")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until some profits are in the thousands
        public = api.request("GET", f"/api/v1/competitions/{cid}/public")
        if sum(abs(r.get("profit") or 0) >= 1000 for r in public["standings"]) >= 2:
            break
        if public["between_rounds"]:
            api.request("POST", f"/api/v1/competitions/{cid}/next-round")
        time.sleep(0.2)
    if api.request("GET", f"/api/v1/competitions/{cid}")["state"] == "running":
        try:
            api.request("POST", f"/api/v1/competitions/{cid}/pause")
        except ApiError as refused:  # the last round ended meanwhile: it stands still anyway
            assert api.request("GET", f"/api/v1/competitions/{cid}")["state"] == "finished", refused
    page = open_context(lang, LAPTOP).new_page()
    page.goto(f"/board/{cid}")
    cells = page.locator('#board td[data-metric="profit"]')
    expect(cells).to_have_count(3)
    expect(cells.first).not_to_have_text("—")
    for other in (lang, "zh" if lang == "en" else "en"):
        if other != lang:
            page.click("#lang")
        texts = [c.strip() for c in cells.all_inner_texts()]
        assert all(MONEY[other].match(text.replace("−", "-")) for text in texts), (other, texts)
