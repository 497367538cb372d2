"""The audience of a class for the load benchmark: public-board viewers on ``/ws/public/{id}``.

Each viewer is one websocket client (the ``websockets`` library; all of a process's viewers
share one event loop; with several addresses — one per worker — viewer ``i`` connects to the
``i``-th in turn) that reads every message and checks that the seqs follow each other.
It records when it received the ticker line of each instructor's announcement marker
(``bench-mark-N``), and — for every ``sample``-th viewer — when it received each public
``standings`` message and the simulated time it carries, so that the benchmark can tell
how long a command took to reach the board. Only the envelope's head is matched for
standings; a ticker message is parsed only to read its text. ``run_viewers`` is a child
process's body and returns what it measured as plain data, with its event loop's lag
(``bench/loop_lag.py``): how late the process itself read.
"""

from __future__ import annotations

import asyncio
import collections
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import websockets
from loop_lag import LagProbe

MARK = "bench-mark-"
HEAD = re.compile(r'\{"seq":\s*(\d+),\s*"type":\s*"(\w+)",\s*"t_sim":\s*([-+0-9.eE]+)')


@dataclass(slots=True)
class Figures:
    """What one process of viewers measured (plain data, so that it crosses a process boundary)."""

    connected: int = 0
    connected_by_url: collections.Counter[str] = field(default_factory=collections.Counter)
    markers: dict[int, list[float]] = field(default_factory=dict)  # marker → receive times
    markers_by_url: dict[str, dict[int, list[float]]] = field(default_factory=dict)  # the same, by address
    boards: list[list[tuple[float, float]]] = field(default_factory=list)  # sampled: (t_sim, received)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    messages: int = 0
    cpu_seconds: float = 0.0
    lags: list[float] = field(default_factory=list)  # the process's event-loop lag, seconds


class Viewers:
    def __init__(self, urls: Sequence[str], count: int, sample: int, compression: str | None) -> None:
        self.urls = tuple(urls)
        self.compression = compression
        self.count = count
        self.sample = sample
        self.figures = Figures()
        self.closing = False
        self.sockets: list[websockets.ClientConnection] = []
        self.settled = 0

    async def watch(self, i: int, gate: asyncio.Semaphore) -> None:
        figures = self.figures
        url = self.urls[i % len(self.urls)]
        board: list[tuple[float, float]] | None = None
        if self.sample and i % self.sample == 0:
            board = []
            figures.boards.append(board)
        try:
            async with gate:
                ws = await websockets.connect(
                    url,
                    open_timeout=60,
                    close_timeout=2,
                    max_size=2**24,
                    ping_interval=None,
                    compression=self.compression,
                )
                hello = json.loads(await asyncio.wait_for(ws.recv(), 60))
        except (OSError, TimeoutError, websockets.WebSocketException) as exc:
            figures.errors[f"viewer connect: {type(exc).__name__}"] += 1
            self.settled += 1
            return
        self.sockets.append(ws)
        figures.connected += 1
        figures.connected_by_url[url] += 1
        self.settled += 1
        last = int(hello["seq"])
        try:
            async for raw in ws:  # ends when close() closes the connection
                now = time.perf_counter()
                figures.messages += 1
                text = raw if isinstance(raw, str) else raw.decode()
                head = HEAD.match(text)
                if head is None:
                    figures.errors["viewer: message without an envelope"] += 1
                    continue
                seq, kind = int(head[1]), head[2]
                if seq != last + 1:
                    figures.errors["viewer: seq gap"] += 1
                last = seq
                if kind == "standings" and board is not None:
                    board.append((float(head[3]), now))
                elif kind == "ticker":
                    said = str(json.loads(text)["data"].get("text", ""))
                    if said.startswith(MARK):
                        mark = int(said[len(MARK) :])
                        figures.markers.setdefault(mark, []).append(now)
                        figures.markers_by_url.setdefault(url, {}).setdefault(mark, []).append(now)
        except websockets.ConnectionClosed as exc:
            if not self.closing:
                code = exc.rcvd.code if exc.rcvd else "none"
                figures.errors[f"viewer disconnected (close code {code})"] += 1
        else:
            if not self.closing:
                figures.errors["viewer closed by the server"] += 1

    async def close(self) -> None:
        self.closing = True
        if self.sockets:
            await asyncio.wait([asyncio.ensure_future(ws.close()) for ws in self.sockets], timeout=30)


async def watch(
    urls: Sequence[str], count: int, sample: int, compression: str | None, ready: Any, go: Any, stop: Any
) -> Figures:
    """Connect ``count`` viewers, then read until ``stop``; the figures (CPU from ``go`` on)."""
    viewers = Viewers(urls, count, sample, compression)
    gate = asyncio.Semaphore(50)
    tasks = [asyncio.create_task(viewers.watch(i, gate)) for i in range(count)]
    while viewers.settled < count and not stop.is_set():
        await asyncio.sleep(0.05)
    ready.set()
    while not go.is_set() and not stop.is_set():
        await asyncio.sleep(0.02)
    cpu_start = time.process_time()
    probe = LagProbe()
    probe.start()
    while not stop.is_set():
        await asyncio.sleep(0.05)
    viewers.figures.cpu_seconds = time.process_time() - cpu_start
    viewers.figures.lags = probe.stop()
    await viewers.close()
    _, pending = await asyncio.wait(tasks, timeout=30) if tasks else (set(), set())
    for task in pending:
        task.cancel()
    return viewers.figures


def run_viewers(
    urls: Sequence[str],
    count: int,
    sample: int,
    compression: str | None,
    ready: Any,
    go: Any,
    stop: Any,
    results: Any,
) -> None:
    """A child process's body: watch the board and put the figures on the ``results`` queue.

    ``urls`` are the board's addresses (one per worker); viewer ``i`` connects to the ``i``-th in
    turn. ``compression`` is what the viewers offer: ``"deflate"`` (permessage-deflate, as browsers
    do) or None.
    """
    results.put(("viewers", asyncio.run(watch(urls, count, sample, compression, ready, go, stop))))
