"""Competitions: their rows, the clock's state, and the starting parameters with their change log."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from server.persistence.db.tables import CompetitionRow, ParameterChangeRow
from server.persistence.store.base import StoreBase
from server.persistence.store.fencing import check_owner
from server.wall_clock import wall_now


class CompetitionStore(StoreBase):
    """Competition rows: created, listed, their clock and their parameters."""

    def add_competition(self, row: CompetitionRow) -> CompetitionRow:
        with self.session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
            return row

    def competition(self, competition_id: int) -> CompetitionRow | None:
        with self.session() as s:
            return s.get(CompetitionRow, competition_id)

    def competition_id_by_judge_code(self, code: str) -> int | None:
        with self.session() as s:
            query = select(CompetitionRow.id).where(CompetitionRow.judge_code == code)
            return s.exec(query).first()

    def competitions(self, states: Sequence[str] | None = None) -> list[CompetitionRow]:
        with self.session() as s:
            query = select(CompetitionRow).order_by(col(CompetitionRow.id))
            if states is not None:
                query = query.where(col(CompetitionRow.state).in_(states))
            return list(s.exec(query))

    def save_clock(
        self,
        competition_id: int,
        state: str,
        sim_t: float,
        resumed_at: float | None,
        epoch: int | None = None,
    ) -> None:
        """The clock's state; with several workers only by the owner of ``epoch`` (fencing)."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            row.state, row.sim_t, row.resumed_at = state, sim_t, resumed_at
            if state == "finished" and row.finished_at is None:
                row.finished_at = wall_now()  # its judges' and members' sessions end a grace period after
            s.add(row)
            s.commit()

    def finished_at(self, competition_id: int) -> float | None:
        """When the competition finished (wall time), None while it has not.

        An archive imported finished has no such time: its import (``created_at``) stands for it.
        """
        with self.session() as s:
            row = s.get(CompetitionRow, competition_id)
            if row is None or row.state != "finished":
                return None
            return row.finished_at if row.finished_at is not None else row.created_at

    def save_parameters(
        self, competition_id: int, parameters: str, change: ParameterChangeRow, epoch: int | None = None
    ) -> None:
        """New starting parameters of a competition not yet started, and the line in their log
        (with several workers only by the owner of ``epoch``: its live competition starts with them)."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            row.parameters = parameters
            s.add(row)
            s.add(change)
            s.commit()

    def add_parameter_change(self, row: ParameterChangeRow) -> None:
        """A line in the log of parameter changes, for a change between rounds: that change is a
        command of the competition, fenced with it; the line follows its commit (any worker)."""
        with self.session() as s:
            s.add(row)
            s.commit()

    def parameter_changes(self, competition_id: int) -> list[ParameterChangeRow]:
        with self.session() as s:
            query = select(ParameterChangeRow).where(ParameterChangeRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(ParameterChangeRow.id))))
