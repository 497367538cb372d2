"""oTree 6 beside Salesfloor: the same load (groups of 4, a fixed total rate of notes, round robin).

``otree_case`` copies this oTree project to a temporary directory, starts ``otree prodserver``
there from the benchmark's own environment ``bench/.venv-otree`` (made with ``pip install
otree py-spy`` on first use — never a dependency of the product), creates a session of the
``desk`` app, lets every participant open its page (the joins are timed), and has client
processes send each member's notes over its live websocket at the scheduled times. The
round-trip is a note sent → the group message coming back to its sender; the fan-out is the
same message arriving at each teammate.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets

HERE = Path(__file__).resolve().parent
VENV = HERE.parent / ".venv-otree"
OTREE_VERSION = "6.0.15"
SOCKET = re.compile(r'data-socket-url="(/live\?[^"]+)"')


@dataclass(slots=True)
class OtreeFigures:
    members: int
    rate: float
    rtts: list[float] = field(default_factory=list)
    fanouts: list[float] = field(default_factory=list)
    sent: int = 0
    answered: int = 0
    achieved: float = 0.0
    cpu: float = 0.0
    joins_per_second: float = 0.0
    last_answer: float = 0.0
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def cpu_ms_per_command(self) -> float:
        return self.cpu * self.seconds * 1000.0 / max(1, self.sent)

    def line(self) -> str:
        from live_server import percentile

        def ms(values: list[float], q: float) -> str:
            return f"{percentile(values, q) * 1000:,.1f}" if values else "—"

        errors = ", ".join(f"{k} ×{v}" for k, v in sorted(self.errors.items())) or "none"
        return (
            f"{'otree':<10} {self.members:>4} members {self.rate:>4g}/s: rtt p50 {ms(self.rtts, 50)} "
            f"p99 {ms(self.rtts, 99)} ms, fan-out p50 {ms(self.fanouts, 50)} p99 {ms(self.fanouts, 99)} ms, "
            f"achieved {self.achieved:.0f}/s ({self.answered}/{self.sent}), server {self.cpu:.0%} of a core "
            f"({self.cpu_ms_per_command:.2f} ms a command), "
            f"joins {self.joins_per_second:.0f}/s, errors: {errors}"
        )


def ensure_venv() -> Path:
    """bench/.venv-otree with oTree and py-spy; made on first use. The ``otree`` program in it."""
    program = VENV / "bin" / "otree"
    if not program.exists():
        print(f"making {VENV} (oTree {OTREE_VERSION}, py-spy) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "pip"), "install", "-q", f"otree=={OTREE_VERSION}", "py-spy"]
        subprocess.run(pip, check=True)
    return program


class OtreeServer:
    """``otree prodserver`` on a free port of 127.0.0.1, in a copy of this project."""

    def __init__(self, workdir: Path) -> None:
        from live_server import free_port

        self.dir = workdir / "otree_peer"
        shutil.copytree(HERE, self.dir, ignore=shutil.ignore_patterns("__pycache__", "db.sqlite3", "run.py"))
        (self.dir / "_static").mkdir(exist_ok=True)
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.server_pid: int | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        program = ensure_venv()
        env = {
            **os.environ,
            "PATH": f"{program.parent}:{os.environ.get('PATH', '')}",
            "OTREE_PRODUCTION": "1",
        }
        env.pop("DATABASE_URL", None)
        log = (self.dir / "server.log").open("wb")
        self.proc = subprocess.Popen(
            [str(program), "prodserver", f"127.0.0.1:{self.port}"],
            cwd=self.dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # with its timeout worker: stopped together
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/api/otree_version", timeout=2).status_code == 200:
                    self.server_pid = self.proc.pid
                    return
            time.sleep(0.2)
        raise RuntimeError(
            "otree prodserver did not answer within 60 s:\n" + (self.dir / "server.log").read_text()
        )

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.proc = None


async def _join(url: str, codes: list[str]) -> tuple[list[str], float]:
    """Every participant opens its start link (as a browser would); their live URLs, joins per second."""
    sockets = [""] * len(codes)
    gate = asyncio.Semaphore(64)
    async with httpx.AsyncClient(base_url=url, timeout=120, follow_redirects=True) as http:

        async def join(i: int) -> None:
            async with gate:
                page = await http.get(f"/InitializeParticipant/{codes[i]}")
                found = SOCKET.search(page.text)
                if found is None:
                    raise RuntimeError(
                        f"participant {codes[i]}: no live socket on its page ({page.status_code})"
                    )
                sockets[i] = found.group(1).replace("&amp;", "&")

        started = time.perf_counter()
        await asyncio.gather(*(join(i) for i in range(len(codes))))
        return sockets, len(codes) / (time.perf_counter() - started)


async def _members(
    ws_base: str, sockets: list[tuple[int, str]], total: int, rate: float, seconds: float, ready: Any
) -> OtreeFigures:
    """A slice of the groups: each member's live socket; send at the scheduled times, time the echoes."""
    figures = OtreeFigures(total, rate)
    sent_at: dict[int, float] = {}
    mine = {index for index, _ in sockets}
    arrivals: list[tuple[int, int, float]] = []  # (note, receiver, time)
    connections: dict[int, Any] = {}

    async def listen(index: int, ws: Any) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in ws:
                now = time.monotonic()
                payload = json.loads(raw).get("live_method_payload")
                if isinstance(payload, dict) and isinstance(payload.get("n"), int):
                    arrivals.append((payload["n"], index, now))

    for index, path in sockets:
        connections[index] = await websockets.connect(ws_base + path, max_size=None, compression=None)
    listeners = [asyncio.create_task(listen(i, ws)) for i, ws in connections.items()]
    ready.send("ready")
    t0 = await asyncio.to_thread(ready.recv)
    count = int(rate * seconds)
    for n in range(count):
        index = n % total
        if index not in mine:
            continue
        wait = t0 + n / rate - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        sent_at[n] = time.monotonic()
        figures.sent += 1
        try:
            await connections[index].send(json.dumps({"n": n, "text": f"note {n}"}))
        except websockets.ConnectionClosed:
            figures.errors["websocket closed"] = figures.errors.get("websocket closed", 0) + 1
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        echoed = {n for n, receiver, _ in arrivals if receiver == n % total}
        if len(echoed) >= len(sent_at):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)
    for n, receiver, at in arrivals:
        if n not in sent_at:
            continue
        if receiver == n % total:
            figures.rtts.append(at - sent_at[n])
            figures.answered += 1
            figures.last_answer = max(figures.last_answer, at)
        else:
            figures.fanouts.append(at - sent_at[n])
    for task in listeners:
        task.cancel()
    for ws in connections.values():
        await ws.close()
    return figures


