"""Screenshots of every page, at 1920×1080 and at a phone's 390×844, for docs/ and the README.

Starts ``salesfloor serve`` on a free port with a fresh SQLite file, sets up a class (house
bots, a human team answering by policy, a rubric with judges' scores), plays a few rounds,
then drives Debian's chromium (/usr/bin/chromium) through each page in English and Chinese
and writes ``docs/images/<page>-<desktop|phone>[-zh].png``. Run from the repository root:

    .venv/bin/python docs/screenshots.py            # every page
    .venv/bin/python docs/screenshots.py lobby debrief   # only these pages

It needs nothing from outside the machine (no CDN, no downloaded browser).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import ViewportSize

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
DESKTOP: ViewportSize = {"width": 1920, "height": 1080}
PHONE: ViewportSize = {"width": 390, "height": 844}
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Any, timeout: float = 60.0) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise RuntimeError("timed out")


def setup(base: str) -> dict[str, Any]:
    """A class in progress: five house bots, a human team, a rubric, three rounds played."""
    http = httpx.Client(base_url=base, timeout=30)
    ins = {
        "Authorization": "Bearer "
        + http.post("/api/v1/session/instructor", json={"password": "pw"}).json()["token"]
    }
    body = {
        "name": "CRM 301 — spring cup",
        "preset": "classroom",
        "seed": 11,
        "rounds": 6,
        "seconds_per_hour": 0.08,
    }
    detail = http.post("/api/v1/competitions", json=body, headers=ins).json()
    cid = detail["id"]
    teams = [
        ("Aurora", "balanced"),
        ("Borealis", "eager"),
        ("Cascade", "dumper"),
        ("Delta", "lax"),
        ("Ember", "lavish"),
        ("Falcon", None),
    ]
    codes = {}
    for name, bot in teams:
        codes[name] = http.post(
            f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot}, headers=ins
        ).json()["join_code"]
    criterion = http.post(
        f"/api/v1/competitions/{cid}/rubric/criteria",
        json={
            "name_en": "Complaint replies",
            "name_zh": "投诉回复质量",
            "max_points": 10,
            "per_round": False,
        },
        headers=ins,
    ).json()
    http.put(
        f"/api/v1/competitions/{cid}/scoring",
        json={
            "weights": {"conversion": 30, "satisfaction": 30, "receivables": 25, "profit": 15, "rubric": 10}
        },
        headers=ins,
    )
    http.post(f"/api/v1/competitions/{cid}/start", headers=ins)
    member = {
        "Authorization": "Bearer "
        + http.post(
            "/api/v1/session/join", json={"code": codes["Falcon"], "name": "Li Wei", "role": "manager"}
        ).json()["token"]
    }
    for segment in ("key_accounts", "smb", "price_shoppers"):
        http.put(
            f"/api/v1/team/policies/quotes/{segment}",
            json={"discount": 0.05, "terms_days": 5, "delivery_days": 3, "delay_hours": 0.6},
            headers=member,
        )
    judge = {
        "Authorization": "Bearer "
        + http.post(
            "/api/v1/session/judge", json={"code": detail["judge_code"], "name": "Prof. Chen"}
        ).json()["token"]
    }
    for team, points in (
        ("Aurora", 8),
        ("Borealis", 6),
        ("Cascade", 5),
        ("Delta", 7),
        ("Ember", 9),
        ("Falcon", 8),
    ):
        http.put(
            f"/api/v1/competitions/{cid}/rubric/scores",
            json={"criterion_id": criterion["id"], "team": team, "points": points},
            headers=judge,
        )

    def played(rounds: int) -> bool:
        state = http.get(f"/api/v1/competitions/{cid}", headers=ins).json()
        if state["state"] == "paused" and state["between_rounds"] and state["round"] <= rounds:
            http.post(f"/api/v1/competitions/{cid}/next-round", headers=ins)
        return bool(state["round"] > rounds)

    wait_until(lambda: played(3), timeout=120)
    http.post(
        f"/api/v1/competitions/{cid}/announcements",
        json={"text": "Round 4: a price war starts in small businesses"},
        headers=ins,
    )
    lobby = lobby_class(http, ins)
    return {
        "id": cid,
        "codes": codes,
        "judge_code": detail["judge_code"],
        "ins": ins,
        "member": member,
        "lobby": lobby,
    }


def lobby_class(http: httpx.Client, ins: dict[str, str]) -> int:
    """A second class, not started: six teams, a few students joined, the start in 8 minutes."""
    body = {
        "name": "CRM 302 — autumn cup",
        "preset": "classroom",
        "seed": 12,
        "rounds": 6,
        "seconds_per_hour": 1,
    }
    cid = int(http.post("/api/v1/competitions", json=body, headers=ins).json()["id"])
    people = {
        "Aurora": [("Li Wei", "manager"), ("Zhang Min", "sales")],
        "Borealis": [("Sam Okafor", "manager"), ("Ana Ruiz", "finance"), ("Kenji Mori", "service")],
        "Cascade": [("Chen Jie", "sales")],
        "Delta": [],
        "Ember": [("Mia Novak", "manager")],
        "Falcon": [],
    }
    for team, members in people.items():
        code = http.post(f"/api/v1/competitions/{cid}/teams", json={"name": team}, headers=ins).json()[
            "join_code"
        ]
        for name, role in members:
            http.post("/api/v1/session/join", json={"code": code, "name": name, "role": role})
    http.put(f"/api/v1/competitions/{cid}/starts-at", json={"minutes": 8}, headers=ins)
    return cid


def shoot(base: str, game: dict[str, Any], only: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    cid = game["id"]
    instructor = ("/api/v1/session/instructor", {"password": "pw"})
    pages: list[tuple[str, str, tuple[str, dict[str, str]] | None]] = [
        ("home", "/", None),
        ("board", f"/board/{cid}", None),
        (
            "team",
            "/team",
            ("/api/v1/session/join", {"code": game["codes"]["Falcon"], "name": "Li Wei", "role": "manager"}),
        ),
        ("instructor", f"/instructor/{cid}", instructor),
        ("codes", f"/instructor/{cid}/codes", instructor),
        (
            "judge",
            f"/judge/{cid}",
            ("/api/v1/session/judge", {"code": game["judge_code"], "name": "Prof. Chen"}),
        ),
        ("report", f"/report/{cid}/Falcon", instructor),
        ("lobby", f"/board/{game['lobby']}", instructor),
        ("debrief", f"/debrief/{cid}", instructor),
    ]
    if only:
        pages = [p for p in pages if p[0] in only]
    made: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for lang, locale in (("en", "en-US"), ("zh", "zh-CN")):
            for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                for name, path, login in pages:
                    context = browser.new_context(locale=locale, viewport=viewport, base_url=base)
                    if login is not None:  # each signed-in page in its own context (its own cookie)
                        context.request.post(login[0], data=login[1])
                    page = context.new_page()
                    page.goto(path)
                    page.wait_for_timeout(3000)  # live data arrives over the websocket
                    if name == "debrief":  # the third picture: reply time against conversion
                        page.keyboard.press("ArrowRight")
                        page.keyboard.press("ArrowRight")
                        page.wait_for_timeout(500)
                    target = IMAGES / f"{name}-{size}{'' if lang == 'en' else '-zh'}.png"
                    page.screenshot(path=str(target), full_page=name in ("report", "codes"))
                    made.append(target)
                    context.close()
        browser.close()
    return made


@contextmanager
def serving(database: str) -> Iterator[str]:
    """A server of this checkout on a free port with a fresh SQLite file; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/{database}",
            "INSTRUCTOR_PASSWORD": "pw",
            "PYTHONPATH": str(ROOT),
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_until(lambda: _healthy(base), timeout=30)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with serving("shots.db") as base:
        game = setup(base)
        for path in shoot(base, game, sys.argv[1:]):
            print(path.relative_to(ROOT))


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    main()
