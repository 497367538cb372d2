"""Every write of the store is decided for several workers: fenced by the owner epoch, or any worker's.

The writing methods of ``Store`` (those that commit a transaction) are found from their source,
so a new one fails here until it is classified in server.persistence.store.write_paths. Then,
table-driven on SQLite and PostgreSQL, each fenced write: with a stale epoch (older, never
taken, or newer) raises ``StaleOwner`` and leaves every table exactly as it was; with the
owner's epoch it writes, running the check once; with no epoch (one process) it writes with no
extra statement at all. A batch of joins refuses alone the joins of a competition whose epoch
is stale, while another competition's joins of the same batch go in.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, event

from server.persistence.db.tables import (
    BoardChangeRow,
    ParameterChangeRow,
    PeerReviewRow,
    RubricCriterionRow,
    RubricEntryRow,
    SessionRow,
    TeamRow,
)
from server.persistence.store import StaleOwner, Store
from server.persistence.store.teams import Joining, JoinRequest
from server.persistence.store.write_paths import ANY_WORKER, FENCED
from tests.server.helpers import table_rows
from tests.server.store_rows import add_competition, command_row

WRITES = re.compile(r"\.commit\(|\.begin\(")
CHECK = "UPDATE competitions SET owner_epoch=competitions.owner_epoch "
OWNER = 2  # the epoch of the worker running the competition in these tests
STALE = (0, 1, 3)  # never taken, an older owner's, one not taken yet


def _writing_methods() -> set[str]:
    """The public methods of ``Store`` whose source commits (or opens) a writing transaction."""
    found = set()
    for name, method in inspect.getmembers(Store, inspect.isfunction):
        if not name.startswith("_") and WRITES.search(inspect.getsource(method)):
            found.add(name)
    return found


def test_every_writing_method_of_the_store_is_fenced_or_any_workers() -> None:
    writing = _writing_methods()
    assert {"add_commands", "join_many", "set_secrets", "take_owner_epoch"} <= writing  # it finds
    unclassified = writing - FENCED - set(ANY_WORKER)
    assert not unclassified, f"decide in server/persistence/store/write_paths.py: {sorted(unclassified)}"
    assert not FENCED & set(ANY_WORKER)
    assert FENCED | set(ANY_WORKER) <= writing, "a classified name that is no longer a writing method"
    assert all(reason.strip() for reason in ANY_WORKER.values())


@pytest.mark.parametrize("name", sorted(FENCED))
def test_each_fenced_write_takes_an_epoch_that_defaults_to_none(name: str) -> None:
    parameters = inspect.signature(getattr(Store, name)).parameters
    if name == "join_many":  # per competition of the batch
        assert parameters["epoch_of"].default(7) is None
    else:
        assert parameters["epoch"].default is None


# --- the table: each fenced write, called with an epoch ------------------------------------------


@dataclass
class World:
    """A competition (``cid``, owner epoch ``OWNER``) with a team, two members, commands, a rubric,
    and another competition (``other``, never taken) with a team of its own."""

    cid: int
    other: int
    team_id: int
    member_id: int
    mate_id: int
    criteria: list[int]


def _session(n: int) -> SessionRow:
    return SessionRow(token_hash=f"token-{n}", role="member", created_at=0.0)


def _world(store: Store) -> World:
    cid, other = add_competition(store, "Fenced"), add_competition(store, "Other")
    for _ in range(OWNER):
        store.take_owner_epoch(cid)
    team, _theirs = store.add_teams(
        [
            TeamRow(competition_id=cid, name="Humans", join_code="HUMANS01"),
            TeamRow(competition_id=other, name="Others", join_code="OTHERS01"),
        ]
    )
    assert team.id is not None
    ann_joins = JoinRequest("HUMANS01", "Ann", "manager", 0.0, _session(0), True)
    cat_joins = JoinRequest("HUMANS01", "Cat", "sales", 0.0, _session(-1), False)
    ann, cat = store.join_many([ann_joins, cat_joins], lambda _team: None)
    assert ann.member is not None and ann.member.id is not None
    assert cat.member is not None and cat.member.id is not None
    store.add_commands([command_row(cid, seq) for seq in range(4)])
    criteria = [
        store.save_criterion(
            RubricCriterionRow(
                competition_id=cid,
                name_en=f"C{i}",
                name_zh="准则",
                max_points=9,
                per_round=False,
                created_at=0,
            )
        ).id
        for i in range(3)
    ]
    assert all(c is not None for c in criteria)
    return World(cid, other, team.id, ann.member.id, cat.member.id, [c for c in criteria if c is not None])


def _join(store: Store, w: World, epoch: int | None, n: int) -> None:
    request = JoinRequest("HUMANS01", f"Bea{n}", "sales", float(n), _session(100 + n), False)
    [joining] = store.join_many([request], lambda _team: None, lambda _cid: epoch)
    if isinstance(joining.refused, StaleOwner):
        raise joining.refused
    assert joining.member is not None


# name -> (store, world, epoch, n) -> None: the n-th call (0, 1, 2) writes something new
Case = Callable[[Store, World, int | None, int], Any]
CASES: dict[str, Case] = {
    "add_commands": lambda s, w, e, n: s.add_commands([command_row(w.cid, 4 + n)], e),
    "write_behind": lambda s, w, e, n: s.write_behind(w.cid, [], [(1, True, f"decided {n}")], epoch=e),
    "save_reply": lambda s, w, e, n: s.save_reply(w.cid, 0, f'{{"n": {n}}}', e),
    "drop_commands_from": lambda s, w, e, n: s.drop_commands_from(w.cid, 3 - n, e),
    "save_clock": lambda s, w, e, n: s.save_clock(w.cid, "paused", 1.0 + n, None, e),
    "save_board": lambda s, w, e, n: s.save_board(
        w.cid,
        BoardChangeRow(competition_id=w.cid, action="freeze", detail="{}", by="instructor", at=float(n)),
        epoch=e,
        freeze_t=5.0 + n,
    ),
    "save_parameters": lambda s, w, e, n: s.save_parameters(
        w.cid, f'{{"n": {n}}}', ParameterChangeRow(competition_id=w.cid, effective_t=0, changes="[]", at=n), e
    ),
    "save_scoring": lambda s, w, e, n: s.save_scoring(w.cid, f'{{"n": {n}}}', float(n), e),
    "save_criterion": lambda s, w, e, n: s.save_criterion(
        RubricCriterionRow(
            competition_id=w.cid, name_en=f"New {n}", name_zh="新", max_points=5, per_round=True, created_at=n
        ),
        e,
    ),
    "delete_criterion": lambda s, w, e, n: s.delete_criterion(w.cid, w.criteria[n], e),
    "add_rubric_entry": lambda s, w, e, n: s.add_rubric_entry(
        RubricEntryRow(
            competition_id=w.cid,
            criterion_id=w.criteria[0],
            team="Humans",
            judge="Jo",
            points=float(n),
            t_sim=0.0,
            at=0.0,
            by="Jo",
        ),
        e,
    ),
    "add_teams": lambda s, w, e, n: s.add_teams(
        [TeamRow(competition_id=w.cid, name=f"New {n}", join_code=f"NEWTEAM{n}")], e
    ),
    "set_join_code": lambda s, w, e, n: s.set_join_code(w.cid, w.team_id, f"RENEWED{n}", e),
    "remove_members": lambda s, w, e, n: s.remove_members(w.cid, [w.member_id], float(n), e),
    "join_many": _join,
    "save_peer_reviews": lambda s, w, e, n: s.save_peer_reviews(
        w.cid,
        w.mate_id,
        [
            PeerReviewRow(
                competition_id=w.cid, reviewer_id=w.mate_id, reviewee_id=w.member_id, rating=1 + n, at=n
            )
        ],
        e,
    ),
}


def test_the_table_covers_every_fenced_write() -> None:
    assert set(CASES) == FENCED


class Checks:
    """Counts the fencing checks (``check_owner``'s update) sent to the database."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        statement: str = args[2]
        self.count += statement.startswith(CHECK)


@pytest.mark.parametrize("name", sorted(FENCED))
def test_a_stale_epoch_writes_nothing_the_owner_writes_and_one_process_checks_nothing(
    store: Store, name: str
) -> None:
    write, w = CASES[name], _world(store)
    checks = Checks(store.engine)
    before = table_rows(store.engine)
    for stale in STALE:
        with pytest.raises(StaleOwner) as refused:
            write(store, w, stale, 0)
        assert (refused.value.competition_id, refused.value.epoch) == (w.cid, stale)
        assert table_rows(store.engine) == before  # nothing of it, not even half
    assert checks.count == len(STALE)
    write(store, w, OWNER, 1)  # the owner writes, after one check
    owners = table_rows(store.engine)
    assert owners != before and checks.count == len(STALE) + 1
    write(store, w, None, 2)  # one process: no epoch, no check, and it writes
    assert table_rows(store.engine) != owners and checks.count == len(STALE) + 1


def test_a_batch_of_joins_refuses_only_the_competition_whose_epoch_is_stale(store: Store) -> None:
    w = _world(store)
    before = store.competition_members(w.cid)
    epochs = {w.cid: 1, w.other: 0}  # this worker lost the first; it owns the other (never taken)
    requests = [
        JoinRequest("HUMANS01", "Cy", "sales", 1.0, _session(1), False),
        JoinRequest("OTHERS01", "Di", "manager", 1.0, _session(2), True),
        JoinRequest("NOSUCH01", "Ed", "sales", 1.0, _session(3), False),
    ]
    stale, joined, unknown = store.join_many(requests, lambda _team: None, epochs.__getitem__)
    assert isinstance(stale.refused, StaleOwner) and stale.member is None
    assert stale.team is not None and stale.team.competition_id == w.cid
    assert joined.refused is None and joined.member is not None and joined.member.name == "Di"
    assert unknown == Joining(None)
    assert store.competition_members(w.cid) == before  # Cy is not in
    assert [m.name for _t, m in store.competition_members(w.other)] == ["Di"]
    assert store.session_row("token-1") is None and store.session_row("token-2") is not None
