"""Live highlights found in the event log: each kind once (fastest reply once a round), the
right team and figure, the same from the same log, and the recent ticker a reloaded board
starts from (nothing a freeze holds back for the public)."""

from __future__ import annotations

from functools import cache

from market.events import (
    ComplaintResolved,
    Event,
    InquiryReceived,
    InvoiceIssued,
    OrderWon,
    PaymentReceived,
    QuoteSent,
    RoundEnded,
)
from server.live.highlights import HighlightFinder, highlights_of
from server.live.ticker import KEEP, recent_ticker, ticker_item
from simulator.competition import Competition, TeamSpec
from tests.simulator.seasons import preset


@cache
def played() -> tuple[Event, ...]:
    """Three reference bots over two rounds."""
    teams = [TeamSpec("A", "balanced"), TeamSpec("B", "eager"), TeamSpec("C", "dumper")]
    competition = Competition(preset(), 21, teams, rounds=2)
    competition.finish()
    return tuple(competition.log)


def test_each_highlight_comes_once_and_names_what_happened_first() -> None:
    log = list(played())
    found = highlights_of(log)
    kinds = [item["kind"] for _event, item in found]
    assert kinds.count("first_order") == 1
    assert kinds.count("first_collection") == 1
    assert kinds.count("fastest_reply") == 2  # one a round
    first = next(e for e in log if isinstance(e, OrderWon))
    event, item = next((e, i) for e, i in found if i["kind"] == "first_order")
    assert event is first and item["team"] == first.team and item["value"] == round(first.value, 2)
    recovered = [i["team"] for _e, i in found if i["kind"] == "recovered"]
    assert len(recovered) == len(set(recovered))  # once a team


def test_the_fastest_reply_is_the_smallest_first_quote_delay_of_its_round() -> None:
    log = list(played())
    arrived: dict[str, float] = {}
    best: dict[int, float] = {}
    round_number = 1
    for event in log:
        if isinstance(event, InquiryReceived):
            arrived[event.inquiry_id] = event.t
        elif isinstance(event, QuoteSent) and event.inquiry_id in arrived:
            hours = event.t - arrived.pop(event.inquiry_id)
            best[round_number] = min(best.get(round_number, hours), hours)
        elif isinstance(event, RoundEnded):
            arrived.clear()
            round_number = event.round + 1
    fastest = {i["round"]: i["hours"] for _e, i in highlights_of(log) if i["kind"] == "fastest_reply"}
    assert fastest == {r: round(h, 2) for r, h in best.items()}


def test_the_same_log_gives_the_same_highlights() -> None:
    log = list(played())
    assert highlights_of(log) == highlights_of(list(played()))
    finder = HighlightFinder()
    piecewise = [item for event in log for item in finder.feed(event)]
    assert piecewise == [item for _e, item in highlights_of(log)]


def _e(cls: type[Event], seq: int, t: float, **fields: object) -> Event:
    return cls(seq=seq, t=t, **fields)


def test_a_complaint_recovered_into_an_order_and_an_invoice_paid_in_parts() -> None:
    order = {
        "inquiry_id": "i1",
        "segment": "smb",
        "quantity": 10,
        "unit_price": 100.0,
        "terms_days": 30.0,
        "delivery_days": 3.0,
        "installments": 1,
        "delivery_due_t": 5.0,
        "reply_hours": 1.0,
    }
    finder = HighlightFinder()
    found = [
        finder.feed(_e(OrderWon, 0, 1.0, team="A", order_id="o1", customer_id="c1", **order)),
        finder.feed(
            _e(
                InvoiceIssued,
                1,
                2.0,
                team="A",
                invoice_id="v1",
                order_id="o1",
                customer_id="c1",
                amount=1000.0,
                due_t=9.0,
                installment=1,
                installments=1,
            )
        ),
        finder.feed(
            _e(
                PaymentReceived,
                2,
                3.0,
                team="A",
                invoice_id="v1",
                customer_id="c1",
                amount=400.0,
                via="transfer",
            )
        ),
        finder.feed(
            _e(
                ComplaintResolved,
                3,
                4.0,
                team="B",
                complaint_id="k1",
                customer_id="c2",
                remedy="apology",
                credit_percent=0.0,
                within_sla=True,
                adequate=True,
                by="x",
                cost=0.0,
            )
        ),
        finder.feed(
            _e(
                PaymentReceived,
                4,
                5.0,
                team="A",
                invoice_id="v1",
                customer_id="c1",
                amount=600.0,
                via="transfer",
            )
        ),
        finder.feed(_e(OrderWon, 5, 6.0, team="B", order_id="o2", customer_id="c2", **order)),
        finder.feed(_e(OrderWon, 6, 7.0, team="B", order_id="o3", customer_id="c2", **order)),
    ]
    assert [[i["kind"] for i in step] for step in found] == [
        ["first_order"],
        [],
        [],
        [],
        ["first_collection"],
        ["recovered"],
        [],
    ]
    assert found[4][0] == {"kind": "first_collection", "team": "A", "amount": 600.0}


def test_the_recent_ticker_is_the_newest_lines_oldest_first_and_holds_back_a_freeze() -> None:
    log = list(played())
    found = highlights_of(log)
    recent = recent_ticker(log, found, None)
    assert len(recent) == min(KEEP, len(found) + sum(1 for e in log if ticker_item(e)))
    assert len(recent_ticker(log, found, None, limit=3)) == 3
    seqs = [item["t_sim"] for item in recent]
    assert seqs == sorted(seqs)
    last_line = next(ticker_item(e) for e in reversed(log) if ticker_item(e))
    assert last_line in [item["data"] for item in recent if item["type"] == "ticker"]
    freeze_t = log[len(log) // 2].t
    public = recent_ticker(log, found, lambda e: e.t > freeze_t)
    team_results = {"big_order", "complaint_resolved_in_time", "written_off"}
    for item in public:
        if item["type"] == "highlight" or item["data"]["kind"] in team_results:
            assert item["t_sim"] <= freeze_t


class Recorder:
    """A broadcaster that keeps what each channel was sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, object]]] = []

    def publish(
        self, name: str, kind: str, t_sim: float, data: object, encoded: str | None = None
    ) -> dict[str, object]:
        self.sent.append((name, kind, data))  # type: ignore[arg-type]
        return {}


def test_the_channels_announce_each_highlight_once_and_none_past_a_freeze() -> None:
    from server.wire.channels import CompetitionChannels

    log = list(played())
    freeze_t = next(e.t for e in log if isinstance(e, OrderWon)) - 1e-6  # frozen before the first order
    recorder = Recorder()
    channels = CompetitionChannels(7, recorder)  # type: ignore[arg-type]
    channels.events(log, ["A", "B", "C"], lambda e: e.t > freeze_t)
    judge = [data for name, kind, data in recorder.sent if name == "judge:7" and kind == "highlight"]
    public = [data for name, kind, data in recorder.sent if name == "public:7" and kind == "highlight"]
    assert judge == [item for _e, item in highlights_of(log)]
    assert public == []  # every highlight came after the freeze
    assert [item for _e, item in channels.found] == judge
    channels.prime(log)  # a recovered competition folds the log again: nothing new to announce
    assert [item for _e, item in channels.found] == judge
