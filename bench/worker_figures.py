"""The figures of one case of ``bench/worker_scale.py`` and how they are printed.

``Case`` holds what a case measured (board latency and command round-trips by worker, viewers
connected, errors, the CPU of workers, clients and services); ``case_line`` is the line printed
as a case ends, ``table_row`` its row of the markdown table (under ``TABLE_HEAD``) and
``held_line`` the most viewers a worker count held with the board p99 within ``LIMIT_MS``.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field

from live_server import percentile

LIMIT_MS = 200.0
"""The board p99 a case must stay under to count as held."""


@dataclass
class Case:
    """One case's figures: a table row."""

    workers: int
    viewers: int
    connected_by_worker: list[int]
    owners: list[bool | None]
    markers_sent: int
    board: list[float]
    board_by_worker: list[list[float]]
    marker_missing: int
    rtts_by_worker: list[list[float]]
    sent: int
    answered: int
    late_sends: int
    worker_cores: list[float]
    client_cores: float
    other_cores: float
    service_cores: float
    load: tuple[float, float]
    joins_per_second: float
    seconds: float
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    customer_wait: float = 0.0  # seconds from the start until every team had a customer
    connect_wait: float = 0.0  # seconds the clients then took to connect

    @property
    def connected(self) -> int:
        return sum(self.connected_by_worker)

    @property
    def rtts(self) -> list[float]:
        return [r for rtts in self.rtts_by_worker for r in rtts]

    def board_p99_ms(self) -> float:
        return percentile(self.board, 99) * 1000 if self.board else float("inf")

    def held(self) -> bool:
        """Every viewer connected, every marker reached every viewer, board p99 within the limit."""
        return self.connected == self.viewers and self.marker_missing == 0 and self.board_p99_ms() <= LIMIT_MS

    def count(self, *words: str) -> int:
        """How many errors of the kinds that name any of ``words``."""
        return sum(n for kind, n in self.errors.items() if any(w in kind for w in words))


def ms(seconds: list[float], q: float) -> str:
    return f"{percentile(seconds, q) * 1000:,.0f}" if seconds else "–"


def by_worker(values: list[str]) -> str:
    return " + ".join(values)


def case_line(c: Case) -> str:
    owners = ", ".join("owner" if o else "forwards" if o is False else "?" for o in c.owners)
    errors = ", ".join(f"{kind} ×{n}" for kind, n in c.errors.most_common()) or "none"
    return (
        f"{c.workers} worker(s) [{owners}], {c.connected:,}/{c.viewers:,} viewers "
        f"({by_worker([str(n) for n in c.connected_by_worker])}): "
        f"board p50 {ms(c.board, 50)} p99 {ms(c.board, 99)} ms "
        f"(by worker p99 {by_worker([ms(b, 99) for b in c.board_by_worker])}), "
        f"{c.markers_sent} markers, {c.marker_missing:,} not received; "
        f"commands {c.answered}/{c.sent} ({c.late_sends} sent late) rtt p50 {ms(c.rtts, 50)} "
        f"p99 {ms(c.rtts, 99)} ms (by worker p99 {by_worker([ms(r, 99) for r in c.rtts_by_worker])}); "
        f"cores: workers {by_worker([f'{x:.2f}' for x in c.worker_cores])}, clients {c.client_cores:.2f}, "
        f"other {c.other_cores:.2f} (Redis + PostgreSQL {c.service_cores:.2f}); "
        f"load {c.load[0]:.1f} → {c.load[1]:.1f}; "
        f"joins {c.joins_per_second:.0f}/s, customers after {c.customer_wait:.0f} s, clients connected in "
        f"{c.connect_wait:.0f} s; errors: {errors}"
    )


TABLE_HEAD = (
    "| workers | viewers connected / asked | board p50 / p99 (ms) | board p99 by worker (ms) "
    "| command p50 / p99 (ms) | commands answered / sent | seq gaps / disconnects / markers missed "
    "| worker cores | client cores | Redis + PostgreSQL cores | other cores | load average |"
)


def table_row(c: Case) -> str:
    return (
        f"| {c.workers} | {c.connected:,} / {c.viewers:,} | {ms(c.board, 50)} / {ms(c.board, 99)} "
        f"| {by_worker([ms(b, 99) for b in c.board_by_worker])} | {ms(c.rtts, 50)} / {ms(c.rtts, 99)} "
        f"| {c.answered:,} / {c.sent:,} | {c.count('seq gap')} / {c.count('disconnected', 'closed by')} / "
        f"{c.marker_missing:,} | {by_worker([f'{x:.2f}' for x in c.worker_cores])} | {c.client_cores:.2f} "
        f"| {c.service_cores:.2f} | {c.other_cores - c.service_cores:.2f} "
        f"| {c.load[0]:.1f} → {c.load[1]:.1f} |"
    )


def held_line(cases: list[Case], workers: int) -> str:
    mine = [c for c in cases if c.workers == workers]
    held = [c.viewers for c in mine if c.held()]
    most = f"{max(held):,}" if held else "none of the ladder"
    return f"{workers} worker(s): viewers held at board p99 ≤ {LIMIT_MS:.0f} ms: {most}"
