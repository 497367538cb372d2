"""Benchmark: what reading an archive's peer_reviews.jsonl costs an import.

Builds members.json and peer_reviews.jsonl for a class (teams of ``--team-size`` members, each
member rating ``--ratings`` teammates, each with a 60-character comment) and reads the lines
with the import's own code (``parse_json`` per line, then ``check_peer_reviews``: the schema,
the members, the pairs). Prints the CPU time (median of ``--repeats`` runs) and, from one more
run under tracemalloc (which slows it), the peak of Python's allocations: what the import holds
until it writes the reviews. The defaults are the archive's limit (50,000 reviews); a 200-team
class of six is ``--members 1200 --team-size 6 --ratings 5`` (6,000 reviews).
Run with ``python bench/peer_review_import.py [--members 5000 --team-size 250 --ratings 10]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.input.json_input import parse_json
from server.persistence.archive.peer_reviews import PEER_REVIEWS, check_peer_reviews
from server.persistence.archive.schema import Member


def class_of(members: int, team_size: int, ratings: int) -> tuple[list[Member], list[str]]:
    """The members (teams of ``team_size``) and the lines of peer_reviews.jsonl they would write."""
    roster = [
        Member(team=f"T{i // team_size:03d}", name=f"M{i}", role="sales", joined_at=1.0)
        for i in range(members)
    ]
    lines = []
    for reviewer in range(members):
        first = reviewer // team_size * team_size
        size = min(team_size, members - first)
        for k in range(min(ratings, size - 1)):
            reviewee = first + (reviewer - first + 1 + k) % size
            review = {
                "reviewer": reviewer,
                "reviewee": reviewee,
                "rating": 3,
                "comment": "x" * 60,
                "at": 1.7e9,
            }
            lines.append(json.dumps(review))
    return roster, lines


def read(roster: list[Member], lines: list[str]) -> int:
    parsed = ((n, parse_json(line, f"{PEER_REVIEWS} line {n}")) for n, line in enumerate(lines, 1))
    return len(check_peer_reviews(parsed, roster, finished=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--team-size", type=int, default=250)
    parser.add_argument("--ratings", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    roster, lines = class_of(args.members, args.team_size, args.ratings)
    times = []
    for _ in range(args.repeats):
        start = time.process_time()
        count = read(roster, lines)
        times.append(time.process_time() - start)
    tracemalloc.start()
    read(roster, lines)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = sum(len(line) + 1 for line in lines)
    print(
        f"{count:,} reviews ({size / 2**20:.1f} MiB of lines): {statistics.median(times):.2f} s of CPU"
        f" (median of {args.repeats}), peak allocations {peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()
