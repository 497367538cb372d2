"""The client processes of ``bench/worker_scale.py``: members and board viewers spread over workers.

``start_clients`` forks the member processes — process ``p`` plays its share of the teams
(``competition_setup.deal_plans``) against worker ``p`` mod the count (or the first worker,
``--members-on-owner``), over HTTP and the team
websockets, with ``competition_clients.run_members`` (commands at a fixed total rate) — and
the viewer processes, ``class_viewers.run_viewers`` with the board's address on every worker
(viewer ``i`` of a process on worker ``i`` mod the count). ``Clients`` waits until all have
connected, hands out the start and collects nothing itself: the benchmark reads the members'
figures from their pipes and the viewers' from the queue.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from class_viewers import Figures as ViewerFigures
from class_viewers import run_viewers
from competition_clients import ClientFigures, TeamPlan, run_members
from live_server import ServerProcess


def _play_members(
    base_url: str, ws_url: str, plan: list[TeamPlan], total: int, rate: float, seconds: float, pipe: Any
) -> None:
    """A member process's body: ``run_members`` (ready and t0 over ``pipe``), its figures back on it."""
    pipe.send(run_members(base_url, ws_url, plan, total, rate, seconds, pipe, pipe))


@dataclass
class Clients:
    """The client processes of a case: start them together, collect what they measured."""

    members: list[tuple[Any, Any, int]]  # (process, pipe, worker index)
    viewers: list[tuple[Any, Any]]  # (process, ready event)
    go: Any
    stop: Any
    results: Any

    def processes(self) -> list[Any]:
        return [p for p, _, _ in self.members] + [p for p, _ in self.viewers]

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes()]

    def wait_ready(self, timeout: float, check: Callable[[], None]) -> None:
        """Until every member's and viewer's websockets are open; ``check`` raises if a server died."""
        deadline = time.monotonic() + timeout
        pending = [pipe for _, pipe, _ in self.members]
        while pending or not all(ready.is_set() for _, ready in self.viewers):
            pending = [pipe for pipe in pending if not pipe.poll(0.05)]
            ended = [p.exitcode for p in self.processes() if not p.is_alive()]
            if ended:
                raise RuntimeError(f"client processes ended while connecting (exit codes {ended})")
            check()
            if time.monotonic() > deadline:
                raise RuntimeError(f"the clients had not connected after {timeout:g} s")
        for _, pipe, _ in self.members:
            pipe.recv()  # "ready"

    def begin(self, t0: float) -> None:
        """The members' schedule starts at ``t0`` (monotonic); the viewers count CPU from now."""
        for _, pipe, _ in self.members:
            pipe.send(t0)
        self.go.set()

    def collect(self, timeout: float = 120.0) -> tuple[list[tuple[int, ClientFigures]], list[ViewerFigures]]:
        """Stop the viewers; (worker index, figures) of each member process, each viewer process's figures."""
        self.stop.set()
        members = []
        for _, pipe, worker in self.members:
            if not pipe.poll(timeout):
                raise RuntimeError(f"a member process sent no figures within {timeout:g} s")
            members.append((worker, pipe.recv()))
        viewers = [self.results.get(timeout=timeout)[1] for _ in self.viewers]
        return members, viewers

    def finish(self) -> None:
        self.stop.set()
        for process in self.processes():
            process.join(60)
            if process.is_alive():
                process.kill()


def start_clients(
    args: argparse.Namespace,
    workers: list[ServerProcess],
    competition_id: int,
    plans: list[list[TeamPlan]],
    viewers: int,
    total_members: int,
) -> Clients:
    """Fork the member processes (one per plan) and ``args.processes`` viewer processes."""
    context = multiprocessing.get_context("fork")
    clients = Clients([], [], context.Event(), context.Event(), context.Queue())
    for p, plan in enumerate(plans):
        index = args.owner_index if args.members_on_owner else p % len(workers)
        worker = workers[index]
        parent, child = context.Pipe()
        target_args = (worker.url, worker.ws_url, plan, total_members, args.rate, args.seconds, child)
        process = context.Process(target=_play_members, args=target_args, daemon=True)
        clients.members.append((process, parent, index))
    urls = tuple(f"{w.ws_url}/ws/public/{competition_id}" for w in workers)
    processes = max(1, min(args.processes, viewers))
    for p in range(processes if viewers else 0):
        count = viewers // processes + (p < viewers % processes)
        ready = context.Event()
        signals = (ready, clients.go, clients.stop, clients.results)
        process = context.Process(target=run_viewers, args=(urls, count, 0, None, *signals), daemon=True)
        clients.viewers.append((process, ready))
    for process in clients.processes():
        process.start()
    return clients
