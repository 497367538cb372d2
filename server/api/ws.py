"""Websockets: live channels with the envelope ``{seq, type, t_sim, data}``.

On connect the server sends ``hello`` (the channel's current seq, the server epoch, the
status and standings). A client that reconnects with ``?after=SEQ`` (and the ``epoch`` it
had) first receives every message it missed, none twice (of the boards and states a newer
one replaced meanwhile, only the newest: ``server.wire.broadcast``). If the server restarted or the gap
is older than the buffer, it receives ``resync`` with a fresh snapshot instead. A client
that does not keep up is disconnected (close code 1013) and reconnects the same way.

A client that is caught up takes each new message as a frame built once for the channel and
written to its connection as the message is published (``server.wire.frames``); a client that
cannot take it at once gets it, and what follows, from its own queue and task, in order.

The channels only send: a client that sends more than a few messages a minute is closed
with 1008. A refused connection is accepted and then closed with 1008 and the reason (a
refused handshake would tell a browser nothing), a connection beyond the server's cap with
1013, and a client that stops reading altogether is cut off by the server
(``server.wire.ws_protocol``); each such ending is one line in the log, naming the channel.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncGenerator, Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from server.api.deps import resolve, watches, websocket_token
from server.errors import ServerError
from server.live import LiveCompetition
from server.live.runtime import Runtime
from server.security.auth import Identity
from server.wire.broadcast import Envelope
from server.wire.channels import channel_names, team_channel
from server.wire.socket_limits import ConnectionCap, MessageBudget
from server.wire.ws_protocol import FRAMES, STALLED

router = APIRouter()
log = logging.getLogger("salesfloor.ws")

POLICY_VIOLATION = 1008
TRY_AGAIN_LATER = 1013
GONE = 1006
READ_ONLY = "this channel is read-only: the server sends, clients only listen; stop sending messages"
BUSY = "server busy: too many live connections; retry in a few seconds"
TOO_SLOW = "too slow: reconnect with ?after=SEQ"
REMOVED = "the instructor removed you from the team; ask the instructor if this is a mistake"
SETTLE_SECONDS = 2.0  # after a failed send, how long the listener may take to say why


def _runtime(ws: WebSocket) -> Runtime:
    rt: Runtime = ws.app.state.runtime
    return rt


def _cap(ws: WebSocket) -> ConnectionCap:
    """The server's count of open websockets (one per app, made at the first connection)."""
    state = ws.app.state
    cap: ConnectionCap | None = getattr(state, "websocket_cap", None)
    if cap is None:
        cap = state.websocket_cap = ConnectionCap(_runtime(ws).settings.websocket_max_connections)
    return cap


def _live(rt: Runtime, competition_id: int) -> LiveCompetition | bool | None:
    """The competition if this worker runs it, True if another worker does, None if there is none."""
    live = rt.live.get(competition_id)
    if live is not None:
        return live
    return True if rt.store.competition(competition_id) is not None else None


@dataclass(frozen=True, slots=True)
class Ending:
    """How a connection ended: the close code and reason, and whether the server decided it."""

    code: int
    reason: str = ""
    by_server: bool = False


