"""Peer review: at the end each member rates each teammate's contribution from 1 to 5.

CRM courses grade a student as the team's score give or take a few points for their own
contribution; the members' view of each other is half of that evidence (the monitor's
activity is the other half). Ratings open when the competition has finished, a member rates
only current teammates (never themself), may add a comment, and may change their ratings by
sending them again. Only the instructor reads them: in the panel and in the grade sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from server.errors import ServerError
from server.input.names import name_key
from server.input.peer_review_sizes import RATING_MAX, RATING_MIN
from server.persistence.db.tables import MemberRow, PeerReviewRow, TeamRow

RATINGS = range(RATING_MIN, RATING_MAX + 1)


@dataclass(slots=True)
class Received:
    """What one member's teammates said of them."""

    ratings: list[int] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (reviewer's name, comment)
    given: int = 0  # how many ratings this member gave

    @property
    def mean(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None


def check_open(state: str) -> None:
    """A 409 unless the competition has finished (ratings are given at the end)."""
    if state != "finished":
        raise ServerError(
            "conflict",
            f"peer review opens when the competition has finished; it is {state} — come back at the end",
        )


def teammates(roster: Sequence[tuple[TeamRow, MemberRow]], team_id: int, me: int) -> list[MemberRow]:
    """The member's current teammates, in joining order: not the member, nor a row from before
    migration 0013 that repeats the member's own name (as server.input.names compares names)."""
    mine = {name_key(m.name) for t, m in roster if t.id == team_id and m.id == me}
    return [
        m
        for t, m in roster
        if t.id == team_id and m.id != me and m.removed_at is None and name_key(m.name) not in mine
    ]


def check_ratings(mates: Sequence[MemberRow], ratings: Sequence[tuple[int, int, str]]) -> None:
    """A 422 naming the first rating that is not of a current teammate, or repeats one."""
    ids = {m.id for m in mates}
    seen: set[int] = set()
    for index, (member_id, _rating, _comment) in enumerate(ratings):
        if member_id not in ids:
            raise ServerError(
                "invalid",
                f"ratings[{index}]: member {member_id} is not one of your teammates; "
                "rate the teammates that GET /api/v1/team/peer-review lists",
                field=f"ratings[{index}].member_id",
            )
        if member_id in seen:
            raise ServerError(
                "invalid",
                f"ratings[{index}]: member {member_id} is rated twice; give each teammate one rating",
                field=f"ratings[{index}].member_id",
            )
        seen.add(member_id)


def received(
    roster: Sequence[tuple[TeamRow, MemberRow]], reviews: Sequence[PeerReviewRow]
) -> dict[int, Received]:
    """Per member id: the ratings and comments received from teammates, and how many they gave."""
    names = {m.id: m.name for _, m in roster}
    out: dict[int, Received] = {m.id or 0: Received() for _, m in roster}
    for review in reviews:
        target = out.setdefault(review.reviewee_id, Received())
        target.ratings.append(review.rating)
        if review.comment:
            target.comments.append((names.get(review.reviewer_id, "?"), review.comment))
        out.setdefault(review.reviewer_id, Received()).given += 1
    return out


def instructor_view(
    state: str, roster: Sequence[tuple[TeamRow, MemberRow]], reviews: Sequence[PeerReviewRow]
) -> dict[str, Any]:
    """Every member with the ratings received (mean, count, each with who gave it) and given."""
    names = {m.id: m.name for _, m in roster}
    by_reviewee: dict[int, list[PeerReviewRow]] = {}
    for review in reviews:
        by_reviewee.setdefault(review.reviewee_id, []).append(review)
    summary = received(roster, reviews)
    return {
        "open": state == "finished",
        "reviews": len(reviews),
        "members": [
            {
                "team": team.name,
                "member_id": m.id,
                "name": m.name,
                "role": m.role,
                "removed": m.removed_at is not None,
                "mean": summary[m.id or 0].mean,
                "received": len(summary[m.id or 0].ratings),
                "given": summary[m.id or 0].given,
                "ratings": [
                    {"by": names.get(r.reviewer_id, "?"), "rating": r.rating, "comment": r.comment}
                    for r in by_reviewee.get(m.id or 0, [])
                ],
            }
            for team, m in roster
        ],
    }


def review_rows(
    competition_id: int, reviewer_id: int, entries: Sequence[tuple[int, int, str]], at: float
) -> list[PeerReviewRow]:
    """One reviewer's ratings ``(reviewee, rating, comment)`` as the store keeps them."""
    return [
        PeerReviewRow(
            competition_id=competition_id,
            reviewer_id=reviewer_id,
            reviewee_id=member_id,
            rating=rating,
            comment=comment,
            at=at,
        )
        for member_id, rating, comment in entries
    ]
