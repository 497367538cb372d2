"""Many SIGKILLs at seeded-random moments of a competition, and the checks after the last one.

The long version of tests/server/test_faults_kill.py: a real server (SQLite, or PostgreSQL with
``--database-url``), two house bots and a member who plays without pause. Each cycle lets the
member get a seeded-random number of commands acknowledged, kills the server with SIGKILL,
starts it again, checks that the competition came back paused and undamaged, and resumes it
(or starts the next round when the kill fell on a round's end). After the last kill the
recovered server is held to everything it acknowledged: the command log, the stored events,
the digest of an offline replay and the replayed standings.

    .venv/bin/python bench/faults.py --kills 20
    .venv/bin/python bench/faults.py --kills 20 --database-url postgresql://postgres@127.0.0.1:5432/

Prints each cycle's recovery time (from the new process to its first healthy answer) and the
totals; it times nothing it asserts.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import DATABASE_HELP, database, describe_database, machine, percentile

from tests.server.fault_drill import DrillFailed, MemberPlayer, instructor, new_competition, resume, verify
from tests.server.processes import ServerProcess, free_port


def run(kills: int, database_url: str, seed: int, seconds_per_hour: float, rounds: int, workdir: Path) -> int:
    env = {"DATABASE_URL": database_url}
    port, log = free_port(), workdir / "server.log"
    rng = random.Random(seed)
    server = ServerProcess(env, port, log)
    cid, code = new_competition(server.url, seed=seed, seconds_per_hour=seconds_per_hour, rounds=rounds)
    player = MemberPlayer(server.url, code).start()
    recoveries: list[float] = []
    started = time.perf_counter()
    try:
        for cycle in range(1, kills + 1):
            player.await_acks(len(player.acks) + rng.randint(3, 30))
            server.kill()
            began = time.perf_counter()
            server = ServerProcess(env, port, log)
            recoveries.append(time.perf_counter() - began)
            admin = instructor(server.url)
            detail = admin.request("GET", f"/api/v1/competitions/{cid}")
            admin.close()
            if detail["damaged"] is not None:
                raise DrillFailed(
                    f"cycle {cycle}: recovery calls the competition damaged: {detail['damaged']}"
                )
            print(
                f"cycle {cycle:3d}: killed at t={detail['t_sim']:7.2f} h (round {detail['round']}, "
                f"{detail['state']}{', between rounds' if detail['between_rounds'] else ''}), "
                f"{detail['commands']:5d} commands, recovered in {recoveries[-1]:.2f} s",
                flush=True,
            )
            if cycle < kills and resume(server.url, cid) == "finished":
                print("the competition has finished; stopping early (give more --rounds)")
                break
        player.stop()
        figures = verify(server.url, database_url, cid, player, in_flight=len(recoveries))
    except DrillFailed as exc:
        print(f"FAILED: {exc}\n--- server log ---\n{server.log_text()[-4000:]}")
        return 1
    finally:
        player.stop()
        server.stop()
    print(
        f"{len(recoveries)} kills in {time.perf_counter() - started:.1f} s; recovery median "
        f"{percentile(recoveries, 50):.2f} s, p90 {percentile(recoveries, 90):.2f} s, "
        f"max {max(recoveries):.2f} s"
    )
    print(
        f"checked: {figures['human_acknowledged']} acknowledged member commands and "
        f"{figures['events_acknowledged']} of their events against the recovered logs "
        f"({figures['commands']} commands, {figures['events_stored']} events stored); "
        "damaged None; digest = replay; standings = replayed standings"
    )
    print(
        f"refusals seen by the member: {figures['refusals']}; "
        f"requests that found no server: {figures['unreachable']}"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs to survive (default 20)")
    parser.add_argument("--seed", type=int, default=7, help="seeds the competition and the kill moments")
    parser.add_argument("--seconds-per-hour", type=float, default=0.1, help="wall seconds per simulated hour")
    parser.add_argument("--rounds", type=int, default=12, help="rounds of the competition (default 12)")
    parser.add_argument("--database-url", default=None, help=DATABASE_HELP)
    args = parser.parse_args(argv)
    if args.kills < 1:
        parser.error("--kills takes a positive number")
    print(machine())
    with (
        tempfile.TemporaryDirectory(prefix="sf-faults-") as tmp,
        database(args.database_url, Path(tmp)) as url,
    ):
        print(f"database: {describe_database(url)}; {args.kills} kills, seed {args.seed}")
        return run(args.kills, url, args.seed, args.seconds_per_hour, args.rounds, Path(tmp))


if __name__ == "__main__":
    sys.exit(main())
