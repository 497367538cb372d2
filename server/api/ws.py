"""Websockets: live channels with the envelope ``{seq, type, t_sim, data}``.

On connect the server sends ``hello`` (the channel's current seq, the server epoch, the
status and standings). A client that reconnects with ``?after=SEQ`` (and the ``epoch`` it
had) first receives every message it missed, none twice. If the server restarted or the gap
is older than the buffer, it receives ``resync`` with a fresh snapshot instead. A client
that does not keep up is disconnected (close code 1013) and reconnects the same way.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from server.api.deps import resolve, token_of, watches
from server.broadcast import Envelope
from server.channels import channel_names, team_channel
from server.live import LiveCompetition
from server.runtime import Runtime

router = APIRouter()

POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013


def _runtime(ws: WebSocket) -> Runtime:
    rt: Runtime = ws.app.state.runtime
    return rt


def _live(rt: Runtime, competition_id: int) -> LiveCompetition | bool | None:
    """The competition if this worker runs it, True if another worker does, None if there is none."""
    live = rt.live.get(competition_id)
    if live is not None:
        return live
    return True if rt.store.competition(competition_id) is not None else None


async def _serve(ws: WebSocket, live: LiveCompetition | bool, channel: str, public: bool) -> None:
    """Serve one channel; ``public`` channels (the public board, teams) see standings cut at a freeze."""
    rt = _runtime(ws)
    broadcaster = rt.broadcaster
    after_text = ws.query_params.get("after")
    epoch = ws.query_params.get("epoch")
    await ws.accept()
    with broadcaster.subscribe(channel) as sub:
        await broadcaster.ready(channel)
        if isinstance(live, LiveCompetition):
            status, standings, now = live.status(), live.standings(public), live.now
        else:  # another worker runs it: the newest messages of the channel are the snapshot
            state, board = broadcaster.latest(channel, "state"), broadcaster.latest(channel, "standings")
            status = state["data"] if state else {}
            standings = board["data"] if board else []
            now = max((m["t_sim"] for m in (state, board) if m), default=0.0)
        snapshot: dict[str, Any] = {"epoch": broadcaster.epoch, "status": status, "standings": standings}
        last = broadcaster.last_seq(channel)
        if after_text is None:
            await ws.send_json({"seq": last, "type": "hello", "t_sim": now, "data": snapshot})
            sent = last
        else:
            try:
                after = int(after_text)
            except ValueError:  # e.g. "--1" or "x": not a seq this server gave out
                after = -1
            missed, complete = broadcaster.since(channel, after)
            # a seq beyond the channel's last one comes from another epoch (a restart): resync
            if complete and (epoch is None or epoch == broadcaster.epoch) and 0 <= after <= last:
                for message in missed:
                    await _send(ws, message)
                sent = missed[-1]["seq"] if missed else after
            else:
                await ws.send_json({"seq": last, "type": "resync", "t_sim": now, "data": snapshot})
                sent = last
        sender = asyncio.current_task()
        assert sender is not None
        watcher = asyncio.create_task(_until_closed(ws, sender))
        try:
            while True:
                queued = await sub.queue.get()
                if queued is None:
                    await ws.close(code=TRY_AGAIN_LATER, reason="too slow: reconnect with ?after=SEQ")
                    return
                if queued["seq"] <= sent:
                    continue
                await _send(ws, queued)
                sent = queued["seq"]
        except (WebSocketDisconnect, RuntimeError):
            return
        except asyncio.CancelledError:
            if not watcher.done():  # the server is stopping: let the cancellation through
                raise
            sender.uncancel()  # the client left: this connection is simply over
            return
        finally:
            watcher.cancel()


async def _until_closed(ws: WebSocket, sender: asyncio.Task[Any]) -> None:
    """Read (and drop) what the client sends; when it goes away, stop the sender waiting for news.

    Without it, a connection to a quiet channel would notice a closed client only at the next
    message, and the server could not shut down while one was open.
    """
    try:
        while (await ws.receive())["type"] != "websocket.disconnect":
            pass
    except (WebSocketDisconnect, RuntimeError):
        pass
    sender.cancel()


async def _send(ws: WebSocket, message: dict[str, Any]) -> None:
    """Send a channel message, encoded once for all its clients."""
    await ws.send_text(message.json() if isinstance(message, Envelope) else json.dumps(message))


async def _refuse(ws: WebSocket, reason: str) -> None:
    await ws.close(code=POLICY_VIOLATION, reason=reason)


@router.websocket("/ws/public/{competition_id}")
async def public(ws: WebSocket, competition_id: int) -> None:
    live = _live(_runtime(ws), competition_id)
    if live is None:
        await _refuse(ws, f"there is no competition {competition_id}")
    else:
        await _serve(ws, live, channel_names(competition_id)["public"], public=True)


@router.websocket("/ws/judge/{competition_id}")
async def judge(ws: WebSocket, competition_id: int) -> None:
    rt = _runtime(ws)
    who = resolve(token_of(ws), rt.store, rt.settings)
    live = _live(rt, competition_id)
    if live is None:
        await _refuse(ws, f"there is no competition {competition_id}")
    elif not watches(competition_id, who):
        await _refuse(ws, "only this competition's judges and the instructor may watch the live board")
    else:
        await _serve(ws, live, channel_names(competition_id)["judge"], public=False)


@router.websocket("/ws/instructor/{competition_id}")
async def instructor(ws: WebSocket, competition_id: int) -> None:
    rt = _runtime(ws)
    who = resolve(token_of(ws), rt.store, rt.settings)
    live = _live(rt, competition_id)
    if live is None:
        await _refuse(ws, f"there is no competition {competition_id}")
    elif who is None or who.role != "instructor":
        await _refuse(ws, "only the instructor may watch the monitor")
    else:
        await _serve(ws, live, channel_names(competition_id)["instructor"], public=False)


@router.websocket("/ws/team")
async def team(ws: WebSocket) -> None:
    rt = _runtime(ws)
    who = resolve(token_of(ws), rt.store, rt.settings)
    if who is None or who.role != "member" or who.competition_id is None or who.team is None:
        await _refuse(ws, "join a team first: a team channel needs a member's session")
        return
    live = _live(rt, who.competition_id)
    if live is None:
        await _refuse(ws, "the competition is gone")
    else:
        await _serve(ws, live, team_channel(who.competition_id, who.team), public=True)
