"""The team console's state view: its records read as ``dataclasses.asdict`` would give them,
and never share a list with the team's ledger."""

from __future__ import annotations

from dataclasses import asdict

from market.presets import load_preset
from server.wire.shapes import record_view, team_view
from simulator.competition import Competition, TeamSpec


def _played() -> Competition:
    teams = [TeamSpec("A", "balanced"), TeamSpec("B", "lax"), TeamSpec("C", "lavish")]
    competition = Competition(load_preset("classroom"), 5, teams, rounds=1)
    competition.advance_to(39.0)
    return competition


def test_every_record_of_a_played_round_reads_as_asdict_gives_it() -> None:
    competition = _played()
    seen: set[str] = set()
    for desk in competition.desks.values():
        ledger = desk.ledger
        for records in (ledger.inquiries, ledger.approvals, ledger.orders, ledger.invoices):
            for record in records.values():
                assert record_view(record) == asdict(record)
                seen.add(type(record).__name__)
        for records in (ledger.complaints, ledger.customers):
            for record in records.values():
                assert record_view(record) == asdict(record)
                seen.add(type(record).__name__)
    assert {"InquiryRecord", "OrderRecord", "InvoiceRecord", "CustomerRecord"} <= seen


def test_the_state_view_copies_the_ledgers_lists() -> None:
    competition = _played()
    ledger = competition.desks["A"].ledger
    view = team_view(ledger, competition.now)
    order = next(o for o in view["orders"] if o["invoice_ids"])
    order["invoice_ids"].append("not an invoice")
    assert "not an invoice" not in ledger.orders[order["order_id"]].invoice_ids
