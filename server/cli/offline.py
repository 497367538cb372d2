"""The offline commands: simulate, sweep and replay a season at full speed; list the presets and
the parameters of one.

Nothing here starts a server: a season runs in this process (``sweep`` in worker processes).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

from market.overrides import apply_overrides, parse_override, parse_value
from market.parameter_list import parameter_rows
from market.parameters import MarketParameters, parameters_from_dict
from market.presets import load_preset, preset_data, preset_names
from scoring import METRICS, Weights
from server.cli.args import CliError, whole_number
from server.cli.console import ProgressBar, fmt, table
from server.input.json_input import JsonInputError, parse_json
from simulator.batch import SeasonJob, run_batch
from simulator.command_log import logged_from_json
from simulator.competition import TeamSpec
from simulator.replay import replay
from simulator.season import league, play_season, replay_file, season_result
from teams.bots import BOTS, REFERENCE_LEAGUE
from teams.bots.strategy import from_spec, is_spec

SWEEP_METRICS = ("composite", "conversion", "satisfaction", "receivables", "profit")


def _bots(text: str) -> list[str]:
    """Bot names, each a reference bot or a point of the strategy family (``strategy:…``)."""
    names = [b.strip() for b in text.split(",") if b.strip()]
    for name in names:
        if is_spec(name):
            from_spec(name)  # TeamError says which lever is wrong
    unknown = [b for b in names if b not in BOTS and not is_spec(b)]
    if unknown or not names:
        raise CliError(
            f"unknown bot {unknown[0] if unknown else text!r}; choose from {', '.join(sorted(BOTS))}"
            ", or strategy:LEVER=VALUE;…"
        )
    return names


def _weights(text: str | None) -> Weights | None:
    """``conversion=30,satisfaction=30,...`` as Weights; metrics not named keep their default."""
    if not text:
        return None
    values: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        if not sep or name.strip() not in METRICS:
            raise CliError(
                f"--weights takes METRIC=NUMBER pairs, metrics: {', '.join(METRICS)}; got {part!r}"
            )
        try:
            values[name.strip()] = float(value)
        except ValueError:
            raise CliError(f"--weights: {value!r} is not a number") from None
    return Weights(**values)


def _parameters(args: argparse.Namespace) -> MarketParameters:
    params = load_preset(args.preset)
    overrides = [parse_override(text) for text in args.set or []]
    if getattr(args, "mode", None):
        overrides.append(("mode", args.mode))
    return apply_overrides(params, overrides) if overrides else params


def _write(path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror}") from None


# --- simulate ---------------------------------------------------------------------------------


def cmd_simulate(args: argparse.Namespace) -> int:
    params = _parameters(args)
    teams = league(args.teams, _bots(args.bots))
    bar = ProgressBar(f"{params.name} seed {args.seed}")
    competition, board = play_season(
        params, args.seed, teams, rounds=args.rounds, weights=_weights(args.weights), progress=bar.update
    )
    bar.close()
    result = season_result(competition, board)
    rows = [
        [
            str(s.rank),
            s.team,
            result.bot_of(s.team),
            fmt(s.composite),
            fmt(s.conversion),
            fmt(s.satisfaction),
            fmt(s.receivables),
            fmt(s.profit, 0),
        ]
        for s in result.standings
    ]
    headers = ["rank", "team", "bot", "composite", "conversion", "satisfaction", "receivables", "profit"]
    print(
        f"{params.name} · {params.mode} · rules v{params.rules} · {len(teams)} teams · {result.rounds} rounds"
        f" · seed {args.seed}"
    )
    print(table(headers, rows, [True, False, False, True, True, True, True, True]))
    print(f"{result.event_count:,} events · digest {result.digest[:16]}")
    if args.json:
        _write(args.json, json.dumps(result.to_json(), indent=2, allow_nan=False) + "\n")
    if args.events:
        try:
            with open(args.events, "w", encoding="utf-8", newline="") as out:
                competition.log.write_csv(out)
        except OSError as exc:
            raise CliError(f"cannot write {args.events}: {exc.strerror}") from None
    if args.commands:
        _write(args.commands, json.dumps(replay_file(competition), indent=1) + "\n")
    return 0


# --- replay -------------------------------------------------------------------------------------


def cmd_replay(args: argparse.Namespace) -> int:
    try:
        data = parse_json(Path(args.file).read_text(encoding="utf-8"), args.file)
        params = parameters_from_dict(data["parameters"])
        teams = [TeamSpec(t["name"], t.get("bot")) for t in data["teams"]]
        commands = [logged_from_json(c) for c in data["commands"]]
        seed, rounds, expected = int(data["seed"]), int(data["rounds"]), str(data["digest"])
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror}") from None
    except JsonInputError as exc:
        raise CliError(str(exc)) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise CliError(
            f"{args.file} is not a replay file written by `salesfloor simulate --commands`: {exc}"
        ) from None
    competition = replay(params, seed, teams, commands, rounds=rounds)
    digest = competition.digest()
    if digest != expected:
        raise CliError(f"replay diverged: digest {digest[:16]} instead of {expected[:16]}")
    print(
        f"replayed {len(commands):,} commands into {len(competition.log):,} events · "
        f"digest {digest[:16]} matches"
    )
    return 0


# --- sweep ----------------------------------------------------------------------------------------


def _sweep_values(text: str) -> tuple[str, list[Any]]:
    key, sep, values = text.partition("=")
    if not sep or not key.strip() or not values.strip():
        raise CliError("a sweep is written --set KEY=V1,V2,..., e.g. --set segments.smb.share=0.3,0.45")
    return key.strip(), [parse_value(v) for v in values.split(",") if v.strip()]


def cmd_sweep(args: argparse.Namespace) -> int:
    base = _parameters(argparse.Namespace(preset=args.preset, set=args.fix, mode=args.mode))
    key, values = _sweep_values(args.set)
    for value in values:  # refuse a bad value before any work starts
        apply_overrides(base, [(key, value)])
    bots = _bots(args.bots)
    weights = _weights(args.weights)
    teams = tuple(league(args.teams, bots))
    reference = next((t.name for t in teams if t.bot == args.reference), None)
    if reference is None:
        raise CliError(f"no team plays the reference bot {args.reference!r}; add it to --bots")
    jobs = [
        SeasonJob(base, seed, teams, args.rounds, ((key, value),), label=str(value), weights=weights)
        for value in values
        for seed in range(args.seed, args.seed + args.seeds)
    ]
    bar = ProgressBar(f"sweep {key}")
    summaries = run_batch(
        jobs, args.jobs, lambda done, total: bar.update(done / total, f"{done}/{total} seasons")
    )
    bar.close()
    rows, report = [], []
    for value in values:
        label = str(value)
        mine = [s.standing_of(reference) for s in summaries if s.job.label == label]
        row: dict[str, Any] = {"value": value, "rank": statistics.fmean(s.rank for s in mine)}
        cells = [label, f"{row['rank']:.1f}"]
        for metric in SWEEP_METRICS:
            xs = [getattr(s, metric) for s in mine if getattr(s, metric) is not None]
            mean = statistics.fmean(xs) if xs else None
            spread = statistics.stdev(xs) if len(xs) > 1 else 0.0 if xs else None
            row[metric] = {"mean": mean, "sd": spread}
            digits = 0 if metric == "profit" else 1
            cells.append("—" if mean is None else f"{mean:,.{digits}f} ± {spread:,.{digits}f}")
        rows.append(cells)
        report.append(row)
    print(
        f"{key} · {args.preset} · reference {args.reference} ({reference}) among {len(teams)} teams · "
        f"{args.seeds} seeds each · mean ± sd"
    )
    print(table(["value", "rank", *SWEEP_METRICS], rows, [False, *[True] * (len(SWEEP_METRICS) + 1)]))
    if args.json:
        _write(
            args.json,
            json.dumps(
                {"key": key, "reference": args.reference, "seeds": args.seeds, "results": report}, indent=2
            )
            + "\n",
        )
    return 0


# --- presets and parameters ----------------------------------------------------------------------


def cmd_presets(args: argparse.Namespace) -> int:
    rows = [[name, str(preset_data(name).get("description", ""))] for name in preset_names()]
    print(table(["preset", "description"], rows))
    return 0


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return f"{value[0]:g}:{value[1]:g}"
    return f"{value:g}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


def cmd_params(args: argparse.Namespace) -> int:
    rows = [
        [r.key, _shown(r.value), "" if r.low is None else f"{r.low:g} – {r.high:g}", r.unit, r.help]
        for r in parameter_rows(load_preset(args.preset))
    ]
    print(table(["parameter", "value", "allowed", "unit", "meaning"], rows))
    return 0


def add_parsers(sub: Any) -> None:
    """``simulate``, ``sweep``, ``replay`` and ``presets``."""
    sim = sub.add_parser(
        "simulate", help="play a season with house bots at full speed and print the standings"
    )
    sim.add_argument("--preset", default="classroom", help="market preset (see `salesfloor presets`)")
    sim.add_argument(
        "--teams", type=whole_number(1, 500), default=len(REFERENCE_LEAGUE), help="number of teams"
    )
    sim.add_argument(
        "--rounds", type=whole_number(1, 100), default=None, help="rounds (default: the preset's)"
    )
    sim.add_argument("--seed", type=whole_number(0, 2**63 - 1), default=7, help="random seed")
    sim.add_argument("--mode", choices=("shared", "mirrored"), help="market mode (default: the preset's)")
    sim.add_argument("--bots", default=",".join(REFERENCE_LEAGUE), help="bots, assigned to teams in turn")
    sim.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a parameter (repeatable)")
    sim.add_argument(
        "--weights", metavar="METRIC=W,...", help="composite weights, e.g. profit=0,receivables=30"
    )
    sim.add_argument(
        "--json", metavar="FILE", help="write standings, per-round metrics, parameters, seed, digest"
    )
    sim.add_argument("--events", metavar="FILE.csv", help="write the event log as CSV")
    sim.add_argument(
        "--commands", metavar="FILE.json", help="write a replay file (parameters, seed, command log)"
    )
    sim.set_defaults(run=cmd_simulate)

    sw = sub.add_parser(
        "sweep", help="how a reference team fares under each value of a parameter, over seeds"
    )
    sw.add_argument("--preset", default="classroom")
    sw.add_argument("--set", required=True, metavar="KEY=V1,V2,...", help="the parameter and values to sweep")
    sw.add_argument(
        "--fix", action="append", metavar="KEY=VALUE", help="other overrides held fixed (repeatable)"
    )
    sw.add_argument("--seeds", type=whole_number(1, 10_000), default=10, help="seeds per value")
    sw.add_argument("--seed", type=whole_number(0, 2**63 - 1), default=1, help="first seed")
    sw.add_argument("--teams", type=whole_number(1, 500), default=len(REFERENCE_LEAGUE))
    sw.add_argument("--rounds", type=whole_number(1, 100), default=None)
    sw.add_argument("--mode", choices=("shared", "mirrored"))
    sw.add_argument("--bots", default=",".join(REFERENCE_LEAGUE))
    sw.add_argument("--reference", default="balanced", help="the bot whose team is reported")
    sw.add_argument("--weights", metavar="METRIC=W,...", help="composite weights, e.g. profit=0")
    sw.add_argument(
        "--jobs", type=whole_number(1, 64), default=None, help="worker processes (default: cores)"
    )
    sw.add_argument("--json", metavar="FILE")
    sw.set_defaults(run=cmd_sweep)

    rp = sub.add_parser("replay", help="rebuild a season from a replay file and check its digest")
    rp.add_argument("file", help="a file written by `salesfloor simulate --commands`")
    rp.set_defaults(run=cmd_replay)

    pr = sub.add_parser("presets", help="list the market presets")
    pr.set_defaults(run=cmd_presets)


def add_params_parser(sub: Any) -> None:
    """``params``: every parameter of a preset with its range, unit and meaning."""
    pa = sub.add_parser("params", help="list every parameter of a preset with its range, unit and meaning")
    pa.add_argument("--preset", default="classroom")
    pa.set_defaults(run=cmd_params)
