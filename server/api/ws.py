"""Websockets: live channels with the envelope ``{seq, type, t_sim, data}``.

On connect the server sends ``hello`` (the channel's current seq, the server epoch, the
status and standings). A client that reconnects with ``?after=SEQ`` (and the ``epoch`` it
had) first receives every message it missed, none twice. If the server restarted or the gap
is older than the buffer, it receives ``resync`` with a fresh snapshot instead. A client
that does not keep up is disconnected (close code 1013) and reconnects the same way.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from server.api.deps import resolve
from server.auth import COOKIE
from server.live import LiveCompetition, team_channel
from server.runtime import Runtime

router = APIRouter()

POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013


def _runtime(ws: WebSocket) -> Runtime:
    rt: Runtime = ws.app.state.runtime
    return rt


async def _serve(ws: WebSocket, live: LiveCompetition, channel: str) -> None:
    rt = _runtime(ws)
    broadcaster = rt.broadcaster
    after_text = ws.query_params.get("after")
    epoch = ws.query_params.get("epoch")
    await ws.accept()
    with broadcaster.subscribe(channel) as sub:
        snapshot: dict[str, Any] = {
            "epoch": broadcaster.epoch,
            "status": live.status(),
            "standings": live.standings(),
        }
        last = broadcaster.last_seq(channel)
        if after_text is None:
            await ws.send_json({"seq": last, "type": "hello", "t_sim": live.now, "data": snapshot})
            sent = last
        else:
            after = int(after_text) if after_text.lstrip("-").isdigit() else -1
            missed, complete = broadcaster.since(channel, after)
            if complete and (epoch is None or epoch == broadcaster.epoch) and after >= 0:
                for message in missed:
                    await ws.send_json(message)
                sent = missed[-1]["seq"] if missed else after
            else:
                await ws.send_json({"seq": last, "type": "resync", "t_sim": live.now, "data": snapshot})
                sent = last
        try:
            while True:
                queued = await sub.queue.get()
                if queued is None:
                    await ws.close(code=TRY_AGAIN_LATER, reason="too slow: reconnect with ?after=SEQ")
                    return
                if queued["seq"] <= sent:
                    continue
                await ws.send_json(queued)
                sent = queued["seq"]
        except (WebSocketDisconnect, RuntimeError):
            return


async def _refuse(ws: WebSocket, reason: str) -> None:
    await ws.close(code=POLICY_VIOLATION, reason=reason)


@router.websocket("/ws/public/{competition_id}")
async def public(ws: WebSocket, competition_id: int) -> None:
    live = _runtime(ws).live.get(competition_id)
    if live is None:
        await _refuse(ws, f"there is no competition {competition_id}")
    else:
        await _serve(ws, live, live.channels["public"])


@router.websocket("/ws/judge/{competition_id}")
async def judge(ws: WebSocket, competition_id: int) -> None:
    rt = _runtime(ws)
    who = resolve(_token(ws), rt.store, rt.settings)
    live = rt.live.get(competition_id)
    if live is None:
        await _refuse(ws, f"there is no competition {competition_id}")
    elif who is None or not (
        who.role == "instructor" or (who.role == "judge" and who.competition_id == competition_id)
    ):
        await _refuse(ws, "only this competition's judges and the instructor may watch the live board")
    else:
        await _serve(ws, live, live.channels["judge"])


@router.websocket("/ws/instructor/{competition_id}")
async def instructor(ws: WebSocket, competition_id: int) -> None:
    rt = _runtime(ws)
    who = resolve(_token(ws), rt.store, rt.settings)
    live = rt.live.get(competition_id)
    if live is None:
        await _refuse(ws, f"there is no competition {competition_id}")
    elif who is None or who.role != "instructor":
        await _refuse(ws, "only the instructor may watch the monitor")
    else:
        await _serve(ws, live, live.channels["instructor"])


@router.websocket("/ws/team")
async def team(ws: WebSocket) -> None:
    rt = _runtime(ws)
    who = resolve(_token(ws), rt.store, rt.settings)
    if who is None or who.role != "member" or who.competition_id is None or who.team is None:
        await _refuse(ws, "join a team first: a team channel needs a member's session")
        return
    live = rt.live.get(who.competition_id)
    if live is None:
        await _refuse(ws, "the competition is gone")
    else:
        await _serve(ws, live, team_channel(live.id, who.team))


def _token(ws: WebSocket) -> str | None:
    header = ws.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return ws.cookies.get(COOKIE) or ws.query_params.get("token")
