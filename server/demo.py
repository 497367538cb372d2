"""The demo: a classroom competition in which house bots play, with one team left for you."""

from __future__ import annotations

import json
import secrets
from typing import Any

from fastapi import FastAPI

from market.parameters import parameters_to_dict
from market.presets import load_preset
from server.auth import new_code
from server.clock import wall_now
from server.db.tables import CompetitionRow, TeamRow
from server.live import LiveCompetition
from server.runtime import Runtime

DEMO_TEAMS = (
    ("Aurora", "balanced"),
    ("Borealis", "eager"),
    ("Cascade", "dumper"),
    ("Delta", "lax"),
    ("Ember", "lavish"),
    ("Your team", None),
)
DEMO_SECONDS_PER_HOUR = 2.0


async def start_demo(app: FastAPI, host: str, port: int, announce: Any = print) -> LiveCompetition:
    """Create and start the demo competition, and print where to look."""
    rt: Runtime = app.state.runtime
    params = load_preset("classroom")
    row = rt.store.add_competition(
        CompetitionRow(
            name="Salesfloor demo",
            preset="classroom",
            parameters=json.dumps(parameters_to_dict(params)),
            seed=secrets.randbelow(2**31),
            rounds=params.rounds,
            seconds_per_hour=DEMO_SECONDS_PER_HOUR,
            judge_code=new_code(),
            created_at=wall_now(),
        )
    )
    teams = rt.store.add_teams(
        [
            TeamRow(competition_id=row.id or 0, name=name, join_code=new_code(), bot=bot)
            for name, bot in DEMO_TEAMS
        ]
    )
    live = LiveCompetition(row, sorted(teams, key=lambda t: t.name), rt.store, rt.broadcaster)
    rt.live[live.id] = live
    await live.start()
    rt.start_bots(live)
    base = f"http://{host}:{port}"
    human = next(t for t in live.teams if t.bot is None)
    lines = [
        "",
        f"Salesfloor demo — competition {live.id}, one business hour every {DEMO_SECONDS_PER_HOUR:g} s",
        f"  public board      {base}/board/{live.id}",
        f"  your team         {base}/team?code={human.join_code}"
        f"   ({human.name!r}, join code {human.join_code})",
        f"  instructor panel  {base}/instructor/{live.id}   (the instructor password)",
        f"  judge panel       {base}/judge/{live.id}   (judge code {live.judge_code})",
        f"  API and docs      {base}/docs",
        "  house bots        " + ", ".join(f"{t.name} ({t.bot})" for t in live.teams if t.bot),
        "",
    ]
    announce("\n".join(lines))
    return live