class Connection:
    """One client on one channel: the sending task, and a listener to what the client sends.

    The listener drops what the client sends (within its budget) and, when the client goes
    away or oversteps, records the ending and wakes the sender, which may be waiting for
    news on a quiet channel; without it a closed client would be noticed only at the next
    message, and the server could not shut down while one was open.
    """

    def __init__(self, ws: WebSocket, channel: str, budget: MessageBudget) -> None:
        sender = asyncio.current_task()
        assert sender is not None
        self.ws, self.channel, self.budget, self.sender = ws, channel, budget, sender
        self.sent = 0
        frames = (ws.scope.get("extensions") or {}).get(FRAMES)
        self._write_frame: Callable[[bytes], bool] | None = frames["write"] if frames else None
        # how the broadcaster writes to this client while it is caught up (None: this server cannot)
        self.direct: Callable[[Envelope], bool] | None = self._write_now if frames else None
        self.ending: Ending | None = None
        self.settling = False  # the sender waits for the listener's word: do not cancel it

    def end(self, code: int, reason: str) -> None:
        """End the connection from the server's side (e.g. the member was removed from the team)."""
        if self.ending is None:
            self.ending = Ending(code, reason, by_server=True)
            if not self.settling:
                self.sender.cancel()

    async def listen(self) -> None:
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect":
                    self.ending = Ending(message.get("code", GONE), message.get("reason") or "")
                    break
                if not self.budget.spend():
                    self.ending = Ending(POLICY_VIOLATION, READ_ONLY, by_server=True)
                    break
        except (WebSocketDisconnect, RuntimeError):
            self.ending = Ending(GONE)
        if not self.settling:
            self.sender.cancel()

    async def send(self, message: dict[str, Any]) -> None:
        """Send a channel message, encoded once for all its clients."""
        await self.ws.send_text(message.json() if isinstance(message, Envelope) else json.dumps(message))
        self.sent = message["seq"]

    def _write_now(self, message: Envelope) -> bool:
        """Write a published message's frame to the connection now, if it can take it at once."""
        write = self._write_frame
        if write is not None and write(message.frame()):
            self.sent = message["seq"]
            return True
        return False

    async def run(self, stream: AsyncGenerator[dict[str, Any], None]) -> None:
        """Send what ``stream`` yields until it ends, the client leaves or oversteps."""
        listener = asyncio.create_task(self.listen())
        try:
            try:
                async for message in stream:
                    await self.send(message)
            except (WebSocketDisconnect, RuntimeError):  # a send failed: the connection is gone
                self.settling = True
                await asyncio.wait({listener}, timeout=SETTLE_SECONDS)
        except asyncio.CancelledError:
            if self.ending is None:  # the server is stopping: let the cancellation through
                raise
            self.sender.uncancel()  # the listener woke us: this connection is over
        finally:
            listener.cancel()
            await stream.aclose()
        ending = self.ending
        if ending is not None and ending.by_server:
            with suppress(WebSocketDisconnect, RuntimeError):
                await self.ws.close(code=ending.code, reason=ending.reason)
        self._report(ending)

    def _report(self, ending: Ending | None) -> None:
        """One log line for an ending the server decided; clients leaving are not news."""
        if ending is None:
            return
        settings = _runtime(self.ws).settings
        if ending.reason == STALLED:
            log.warning(
                "websocket %s: the client read nothing for %g s; connection cut, the last message "
                "sent was seq %d (the client resumes with ?after= the last seq it read)",
                self.channel,
                settings.websocket_send_timeout,
                self.sent,
            )
        elif ending.by_server:
            log.warning(
                "websocket %s: the client sent more than %d messages in a minute to a read-only "
                "channel; closed with %d",
                self.channel,
                settings.websocket_client_messages,
                ending.code,
            )


async def _serve(
    ws: WebSocket, live: LiveCompetition | bool, channel: str, public: bool, member_id: int | None = None
) -> None:
    """Serve one channel; ``public`` channels (the public board, teams) see standings cut at a freeze.

    A member's team channel is listed under the member, so that removing the member closes it.
    """
    rt = _runtime(ws)
    broadcaster = rt.broadcaster
    with broadcaster.subscribe(channel) as sub, rt.member_channels.listed(member_id) as listen_for_removal:
        connection = Connection(ws, channel, MessageBudget(rt.settings.websocket_client_messages))
        listen_for_removal(lambda: connection.end(POLICY_VIOLATION, REMOVED))

        async def stream() -> AsyncGenerator[dict[str, Any], None]:
            """The snapshot or what the client missed, then the channel's messages as they come."""
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
            after = _after(ws)
            if after is None:
                yield {"seq": last, "type": "hello", "t_sim": now, "data": snapshot}
            else:
                missed, complete = broadcaster.since(channel, after)
                epoch = ws.query_params.get("epoch")
                # a seq beyond the channel's last one comes from another epoch (a restart): resync
                if complete and (epoch is None or epoch == broadcaster.epoch) and 0 <= after <= last:
                    connection.sent = after
                    for message in missed:
                        yield message
                else:
                    yield {"seq": last, "type": "resync", "t_sim": now, "data": snapshot}
            while True:
                queued = await sub.next(connection.direct)
                if queued is None:
                    log.warning(
                        "websocket %s: the client fell %d messages behind; closed with 1013 after "
                        "seq %d (it reconnects with ?after=SEQ)",
                        channel,
                        broadcaster.queue_size,
                        connection.sent,
                    )
                    await ws.close(code=TRY_AGAIN_LATER, reason=TOO_SLOW)
                    return
                if queued["seq"] > connection.sent:
                    yield queued

        await connection.run(stream())


