"""``salesfloor search`` and ``salesfloor balance``: the adversarial search and the balance matrix.

``search`` looks, in every shipped preset and both modes, for the strategy of the family
that does best against the reference league, and prints it with its held-out margin over
``balanced`` and what it does in words. ``balance`` runs the same search, then plays every
cell's league (balanced, every degenerate bot, the equal-teams control ``balanced-twin`` and the
search's best) over ``--seeds`` seasons and prints the matrix as Markdown — ``--write
docs/balance.md`` regenerates the doc.
The report ends its matrix with each cell's luck (the spread of the gap between two teams that
play balanced) and says, per cell, whether a graded single season meets the issue's goal.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from market.errors import MarketError
from market.overrides import parse_override
from market.presets import preset_names
from server.cli.args import whole_number
from server.cli.balance_figures import needed, pct, pm, table_head, table_row
from server.cli.graded_season import DEFINITIONS, graded_season_markdown
from simulator.balance import BEST_TEAM, MODES, Cell, measure_cell
from simulator.evaluate import cell_parameters
from simulator.luck import TWIN_TEAM
from simulator.search import Found, SearchSettings, search_cell
from teams.bots import DEGENERATE

HELD_OUT_BASE = 50_000
"""The search's held-out seeds are 50000, 50001, …; the matrix plays seeds 0, 1, … — a third sample."""


class BalanceError(Exception):
    """A problem to report in one line with exit code 2."""


