"""Benchmark: what fencing costs a command batch's commit (issue 14), on SQLite and PostgreSQL.

With several workers every command batch begins its transaction with the owner epoch's check
(``UPDATE competitions SET owner_epoch = owner_epoch WHERE id = … AND owner_epoch = …``,
server.persistence.store.fencing); one process passes no epoch and sends no such statement.
This commits ``--batches`` command batches of ``--size`` commands through ``Store.add_commands``
with the epoch and as many without, alternating blocks of ``--block`` batches (so that both
meet the same minutes of a shared machine), and prints per commit the median and p90 of each,
the ratio of the medians and the difference. One database each: SQLite (WAL, in a temporary
directory) and a new PostgreSQL database, dropped afterwards. ``--repeat`` runs it all again
(each run on fresh databases). Asserts nothing.

``--check select`` measures, on PostgreSQL, a check the server does not use: ``SELECT 1 …
WHERE id = … AND owner_epoch = … FOR NO KEY UPDATE`` (the same row lock as the takeover's
update, re-evaluated after a wait as the update is, but no new row version per batch), to see
what of the cost is the round trip and what the row's rewrite.

``python bench/fencing_cost.py --batches 2000 --size 1 --size 20 --repeat 3``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import database, describe_database
from sqlalchemy import Connection, text

from server.persistence.db.engine import make_engine, migrate
from server.persistence.db.tables import CommandRow, CompetitionRow
from server.persistence.store import StaleOwner, Store, logs

PAYLOAD = '{"kind": "SetApologyPolicy", "team": "Humans", "enabled": true}'


def _competition(store: Store) -> int:
    row = store.add_competition(
        CompetitionRow(
            name="Fencing cost",
            preset="classroom",
            parameters="{}",
            seed=1,
            rounds=1,
            seconds_per_hour=1.0,
            judge_code="BENCH",
            created_at=0.0,
        )
    )
    assert row.id is not None
    return row.id


def _select_check(connection: Connection, competition_id: int, epoch: int | None) -> None:
    """The ``--check select`` variant of ``check_owner`` (PostgreSQL only; not the server's)."""
    if epoch is None:
        return
    query = text("SELECT 1 FROM competitions WHERE id = :id AND owner_epoch = :epoch FOR NO KEY UPDATE")
    if connection.execute(query, {"id": competition_id, "epoch": epoch}).first() is None:
        raise StaleOwner(competition_id, epoch)


def _seqs(start: int = 0) -> Iterator[int]:
    seq = start
    while True:
        yield seq
        seq += 1


def _measure(store: Store, batches: int, size: int, block: int) -> dict[str, list[float]]:
    """Per-commit seconds of ``batches`` batches with the epoch and ``batches`` without."""
    fenced, plain = _competition(store), _competition(store)
    epoch = store.take_owner_epoch(fenced)
    seqs = {fenced: _seqs(), plain: _seqs()}
    times: dict[str, list[float]] = {"epoch": [], "none": []}
    for _warm in range(20):  # connections opened, statements cached
        for cid, e in ((fenced, epoch), (plain, None)):
            store.add_commands(_batch(cid, seqs[cid], size), e)
    done = 0
    while done < batches:
        n = min(block, batches - done)
        for name, cid, e in (("epoch", fenced, epoch), ("none", plain, None)):
            for _ in range(n):
                rows = _batch(cid, seqs[cid], size)
                start = time.perf_counter()
                store.add_commands(rows, e)
                times[name].append(time.perf_counter() - start)
        done += n
    return times


def _batch(cid: int, seqs: Iterator[int], size: int) -> list[CommandRow]:
    return [
        CommandRow(competition_id=cid, seq=next(seqs), t=0.0, source="human", payload=PAYLOAD, created_at=0.0)
        for _ in range(size)
    ]


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


HEADER = (
    "| database | commands/batch | with epoch p50 / p90 | no epoch p50 / p90 | ratio p50 | extra p50 "
    "| load avg |\n"
    "|---|---|---|---|---|---|---|"
)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batches", type=int, default=2000, help="batches with the epoch (and without)")
    parser.add_argument("--size", type=int, action="append", help="commands a batch (repeatable; default 1)")
    parser.add_argument("--block", type=int, default=100, help="batches in a row before switching")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/", help="PostgreSQL")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="runs of it all, each on fresh databases")
    parser.add_argument(
        "--check",
        choices=("update", "select"),
        default="update",
        help="select: PostgreSQL only, not the server's",
    )
    args = parser.parse_args()
    sizes = args.size or [1]
    urls: list[str | None] = [None] if args.sqlite_only else [None, args.database_url]
    if args.check == "select":
        logs.check_owner = _select_check  # type: ignore[attr-defined]
        urls = [args.database_url]
    print(
        f"fencing cost: {args.batches} batches each way, blocks of {args.block}, check {args.check}, "
        f"{os.cpu_count()} cores"
    )
    print(HEADER)
    with tempfile.TemporaryDirectory() as workdir:
        for url in urls * args.repeat:
            with database(url, Path(workdir)) as db_url:
                engine = make_engine(db_url)
                migrate(engine)
                store = Store(engine)
                for size in sizes:
                    times = _measure(store, args.batches, size, args.block)
                    fenced, plain = statistics.median(times["epoch"]), statistics.median(times["none"])
                    print(
                        f"| {describe_database(db_url)} | {size} "
                        f"| {fenced * 1e3:.3f} / {_p90(times['epoch']) * 1e3:.3f} ms "
                        f"| {plain * 1e3:.3f} / {_p90(times['none']) * 1e3:.3f} ms "
                        f"| {fenced / plain:.3f} | {(fenced - plain) * 1e6:+.0f} µs "
                        f"| {os.getloadavg()[0]:.2f} |",
                        flush=True,
                    )
                engine.dispose()


if __name__ == "__main__":
    main()
