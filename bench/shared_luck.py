"""Measurement: where a team's luck comes from in a shared market (issue 12, item 5).

Plays the balance league of one cell (with the equal-teams control ``balanced-twin``, whose
margin's sd is the luck between equal teams, unless ``--no-twin``) over seeded seasons and
prints, per team, what it was dealt and what it made of it: inquiries received per segment (new
and repeat), the share of its inquiries that came from customers who would pay late or never
(their risk and the terms drawn for them, not what the team did), how often its shortlist held
the at-cost `dumper`, and how much each weighted metric's points vary from season to season — in
the team's composite and in its margin over `balanced` (variance of the margin and each metric's
share: cov(metric's points margin, composite margin) ÷ var(composite margin), which sums to 1).
It ends with the correlation, over teams and seasons, between what a team was dealt (its
inquiries per segment, relative to the season's mean) and its composite's deviation from the
team's own mean. Run with
``python bench/shared_luck.py --preset classroom --mode shared --seeds 10 [--set K=V] [--no-twin]``;
``--no-twin`` plays the league as before the twin joined it and reproduces the figures measured then.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from market import events as ev
from market.overrides import parse_override
from market.parameters import MarketParameters
from scoring import composite_parts
from simulator.balance import league
from simulator.competition import TeamSpec
from simulator.evaluate import REFERENCE_TEAM, cell_parameters
from simulator.season import play_season

METRICS = ("conversion", "satisfaction", "receivables", "profit")


def season(params: MarketParameters, seed: int, teams: list[TeamSpec]) -> dict[str, dict[str, float]]:
    """Per team: what it was dealt and what it scored in one season."""
    competition, board = play_season(params, seed, teams)
    end = competition.end_t
    parts = composite_parts(board.rows(end), board.config)
    standings = {s.team: s for s in board.standings(end)}
    out: dict[str, defaultdict[str, float]] = {t.name: defaultdict(float) for t in teams}
    for team, f in out.items():
        f["composite"] = standings[team].composite
        counted = [p for p in parts[team] if p.included]
        total = sum(p.weight for p in counted)
        for p in counted:
            f[f"pts.{p.metric}"] = p.weight * p.normalised / total
    markets = {id(m): m for m in competition.markets.values()}
    customers = {cid: c for m in markets.values() for cid, c in m.customers.items()}
    request_teams: dict[str, list[str]] = defaultdict(list)
    for event in competition.log:
        if isinstance(event, ev.InquiryReceived) and event.team in out:
            f = out[event.team]
            kind = "repeat" if event.repeat else "new"
            f[f"inq.{event.segment}"] += 1
            f[f"inq.{kind}"] += 1
            f["inq"] += 1
            c = customers.get(event.customer_id)
            if c is not None and c.risk > c.segment.risk_spread * 0.674:  # grade D: top quartile
                f["inq.riskD"] += 1
            request_teams[event.request_id].append(event.team)
        elif isinstance(event, ev.OrderWon) and event.team in out:
            out[event.team][f"won.{event.segment}"] += 1
            out[event.team]["units"] += event.quantity
    if params.mode == "shared":
        for teams_asked in request_teams.values():
            if "dumper" in teams_asked:
                for t in teams_asked:
                    if t != "dumper" and t in out:
                        out[t]["with_dumper"] += 1
    for m in markets.values():
        for r in m.receivables.items.values():
            if r.team in out:
                out[r.team]["invoices"] += 1
                out[r.team]["never_pays"] += math.isinf(r.pay_t)
    return {t: dict(f) for t, f in out.items()}


def sd(values: list[float]) -> float:
    return statistics.stdev(values) if len(values) > 1 else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="classroom")
    parser.add_argument("--mode", default="shared")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--set", action="append", default=[], help="override KEY=VALUE")
    parser.add_argument("--no-twin", action="store_true", help="leave the equal-teams control out")
    args = parser.parse_args()
    params = cell_parameters(args.preset, args.mode, [parse_override(t) for t in args.set])
    teams = league(None, twin=not args.no_twin)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    seasons = [season(params, seed, teams) for seed in seeds]
    names = [t.name for t in teams]
    segs = [s.id for s in params.segments]

    def col(team: str, key: str) -> list[float]:
        return [s[team].get(key, 0.0) for s in seasons]

    print(f"## {args.preset} · {args.mode}, seeds {seeds.start}–{seeds.stop - 1}\n")
    head = (
        ["team", "composite sd"]
        + [f"inq {s} (sd)" for s in segs]
        + ["new/repeat", "D-risk %", "never pays %"]
    )
    if params.mode == "shared":
        head.append("asked beside dumper %")
    print("| " + " | ".join(head) + " |")
    print("|---" * len(head) + "|")
    for team in names:
        inq = col(team, "inq")
        cells = [team, f"{statistics.fmean(col(team, 'composite')):.1f} ± {sd(col(team, 'composite')):.1f}"]
        cells += [
            f"{statistics.fmean(col(team, f'inq.{s}')):.1f} ({sd(col(team, f'inq.{s}')):.1f})" for s in segs
        ]
        cells.append(
            f"{statistics.fmean(col(team, 'inq.new')):.0f}/{statistics.fmean(col(team, 'inq.repeat')):.0f}"
        )
        cells.append(f"{100 * sum(col(team, 'inq.riskD')) / max(1.0, sum(inq)):.0f}")
        cells.append(f"{100 * sum(col(team, 'never_pays')) / max(1.0, sum(col(team, 'invoices'))):.1f}")
        if params.mode == "shared":
            cells.append(f"{100 * sum(col(team, 'with_dumper')) / max(1.0, sum(inq)):.0f}")
        print("| " + " | ".join(cells) + " |")
    print()
    print("Variance of the margin over balanced and each metric's share of it (cov ÷ var):\n")
    print("| team | margin | sd | " + " | ".join(METRICS) + " |")
    print("|---" * (3 + len(METRICS)) + "|")
    for team in names:
        if team == REFERENCE_TEAM:
            continue
        diff = [a - b for a, b in zip(col(team, "composite"), col(REFERENCE_TEAM, "composite"), strict=True)]
        var = statistics.pvariance(diff) or 1e-9
        mean_diff = statistics.fmean(diff)
        shares = []
        for m in METRICS:
            d = [a - b for a, b in zip(col(team, f"pts.{m}"), col(REFERENCE_TEAM, f"pts.{m}"), strict=True)]
            md = statistics.fmean(d)
            cov = statistics.fmean([(x - md) * (y - mean_diff) for x, y in zip(d, diff, strict=True)])
            shares.append(f"{cov / var:.2f}")
        print(f"| {team} | {mean_diff:+.1f} | {math.sqrt(var):.1f} | " + " | ".join(shares) + " |")
    print()
    print("What a team was dealt against its composite: r over seasons, per team (pooling teams")
    print("hides opposite signs: more key accounts help a team that earns on them, hurt a dumper):\n")
    active = [t for t in names if t != "passive"]
    print("| dealt | " + " | ".join(active) + " |")
    print("|---" * (1 + len(active)) + "|")
    for key in ["inq", *[f"inq.{s}" for s in segs], "inq.riskD", "never_pays", "with_dumper"]:
        cells = []
        for team in active:
            x, y = col(team, key), col(team, "composite")
            mx, my = statistics.fmean(x), statistics.fmean(y)
            sxy = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
            sx = math.sqrt(sum((a - mx) ** 2 for a in x))
            sy = math.sqrt(sum((b - my) ** 2 for b in y))
            cells.append(f"{sxy / (sx * sy):+.2f}" if sx and sy else "—")
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