def _names(text: str, known: Sequence[str], what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise BalanceError(
            f"unknown {what} {unknown[0] if unknown else text!r}; choose from {', '.join(known)}"
        )
    return names


def _cells(args: argparse.Namespace) -> list[tuple[int, str, str]]:
    presets = _names(args.presets, preset_names(), "preset") if args.presets else preset_names()
    modes = _names(args.modes, MODES, "mode") if args.modes else list(MODES)
    order = [(p, m) for p in preset_names() for m in MODES]
    return [(order.index((p, m)), p, m) for p in presets for m in modes]


def _overrides(args: argparse.Namespace) -> list[tuple[str, Any]]:
    try:
        return [parse_override(text) for text in args.set or []]
    except MarketError as exc:
        raise BalanceError(str(exc)) from None


def _settings(args: argparse.Namespace, held_out: int) -> SearchSettings:
    return SearchSettings(
        candidates=args.candidates,
        refine_rounds=args.refine,
        refine_width=args.width,
        training_seeds=args.training_seeds,
        held_out=tuple(range(HELD_OUT_BASE, HELD_OUT_BASE + held_out)),
        seed=args.search_seed,
        workers=args.jobs,
    )


def _say(text: str) -> None:
    print(f"… {text}", flush=True)


def run_search(
    args: argparse.Namespace, held_out: int, progress: Callable[[str], None] | None = _say
) -> list[Found]:
    overrides = _overrides(args)
    settings = _settings(args, held_out)
    found = []
    for index, preset, mode in _cells(args):
        try:
            params = cell_parameters(preset, mode, overrides)
        except MarketError as exc:
            raise BalanceError(str(exc)) from None
        found.append(search_cell(preset, mode, params, settings, index, progress))
    return found


# --- text ----------------------------------------------------------------------------------------------


def search_markdown(found: Sequence[Found]) -> list[str]:
    out = []
    for f in found:
        n = f.margin.n
        verdict = "beats balanced" if f.beats_balanced else "within the noise of balanced or below"
        out += [
            f"### {f.preset} · {f.mode}",
            "",
            f"`{f.spec}`",
            "",
            f"Held-out margin over balanced {pm(f.margin.mean, f.margin.se)} ({verdict}), net of its seat's "
            f"luck ({pm(f.seat.mean, f.seat.se)}: balanced itself in the seat); ahead of balanced in the "
            f"seat in {f.wins} of {n} held-out seasons; training margin {f.training_margin:+.1f}; "
            f"{f.evaluated} strategies tried. Single-lever extremes: {', '.join(f.extremes) or 'none'}.",
            "",
            *(f"- {line}" for line in f.words),
            "",
        ]
    return out


def matrix_markdown(cells: Sequence[Cell]) -> list[str]:
    teams = [*DEGENERATE, BEST_TEAM]
    head = [
        "preset",
        "mode",
        "holds",
        *teams,
        "one season agrees",
        "balanced outranks (lowest)",
        "luck (equal teams' gap sd)",
    ]
    out = table_head(head)
    for cell in cells:
        values = []
        for team in teams:
            row = next((r for r in cell.rows if r.team == team), None)
            if row is None:
                values.append("—")
            else:
                mark = "" if not row.degenerate else " ✓" if row.below_balanced else " ✗"
                values.append(f"{pm(row.margin.mean, row.margin.se)}{mark}")
        lowest, share = cell.balanced_share_lowest
        out.append(
            table_row(
                [
                    cell.preset,
                    cell.mode,
                    "yes" if cell.holds else f"**no** ({len(cell.failing)})",
                    *values,
                    pct(cell.agreement_median),
                    f"{pct(share)} ({lowest})",
                    f"{cell.equal.luck:.1f}",
                ]
            )
        )
    return out


def cell_markdown(cell: Cell) -> list[str]:
    out = [
        f"### {cell.preset} · {cell.mode} ({cell.seeds} seasons)",
        "",
        "| team | composite | margin over balanced | outranks balanced | balanced outranks it |",
        "|---|---|---|---|---|",
    ]
    for r in sorted(cell.rows, key=lambda r: -r.composite.mean):
        share = "—" if r.team == "balanced" else pct(r.balanced_beats / cell.seeds)
        out.append(
            f"| {r.team} | {r.composite.mean:.1f} ± {r.composite.se:.1f} | "
            f"{pm(r.margin.mean, r.margin.se) if r.team != 'balanced' else '—'} | "
            f"{r.beats_balanced} of {cell.seeds} | {share} |"
        )
    pairs = sorted(cell.pairs, key=lambda p: (p.agree, p.first, p.second))
    lowest = pairs[0] if pairs else None
    failing = ", ".join(f"{r.team} ({pm(r.margin.mean, r.margin.se)})" for r in cell.failing)
    out += [
        "",
        f"Balanced above every degenerate bot by more than two standard errors: "
        f"{'yes' if cell.holds else 'no — ' + failing}. "
        f"A single season orders a pair of teams as their means do: median {pct(cell.agreement_median)}"
        + (f", lowest {pct(lowest.agree)} ({lowest.first} vs {lowest.second})." if lowest else ".")
        + f" Luck (sd of the equal teams' gap in one season): {cell.equal.luck:.1f}; needed margin "
        f"{needed(cell.equal.needed_margin)}.",
        "",
    ]
    return out


SEARCH_METHOD = [
    "In each cell the search plays a candidate team beside one team per original reference bot "
    "(`balanced`, `eager`, `dumper`, `lax`, `lavish`, `passive`) and scores it by its mean margin "
    "over `balanced` on training seeds (100000, 100001, …). It samples random points of the strategy "
    "family (half with every lever drawn, half `balanced` with two to eight levers redrawn), then "
    "refines the best by changing one or two levers at a time and keeping a change only if it scores "
    "higher. Its three best are played on held-out seeds (50000, 50001, …) and the best there is "
    "reported — and then plays in the matrix above, on seeds 0, 1, …, a third sample it was never "
    "chosen on. Every candidate plays in the same seat, which in a shared market meets customers of "
    "its own: the margins are net of that seat's luck — less those of `balanced` itself played in the "
    "seat on the same seeds (printed beside each). "
    "The bot name in backticks replays it: `salesfloor simulate --bots 'balanced,NAME'`.",
]


def balance_markdown(cells: Sequence[Cell], found: Sequence[Found], command: str, seconds: float) -> str:
    lines = [
        "# Balance",
        "",
        f"Generated by `{command}` in {seconds / 60:.0f} minutes; regenerate it the same way, do not "
        "edit it by hand. Method, definitions and what the figures say: "
        "[strategy-search.md](strategy-search.md).",
        "",
        "Each cell is a shipped preset in one market mode. Every season of a cell is played by "
        "one team each of `balanced`, the degenerate bots (`eager` list price only, `dumper` "
        "maximum discount, `cod` no credit, `lender` all credit, `forgetful` never collects, "
        "`forgiver` writes everything off, `lax`, `lavish`, `passive`), the equal-teams control "
        f"`{TWIN_TEAM}` (a second team playing `balanced`; not a degenerate bot, not counted in "
        "*holds*, *one season agrees* nor *balanced outranks*) and the search's best "
        "strategy for the cell (`search-best`). A margin is a team's composite minus balanced's "
        "in the same season: mean ± one standard error. ✓: the degenerate bot is below balanced "
        "by more than two standard errors; ✗: it is not. *One season agrees*: the median over "
        "all pairs of teams of the share of single seasons that order the pair as their means do. "
        "*Balanced outranks (lowest)*: the share of single seasons in which balanced ranks above "
        "the degenerate bot it beats least often. " + DEFINITIONS,
        "",
        "## The matrix: margin over balanced",
        "",
        *matrix_markdown(cells),
        "",
        *graded_season_markdown(cells),
        "## Cell by cell",
        "",
    ]
    for cell in cells:
        lines += cell_markdown(cell)
    if found:
        lines += ["## The search's best strategies", "", *SEARCH_METHOD, "", *search_markdown(found)]
    return "\n".join(lines).rstrip() + "\n"


# --- commands --------------------------------------------------------------------------------------------


def _found_json(f: Found) -> dict[str, Any]:
    return {
        "preset": f.preset,
        "mode": f.mode,
        "strategy": f.spec,
        "margin": f.margin.mean,
        "se": f.margin.se,
        "seat": f.seat.mean,
        "seat_se": f.seat.se,
        "wins": f.wins,
        "seasons": f.margin.n,
        "training_margin": f.training_margin,
        "evaluated": f.evaluated,
        "extremes": list(f.extremes),
        "words": list(f.words),
    }


def command_line(args: argparse.Namespace) -> str:
    """The `salesfloor balance` command that regenerates this report (options not at their default)."""
    parts = ["salesfloor balance", f"--seeds {args.seeds}"]
    defaults = {
        "search_seed": 0,
        "candidates": 24,
        "refine": 4,
        "width": 6,
        "training_seeds": 3,
        "search_seeds": 10,
    }
    for name, default in defaults.items():
        if getattr(args, name) != default:
            parts.append(f"--{name.replace('_', '-')} {getattr(args, name)}")
    for name in ("presets", "modes"):
        if getattr(args, name):
            parts.append(f"--{name} {getattr(args, name)}")
    parts += [f"--set {text}" for text in args.set or []]
    if args.no_search:
        parts.append("--no-search")
    if args.write:
        parts.append(f"--write {args.write}")
    return " ".join(parts)


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BalanceError(f"cannot write {path}: {exc.strerror}") from None


def cmd_search(args: argparse.Namespace) -> int:
    found = run_search(args, args.seeds)
    print("\n".join(search_markdown(found)))
    if args.json:
        _write(args.json, json.dumps([_found_json(f) for f in found], indent=2) + "\n")
    return 0


def cmd_balance(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    found = [] if args.no_search else run_search(args, args.search_seeds)
    best = {(f.preset, f.mode): f.strategy for f in found}
    overrides = _overrides(args)
    cells = []
    for _, preset, mode in _cells(args):
        params = cell_parameters(preset, mode, overrides)
        cells.append(
            measure_cell(preset, mode, params, range(args.seeds), best.get((preset, mode)), args.jobs)
        )
        _say(f"{preset}/{mode}: {'holds' if cells[-1].holds else 'fails'}")
    text = balance_markdown(cells, found, command_line(args), time.perf_counter() - started)
    print(text)
    if args.write:
        _write(args.write, text)
    return 0 if all(c.holds for c in cells) or not args.strict else 1


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--presets", metavar="A,B", help="presets (default: every shipped preset)")
    p.add_argument("--modes", metavar="shared,mirrored", help="market modes (default: both)")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter in every cell")
    p.add_argument("--search-seed", type=whole_number(0, 2**63 - 1), default=0, help="seed of the search")
    p.add_argument(
        "--candidates", type=whole_number(0, 10_000), default=24, help="random strategies per cell"
    )
    p.add_argument("--refine", type=whole_number(0, 1000), default=4, help="rounds of local refinement")
    p.add_argument("--width", type=whole_number(1, 1000), default=6, help="neighbours tried per round")
    p.add_argument(
        "--training-seeds", type=whole_number(1, 1000), default=3, help="training seasons per strategy"
    )
    p.add_argument("--jobs", type=whole_number(1, 64), default=None, help="worker processes (default: cores)")


def add_parsers(sub: Any) -> None:
    se = sub.add_parser(
        "search", help="search the strategy family for the best response to the reference bots"
    )
    _common(se)
    se.add_argument("--seeds", type=whole_number(2, 10_000), default=10, help="held-out seasons per finalist")
    se.add_argument("--json", metavar="FILE", help="write the strategies found as JSON")
    se.set_defaults(run=cmd_search)

    ba = sub.add_parser(
        "balance", help="the balance matrix: every preset × mode × reference bots and the search's best"
    )
    _common(ba)
    ba.add_argument("--seeds", type=whole_number(2, 10_000), default=20, help="seasons per cell")
    ba.add_argument(
        "--search-seeds", type=whole_number(2, 10_000), default=10, help="held-out seasons of the search"
    )
    ba.add_argument("--no-search", action="store_true", help="leave the search's best out")
    ba.add_argument("--write", metavar="FILE.md", help="write the report (e.g. docs/balance.md)")
    ba.add_argument("--strict", action="store_true", help="exit 1 when a cell does not hold")
    ba.set_defaults(run=cmd_balance)
