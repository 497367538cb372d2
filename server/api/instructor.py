"""The instructor's API: create competitions, register teams, run rounds, change the market."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import json
import secrets
from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from pydantic import ConfigDict, Field, ValidationError

from market.errors import ParameterError
from market.overrides import apply_overrides, normalise_key
from market.parameters import MarketParameters, parameters_to_dict
from market.presets import load_preset
from scoring import ScoringError, Weights
from server.api.bodies import StrictBody
from server.api.deps import identity, instructor, judge_of, runtime
from server.errors import ServerError
from server.input.text_rules import Name
from server.live import Activity, LiveCompetition
from server.live.activity import IDLE_HOURS, tally_view
from server.live.runtime import Runtime
from server.persistence.db.tables import CompetitionRow, MemberRow, ParameterChangeRow, TeamRow
from server.security.auth import Identity, new_code
from server.wall_clock import wall_now
from server.wire.shapes import event_view, select_events
from simulator.command_log import logged_to_json
from simulator.competition import is_team_name
from simulator.instructor import Announce, ApplyShock, ChangeParameters
from teams.bots import BOTS

router = APIRouter(prefix="/api/v1/competitions", tags=["instructor"])

MAX_TEAMS = 200


class CompetitionIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    name: Name = Field(min_length=1, max_length=80)
    preset: str = "classroom"
    overrides: dict[str, Any] = Field(default_factory=dict, description="e.g. {'segments.smb.share': 0.5}")
    mode: Literal["shared", "mirrored"] | None = None
    seed: int | None = Field(None, ge=0, le=2**62, description="default: random")
    rounds: int | None = Field(None, ge=1, le=100)
    seconds_per_hour: float = Field(15.0, gt=0, le=3600, description="real seconds per business hour")


class TeamIn(StrictBody):
    name: Name = Field(min_length=1, max_length=40)
    bot: str | None = Field(None, description="a house bot plays this team: " + ", ".join(sorted(BOTS)))


class ShockIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    shock: Literal["demand", "price_war", "recall"]
    segment: str = "*"
    magnitude: float


class ParametersIn(StrictBody):
    changes: dict[str, Any] = Field(min_length=1)


class WeightsIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    conversion: float = Field(30.0, ge=0, le=1000)
    satisfaction: float = Field(30.0, ge=0, le=1000)
    receivables: float = Field(25.0, ge=0, le=1000)
    profit: float = Field(15.0, ge=0, le=1000)
    rubric: float = Field(0.0, ge=0, le=1000)


class ScoringIn(StrictBody):
    weights: WeightsIn
    normalisation: Literal["raw", "rank", "zscore"] = "raw"


class AnnouncementIn(StrictBody):
    text: str = Field(min_length=1, max_length=500)


def _teams_view(live: LiveCompetition) -> list[dict[str, Any]]:
    return [{"name": t.name, "join_code": t.join_code, "bot": t.bot} for t in live.teams]


def _detail(live: LiveCompetition) -> dict[str, Any]:
    return {
        **live.status(),
        "seed": live.seed,
        "judge_code": live.judge_code,
        "teams": _teams_view(live),
        "parameters": parameters_to_dict(live.params),
        "damaged": live.damaged,
        "events": live.event_count,
        "commands": live.command_count,
        "digest": live.digest(),
    }


def parameters_of(preset: str, overrides: dict[str, Any], mode: str | None) -> MarketParameters:
    """A preset with the instructor's overrides (and mode), or a 422 that names the field."""
    try:
        params = load_preset(preset)
        changes = list(overrides.items()) + ([("mode", mode)] if mode else [])
        return apply_overrides(params, changes) if changes else params
    except ParameterError as exc:
        raise ServerError("invalid", str(exc), field=exc.field) from None