def _run_members(
    ws_base: str, sockets: list[tuple[int, str]], total: int, rate: float, seconds: float, ready: Any
) -> OtreeFigures:
    return asyncio.run(_members(ws_base, sockets, total, rate, seconds, ready))


def otree_case(members: int, rate: float, seconds: float, processes: int) -> OtreeFigures:
    """One run of oTree: ``members`` participants in groups of 4, ``rate`` notes a second in all."""
    from live_server import cpu_seconds

    with tempfile.TemporaryDirectory(prefix="salesfloor-otree-") as name:
        server = OtreeServer(Path(name))
        server.start()
        try:
            created = httpx.post(
                f"{server.url}/api/sessions",
                json={"session_config_name": "desk", "num_participants": members},
                timeout=120,
            ).json()
            info = httpx.post(f"{server.url}/api/get_session/{created['code']}", json={}, timeout=120).json()
            codes = [p["code"] for p in sorted(info["participants"], key=lambda p: p["id_in_session"])]
            sockets, joins = asyncio.run(_join(server.url, codes))
            ctx = multiprocessing.get_context("fork")
            slices: list[list[tuple[int, str]]] = [[] for _ in range(processes)]
            for i, path in enumerate(sockets):
                slices[(i // 4) % processes].append((i, path))
            pool = ctx.Pool(processes)
            pipes, results = [], []
            for members_slice in slices:
                parent, child = ctx.Pipe()
                pipes.append(parent)
                ws_base = server.url.replace("http://", "ws://")
                results.append(
                    pool.apply_async(_run_members, (ws_base, members_slice, members, rate, seconds, child))
                )
            for pipe in pipes:
                if not pipe.poll(300):
                    raise RuntimeError("the oTree clients did not connect within 300 s")
                pipe.recv()
            t0 = time.monotonic() + 0.5
            cpu_before = cpu_seconds(server.server_pid)
            for pipe in pipes:
                pipe.send(t0)
            time.sleep(max(0.0, t0 + seconds - time.monotonic()))
            cpu = (cpu_seconds(server.server_pid) - cpu_before) / seconds  # over the sending window
            parts = [r.get() for r in results]
            pool.close()
            pool.join()
        finally:
            server.stop()
    out = OtreeFigures(members, rate, cpu=cpu, joins_per_second=joins, seconds=seconds)
    for part in parts:
        out.rtts += part.rtts
        out.fanouts += part.fanouts
        out.sent += part.sent
        out.answered += part.answered
        out.last_answer = max(out.last_answer, part.last_answer)
        for k, v in part.errors.items():
            out.errors[k] = out.errors.get(k, 0) + v
    out.achieved = out.answered / max(1e-9, out.last_answer - t0)
    return out
