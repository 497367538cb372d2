"""Setting up a competition of teams of 4 for the load benchmarks: joins, customers, client plans.

``join_all`` has every member join with its team's code, many joins in flight at once, dealt
round robin over one or more server addresses (several workers behind a load balancer);
``find_customers`` waits until every team has a customer (the notes of the benchmark are
about it); ``deal_plans`` deals the teams out to the client processes, each member with its
place in the competition-wide round robin of commands (``bench/competition_clients.py``).
Used by ``bench/competition_load.py`` and ``bench/worker_scale.py``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import httpx
from competition_clients import TeamPlan

ROLES = ("manager", "sales", "service", "finance")
JOINS_AT_ONCE = 64
"""Joins in flight at once while the members join (a lecture hall scanning the code)."""


async def join_all(
    base_urls: Sequence[str], codes: dict[str, str], per_team: int
) -> tuple[dict[str, list[str]], float]:
    """Every member joins with its team's code; (tokens by team, joins per second).

    Member ``i`` of the ``t``-th team joins through ``base_urls[(t * per_team + i) % len]``.
    """
    tokens: dict[str, list[str]] = {team: [""] * per_team for team in codes}
    gate = asyncio.Semaphore(JOINS_AT_ONCE)
    limits = httpx.Limits(max_connections=JOINS_AT_ONCE)
    clients = [httpx.AsyncClient(base_url=url, timeout=120.0, limits=limits) for url in base_urls]
    try:

        async def join(http: httpx.AsyncClient, team: str, i: int) -> None:
            async with gate:
                body = {"code": codes[team], "name": f"{team}-{i}", "role": ROLES[i % 4]}
                response = await http.post("/api/v1/session/join", json=body)
                if response.status_code != 200:
                    raise RuntimeError(f"join {team}-{i}: {response.status_code} {response.text}")
                tokens[team][i] = response.json()["token"]

        started = time.perf_counter()
        await asyncio.gather(
            *(
                join(clients[(t * per_team + i) % len(clients)], team, i)
                for t, team in enumerate(codes)
                for i in range(per_team)
            )
        )
        rate = len(codes) * per_team / (time.perf_counter() - started)
    finally:
        for client in clients:
            await client.aclose()
    return tokens, rate


async def find_customers(base_url: str, tokens: dict[str, list[str]], timeout: float) -> dict[str, str]:
    """A customer of each team (the notes are about it), waiting while the market brings them."""
    found: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as http:
        while len(found) < len(tokens):
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"only {len(found)} of {len(tokens)} teams had a customer after {timeout:.0f} s"
                )

            async def look(team: str) -> None:
                headers = {"Authorization": f"Bearer {tokens[team][0]}"}
                response = await http.get("/api/v1/team/state", headers=headers)
                if response.status_code == 200 and response.json()["customers"]:
                    found[team] = response.json()["customers"][0]["customer_id"]

            await asyncio.gather(*(look(team) for team in tokens if team not in found))
            if len(found) < len(tokens):
                await asyncio.sleep(1.0)
    return found


def deal_plans(
    tokens: dict[str, list[str]], customers: dict[str, str], processes: int
) -> list[list[TeamPlan]]:
    """The teams dealt out to the client processes; member k of team i is number 4*i+k in the round."""
    plans: list[list[TeamPlan]] = [[] for _ in range(processes)]
    for i, team in enumerate(sorted(tokens)):
        indices = tuple(4 * i + k for k in range(len(tokens[team])))
        plans[i % processes].append(TeamPlan(team, customers[team], tuple(tokens[team]), indices))
    return [p for p in plans if p]
