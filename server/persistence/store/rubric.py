"""The rubric: its criteria and the judges' entries against them."""

from __future__ import annotations

from sqlmodel import col, select

from server.persistence.db.tables import RubricCriterionRow, RubricEntryRow
from server.persistence.store.base import StoreBase


class RubricStore(StoreBase):
    """Rubric criteria and entries."""

    def save_criterion(self, row: RubricCriterionRow) -> RubricCriterionRow:
        with self.session() as s:
            row = s.merge(row)
            s.commit()
            s.refresh(row)
            return row

    def delete_criterion(self, criterion_id: int) -> None:
        with self.session() as s:
            row = s.get(RubricCriterionRow, criterion_id)
            if row is not None:
                s.delete(row)
                s.commit()

    def criteria(self, competition_id: int) -> list[RubricCriterionRow]:
        with self.session() as s:
            query = select(RubricCriterionRow).where(RubricCriterionRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(RubricCriterionRow.id))))

    def add_rubric_entry(self, row: RubricEntryRow) -> RubricEntryRow:
        with self.session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
            return row

    def rubric_entries(self, competition_id: int) -> list[RubricEntryRow]:
        with self.session() as s:
            query = select(RubricEntryRow).where(RubricEntryRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(RubricEntryRow.id))))
