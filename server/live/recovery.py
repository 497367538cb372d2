"""Recovery: a live competition rebuilt from its committed command log after a restart.

The command log is replayed through a fresh simulation and the result checked against the
stored events; a difference marks the competition damaged (it is shown, not hidden). The
clock is stopped: a competition that was running comes back paused.
"""

from __future__ import annotations

import gc
import json
import logging

from market.events import event_to_json
from server.live.core import LiveCore
from simulator.command_log import command_from_json

log = logging.getLogger("salesfloor.live")


def recover(live: LiveCore, persist: bool = True) -> None:
    """Rebuild from the committed command log, check against stored events, stop the clock.

    A finished competition is rebuilt too, so that its final standings can be shown.
    The collector is paused meanwhile: the replay allocates much and frees little.
    ``persist=False`` only reads (an export from the command line beside a running server).
    """
    gc.disable()
    try:
        _recover(live, persist)
    finally:
        gc.enable()


def _recover(live: LiveCore, persist: bool) -> None:
    rows = live.store.command_log(live.id)
    stored = live.store.event_payloads(live.id)
    competition = live.build()
    for row in rows:
        command = command_from_json(json.loads(row.payload))
        competition.submit(command, row.t, row.source)
    last_t = max([live.clock.sim_t, *(r.t for r in rows), *(json.loads(p)["t"] for p in stored[-1:])])
    competition.advance_to(last_t)
    mismatch = next(
        (
            i
            for i, payload in enumerate(stored)
            if i >= len(competition.log) or event_to_json(competition.log[i]) != payload
        ),
        None,
    )
    if mismatch is not None:
        live.damaged = f"replay differs from the stored events at seq {mismatch}"
        log.error("competition %s: %s", live.id, live.damaged)
    senders = live.store.command_senders(live.id) if rows else []
    for entry, member_id in zip(competition.commands, senders, strict=False):  # the monitor's counts
        live.count(entry.command, entry.accepted, entry.t, member_id)
    live.next_seq = len(rows)
    live.writer.persisted = len(stored)
    live.published = len(competition.log)
    live.channels.prime(competition.log.since(0))
    if live.state == "running":
        live.state = "paused"
    live.clock.stop(at_sim=competition.now)
    live.between_rounds = live.state == "paused" and live.at_round_end()
    if persist:
        live.store.save_clock(live.id, live.state, live.clock.sim_t, None, live.writer.epoch)
    log.info(
        "competition %s recovered: %d commands, %d events, paused at %.2f h%s",
        live.id,
        len(rows),
        len(competition.log),
        competition.now,
        f" — {live.damaged}" if live.damaged else "",
    )