@router.post("", status_code=201)
def create(
    body: CompetitionIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    params = parameters_of(body.preset, body.overrides, body.mode)
    row = CompetitionRow(
        name=body.name.strip(),
        preset=body.preset,
        parameters=json.dumps(parameters_to_dict(params)),
        seed=body.seed if body.seed is not None else secrets.randbelow(2**31),
        rounds=body.rounds or params.rounds,
        seconds_per_hour=body.seconds_per_hour,
        judge_code=new_code(),
        created_at=wall_now(),
    )
    row = rt.store.add_competition(row)
    live = LiveCompetition(row, [], rt.store, rt.broadcaster)
    rt.live[live.id] = live
    return _detail(live)


@router.get("")
def list_competitions(
    rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[dict[str, Any]]:
    return [{**live.status(), "teams": len(live.teams)} for live in rt.live.values()]


@router.get("/{competition_id}")
def detail(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    return _detail(rt.get(competition_id))


def _register(rt: Runtime, live: LiveCompetition, entries: list[TeamIn]) -> list[dict[str, Any]]:
    if live.state != "draft":
        raise ServerError(
            "conflict", f"teams are registered before the start; the competition is {live.state}"
        )
    names = [" ".join(e.name.split()) for e in entries]
    existing = {t.name for t in live.teams}
    for entry, name in zip(entries, names, strict=True):
        if not is_team_name(name):
            raise ServerError(
                "invalid", f"team name {name!r}: use 1-40 letters (any language), digits, spaces, _ or -"
            )
        if name in existing or names.count(name) > 1:
            raise ServerError("conflict", f"there is already a team called {name!r}")
        if entry.bot is not None and entry.bot not in BOTS:
            raise ServerError(
                "invalid", f"unknown bot {entry.bot!r}; choose one of {', '.join(sorted(BOTS))}"
            )
    if len(existing) + len(names) > MAX_TEAMS:
        raise ServerError("invalid", f"a competition has at most {MAX_TEAMS} teams")
    rows = [
        TeamRow(competition_id=live.id, name=n, join_code=new_code(), bot=e.bot)
        for e, n in zip(entries, names, strict=True)
    ]
    rows = rt.store.add_teams(rows)
    live.teams = sorted([*live.teams, *rows], key=lambda t: t.name)
    for row in rows:
        live.activity[row.name] = Activity()
    return [{"name": r.name, "join_code": r.join_code, "bot": r.bot} for r in rows]


@router.post("/{competition_id}/teams", status_code=201)
def add_team(
    competition_id: int, body: TeamIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    return _register(rt, rt.get(competition_id), [body])[0]


@router.post("/{competition_id}/teams/bulk", status_code=201)
def add_teams_csv(
    competition_id: int,
    csv_text: str = Body(..., media_type="text/csv", description="one team per line: name[,bot]"),
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> list[dict[str, Any]]:
    entries: list[TeamIn] = []
    # any line break ends a line (a lone \r too, which the csv module refuses mid-line); read as
    # a stream that stops past MAX_TEAMS, so a long file costs no more than a full class
    records = csv.reader(csv_text.splitlines())
    try:
        for number, record in enumerate(records, start=1):
            if not record or not any(cell.strip() for cell in record):
                continue
            if number == 1 and record[0].strip().lower() == "name":
                continue  # a header row
            if len(record) > 2:
                raise ServerError(
                    "invalid", f"line {number}: write name or name,bot — got {len(record)} columns"
                )
            bot = record[1].strip() if len(record) == 2 and record[1].strip() else None
            try:
                entries.append(TeamIn(name=record[0], bot=bot))
            except ValidationError as exc:
                error = exc.errors()[0]
                problem = (
                    error["msg"]
                    if error["type"] == "name_character"
                    else "a team name has 1 to 40 characters"
                )
                raise ServerError("invalid", f"line {number}: team name: {problem}") from None
            if len(entries) > MAX_TEAMS:
                raise ServerError(
                    "invalid",
                    f"line {number}: a competition has at most {MAX_TEAMS} teams; the CSV names more",
                )
    except csv.Error as exc:
        reason = f"the CSV cannot be read ({exc}); write one team per line: name[,bot]"
        raise ServerError("invalid", reason) from None
    if not entries:
        raise ServerError("invalid", "the CSV names no team; write one team per line: name[,bot]")
    return _register(rt, rt.get(competition_id), entries)


@router.post("/{competition_id}/start")
async def start(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.start()
    rt.start_bots(live)
    return live.status()


@router.post("/{competition_id}/pause")
async def pause(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.pause()
    return live.status()


@router.post("/{competition_id}/resume")
async def resume(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.resume()
    return live.status()


@router.post("/{competition_id}/next-round")
async def next_round(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.resume(next_round=True)
    return live.status()


@router.post("/{competition_id}/end")
async def end(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    await live.end()
    return live.status()


async def _instructor_command(live: LiveCompetition, command: Any) -> dict[str, Any]:
    outcome = await live.submit(command, "instructor")
    if not outcome.accepted:
        raise ServerError(outcome.code or "invalid", outcome.reason)
    events = [event_view(e) for e in live.events_at(outcome.events)]
    return {"accepted": True, "t_sim": outcome.t, "events": events}


def _values_at(params: MarketParameters, changes: tuple[tuple[str, Any], ...]) -> list[Any]:
    """The value each changed key had before the change (None for a key that is not there)."""
    document = parameters_to_dict(params)
    out = []
    for key, _value in changes:
        node: Any = document
        try:
            parts = normalise_key(key)
        except ParameterError:
            parts = []  # not a path: the change itself is refused with the reason, below
            node = None
        for part in parts:
            node = node.get(part) if isinstance(node, dict) else None
        out.append(node)
    return out


def _change_log(changes: tuple[tuple[str, Any], ...], before: list[Any]) -> str:
    """A change as stored: [key, new value, old value] per key (older rows hold [key, value])."""
    return json.dumps([[key, value, old] for (key, value), old in zip(changes, before, strict=True)])


@router.post("/{competition_id}/parameters")
async def change_parameters(
    competition_id: int, body: ParametersIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    changes = tuple(body.changes.items())
    before = _values_at(live.initial_params if live.state == "draft" else live.params, changes)
    if live.state == "draft":  # not started: the competition simply starts with these values
        if any(key == "rounds" for key, _value in changes):
            raise ServerError(
                "invalid",
                "rounds: the number of rounds is set when the competition is created",
                field="rounds",
            )
        try:
            params = apply_overrides(live.initial_params, list(changes))
        except ParameterError as exc:
            raise ServerError("invalid", str(exc), field=exc.field) from None
        text = json.dumps(parameters_to_dict(params))
        row = ParameterChangeRow(
            competition_id=live.id, effective_t=0.0, changes=_change_log(changes, before), at=wall_now()
        )
        await asyncio.to_thread(rt.store.save_parameters, live.id, text, row)
        live.initial_params = params
        return {"accepted": True, "t_sim": 0.0, "events": [], "parameters": parameters_to_dict(params)}
    if live.state != "paused":
        raise ServerError(
            "conflict",
            f"parameters change before the start or between rounds (while paused); it is {live.state}",
        )
    result = await _instructor_command(live, ChangeParameters(changes=changes))
    rt.store.add_parameter_change(
        ParameterChangeRow(
            competition_id=live.id, effective_t=live.now, changes=_change_log(changes, before), at=wall_now()
        )
    )
    return result


@router.get("/{competition_id}/parameters")
def current_parameters(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    """The market parameters in force (for the competition's members, judges and the instructor)."""
    if who.role != "instructor" and who.competition_id != competition_id:
        raise ServerError(
            "forbidden", "only this competition's members, judges and the instructor may see this"
        )
    return dict(parameters_to_dict(rt.get(competition_id).params))


@router.get("/{competition_id}/parameters/history")
def parameter_history(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[dict[str, Any]]:
    """Each change: when it took effect, ``changes`` as [key, new value] and ``before`` as
    {key: old value} (changes logged before old values were kept have no ``before``)."""
    rt.get(competition_id)
    out = []
    for r in rt.store.parameter_changes(competition_id):
        logged = json.loads(r.changes)
        before = {entry[0]: entry[2] for entry in logged if len(entry) > 2}
        changes = [entry[:2] for entry in logged]
        out.append({"effective_t": r.effective_t, "changes": changes, "before": before, "at": r.at})
    return out


@router.post("/{competition_id}/shocks")
async def shock(
    competition_id: int, body: ShockIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    command = ApplyShock(shock=body.shock, segment=body.segment, magnitude=body.magnitude)
    return await _instructor_command(rt.get(competition_id), command)


@router.post("/{competition_id}/announcements")
async def announce(
    competition_id: int,
    body: AnnouncementIn,
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> dict[str, Any]:
    return await _instructor_command(rt.get(competition_id), Announce(text=body.text))


@router.get("/{competition_id}/commands")
def command_log(
    competition_id: int,
    after: int = Query(-1, ge=-1),
    limit: int = Query(1000, ge=1, le=10000),
    source: Literal["human", "bot", "instructor"] | None = Query(None, description="only these commands"),
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> list[dict[str, Any]]:
    """The committed command log: what a replay of this competition applies."""
    live = rt.get(competition_id)
    entries = live.commands_since(after + 1)
    if source is not None:
        entries = [entry for entry in entries if entry.source == source]
    return [logged_to_json(entry) for entry in entries[:limit]]


def _scoring_view(live: LiveCompetition) -> dict[str, Any]:
    """Weights and normalisation (the instructor's), and the rules version (the competition's)."""
    scoring = live.scoring
    return {
        "weights": dataclasses.asdict(scoring.weights),
        "normalisation": scoring.normalisation,
        "rules": scoring.rules,
    }


@router.get("/{competition_id}/scoring")
def scoring(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    """The weights and normalisation of the composite."""
    judge_of(competition_id, who)
    return _scoring_view(rt.get(competition_id))


@router.put("/{competition_id}/scoring")
async def rescore(
    competition_id: int, body: ScoringIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Change the weights or the normalisation: every standing is recomputed from the event log."""
    live = rt.get(competition_id)
    try:
        weights = Weights(**body.weights.model_dump())
    except ScoringError as exc:
        raise ServerError("invalid", str(exc)) from None
    await live.rescore(weights, body.normalisation)
    return {**_scoring_view(live), "standings": live.standings()}


@router.get("/{competition_id}/scoring/history")
def scoring_history(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[dict[str, Any]]:
    rt.get(competition_id)
    return [{**json.loads(r.scoring), "at": r.at} for r in rt.store.scoring_changes(competition_id)]


@router.get("/{competition_id}/monitor")
def monitor(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Per team and per member: commands, refusals, the last command; who has been idle."""
    live = rt.get(competition_id)
    roster: dict[str, list[MemberRow]] = {}
    for team, member in rt.store.competition_members(competition_id):
        if member.removed_at is None:
            roster.setdefault(team.name, []).append(member)
    now = live.now
    return {
        **live.status(),
        "idle_hours": IDLE_HOURS,
        "teams": [
            {
                "team": name,
                **tally_view(a, now),
                "members": sorted(a.members),
                "people": [
                    {
                        "id": m.id,
                        "name": m.name,
                        "role": m.role,
                        **tally_view(a.by_member.get(m.id or 0), now),
                    }
                    for m in roster.get(name, [])
                ],
            }
            for name, a in sorted(live.activity.items())
        ],
    }


@router.get("/{competition_id}/standings")
def live_standings(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    judge_of(competition_id, who)
    live = rt.get(competition_id)
    return {**live.status(), "standings": live.standings()}


@router.get("/{competition_id}/events")
async def events(
    competition_id: int,
    after: int = Query(-1, ge=-1),
    limit: int = Query(500, ge=1, le=5000),
    team: str | None = Query(None, description="only this team's events (and the competition's)"),
    last: bool = Query(False, description="the newest `limit` events instead of the oldest after `after`"),
    rt: Runtime = Depends(runtime),
    who: Identity = Depends(identity),
) -> list[dict[str, Any]]:
    """The event log (live), oldest first: from ``after`` on, or the newest ``limit`` with ``last``."""
    judge_of(competition_id, who)
    live = rt.get(competition_id)
    return [event_view(e) for e in select_events(live.event_log, after, limit, last, team)]
