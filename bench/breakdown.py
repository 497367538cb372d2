"""Measurement: why one team beats another in a balance cell, metric by metric and experience by experience.

Plays the balance league of one cell (``balanced``, every degenerate bot, the equal-teams
control ``balanced-twin`` unless ``--no-twin`` and, with ``--best``, the search's best strategy)
over seeded seasons and prints, per team, the mean composite and what each weighted metric adds
to it (w·m ÷ Σw), the margin over ``balanced`` per metric (paired per season, ± one standard
error), the funnel per segment (inquiries, won, declined for want of cash, gross margin), the
money (profit, expected loss, write-offs, costs) and the experiences the team gave by cause
(count and mean experience x). Run with
``python bench/breakdown.py --preset calm --mode shared --seeds 10 [--team dumper] [--set K=V]``;
``--no-twin`` plays the league as it was before the twin joined it (in a shared market every team
changes which customers the others meet), which reproduces the figures measured then.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from market import events as ev
from market.overrides import parse_override
from market.parameters import MarketParameters
from scoring import composite_parts
from scoring.satisfaction import Experience
from simulator.balance import league
from simulator.competition import Competition, TeamSpec
from simulator.evaluate import REFERENCE_TEAM, cell_parameters
from simulator.season import play_season
from teams.bots.strategy import from_spec

METRICS = ("conversion", "satisfaction", "receivables", "profit")


def season_figures(
    params: MarketParameters, seed: int, teams: Sequence[TeamSpec]
) -> dict[str, dict[str, float]]:
    """Per team: a flat dict of figures for one season."""
    competition, board = play_season(params, seed, teams)
    end = competition.end_t
    rows = board.rows(end)
    parts = composite_parts(rows, board.config)
    standings = {s.team: s for s in board.standings(end)}
    metrics = board.metrics(end)
    unit_cost = params.product.unit_cost
    order_cost = params.product.order_cost
    out: dict[str, defaultdict[str, float]] = {}
    for spec in teams:
        team = spec.name
        f: defaultdict[str, float] = defaultdict(float)
        f["composite"] = standings[team].composite
        counted = [p for p in parts[team] if p.included]
        total = sum(p.weight for p in counted)
        for p in counted:
            f[f"pts.{p.metric}"] = p.weight * p.normalised / total
            f[f"m.{p.metric}"] = p.normalised
        m = metrics[team]
        f["profit"] = m.profit
        f["invoiced"] = m.invoiced
        f["expected_loss"] = m.expected_loss or 0.0
        f["written_off"] = m.written_off
        f["won"], f["lost"], f["declined"], f["expired"] = m.won, m.lost, m.declined, m.expired
        f["inquiries"] = m.inquiries
        f["experiences"] = m.experiences
        f["cash_end"] = m.cash
        for item in board.explain(team, "satisfaction").items:
            if isinstance(item, Experience):
                f[f"x.n.{item.cause}"] += 1
                f[f"x.sum.{item.cause}"] += item.experience
        out[team] = f
    segment_of: dict[str, str] = {}
    for event in competition.log:
        owner = getattr(event, "team", None)
        if not isinstance(owner, str) or owner not in out:
            continue
        f = out[owner]
        if isinstance(event, ev.InquiryReceived):
            segment_of[event.inquiry_id] = event.segment
            f[f"seg.{event.segment}.inquiries"] += 1
        elif isinstance(event, ev.InquiryDeclined):
            f[f"seg.{segment_of.get(event.inquiry_id, '?')}.declined"] += 1
        elif isinstance(event, ev.OrderWon):
            f[f"seg.{event.segment}.won"] += 1
            f[f"seg.{event.segment}.margin"] += event.quantity * (event.unit_price - unit_cost) - order_cost
            f[f"seg.{event.segment}.terms"] += event.terms_days
        elif isinstance(event, ev.OrderVoided):
            f["voided"] += 1
        elif isinstance(event, ev.CreditChecked | ev.AccountCared | ev.ComplaintResolved):
            f[f"cost.{type(event).__name__}"] += getattr(event, "cost", 0.0)
    _open_book(competition, params, out)
    return {team: dict(f) for team, f in out.items()}


def _open_book(
    competition: Competition, params: MarketParameters, out: dict[str, defaultdict[str, float]]
) -> None:
    """The invoices still open at the end: what scoring expects to lose on them and what the market
    has drawn for them (never paid, or paid after the hand-over age: a collector keeps 40 %)."""
    hours_day = params.calendar.hours(1.0)
    horizon = max(params.service.writeoff_after_days, 1.0)
    handover = params.calendar.hours(params.service.writeoff_after_days * 2 / 3)
    end = competition.end_t
    seen = set()
    for market in competition.markets.values():
        if id(market) in seen:
            continue
        seen.add(id(market))
        for r in market.receivables.items.values():
            if r.team not in out or not r.open or r.outstanding <= 0.005:
                continue
            f = out[r.team]
            d = (end - r.due_t) / hours_day
            pd = 0.03 if d <= 0 else 0.03 + 0.97 * min(1.0, d / horizon)
            where = "current" if d <= 0 else "pastdue"
            f[f"open.{where}.amount"] += r.outstanding
            f[f"open.{where}.scored_loss"] += r.outstanding * pd
            drawn = (
                r.outstanding
                if math.isinf(r.pay_t)
                else 0.4 * r.outstanding
                if r.pay_t > r.due_t + handover
                else 0.0
            )
            f[f"open.{where}.drawn_loss"] += drawn


def mean_se(values: list[float]) -> str:
    if not values:
        return "—"
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return f"{mean:+.1f} ± {se:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="classroom")
    parser.add_argument("--mode", default="shared")
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--best", default=None, help="the search's best strategy of the cell (its spec)")
    parser.add_argument("--team", action="append", help="teams to detail (default: every team)")
    parser.add_argument("--set", action="append", default=[], help="override KEY=VALUE")
    parser.add_argument(
        "--add", action="append", default=[], help="one more team NAME=BOT (e.g. long=strategy:floor=15)"
    )
    parser.add_argument("--no-twin", action="store_true", help="leave the equal-teams control out")
    args = parser.parse_args()
    params = cell_parameters(args.preset, args.mode, [parse_override(t) for t in args.set])
    teams = league(from_spec(args.best) if args.best else None, twin=not args.no_twin)
    teams += [TeamSpec(*text.split("=", 1)) for text in args.add]
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    seasons = [season_figures(params, seed, teams) for seed in seeds]
    names = [t.name for t in teams]
    shown = args.team or names
    keys = sorted({k for s in seasons for f in s.values() for k in f})

    def col(team: str, key: str) -> list[float]:
        return [s[team].get(key, 0.0) for s in seasons]

    print(f"## {args.preset} · {args.mode}, seeds {seeds.start}–{seeds.stop - 1}\n")
    print("| team | composite | margin | " + " | ".join(f"{m} pts (margin)" for m in METRICS) + " |")
    print("|---" * (3 + len(METRICS)) + "|")
    for team in names:
        diff = [a - b for a, b in zip(col(team, "composite"), col(REFERENCE_TEAM, "composite"), strict=True)]
        cells = []
        for m in METRICS:
            own = col(team, f"pts.{m}")
            d = [a - b for a, b in zip(own, col(REFERENCE_TEAM, f"pts.{m}"), strict=True)]
            cells.append(f"{statistics.fmean(own):.1f} ({mean_se(d)})")
        print(
            f"| {team} | {statistics.fmean(col(team, 'composite')):.1f} | {mean_se(diff)} | "
            + " | ".join(cells)
            + " |"
        )
    print()
    for team in shown:
        if team not in names:
            continue
        print(f"### {team}")
        figures = []
        for key in keys:
            if key.startswith(("pts.", "x.sum.")):
                continue
            own = col(team, key)
            ref = col(REFERENCE_TEAM, key)
            figures.append(f"{key} {statistics.fmean(own):.2f} (balanced {statistics.fmean(ref):.2f})")
        for key in keys:
            if key.startswith("x.n."):
                cause = key[4:]
                n, s = sum(col(team, key)), sum(col(team, f"x.sum.{cause}"))
                rn, rs = sum(col(REFERENCE_TEAM, key)), sum(col(REFERENCE_TEAM, f"x.sum.{cause}"))
                figures.append(
                    f"x̄.{cause} {s / n if n else math.nan:.3f} (balanced {rs / rn if rn else math.nan:.3f})"
                )
        print("; ".join(figures))
        print()


if __name__ == "__main__":
    main()
