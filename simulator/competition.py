"""A competition: SimPy environment + market(s) + desks + rounds + clock + event log.

Time moves only through :meth:`Competition.advance_to`, which processes every simulation
event up to and including the target time. A command applied at time ``t`` therefore sees
the world exactly as it was after everything up to ``t`` happened — live (the server's
runner advances to the moment a command arrived, or stops the clock at a round's end) and in
fast-forward (bots' commands are queued with their times) alike — and replaying the timed
command log reproduces the event log byte for byte, however the advancing was sliced. Team
commands from people, bots and the instructor are logged; commands the team's own automation
makes are not, since the policies themselves are replayed.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import unicodedata
from collections import deque
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import simpy

from market import events as ev
from market.market import Market
from market.parameters import MarketParameters
from simulator.errors import SimulatorError
from simulator.event_log import EventLog
from simulator.instructor import (
    Announce,
    ApplyShock,
    ChangeParameters,
    InstructorCommand,
    announcement_events,
    change_events,
    changed_parameters,
    shock_events,
)
from teams import commands as c
from teams.automation import automated_commands
from teams.bots import Bot, make_bot
from teams.commands import EventSpec
from teams.desk import Desk
from teams.errors import CommandRefused, TeamError
from teams.rules import DeskRules

TEAM_NAME_MAX = 40


def is_team_name(name: str) -> bool:
    """1–40 letters of any script (红队, Red, टीम with its vowel signs), digits, spaces, _ or -,
    starting with a letter or digit. Letters and digits are the Unicode categories L* and N*;
    after the first character the combining marks (M*) that many scripts write letters with."""
    if not 1 <= len(name) <= TEAM_NAME_MAX or unicodedata.category(name[0])[0] not in "LN":
        return False
    return all(ch in " _-" or unicodedata.category(ch)[0] in "LNM" for ch in name[1:])


AnyCommand = c.Command | InstructorCommand


@dataclass(frozen=True, slots=True)
class TeamSpec:
    """A team of the competition and, for a house team, the bot that plays it."""

    name: str
    bot: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a command: accepted (with its events' seqs) or refused with a reason."""

    accepted: bool
    reason: str = ""
    code: str = ""
    events: tuple[int, ...] = ()
    t: float = 0.0
    """Simulated time the command was applied at."""
    rule: str = ""
    """A refusal's rule, for a page to explain it in its language (teams.errors.CommandRefused)."""
    values: Mapping[str, float | str] = field(default_factory=dict)
    """The values a refusal's reason is made of (the field, the value sent, the bounds, amounts)."""


@dataclass(frozen=True, slots=True)
class LoggedCommand:
    """One entry of the command log: when, from whom, what, and whether it was accepted."""

    seq: int
    t: float
    source: str
    command: AnyCommand
    accepted: bool
    reason: str
    code: str = ""
    """Why it was refused, for programs (``CommandRefused.code``: ``conflict``, ``not_found`` …);
    empty when accepted. A replay refuses a command with the same code, so the status of a
    refusal can be told again from the log alone (server.live.idempotency, after a crash)."""
    rule: str = field(default="", compare=False)
    """A refusal's rule and the values its reason is made of (``Outcome.rule``, ``Outcome.values``):
    kept in memory by the competition that applied (or replayed) the command, not in log files."""
    values: Mapping[str, float | str] = field(default_factory=dict, compare=False)


def _team_specs(teams: Sequence[TeamSpec | str]) -> list[TeamSpec]:
    specs = [t if isinstance(t, TeamSpec) else TeamSpec(t) for t in teams]
    if not specs:
        raise SimulatorError("a competition needs at least one team")
    names = [s.name for s in specs]
    for name in names:
        if not is_team_name(name):
            raise SimulatorError(
                f"team name {name!r} is not allowed; use 1-40 letters (any language), digits, spaces,"
                " _ or -, starting with a letter or digit"
            )
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SimulatorError(f"team names must be unique; {duplicates[0]!r} appears twice")
    return sorted(specs, key=lambda s: s.name)


