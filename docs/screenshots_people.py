"""Screenshots of who did what inside a team: the instructor's monitor with each member's
commands, refusals and last command (a laptop, 1366×768), the peer review a member fills in at
the end (a phone, 390×844) and the instructor's view of it, in English and Chinese, written to
``docs/images/{monitor-members,peer-review,peer-reviews}-<laptop|phone>[-zh].png``. Run from the
repository root, like docs/screenshots.py (whose helpers it uses):

    .venv/bin/python docs/screenshots_people.py
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import ViewportSize
from screenshots import ARGS, CHROMIUM, IMAGES, PHONE, ROOT, serving, wait_until

LAPTOP: ViewportSize = {"width": 1366, "height": 768}
LANGS = (("en", "en-US"), ("zh", "zh-CN"))
MEMBERS = (("Li Wei", "manager"), ("Sun Hao", "sales"), ("Mei Lin", "finance"))


def bearer(response: httpx.Response) -> dict[str, str]:
    return {"Authorization": "Bearer " + response.json()["token"]}


def setup(http: httpx.Client, lang: str) -> dict[str, Any]:
    """A running class with a human team of three: one works, one is refused once, one is idle."""
    ins = bearer(http.post("/api/v1/session/instructor", json={"password": "pw"}))
    body = {
        "name": f"CRM 301 ({lang})",
        "preset": "classroom",
        "seed": 11,
        "rounds": 2,
        "seconds_per_hour": 0.2,
    }
    cid = http.post("/api/v1/competitions", json=body, headers=ins).json()["id"]
    codes = {}
    for name, bot in (("Aurora", "balanced"), ("Borealis", "eager"), ("Falcon", None)):
        team = {"name": name, "bot": bot}
        codes[name] = http.post(f"/api/v1/competitions/{cid}/teams", json=team, headers=ins).json()[
            "join_code"
        ]
    return {"id": cid, "ins": ins, "code": codes["Falcon"]}


def play(http: httpx.Client, game: dict[str, Any], members: dict[str, dict[str, str]]) -> None:
    cid, ins = game["id"], game["ins"]
    http.post(f"/api/v1/competitions/{cid}/start", headers=ins)
    manager, sales = members["Li Wei"], members["Sun Hao"]
    for segment in ("key_accounts", "smb", "price_shoppers"):
        policy = {"discount": 0.05, "terms_days": 5, "delivery_days": 3, "delay_hours": 0.6}
        http.put(f"/api/v1/team/policies/quotes/{segment}", json=policy, headers=manager)
    http.post("/api/v1/team/invoices/none/reminder", json={}, headers=sales)  # refused: no such invoice
    http.put("/api/v1/team/policies/apology", json={"enabled": True}, headers=manager)
    wait_until(lambda: http.get(f"/api/v1/competitions/{cid}", headers=ins).json()["t_sim"] > 6, timeout=60)


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    made: list[Path] = []
    http = httpx.Client(base_url=base, timeout=30)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for lang, locale in LANGS:
            suffix = "" if lang == "en" else "-zh"
            game = setup(http, lang)
            cid = game["id"]
            # each member in a browser context of its own, joined before the end (no joins after it)
            phones, members = {}, {}
            for name, role in MEMBERS:
                context = browser.new_context(locale=locale, viewport=PHONE, base_url=base)
                joined = context.request.post(
                    "/api/v1/session/join", data={"code": game["code"], "name": name, "role": role}
                )
                members[name] = {"Authorization": "Bearer " + joined.json()["token"]}
                phones[name] = context
            play(http, game, members)
            panel = browser.new_context(locale=locale, viewport=LAPTOP, base_url=base)
            panel.request.post("/api/v1/session/instructor", data={"password": "pw"})
            page = panel.new_page()
            page.goto(f"/instructor/{cid}#live")
            page.locator('.monitor-table .person[data-member="Mei Lin"] .badge').wait_for()
            target = IMAGES / f"monitor-members-laptop{suffix}.png"
            page.locator("#monitor").screenshot(path=str(target))
            made.append(target)
            http.post(f"/api/v1/competitions/{cid}/end", headers=game["ins"])
            sun = phones["Sun Hao"].new_page()
            sun.goto("/team")
            sun.locator("#peer-card").wait_for()
            sun.locator('.peer-rating[data-member] .peer-option:has(input[value="5"])').first.click()
            sun.locator('.peer-rating[data-member] .peer-option:has(input[value="2"])').last.click()
            sun.locator("textarea").first.fill(
                "Set up the quote policies that won us most orders."
                if lang == "en"
                else "设置了为我们赢得大部分订单的报价策略。"
            )
            target = IMAGES / f"peer-review-phone{suffix}.png"
            sun.locator("#peer-card").screenshot(path=str(target))
            made.append(target)
            sun.locator("#peer-send").click()
            sun.locator("#peer-message.ok").wait_for()
            page.goto(f"/instructor/{cid}#exports")
            page.locator('#peer-reviews tr[data-member="Li Wei"] td.mean').filter(has_text="5").wait_for()
            target = IMAGES / f"peer-reviews-laptop{suffix}.png"
            page.locator("#peer-reviews").screenshot(path=str(target))
            made.append(target)
            for context in (*phones.values(), panel):
                context.close()
        browser.close()
    return made


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with serving("people.db") as base:
        time.sleep(0.5)
        for path in shoot(base):
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
