"""Benchmark: what refusing and repairing unstorable text costs (issue 11.1).

Three figures, each the median of ``--repeats``:

- the body check of ``server.api.http.request_limits`` (JSON depth, finite numbers, NUL and lone surrogates in
  every value and key) per request body, next to ``json.loads`` of the same body alone (which
  the check does anyway): a command, a long Chinese note with emoji, and a 60 KiB body;
- the migration's repair (``server.persistence.db.text_repair.repair_tables``) over an events table of
  ``--events`` rows, one in a thousand holding a lone-surrogate escape and one in a hundred a
  surrogate pair (an emoji, to be left alone), on SQLite in a temporary directory or on
  PostgreSQL with ``--database-url``;
- reading every event payload back from SQLite with the tolerant decoder the server installs,
  next to sqlite3's own decoding.

Run with ``python bench/text_checks.py [--events 300000 --repeats 5]``.
"""

from __future__ import annotations

import argparse
import functools
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text

from server.api.http.request_limits import json_refusal
from server.persistence.db.engine import make_engine, migrate, normalise_url
from server.persistence.db.text_repair import repair_tables, tolerant_text

BODIES = {
    "a command (campaign)": json.dumps({"segment": "smb", "budget": 250.0}).encode(),
    "a note, 400 Chinese characters and emoji": json.dumps({"text": "客户满意度😀" * 57}).encode(),
    "60 KiB: a list of 6,000 short texts": json.dumps(
        {"changes": {f"k{i}": "value" for i in range(6000)}}
    ).encode(),
}


def median_time(function: Callable[[], object], repeats: int, inner: int = 1) -> float:
    """Median seconds of one call over ``repeats`` rounds of ``inner`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            function()
        times.append((time.perf_counter() - start) / inner)
    return statistics.median(times)


def body_checks(repeats: int) -> None:
    print("body check per request (µs): check, json.loads alone")
    for name, body in BODIES.items():
        inner = max(1, 200_000 // len(body))
        check = median_time(functools.partial(json_refusal, body), repeats, inner)
        parse = median_time(functools.partial(json.loads, body), repeats, inner)
        print(f"  {name:<42} {check * 1e6:9.1f} {parse * 1e6:9.1f}")


def _payload(seq: int) -> str:
    note = "x\ud800y" if seq % 1000 == 0 else ("a 😀" if seq % 100 == 0 else "fine")
    event = {
        "kind": "note_added",
        "seq": seq,
        "t": seq / 10,
        "team": "Ant",
        "customer_id": "C1.2",
        "text": note,
    }
    return json.dumps(event, sort_keys=True, separators=(",", ":"))


def repair(url: str, events: int, repeats: int) -> None:
    times = []
    for _ in range(repeats):
        engine = make_engine(url)
        migrate(engine)
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM events"))
            connection.execute(text("DELETE FROM competitions"))
            connection.execute(
                text(
                    "INSERT INTO competitions (id, name, preset, parameters, seed, rounds, seconds_per_hour,"
                    " state, sim_t, judge_code, created_at) VALUES (1, 'b', 'classroom', '{}', 1, 1, 1,"
                    " 'paused', 0, 'J', 0)"
                )
            )
            rows = [
                {"c": 1, "s": seq, "t": seq / 10, "k": "note_added", "p": _payload(seq)}
                for seq in range(events)
            ]
            connection.execute(
                text(
                    "INSERT INTO events (competition_id, seq, t, kind, team, payload)"
                    " VALUES (:c, :s, :t, :k, 'Ant', :p)"
                ),
                rows,
            )
        start = time.perf_counter()
        with engine.begin() as connection:
            repaired = repair_tables(connection)
        times.append(time.perf_counter() - start)
        engine.dispose()
    seconds = statistics.median(times)
    print(
        f"repair over {events:,} events ({repaired}): {seconds:.2f} s"
        f" ({events / seconds:,.0f} rows scanned per second)"
    )


def tolerant_reads(path: Path, repeats: int) -> None:
    """Both decoders in turn, ``repeats`` times, so that a busy moment of the machine hits both."""
    connection = sqlite3.connect(path)
    times: dict[str, list[float]] = {"sqlite3": [], "tolerant": []}
    for _ in range(repeats):
        for name, factory in (("sqlite3", str), ("tolerant", tolerant_text)):
            connection.text_factory = factory
            start = time.perf_counter()
            connection.execute("SELECT payload FROM events").fetchall()
            times[name].append(time.perf_counter() - start)
    connection.close()
    plain, tolerant = (statistics.median(times[name]) for name in ("sqlite3", "tolerant"))
    print(f"reading every event payload: sqlite3 {plain:.3f} s, tolerant decoder {tolerant:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database-url", help="PostgreSQL URL of an empty database (default: SQLite)")
    args = parser.parse_args()
    body_checks(args.repeats)
    if args.database_url:
        repair(args.database_url, args.events, args.repeats)
        create_engine(normalise_url(args.database_url)).dispose()
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.db"
        repair(f"sqlite:///{path}", args.events, args.repeats)
        tolerant_reads(path, args.repeats)


if __name__ == "__main__":
    main()