class Competition:
    """One competition, from the first round to the last."""

    def __init__(
        self,
        params: MarketParameters,
        seed: int,
        teams: Sequence[TeamSpec | str],
        *,
        rounds: int | None = None,
        rules: DeskRules | None = None,
        bots: bool = True,
    ) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise SimulatorError(f"the seed must be a whole number of 0 or more, got {seed!r}")
        self.params = params
        self.seed = seed
        self.teams = _team_specs(teams)
        self.rounds = rounds if rounds is not None else params.rounds
        if not 1 <= self.rounds <= 100:
            raise SimulatorError(f"rounds must be from 1 to 100, got {self.rounds}")
        self.calendar = params.calendar
        self.end_t = self.rounds * self.calendar.round_hours
        self.env = simpy.Environment()
        self.log = EventLog()
        self.commands: list[LoggedCommand] = []
        self._queue: deque[ev.Event] = deque()
        self._dispatching = False
        self._listeners: list[Callable[[ev.Event], None]] = []
        self._pending: list[tuple[float, int, str, AnyCommand]] = []
        self._pending_serial = 0
        names = [t.name for t in self.teams]
        if params.mode == "shared":
            shared = Market(self.env, params, seed, names, self.emit, self._can_pay)
            self.markets = dict.fromkeys(names, shared)
        else:
            self.markets = {
                name: Market(self.env, params, seed, [name], self.emit, self._can_pay) for name in names
            }
        self.desks = {name: Desk(name, self.markets[name], rules) for name in names}
        self.bots: dict[str, Bot] = {}
        if bots:
            try:
                self.bots = {t.name: make_bot(t.bot, t.name, params) for t in self.teams if t.bot}
            except TeamError as exc:
                raise SimulatorError(str(exc)) from None
        self._start()

    # --- set-up ------------------------------------------------------------------------------

    def _start(self) -> None:
        for spec in self.teams:
            self.emit(ev.TeamJoined, team=spec.name, starting_cash=self.params.starting_cash)
        for market in dict.fromkeys(self.markets.values()):
            market.start()
        self.env.process(self._round_clock())
        for name, bot in self.bots.items():
            self._plan(name, 0.0, bot.start(self.desks[name].ledger))

    def _can_pay(self, team: str, amount: float) -> bool:
        return self.desks[team].ledger.cash >= amount - 1e-9

    def _round_clock(self) -> Generator[simpy.Event, Any, None]:
        for r in range(1, self.rounds + 1):
            self.emit(ev.RoundStarted, round=r)
            yield self.env.timeout(self.calendar.round_start(r + 1) - self.env.now)
            self.emit(ev.RoundEnded, round=r)

    # --- events ------------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return float(self.env.now)

    @property
    def finished(self) -> bool:
        return self.now >= self.end_t and self.env.peek() > self.end_t

    def subscribe(self, listener: Callable[[ev.Event], None]) -> None:
        """Call ``listener`` with every event from now on, in log order."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[ev.Event], None]) -> None:
        """Stop calling ``listener``."""
        self._listeners.remove(listener)

    def emit(self, kind: type[ev.Event], **fields: Any) -> ev.Event:
        """Append an event at the current time and let everybody observe it, in log order."""
        event = kind(seq=len(self.log), t=self.now, **fields)
        self.log.append(event)
        self._queue.append(event)
        if not self._dispatching:
            self._drain()
        return event

    def _emit_all(self, specs: list[EventSpec]) -> tuple[int, ...]:
        was = self._dispatching
        self._dispatching = True
        try:
            seqs = tuple(self.emit(kind, **fields).seq for kind, fields in specs)
        finally:
            self._dispatching = was
        if not was:
            self._drain()
        return seqs

    def _drain(self) -> None:
        self._dispatching = True
        try:
            while self._queue:
                self._dispatch(self._queue.popleft())
        finally:
            self._dispatching = False

    def _dispatch(self, event: ev.Event) -> None:
        team = getattr(event, "team", None)
        if team is None:
            for market in dict.fromkeys(self.markets.values()):
                market.observe(event)
            for name, bot in self.bots.items():
                self._plan(name, event.t, bot.react(event, self.desks[name].ledger))
        else:
            desk = self.desks[team]
            desk.observe(event)
            self.markets[team].observe(event)
            for when, command in automated_commands(desk.ledger, event):
                self._automate(when, command)
            own_bot = self.bots.get(team)
            if own_bot is not None:
                self._plan(team, event.t, own_bot.react(event, desk.ledger))
        for listener in self._listeners:
            listener(event)

    # --- commands --------------------------------------------------------------------------------------

    def _plan(self, team: str, t: float, reactions: list[tuple[float, c.Command]]) -> None:
        for delay, command in reactions:
            if not delay > 0 or not math.isfinite(delay):
                raise SimulatorError(
                    f"bot of team {team} planned a command with delay {delay!r}; delays must be > 0"
                )
            self._pending_serial += 1
            heapq.heappush(self._pending, (t + delay, self._pending_serial, "bot", command))

    def _automate(self, when: float, command: c.Command) -> None:
        def run(_event: simpy.Event) -> None:
            self._apply(command)

        self.env.timeout(max(0.0, when - self.now)).callbacks.append(run)

    def _apply(self, command: AnyCommand) -> Outcome:
        try:
            if isinstance(command, ApplyShock):
                specs = shock_events(command, self.params)
            elif isinstance(command, Announce):
                specs = announcement_events(command)
            elif isinstance(command, ChangeParameters):
                new_params = changed_parameters(command, self.params)
                specs = change_events(command)
                self._set_parameters(new_params)
            else:
                desk = self.desks.get(command.team)
                if desk is None:
                    raise CommandRefused(
                        "not_found", f"there is no team {command.team!r} in this competition"
                    )
                specs = desk.decide(command, self.now)
        except CommandRefused as refusal:
            return Outcome(False, refusal.reason, refusal.code, rule=refusal.rule, values=refusal.values)
        return Outcome(True, events=self._emit_all(specs))

    def _set_parameters(self, params: MarketParameters) -> None:
        """Every part of the competition uses ``params`` from now on."""
        self.params = params
        for market in dict.fromkeys(self.markets.values()):
            market.set_parameters(params)
        for desk in self.desks.values():
            desk.set_parameters(params)
        for bot in self.bots.values():
            bot.params = params

    def submit(self, command: AnyCommand, t: float | None = None, source: str = "human") -> Outcome:
        """Apply an outside command (a person, a remote bot, the instructor) at time ``t``.

        The simulation first advances to ``t`` (default: now). The command is logged, whether
        accepted or refused, so that replaying the log reproduces the competition.
        """
        when = self.now if t is None else t
        if when < self.now:
            raise SimulatorError(
                f"cannot apply a command at {when} h: the competition is already at {self.now} h"
            )
        if when > self.end_t:
            raise SimulatorError(
                f"cannot apply a command at {when} h: the competition ends at {self.end_t} h"
            )
        self.advance_to(when)
        return self._record(source, command)

    def _record(self, source: str, command: AnyCommand) -> Outcome:
        outcome = dataclasses.replace(self._apply(command), t=self.now)
        self.commands.append(
            LoggedCommand(
                len(self.commands),
                self.now,
                source,
                command,
                outcome.accepted,
                outcome.reason,
                outcome.code,
                outcome.rule,
                outcome.values,
            )
        )
        return outcome

    # --- time ----------------------------------------------------------------------------------------------

    def advance_to(self, t: float) -> None:
        """Process every event up to ``t`` (and bots' commands up to ``t``); the clock then reads ``t``."""
        t = min(t, self.end_t)
        env = self.env
        pending = self._pending
        while True:
            target = min(pending[0][0], t) if pending else t
            while env.peek() <= target:
                env.step()
                if pending and pending[0][0] < target:
                    target = pending[0][0]
            if target > env.now:
                env.run(until=target)
            if pending and pending[0][0] <= target:
                _, _, source, command = heapq.heappop(pending)
                outcome = self._record(source, command)
                if not outcome.accepted and isinstance(command, c.Command):
                    self._tell_bot(command, outcome)
                continue
            return

    def _tell_bot(self, command: c.Command, outcome: Outcome) -> None:
        """A bot's command was refused: let the bot react (it may have been waiting for it)."""
        bot = self.bots.get(command.team)
        if bot is not None:
            ledger = self.desks[command.team].ledger
            self._plan(command.team, self.now, bot.refused(command, outcome.reason, ledger))

    def finish(self) -> None:
        """Run to the end of the last round, including what happens at that very moment."""
        self.advance_to(self.end_t)

    def run_until(self, t: float, progress: Callable[[float], None] | None = None) -> None:
        """Fast-forward to ``t`` round by round, reporting progress (0–1) after each round."""
        t = min(t, self.end_t)
        boundary = self.calendar.round_hours
        while self.now < t:
            step_to = min(t, (math.floor(self.now / boundary + 1e-9) + 1) * boundary)
            self.advance_to(step_to)
            if progress is not None:
                progress(self.now / self.end_t)
        if t >= self.end_t:
            self.finish()

    def digest(self) -> str:
        return self.log.digest()
