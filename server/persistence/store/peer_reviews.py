"""Peer reviews: the ratings members give their teammates."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from server.persistence.db.tables import PeerReviewRow
from server.persistence.store.base import StoreBase


class PeerReviewStore(StoreBase):
    """Peer ratings, replaced whole per reviewer."""

    def save_peer_reviews(self, competition_id: int, reviewer_id: int, rows: Sequence[PeerReviewRow]) -> None:
        """Replace the reviewer's ratings by ``rows``, in one transaction."""
        with self.session() as s:
            for old in s.exec(select(PeerReviewRow).where(PeerReviewRow.reviewer_id == reviewer_id)):
                s.delete(old)
            s.flush()
            for row in rows:
                s.add(row)
            s.commit()

    def peer_reviews(self, competition_id: int) -> list[PeerReviewRow]:
        """Every rating given in the competition, oldest first."""
        with self.session() as s:
            query = (
                select(PeerReviewRow)
                .where(PeerReviewRow.competition_id == competition_id)
                .order_by(col(PeerReviewRow.id))
            )
            return list(s.exec(query))
