"""Repeated SIGKILL at seeded-random moments of a round, with house bots and a member playing.

After each restart the competition is paused and damaged None; the instructor resumes it and
play goes on. At the end every acknowledged command is in the command log, every acknowledged
event is stored identical, the digest equals an offline replay and the standings shown equal
the replayed ones. On SQLite and on PostgreSQL. bench/faults.py runs the long version.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.fault_drill import MemberPlayer, instructor, new_competition, resume, verify
from tests.server.helpers import postgres_database
from tests.server.processes import ServerProcess, free_port

KILLS = 3


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kills.db'}"
    else:
        yield from postgres_database()


def test_repeated_sigkill_loses_nothing_acknowledged(database_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": database_url}
    port, log = free_port(), tmp_path / "server.log"
    rng = random.Random(6)
    server = ServerProcess(env, port, log)
    player: MemberPlayer | None = None
    try:
        cid, code = new_competition(server.url, seed=21, seconds_per_hour=0.1, rounds=20)
        player = MemberPlayer(server.url, code).start()
        for kill in range(KILLS):
            player.await_acks(len(player.acks) + rng.randint(5, 25))  # the seeded-random moment of the kill
            server.kill()
            server = ServerProcess(env, port, log)
            admin = instructor(server.url)
            detail = admin.request("GET", f"/api/v1/competitions/{cid}")
            assert detail["state"] == "paused", detail["state"]
            assert detail["damaged"] is None, detail["damaged"]
            if kill < KILLS - 1:
                resume(server.url, cid)
        player.stop()
        figures = verify(server.url, database_url, cid, player, in_flight=KILLS)
        assert figures["human_acknowledged"] >= 5 * KILLS
        assert "Traceback" not in server.log_text(), server.log_text()
    finally:
        if player is not None:
            player.stop()
        server.stop()
