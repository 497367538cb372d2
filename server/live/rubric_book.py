"""The judges' rubric of one live competition: its criteria and the append-only log of scores.

The rules (who may score what, the 0–100 component, corrections) are scoring's
(``scoring.rubric``); this book keeps the rows the server stored, turns them into scoring's
values and writes new ones through the store. Every score and correction is a new line with
who wrote it and when, in simulated and wall time; nothing is ever overwritten. Each write
carries the owner epoch of the competition's writer (``owner_write``): with several workers a
worker whose competition was taken over writes nothing of its rubric.
"""

from __future__ import annotations

from typing import Any

from scoring import Criterion, Extra, RubricEntry, ScoringError, check_entry, rubric_component
from server.errors import ServerError
from server.live.refusals import owner_write
from server.live.write_behind import WriteBehind
from server.persistence.db.tables import RubricCriterionRow, RubricEntryRow
from server.persistence.store import Store
from server.wall_clock import wall_now


def criterion_of(row: RubricCriterionRow) -> Criterion:
    assert row.id is not None
    return Criterion(row.id, row.name_en, row.name_zh, row.max_points, row.per_round)


def entry_of(row: RubricEntryRow) -> RubricEntry:
    assert row.id is not None
    return RubricEntry(
        seq=row.id,
        criterion_id=row.criterion_id,
        team=row.team,
        judge=row.judge,
        round=row.round,
        points=row.points,
        t_sim=row.t_sim,
        at=row.at,
        by=row.by,
    )


def criterion_view(row: RubricCriterionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name_en": row.name_en,
        "name_zh": row.name_zh,
        "max_points": row.max_points,
        "per_round": row.per_round,
    }


def entry_view(row: RubricEntryRow) -> dict[str, Any]:
    return {
        "seq": row.id,
        "criterion_id": row.criterion_id,
        "team": row.team,
        "judge": row.judge,
        "round": row.round,
        "points": row.points,
        "note": row.note,
        "t_sim": row.t_sim,
        "at": row.at,
        "by": row.by,
    }


class RubricBook:
    """Criteria and score log of one competition, as stored, with the component they give."""

    def __init__(self, competition_id: int, store: Store, writer: WriteBehind | None = None) -> None:
        self.competition_id = competition_id
        self.store = store
        self.writer = writer or WriteBehind(competition_id, store)  # a book of its own: no epoch
        self.criteria: list[RubricCriterionRow] = store.criteria(competition_id)
        self.entries: list[RubricEntryRow] = store.rubric_entries(competition_id)
        self._cache: dict[tuple[float | None, int | None], Extra] = {}

    # --- reading ---------------------------------------------------------------------------------

    def criterion(self, criterion_id: int) -> RubricCriterionRow:
        found = next((c for c in self.criteria if c.id == criterion_id), None)
        if found is None:
            raise ServerError("not_found", f"there is no rubric criterion {criterion_id} in this competition")
        return found

    def extra(self, until_t: float | None = None, upto: int | None = None) -> Extra:
        """The rubric component for the standings: the entries made up to simulated time ``until_t``
        and up to entry ``upto`` of the log (None: no limit)."""
        key = (until_t, upto)
        cached = self._cache.get(key)
        if cached is None:
            criteria = [criterion_of(c) for c in self.criteria]
            entries = [entry_of(e) for e in self.entries if upto is None or (e.id or 0) <= upto]
            values = rubric_component(criteria, entries, until_t)
            cached = self._cache[key] = {"rubric": values} if values else {}
        return cached

    def scoring_values(self) -> tuple[list[Criterion], list[RubricEntry]]:
        return [criterion_of(c) for c in self.criteria], [entry_of(e) for e in self.entries]

    # --- writing ---------------------------------------------------------------------------------

    def save_criterion(
        self, criterion_id: int | None, name_en: str, name_zh: str, max_points: float, per_round: bool
    ) -> RubricCriterionRow:
        """A new criterion, or new names and limits for one (refused if that would void given scores)."""
        try:
            Criterion(criterion_id or 0, name_en, name_zh, max_points, per_round)
        except ScoringError as exc:
            raise ServerError("invalid", str(exc)) from None
        row = RubricCriterionRow(
            competition_id=self.competition_id,
            name_en=name_en.strip(),
            name_zh=name_zh.strip(),
            max_points=max_points,
            per_round=per_round,
            created_at=wall_now(),
        )
        if criterion_id is not None:
            old = self.criterion(criterion_id)
            given = [e for e in self.entries if e.criterion_id == criterion_id]
            if given and old.per_round != per_round:
                raise ServerError(
                    "conflict", "scores were given for this criterion; per round or once cannot change now"
                )
            highest = max((e.points or 0.0 for e in given), default=0.0)
            if highest > max_points:
                raise ServerError(
                    "conflict",
                    f"a judge gave {highest:g} points for this criterion; max points must be at least that",
                )
            row.id, row.created_at = criterion_id, old.created_at
        with owner_write(self.writer) as epoch:
            saved = self.store.save_criterion(row, epoch)
        self.criteria = [c for c in self.criteria if c.id != saved.id] + [saved]
        self.criteria.sort(key=lambda c: c.id or 0)
        self._cache.clear()
        return saved

    def delete_criterion(self, criterion_id: int) -> None:
        self.criterion(criterion_id)
        if any(e.criterion_id == criterion_id for e in self.entries):
            raise ServerError(
                "conflict", "judges have scored this criterion; withdraw their scores before deleting it"
            )
        with owner_write(self.writer) as epoch:
            self.store.delete_criterion(self.competition_id, criterion_id, epoch)
        self.criteria = [c for c in self.criteria if c.id != criterion_id]
        self._cache.clear()

    def score(
        self,
        *,
        criterion_id: int,
        team: str,
        judge: str,
        round_number: int | None,
        points: float | None,
        note: str,
        t_sim: float,
        by: str,
        teams: list[str],
        rounds: int,
    ) -> RubricEntryRow:
        """Log a judge's points (None withdraws them); refused with the reason when not allowed."""
        criterion = self.criterion(criterion_id)
        if team not in teams:
            raise ServerError("not_found", f"there is no team {team!r} in this competition")
        try:
            check_entry(criterion_of(criterion), round_number, points, rounds)
        except ScoringError as exc:
            raise ServerError("invalid", str(exc)) from None
        row = RubricEntryRow(
            competition_id=self.competition_id,
            criterion_id=criterion_id,
            team=team,
            judge=judge,
            round=round_number,
            points=points,
            note=note,
            t_sim=t_sim,
            at=wall_now(),
            by=by,
        )
        with owner_write(self.writer) as epoch:
            saved = self.store.add_rubric_entry(row, epoch)
        self.entries.append(saved)
        self._cache.clear()
        return saved
