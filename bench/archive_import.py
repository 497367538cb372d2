"""Benchmark: what importing an archive costs — a large class's, and hostile ones.

Writes each archive to a temporary file and reads it in fresh child processes with the code
``salesfloor import`` and the API run (``read_archive``: checks, replay, digest; nothing is
stored), then prints, per archive: its size, what the import said, the wall time and the
child's peak resident memory above its baseline after the imports (VmHWM) from one run, and
the peak of Python's allocations (tracemalloc, which slows the import) from another. The
archives: the 20-team, 10-round season of ``bench/exports.py``; its events.jsonl padded to
400 MB (the issue's bomb), to 60 MB (under the total limit, over the ratio), to 24 MB stored
(under every size limit: only the event check stops it); a manifest and a command line nested
50,000 levels deep; a line of 8 MiB; a directory of 20,000 entries.
Run with ``python bench/archive_import.py [--teams 20 --rounds 10]``.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from market.events import event_to_json
from market.parameters import parameters_to_dict
from market.presets import load_preset
from server.persistence.archive.contents import FORMAT, VERSION, Archive, write_archive
from simulator.command_log import command_to_json
from simulator.season import league, play_season
from teams.bots import REFERENCE_LEAGUE

MiB = 2**20
CHILD = """
import io, json, resource, sys, time, tracemalloc
from server.persistence.archive.contents import ArchiveError
from server.persistence.archive.reader import read_archive
traced = sys.argv[2] == "traced"
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM"))
base = rss()
data = open(sys.argv[1], "rb")
if traced:
    tracemalloc.start()
start = time.perf_counter()
try:
    replayed = read_archive(data)
    said = f"accepted: {len(replayed.competition.log):,} events, {len(replayed.commands):,} commands"
except ArchiveError as exc:
    said = "refused: " + str(exc)
elapsed = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] if traced else 0
print(json.dumps({"said": said, "seconds": elapsed, "peak": peak, "rss": rss() - base}))
"""


def season_archive(teams: int, rounds: int) -> bytes:
    params = load_preset("classroom")
    competition, _board = play_season(params, 7, league(teams, list(REFERENCE_LEAGUE)), rounds=rounds)
    return write_archive(
        Archive(
            manifest={
                "format": FORMAT,
                "version": VERSION,
                "name": "bench",
                "preset": "classroom",
                "seed": 7,
                "rounds": rounds,
                "seconds_per_hour": 15.0,
                "state": "finished",
                "t_sim": competition.now,
                "digest": competition.digest(),
                "scoring": None,
            },
            parameters=parameters_to_dict(params),
            teams=[{"name": t.name, "bot": None} for t in competition.teams],
            members=[],
            commands=[
                {
                    "seq": e.seq,
                    "t": e.t,
                    "source": e.source,
                    "member": None,
                    "accepted": e.accepted,
                    "reason": e.reason,
                    "command": command_to_json(e.command),
                }
                for e in competition.commands
            ],
            events=[event_to_json(e) for e in competition.log],
            rubric={"criteria": [], "entries": []},
            board={"freeze_t": None, "reveal": None, "medals": None},
        )
    )


def rezip(
    archive: bytes, change: dict[str, bytes | list[bytes]], method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as target:
        for name in source.namelist():
            content = change.get(name, source.read(name))
            with target.open(name, "w", force_zip64=False) as member:
                for chunk in [content] if isinstance(content, bytes) else content:
                    member.write(chunk)
    return out.getvalue()


def padded_events(archive: bytes, total: int) -> list[bytes]:
    events = zipfile.ZipFile(io.BytesIO(archive)).read("events.jsonl")
    line = events.splitlines(keepends=True)[-1]
    block = line * (MiB // len(line))
    return [events, *[block] * ((total - len(events)) // len(block) + 1)]


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def measure(path: Path, how: str) -> dict[str, Any]:
    """One import in a fresh process: ``timed`` (time, resident memory) or ``traced`` (allocations)."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), how],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result: dict[str, Any] = json.loads(child.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    real = season_archive(args.teams, args.rounds)
    commands = zipfile.ZipFile(io.BytesIO(real)).read("commands.jsonl").splitlines()
    deep_line = b'{"t": 1, "source": "x", "accepted": true, "command": ' + deep(50_000) + b"}"
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(20_000):
            zf.writestr(f"f{i}", b"")
    cases = {
        f"season ({args.teams} teams, {args.rounds} rounds)": real,
        "events.jsonl padded to 400 MB": rezip(real, {"events.jsonl": padded_events(real, 400 * MiB)}),
        "events.jsonl padded to 60 MB": rezip(real, {"events.jsonl": padded_events(real, 60 * MiB)}),
        "events.jsonl padded to 24 MB, stored": rezip(
            real, {"events.jsonl": padded_events(real, 24 * MiB)}, zipfile.ZIP_STORED
        ),
        "manifest.json 50,000 levels deep": rezip(real, {"manifest.json": deep(50_000)}),
        "commands.jsonl line 50,000 levels deep": rezip(
            real, {"commands.jsonl": b"\n".join([*commands[:5], deep_line, *commands[5:]])}
        ),
        "commands.jsonl line of 8 MiB, stored": rezip(
            real, {"commands.jsonl": b"\n".join([*commands[:5], b"x" * 8 * MiB])}, zipfile.ZIP_STORED
        ),
        "20,000 directory entries": many.getvalue(),
    }
    print(f"{'archive':42} {'zip':>9} {'time':>8} {'py peak':>9} {'rss +':>9}  import says")
    with tempfile.TemporaryDirectory() as folder:
        for name, data in cases.items():
            path = Path(folder) / "archive.zip"
            path.write_bytes(data)
            timed, traced = (measure(path, how) for how in ("timed", "traced"))
            result = {**timed, "peak": traced["peak"]}
            said = result["said"] if len(result["said"]) < 90 else result["said"][:89] + "…"
            print(
                f"{name:42} {len(data) / MiB:7.2f}Mi {result['seconds']:7.2f}s {result['peak'] / MiB:7.1f}Mi"
                f" {result['rss'] / MiB:7.1f}Mi  {said}"
            )


if __name__ == "__main__":
    main()
