"""Several ``salesfloor serve`` workers for a benchmark: one PostgreSQL database, one Redis prefix.

``worker_pool`` gives a fresh PostgreSQL database (``live_server.database``) and a fresh key
prefix in Redis (``BROADCAST_PREFIX``, its keys deleted afterwards), and starts ``count``
workers on them, each on its own port of 127.0.0.1 with ``BROADCAST_URL`` set; a worker's
``ADVERTISE_URL`` is the server's default, ``http://127.0.0.1:<its port>``, which is how the
others reach it (docs/operations.md, "Several workers"). The first worker is started alone
and given time to take the lease, so that the competitions have an owner before the others
come up; the rest are started after it. All are stopped (SIGTERM) when the block ends.
``service_pids`` and ``cpu_of`` find what Redis and PostgreSQL, shared by the workers, cost.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
from live_server import ServerProcess, cpu_seconds, database

REDIS_URL = "redis://127.0.0.1:6379/0"
POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/"
OWNER_WAIT_SECONDS = 20.0
"""How long the first worker may take to report that it owns the competitions."""


def owner_flags(workers: Sequence[ServerProcess], competition_id: int | None = None) -> list[bool | None]:
    """Whether each worker runs the competition (its health check's ``runs``), or, without one,
    whether it is the front (``owner``); None where the health check does not say."""
    flags: list[bool | None] = []
    for worker in workers:
        try:
            health = httpx.get(f"{worker.url}/api/v1/health", timeout=5.0).json()
        except (httpx.HTTPError, ValueError):
            health = {}
        if competition_id is not None and isinstance(health.get("runs"), list):
            flags.append(competition_id in health["runs"])
            continue
        owner = health.get("owner")
        flags.append(owner if isinstance(owner, bool) else None)
    return flags


SERVICES = ("redis-server", "postgres")
"""The process names of the services the workers share (their CPU is measured beside the workers')."""


def service_pids() -> list[int]:
    """The processes of Redis and PostgreSQL on this machine (from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in SERVICES:
                    pids.append(int(entry.name))
    return pids


def cpu_of(pids: Sequence[int]) -> dict[int, float]:
    """CPU seconds of each of ``pids`` that still runs (from /proc)."""
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            seconds[pid] = cpu_seconds(pid)
    return seconds


def check_alive(workers: Sequence[ServerProcess]) -> None:
    """Raise RuntimeError naming the first worker that has exited, with the end of its log.

    (A worker that cannot renew its lease in time — its event loop starved on a loaded machine —
    stops on purpose: docs/operations.md, "Several workers".)
    """
    for n, worker in enumerate(workers):
        if worker.proc is not None and worker.proc.poll() is not None:
            tail = worker.log_tail(3).replace("\n", " | ")
            raise RuntimeError(f"worker {n + 1} exited with {worker.proc.returncode}: {tail}")


def _wait_for_owner(worker: ServerProcess) -> None:
    deadline = time.monotonic() + OWNER_WAIT_SECONDS
    while time.monotonic() < deadline:
        flag = owner_flags([worker])[0]
        if flag is not False:  # True, or a health check that does not name an owner
            return
        time.sleep(0.2)
    raise RuntimeError(f"the first worker did not own the competitions within {OWNER_WAIT_SECONDS:g} s")


def _forget_prefix(redis_url: str, prefix: str) -> None:
    import redis

    client: Any = redis.Redis.from_url(redis_url)
    try:
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)
    finally:
        client.close()


@contextlib.contextmanager
def worker_pool(
    count: int,
    run_dir: Path,
    database_url: str = POSTGRES_URL,
    redis_url: str = REDIS_URL,
    tick_seconds: float = 0.2,
    extra_env: dict[str, str] | None = None,
) -> Iterator[list[ServerProcess]]:
    """``count`` workers on a fresh database and Redis prefix; stopped and cleaned up afterwards."""
    prefix = f"salesfloor_bench_{secrets.token_hex(4)}"
    env = {**(extra_env or {}), "BROADCAST_URL": redis_url, "BROADCAST_PREFIX": prefix}
    workers: list[ServerProcess] = []
    with database(database_url, run_dir) as url:
        try:
            for n in range(count):
                worker = ServerProcess(url, run_dir, tick_seconds, env)
                workers.append(worker)
                worker.start()
                if n == 0:
                    _wait_for_owner(worker)
            yield workers
        finally:
            for worker in workers:
                worker.stop()
            _forget_prefix(redis_url, prefix)
