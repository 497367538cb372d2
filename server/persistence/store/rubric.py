"""The rubric: its criteria and the judges' entries against them.

Each write is the owner's (its live competition keeps the rubric in memory and scores with it):
with several workers it carries the owner ``epoch`` (server.persistence.store.fencing).
"""

from __future__ import annotations

from sqlmodel import col, select

from server.persistence.db.tables import RubricCriterionRow, RubricEntryRow
from server.persistence.store.base import StoreBase
from server.persistence.store.fencing import check_owner


class RubricStore(StoreBase):
    """Rubric criteria and entries."""

    def save_criterion(self, row: RubricCriterionRow, epoch: int | None = None) -> RubricCriterionRow:
        with self.session() as s:
            check_owner(s.connection(), row.competition_id, epoch)
            row = s.merge(row)
            s.commit()
            s.refresh(row)
            return row

    def delete_criterion(self, competition_id: int, criterion_id: int, epoch: int | None = None) -> None:
        """Delete the competition's criterion ``criterion_id`` (none of another competition's)."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
            row = s.get(RubricCriterionRow, criterion_id)
            if row is not None and row.competition_id == competition_id:
                s.delete(row)
                s.commit()

    def criteria(self, competition_id: int) -> list[RubricCriterionRow]:
        with self.session() as s:
            query = select(RubricCriterionRow).where(RubricCriterionRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(RubricCriterionRow.id))))

    def add_rubric_entry(self, row: RubricEntryRow, epoch: int | None = None) -> RubricEntryRow:
        with self.session() as s:
            check_owner(s.connection(), row.competition_id, epoch)
            s.add(row)
            s.commit()
            s.refresh(row)
            return row

    def rubric_entries(self, competition_id: int) -> list[RubricEntryRow]:
        with self.session() as s:
            query = select(RubricEntryRow).where(RubricEntryRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(RubricEntryRow.id))))
