"""The demo: a competition in which house bots play, with one team left for a person to play.

The bots answer at once; a person reads the page, thinks and types. So the demo plays the
``calm`` preset (fewer and more patient customers, slower engagement decay: a first lesson)
at one business hour every ``DEMO_SECONDS_PER_HOUR`` seconds, and gives complaints twice the
preset's time to be resolved. A first-time player then has one and a half to three minutes
to quote before a customer gives up, and a reply within half a minute keeps more than half of
its pull: fast answers still win more (the lesson on response time), but a person's answer
wins too — it need not be automated. ``human_windows`` states those times, for the printout
and the tests.
"""

from __future__ import annotations

import json
import math
import secrets
from typing import Any

from fastapi import FastAPI

from market.overrides import apply_overrides
from market.parameters import MarketParameters, parameters_to_dict
from market.presets import load_preset
from server.live import LiveCompetition
from server.live.runtime import Runtime
from server.persistence.db.tables import CompetitionRow, TeamRow
from server.security.auth import new_code
from server.wall_clock import wall_now

DEMO_TEAMS = (
    ("Aurora", "balanced"),
    ("Borealis", "eager"),
    ("Cascade", "dumper"),
    ("Delta", "lax"),
    ("Ember", "lavish"),
    ("Your team", None),
)
DEMO_PRESET = "calm"
DEMO_SECONDS_PER_HOUR = 6.0
DEMO_OVERRIDES = (("service.sla_minor_hours", 8.0), ("service.sla_major_hours", 16.0))
"""Complaints: a minor one within 48 s of real time, a major one within 96 s, at the demo's pace."""


def demo_parameters() -> MarketParameters:
    """The demo's market: the calm preset with the complaint deadlines a person can meet."""
    return apply_overrides(load_preset(DEMO_PRESET), DEMO_OVERRIDES)


def human_windows(params: MarketParameters, seconds_per_hour: float) -> dict[str, float]:
    """Real seconds a person has: to quote before the least patient customer leaves, before a
    reply loses a third of its pull, to resolve a minor complaint, and one round's length."""
    patience = min(s.patience_hours for s in params.segments)
    return {
        "quote_before_leaving": patience * seconds_per_hour,
        "reply_keeps_two_thirds": params.reply_tau_hours * math.log(1.5) * seconds_per_hour,
        "minor_complaint": params.service.sla_minor_hours * seconds_per_hour,
        "round": params.calendar.round_hours * seconds_per_hour,
    }


async def start_demo(
    app: FastAPI, host: str, port: int, announce: Any = print, seed: int | None = None
) -> LiveCompetition:
    """Create and start the demo competition, and print where to look (``seed``: a new one if None)."""
    rt: Runtime = app.state.runtime
    params = demo_parameters()
    row = rt.store.add_competition(
        CompetitionRow(
            name="Salesfloor demo",
            preset=DEMO_PRESET,
            parameters=json.dumps(parameters_to_dict(params)),
            seed=secrets.randbelow(2**31) if seed is None else seed,
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
    windows = human_windows(params, DEMO_SECONDS_PER_HOUR)
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
        f"  your pace         a customer waits at least {windows['quote_before_leaving']:.0f} s "
        "for your quote (the sooner the likelier it wins); a minor complaint wants a remedy within "
        f"{windows['minor_complaint']:.0f} s; a round lasts {windows['round'] / 60:.0f} min",
        "",
    ]
    announce("\n".join(lines))
    return live
