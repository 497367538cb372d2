"""The instructor's hand on the market: parameter changes (before the start, or between rounds),
shocks and announcements, each a command of the competition; and the log of parameter changes."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from market.errors import ParameterError
from market.overrides import apply_overrides, normalise_key
from market.parameters import MarketParameters, parameters_to_dict
from server.errors import ServerError
from server.live import LiveCompetition
from server.live.refusals import owner_write
from server.live.runtime import Runtime
from server.persistence.db.tables import ParameterChangeRow
from server.wall_clock import wall_now
from server.wire.shapes import event_view
from simulator.instructor import Announce, ApplyShock, ChangeParameters


async def instructor_command(live: LiveCompetition, command: Any) -> dict[str, Any]:
    """Submit a command as the instructor: the events it made, or the refusal as a ServerError."""
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


async def change_parameters(
    rt: Runtime, live: LiveCompetition, changes: tuple[tuple[str, Any], ...]
) -> dict[str, Any]:
    """Before the start the competition simply starts with the new values; between rounds the
    change is a command of the competition. Either way it is logged with the values it replaced."""
    if live.state == "draft":
        async with live.lock:  # the start waits: it must not build on values about to be replaced
            if live.state == "draft":
                return await _change_draft(rt, live, changes)
    before = _values_at(live.params, changes)
    if live.state != "paused":
        raise ServerError(
            "conflict",
            f"parameters change before the start or between rounds (while paused); it is {live.state}",
        )
    result = await instructor_command(live, ChangeParameters(changes=changes))
    rt.store.add_parameter_change(
        ParameterChangeRow(
            competition_id=live.id, effective_t=live.now, changes=_change_log(changes, before), at=wall_now()
        )
    )
    return result


async def _change_draft(
    rt: Runtime, live: LiveCompetition, changes: tuple[tuple[str, Any], ...]
) -> dict[str, Any]:
    """The values the draft will start with, stored then kept (under the competition's lock)."""
    if any(key == "rounds" for key, _value in changes):
        raise ServerError(
            "invalid",
            "rounds: the number of rounds is set when the competition is created",
            field="rounds",
        )
    before = _values_at(live.initial_params, changes)
    try:
        params = apply_overrides(live.initial_params, list(changes))
    except ParameterError as exc:
        raise ServerError("invalid", str(exc), field=exc.field) from None
    text = json.dumps(parameters_to_dict(params))
    row = ParameterChangeRow(
        competition_id=live.id, effective_t=0.0, changes=_change_log(changes, before), at=wall_now()
    )
    with owner_write(live.writer) as epoch:  # its live competition starts with them
        await asyncio.to_thread(rt.store.save_parameters, live.id, text, row, epoch)
    live.initial_params = params
    return {"accepted": True, "t_sim": 0.0, "events": [], "parameters": parameters_to_dict(params)}


def parameter_history(rt: Runtime, competition_id: int) -> list[dict[str, Any]]:
    """Each change: when it took effect, ``changes`` as [key, new value] and ``before`` as
    {key: old value} (changes logged before old values were kept have no ``before``)."""
    out = []
    for r in rt.store.parameter_changes(competition_id):
        logged = json.loads(r.changes)
        before = {entry[0]: entry[2] for entry in logged if len(entry) > 2}
        changes = [entry[:2] for entry in logged]
        out.append({"effective_t": r.effective_t, "changes": changes, "before": before, "at": r.at})
    return out


async def apply_shock(live: LiveCompetition, shock: str, segment: str, magnitude: float) -> dict[str, Any]:
    """A shock to the market (demand, a price war, a recall), now."""
    return await instructor_command(live, ApplyShock(shock=shock, segment=segment, magnitude=magnitude))


async def announce(live: LiveCompetition, text: str) -> dict[str, Any]:
    """An announcement every team and the board see."""
    return await instructor_command(live, Announce(text=text))