def _after(ws: WebSocket) -> int | None:
    """The ``?after=`` seq the client gives, -1 if it is not a number (a resync), None if absent."""
    text = ws.query_params.get("after")
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:  # e.g. "--1" or "x": not a seq this server gave out
        return -1


async def _refuse(ws: WebSocket, reason: str) -> None:
    """Close an accepted connection with 1008 and why: a browser sees the code and the reason."""
    await ws.close(code=POLICY_VIOLATION, reason=reason)


Target = tuple[LiveCompetition | bool, str, bool] | tuple[LiveCompetition | bool, str, bool, int | None]
"""Who runs it, the channel, whether it is public (and for a team channel, the member)."""


async def _connect(ws: WebSocket, target: Target | str) -> None:
    """Accept, then serve ``target`` or refuse with its reason; 1013 if the server is full."""
    with _cap(ws).slot() as admitted:
        try:
            await ws.accept()
            if not admitted:
                await ws.close(code=TRY_AGAIN_LATER, reason=BUSY)
            elif isinstance(target, str):
                await _refuse(ws, target)
            else:
                await _serve(ws, *target)
        except WebSocketDisconnect:  # gone before it was greeted: nothing to tell it
            pass


async def _who(ws: WebSocket, rt: Runtime) -> Identity | str | None:
    """Who is connecting; the reason if their session has expired (the close says it)."""
    try:
        return await resolve(websocket_token(ws), rt)
    except ServerError as refusal:
        return refusal.reason


def _competition(rt: Runtime, competition_id: int) -> LiveCompetition | bool | str:
    live = _live(rt, competition_id)
    return f"there is no competition {competition_id}" if live is None else live


@router.websocket("/ws/public/{competition_id}")
async def public(ws: WebSocket, competition_id: int) -> None:
    live = _competition(_runtime(ws), competition_id)
    name = channel_names(competition_id)["public"]
    await _connect(ws, live if isinstance(live, str) else (live, name, True))


@router.websocket("/ws/judge/{competition_id}")
async def judge(ws: WebSocket, competition_id: int) -> None:
    rt = _runtime(ws)
    live = _competition(rt, competition_id)
    who = await _who(ws, rt)
    name = channel_names(competition_id)["judge"]
    if isinstance(live, str):
        await _connect(ws, live)
    elif isinstance(who, str):
        await _connect(ws, who)
    elif not watches(competition_id, who):
        await _connect(ws, "only this competition's judges and the instructor may watch the live board")
    else:
        await _connect(ws, (live, name, False))


@router.websocket("/ws/instructor/{competition_id}")
async def instructor(ws: WebSocket, competition_id: int) -> None:
    rt = _runtime(ws)
    live = _competition(rt, competition_id)
    who = await _who(ws, rt)
    name = channel_names(competition_id)["instructor"]
    if isinstance(live, str):
        await _connect(ws, live)
    elif isinstance(who, str):
        await _connect(ws, who)
    elif who is None or who.role != "instructor":
        await _connect(ws, "only the instructor may watch the monitor")
    else:
        await _connect(ws, (live, name, False))


@router.websocket("/ws/team")
async def team(ws: WebSocket) -> None:
    rt = _runtime(ws)
    who = await _who(ws, rt)
    if isinstance(who, str):
        await _connect(ws, who)
        return
    if who is None or who.role != "member" or who.competition_id is None or who.team is None:
        await _connect(ws, "join a team first: a team channel needs a member's session")
        return
    live = _live(rt, who.competition_id)
    if live is None:
        await _connect(ws, "the competition is gone")
    else:
        await _connect(ws, (live, team_channel(who.competition_id, who.team), True, who.member_id))
