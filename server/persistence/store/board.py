"""The board: freeze, reveal and medal columns with their change log, and scoring changes."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from server.persistence.db.tables import BoardChangeRow, CompetitionRow, ScoringChangeRow
from server.persistence.store.base import StoreBase
from server.persistence.store.fencing import check_owner


class BoardStore(StoreBase):
    """What the instructor sets on the board, and the log of it."""

    def save_board(
        self, competition_id: int, change: BoardChangeRow | None, *, epoch: int | None = None, **columns: Any
    ) -> None:
        """Set the competition's board columns (freeze, reveal, medals) and log why, in one transaction
        (with several workers only by the owner of ``epoch``: server.persistence.store.fencing)."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            for name, value in columns.items():
                setattr(row, name, value)
            s.add(row)
            if change is not None:
                s.add(change)
            s.commit()

    def board_changes(self, competition_id: int) -> list[BoardChangeRow]:
        with self.session() as s:
            query = select(BoardChangeRow).where(BoardChangeRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(BoardChangeRow.id))))

    def save_scoring(self, competition_id: int, scoring: str, at: float, epoch: int | None = None) -> None:
        """The competition's scoring settings, and a line in their change log, in one transaction
        (with several workers only by the owner of ``epoch``, which scores with them)."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            row.scoring = scoring
            s.add(row)
            s.add(ScoringChangeRow(competition_id=competition_id, scoring=scoring, at=at))
            s.commit()

    def scoring_changes(self, competition_id: int) -> list[ScoringChangeRow]:
        with self.session() as s:
            query = select(ScoringChangeRow).where(ScoringChangeRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(ScoringChangeRow.id))))
