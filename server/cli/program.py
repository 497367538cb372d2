"""The ``salesfloor`` command line: simulate, sweep, replay, presets, params, serve, demo, bot,
export, import, search, balance.

Every failure ends with exit code 2 and one readable line on stderr that says what is wrong
(``salesfloor: error: segments.smb.share: 1.4 is out of range; allowed 0 to 1 fraction``).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import signal
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from market.errors import MarketError
from market.overrides import apply_overrides, parse_override, parse_value
from market.parameter_list import parameter_rows
from market.parameters import MarketParameters, parameters_from_dict
from market.presets import load_preset, preset_data, preset_names
from scoring import METRICS, ScoringError, Weights
from server.cli.args import whole_number
from server.cli.balance import BalanceError
from server.cli.balance import add_parsers as add_balance_parsers
from server.cli.console import ProgressBar, fmt, table
from server.cli.exports import ExportError
from server.cli.exports import add_parsers as add_export_parsers
from server.input.json_input import JsonInputError, parse_json
from server.input.text_rules import SURROGATE, describe, printable_path
from simulator.batch import SeasonJob, run_batch
from simulator.command_log import logged_from_json
from simulator.competition import TeamSpec
from simulator.errors import SimulatorError
from simulator.replay import replay
from simulator.season import league, play_season, replay_file, season_result
from teams.bots import BOTS, REFERENCE_LEAGUE
from teams.bots.strategy import from_spec, is_spec
from teams.errors import TeamError

SWEEP_METRICS = ("composite", "conversion", "satisfaction", "receivables", "profit")
KEEP_ALIVE_SECONDS = 30
"""How long an idle HTTP connection stays open: longer than the console's 5 s refresh, so a refresh
never meets a connection the server is closing (uvicorn's default is 5 s)."""
SHUTDOWN_GRACE_SECONDS = 5
"""How long a stop signal waits for requests under way before the server closes them: without a
bound, one slow client would keep the server from stopping."""
SHUTDOWN_DEADLINE_SECONDS = 20
"""How long the shutdown may take once the requests are done: past it the server writes where each
thread is to standard error and exits (code 1), as after a kill — the next start recovers from the
command log."""


def _stop_by_deadline() -> None:
    faulthandler.dump_traceback_later(SHUTDOWN_DEADLINE_SECONDS, exit=True)


class CliError(Exception):
    """A problem to report in one line with exit code 2."""


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


# --- the live server ------------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Any:
    from pydantic import ValidationError

    from server.settings import Settings

    overrides: dict[str, Any] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port:
        overrides["port"] = args.port
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(part) for part in first.get("loc", ())).upper() or "a setting"
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        raise CliError(f"setting {name}: {message} (from the environment or .env)") from None


def _allow_open_files(wanted: int) -> None:
    """Raise the soft limit on open files towards ``wanted`` (each websocket holds one)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft != resource.RLIM_INFINITY and soft < wanted:
        print(
            f"salesfloor: warning: at most {soft} open files (ulimit -n), fewer than the "
            f"{wanted} that WEBSOCKET_MAX_CONNECTIONS needs; raise the limit or lower the setting",
            file=sys.stderr,
        )


def _run_server(args: argparse.Namespace, demo: bool) -> int:
    import uvicorn

    from server.app import create_app
    from server.wire.ws_protocol import bounded_protocol

    settings = _settings(args)
    on_ready = None
    if demo:
        from server.live.demo import start_demo

        async def on_ready(app: Any) -> None:
            await start_demo(app, settings.host, settings.port, seed=args.seed)

    app = create_app(settings, on_ready=on_ready, on_stopping=_stop_by_deadline)
    # `kill -USR1 PID` writes where every thread is to standard error: what a hung server waits on
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    _allow_open_files(settings.websocket_max_connections + 1000)  # and some for HTTP, the database
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="warning",
            ws=bounded_protocol(settings.websocket_send_timeout, settings.websocket_send_buffer),
            ws_max_size=settings.websocket_max_message,
            ws_per_message_deflate=settings.websocket_compression,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
            proxy_headers=False,  # TRUSTED_PROXIES decides whom to believe (security/client_address.py)
        )
    except OSError as exc:
        raise CliError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}") from None
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    print(f"Salesfloor on http://{args.host or '127.0.0.1'}:{args.port or 8000} (Ctrl-C to stop)", flush=True)
    return _run_server(args, demo=False)


def cmd_demo(args: argparse.Namespace) -> int:
    return _run_server(args, demo=True)


def cmd_bot(args: argparse.Namespace) -> int:
    import asyncio

    from server.client.api_client import ApiError
    from server.client.remote_bot import play

    try:
        asyncio.run(play(args.url, args.code, args.strategy, args.name, args.role))
    except ApiError as exc:
        raise CliError(exc.detail) from None
    except OSError as exc:
        raise CliError(f"cannot reach {args.url}: {exc}") from None
    return 0


# --- parser ---------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="salesfloor", description="Salesfloor: a live CRM competition, from the command line."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

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

    for name, run, text in (
        ("serve", cmd_serve, "start the server (DATABASE_URL or salesfloor.db)"),
        ("demo", cmd_demo, "start the server with a demo competition played by house bots"),
    ):
        sv = sub.add_parser(name, help=text)
        sv.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
        sv.add_argument("--port", type=whole_number(1, 65535), default=None, help="port (default 8000)")
        if name == "demo":
            sv.add_argument(
                "--seed",
                type=whole_number(0, 2**31 - 1),
                default=None,
                help="the market's seed (default: a new one each time; the same seed plays the same market)",
            )
        sv.set_defaults(run=run)

    bt = sub.add_parser("bot", help="play a team of a live competition with a reference bot")
    bt.add_argument("--url", default="http://127.0.0.1:8000", help="the server")
    bt.add_argument("--code", required=True, help="the team's join code")
    bt.add_argument("--strategy", default="balanced", choices=sorted(BOTS))
    bt.add_argument("--name", default="bot", help="the member name the bot joins with")
    bt.add_argument("--role", default="manager", choices=("manager", "sales", "service", "finance"))
    bt.set_defaults(run=cmd_bot)

    pa = sub.add_parser("params", help="list every parameter of a preset with its range, unit and meaning")
    pa.add_argument("--preset", default="classroom")
    pa.set_defaults(run=cmd_params)

    add_export_parsers(sub)
    add_balance_parsers(sub)
    return parser


def undecodable_argument(arguments: Sequence[str]) -> str | None:
    """Why an argument is refused: the system hands bytes that are not UTF-8 over as lone
    surrogates (surrogateescape), which no answer, file or database could hold."""
    for argument in arguments:
        found = SURROGATE.search(argument)
        if found is None:
            continue
        code = ord(found.group())
        what = f"byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else describe(found.group())
        where = f"{what} at character {found.start() + 1}"
        return f"the argument '{printable_path(argument)}' is not UTF-8 text ({where}); write it in UTF-8"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    problem = undecodable_argument(arguments)
    if problem is not None:
        print(f"salesfloor: error: {problem}", file=sys.stderr)
        return 2
    args = build_parser().parse_args(arguments)
    try:
        return int(args.run(args))
    except (CliError, ExportError, BalanceError, MarketError, SimulatorError, TeamError, ScoringError) as exc:
        print(f"salesfloor: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("salesfloor: interrupted", file=sys.stderr)
        return 130
