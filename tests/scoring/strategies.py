"""Hypothesis strategies: random but valid competition logs for 2–5 teams."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from hypothesis import strategies as st

from market.events import Event, TeamEvent, TeamJoined
from tests.scoring.builders import Log

ROUND_HOURS = 10.0
CUSTOMERS = 4


@dataclass
class _Invoice:
    team: str
    invoice_id: str
    amount: float
    paid: float = 0.0
    due: bool = False
    written_off: bool = False


@dataclass
class _World:
    """What the generator must remember to emit only valid events."""

    log: Log
    teams: list[str]
    t: float = 0.0
    next_round: int = 1
    counter: int = 0
    open_inquiries: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    invoices: list[_Invoice] = field(default_factory=list)
    complaints: dict[str, list[str]] = field(default_factory=dict)
    orders: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


def _money(exact: bool, low: float, high: float) -> st.SearchStrategy[float]:
    if exact:  # quarters: every sum in the fold is exact, so any order of summing agrees
        return st.integers(int(low * 4), int(high * 4)).map(lambda k: k / 4)
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def _satisfaction(exact: bool) -> st.SearchStrategy[float]:
    if exact:
        return st.integers(0, 16).map(lambda k: k / 16)
    return st.floats(0.0, 1.0, allow_nan=False)


TEAM_IDS = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ", min_size=1, max_size=3)

STEP = st.tuples(
    st.integers(0, 16),  # action
    st.integers(0, 1000),  # team / target choice
    st.integers(0, 1000),  # second choice
    st.floats(0.0, 1.0, allow_nan=False),  # fraction
    st.integers(0, 12),  # time step in quarter hours
)


@st.composite
def competitions(draw: st.DrawFn, exact: bool = True, max_steps: int = 60) -> list[Event]:
    """A valid log: 2–5 teams join at t=0, then inquiries, invoices, satisfaction, rounds."""
    teams = draw(st.lists(TEAM_IDS, min_size=2, max_size=5, unique=True))
    log = Log()
    for team in teams:
        log.join(team, 0.0, draw(_money(exact, 0, 1000)))
    world = _World(
        log,
        teams,
        open_inquiries={t: [] for t in teams},
        complaints={t: [] for t in teams},
        orders={t: [] for t in teams},
    )
    steps = draw(st.integers(0, max_steps))
    for action, a, b, x, dt in draw(st.lists(STEP, min_size=steps, max_size=steps)):
        world.t += dt / 4
        while world.next_round * ROUND_HOURS <= world.t:
            log.round_end(world.next_round, world.next_round * ROUND_HOURS)
            world.next_round += 1
        _act(world, action, a, b, x, draw(_money(exact, 0.25, 500)), draw(_satisfaction(exact)))
    return log.events


def _quarter(x: float) -> float:
    return round(x * 4) / 4


def _act(w: _World, action: int, a: int, b: int, x: float, money: float, s: float) -> None:
    team = w.teams[a % len(w.teams)]
    log, t = w.log, w.t
    inquiries = w.open_inquiries[team]
    invoices = [inv for inv in w.invoices if inv.team == team]
    invoice = invoices[b % len(invoices)] if invoices else None
    if action in (0, 1):
        inquiry, customer = w.fresh("i"), f"c{b % CUSTOMERS}"
        log.inquiry(team, inquiry, customer, t)
        inquiries.append((inquiry, customer))
    elif action == 2 and inquiries:
        log.quote(team, inquiries[b % len(inquiries)][0], t)
    elif action in (3, 4, 5, 6) and inquiries:
        inquiry, customer = inquiries.pop(b % len(inquiries))
        close = {3: log.won, 4: log.lost, 5: log.declined, 6: log.expired}[action]
        close(team, inquiry, customer, t)
        if action == 3:
            w.orders[team].append((inquiry, customer))
            w.invoices.append(_Invoice(team, w.fresh("v"), money))
            log.invoice(team, w.invoices[-1].invoice_id, money, t, customer)
    elif action == 7:
        w.invoices.append(_Invoice(team, w.fresh("v"), money))
        log.invoice(team, w.invoices[-1].invoice_id, money, t)
    elif action in (8, 9) and invoice is not None:
        outstanding = invoice.amount - invoice.paid
        amount = money if outstanding <= 0 or x > 0.9 else max(0.25, _quarter(outstanding * min(1.0, 2 * x)))
        log.pay(team, invoice.invoice_id, amount, t)
        invoice.paid += amount
    elif action == 10 and invoice is not None and invoice.amount - invoice.paid >= 0.5:
        amount = _quarter((invoice.amount - invoice.paid) * x / 2)
        log.credit(team, invoice.invoice_id, amount, t)
        invoice.amount -= amount
    elif action == 11 and invoice is not None and invoice.paid >= 0.5:
        amount = _quarter(invoice.paid * x)
        log.refund(team, invoice.invoice_id, amount, t)
        invoice.amount -= amount
        invoice.paid -= amount
    elif action == 12 and invoice is not None and not invoice.due:
        log.due(team, invoice.invoice_id, t, max(0.0, invoice.amount - invoice.paid))
        invoice.due = True
    elif action == 13 and invoice is not None and not invoice.written_off and x < 0.5:
        log.write_off(team, invoice.invoice_id, t, max(0.0, invoice.amount - invoice.paid))
        invoice.written_off = True
    elif action == 14:
        log.sat(team, f"c{b % CUSTOMERS}", s, t)
    elif action == 15:
        if x < 0.5 or not w.complaints[team]:
            w.complaints[team].append(w.fresh("k"))
            log.complaint(team, w.complaints[team][-1], t)
        else:
            log.resolved(team, w.complaints[team].pop(), t, within_sla=x < 0.75, cost=_quarter(money / 10))
    elif action == 16:
        if x < 0.2 and w.orders[team]:
            inquiry, customer = w.orders[team].pop(b % len(w.orders[team]))
            log.voided(team, inquiry, customer, t)
        elif x < 0.5:
            log.campaign(team, _quarter(money / 5), t)
        else:
            log.note(team, t)


def rename(events: Sequence[Event], mapping: dict[str, str]) -> list[Event]:
    """The log with every team id replaced through ``mapping``."""
    return [dataclasses.replace(e, team=mapping[e.team]) if isinstance(e, TeamEvent) else e for e in events]


def permute_joins(events: Sequence[Event], order: Sequence[int]) -> list[Event]:
    """The log with its leading ``TeamJoined`` events reordered (seqs renumbered in the new order)."""
    joins = [e for e in events if isinstance(e, TeamJoined)]
    rest = list(events[len(joins) :])
    permuted = [dataclasses.replace(joins[i], seq=position + 1) for position, i in enumerate(order)]
    return permuted + rest
