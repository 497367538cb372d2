"""Peer reviews: the ratings members give their teammates."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from server.persistence.db.tables import PeerReviewRow
from server.persistence.store.base import StoreBase
from server.persistence.store.fencing import check_owner


class PeerReviewStore(StoreBase):
    """Peer ratings, replaced whole per reviewer."""

    def save_peer_reviews(
        self, competition_id: int, reviewer_id: int, rows: Sequence[PeerReviewRow], epoch: int | None = None
    ) -> None:
        """Replace the reviewer's ratings by ``rows``, in one transaction (with several workers only
        by the owner of ``epoch``, whose state says whether the competition has finished)."""
        with self.session() as s:
            check_owner(s.connection(), competition_id, epoch)
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
