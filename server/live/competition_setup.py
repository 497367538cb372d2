"""Setting a competition up before its start: created from a preset with the instructor's
overrides, and its teams registered (by name, each optionally played by a house bot)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from typing import Any

from market.errors import ParameterError
from market.overrides import apply_overrides
from market.parameters import MarketParameters, parameters_to_dict
from market.presets import load_preset
from server.errors import ServerError
from server.input.competition_sizes import MAX_TEAMS
from server.live import Activity, LiveCompetition
from server.live.refusals import owner_write
from server.live.runtime import Runtime
from server.persistence.db.tables import CompetitionRow, TeamRow
from server.security.auth import new_code
from server.wall_clock import wall_now
from simulator.competition import is_team_name
from teams.bots import BOTS, check_bot_name
from teams.errors import TeamError

HOUSE_BOTS = tuple(sorted(BOTS))
"""The bots that can play a team: the names a registration may give."""


def parameters_of(preset: str, overrides: dict[str, Any], mode: str | None) -> MarketParameters:
    """A preset with the instructor's overrides (and mode), or a 422 that names the field."""
    try:
        params = load_preset(preset)
        changes = list(overrides.items()) + ([("mode", mode)] if mode else [])
        return apply_overrides(params, changes) if changes else params
    except ParameterError as exc:
        raise ServerError("invalid", str(exc), field=exc.field) from None


def create_competition(
    rt: Runtime,
    *,
    name: str,
    preset: str,
    params: MarketParameters,
    seed: int | None,
    rounds: int | None,
    seconds_per_hour: float,
) -> LiveCompetition:
    """A new competition in draft, stored (a random seed when none is given); ``Runtime.place`` serves it."""
    row = CompetitionRow(
        name=name.strip(),
        preset=preset,
        parameters=json.dumps(parameters_to_dict(params)),
        seed=seed if seed is not None else secrets.randbelow(2**31),
        rounds=rounds or params.rounds,
        seconds_per_hour=seconds_per_hour,
        judge_code=new_code(),
        created_at=wall_now(),
    )
    row = rt.store.add_competition(row)
    return LiveCompetition(row, [], rt.store, rt.broadcaster)


def register_teams(
    rt: Runtime, live: LiveCompetition, entries: Sequence[tuple[str, str | None]]
) -> list[dict[str, Any]]:
    """Register ``(name, bot)`` entries, all or none: each team with its join code."""
    if live.state != "draft":
        raise ServerError(
            "conflict", f"teams are registered before the start; the competition is {live.state}"
        )
    names = [" ".join(name.split()) for name, _bot in entries]
    existing = {t.name for t in live.teams}
    for (_given, bot), name in zip(entries, names, strict=True):
        if not is_team_name(name):
            raise ServerError(
                "invalid", f"team name {name!r}: use 1-40 letters (any language), digits, spaces, _ or -"
            )
        if name in existing or names.count(name) > 1:
            raise ServerError("conflict", f"there is already a team called {name!r}")
        if bot is not None:
            try:
                check_bot_name(bot)
            except TeamError as exc:
                raise ServerError("invalid", str(exc)) from None
    if len(existing) + len(names) > MAX_TEAMS:
        raise ServerError("invalid", f"a competition has at most {MAX_TEAMS} teams")
    rows = [
        TeamRow(competition_id=live.id, name=n, join_code=new_code(), bot=bot)
        for (_given, bot), n in zip(entries, names, strict=True)
    ]
    with owner_write(live.writer) as epoch:  # its live competition keeps its teams
        rows = rt.store.add_teams(rows, epoch)
    live.teams = sorted([*live.teams, *rows], key=lambda t: t.name)
    for row in rows:
        live.activity[row.name] = Activity()
    return [{"name": r.name, "join_code": r.join_code, "bot": r.bot} for r in rows]


def plan_start_in(live: LiveCompetition, minutes: float | None) -> None:
    """Plan the start ``minutes`` from now (None: no planned start), before the start only."""
    if live.state != "draft":
        raise ServerError(
            "conflict",
            f"the competition has started already (it is {live.state}); plan a start before it starts",
        )
    starts_at = None if minutes is None else wall_now() + minutes * 60
    with owner_write(live.writer) as epoch:  # the owner's draft: a stale worker's plan is refused
        live.store.save_board(live.id, None, epoch=epoch, starts_at=starts_at)
